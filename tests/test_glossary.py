"""Issue 14 item 4: the glossary pairs the chapter's terms EN <-> RU, each linked to a page of the lab."""
import re

import i18n
from course import glossary
from tests.pages import ROOT, page
from tests.russian import english_on

APP = (ROOT / "app.py").read_text()
LINK = re.compile(r"\]\(([a-z_]+)\?lang=(\w+)\)")


def _glossary(lang: str, query: str | None = None):
    at = page("app_pages/glossary.py")
    at.query_params["lang"] = lang
    at.run()
    if query is not None:
        at.text_input(key="gl.query").set_value(query).run()
    return at


def _table(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("| "))


def test_every_term_has_both_languages_a_definition_and_a_page_of_the_lab():
    ids = glossary.ids()
    assert len(ids) >= 50 and len(set(ids)) == len(ids)
    for lang in i18n.LANGUAGES:
        for term in glossary.terms(lang):
            assert term.names["en"] and term.names["ru"] and term.definition, term
            assert re.search("[а-яё]", term.names["ru"], re.I) or term.names["ru"] == term.names["en"], term
            assert i18n.t(f"glossary.term.{term.id}.page", "ru") == term.page   # one page in every language
            assert (ROOT / "app_pages" / f"{term.page}.py").is_file(), term
            assert f'("{term.page}", ' in APP, f"{term.page} is not registered in app.py"
    names = {t.id: t.names["ru"] for t in glossary.terms("en")}
    # the study notes' own words
    assert names["backward"] == "обратная совместимость" and names["forward"] == "прямая совместимость"
    assert names["rolling_upgrade"] == "плавающее обновление" and names["actor_model"] == "акторная модель"
    assert names["message_broker"] == "брокер сообщений" and names["writer_schema"] == "схема записи"


def test_the_page_renders_in_english_and_russian_with_a_link_per_term():
    total = len(glossary.ids())
    for lang in i18n.LANGUAGES:
        at = _glossary(lang)
        assert not at.exception
        assert at.title[0].value == i18n.t("page.glossary", lang)
        links = LINK.findall(_table(at))
        assert len(links) == total and {found for _, found in links} == {lang}
        for name, _ in links:
            assert (ROOT / "app_pages" / f"{name}.py").is_file() and f'("{name}", ' in APP, name
    table = _table(_glossary("ru"))
    assert "**backward compatibility** | **обратная совместимость** | Более новый код" in table


def test_the_russian_page_has_no_english_but_the_english_names():
    at = _glossary("ru")
    assert english_on(at, skip={t.names["en"] for t in glossary.terms("en")}) == []


def test_the_search_filters_in_either_language():
    at = _glossary("en", "совместимость")
    table = _table(at)
    assert "backward compatibility" in table and "forward compatibility" in table and "varint" not in table
    assert f"of {len(glossary.ids())}" in at.caption[0].value
    at = _glossary("ru", "Rolling upgrade")
    table = _table(at)
    assert "плавающее обновление" in table and table.count("\n") == 2   # header, rule, one term
    at = _glossary("ru", "еще")   # ё as е: "ещё" in a definition
    assert not at.exception and "| **" in _table(at)
    at = _glossary("en", "no such term at all")
    assert not [m for m in at.markdown if m.value.startswith("| ")]
    assert "no such term at all" in at.info[0].value


def _about(lang: str):
    at = page("app_pages/about.py")
    at.query_params["lang"] = lang
    return at.run()


def test_the_about_page_speaks_russian_and_its_links_open_pages_of_the_lab():
    for lang in i18n.LANGUAGES:
        at = _about(lang)
        assert not at.exception
        cells = " ".join(at.table[0].value[i18n.t("about.where", lang)]) + " ".join(m.value for m in at.markdown)
        links = LINK.findall(cells)
        assert len(links) >= 25 and {found for _, found in links} == {lang}
        for name, _ in links:
            assert (ROOT / "app_pages" / f"{name}.py").is_file() and f'("{name}", ' in APP, name
        assert ("glossary", lang) in links
    at = _about("ru")
    assert at.title[0].value == "О лаборатории Encoding Lab"
    assert english_on(at) == []
