"""The catalogues: every key in every language, the same placeholders, plural forms a language needs;
every key the code names exists; Text keeps the core's English contract; the language switch."""
import re
import string
from pathlib import Path

import pytest
from babel import Locale

import i18n
from i18n import Text
from tests.pages import page

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("app.py", "app_pages", "ui", "formats", "evolution", "dataflow", "course")
# a literal key passed to t(...), Text(...) or ui.language.t(...)
KEY_CALL = re.compile(r"""\b(?:t|Text)\(\s*f?["']([a-z0-9_]+(?:\.[a-z0-9_{}]+)+)["']""")


def _fields(message) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    return {name.split(".")[0].split("[")[0] for form in forms
            for _, name, _, _ in string.Formatter().parse(form) if name}


def test_every_key_exists_in_every_language_with_the_same_values():
    english = i18n.catalogue("en")
    for lang in i18n.LANGUAGES:
        other = i18n.catalogue(lang)
        assert sorted(set(english) - set(other)) == [], f"missing in {lang}.toml"
        assert sorted(set(other) - set(english)) == [], f"in {lang}.toml but not in en.toml"
        for key, message in english.items():
            assert _fields(other[key]) == _fields(message), (lang, key)


def test_plural_messages_have_every_form_the_language_needs():
    for lang in i18n.LANGUAGES:
        needed = set(Locale.parse(lang).plural_form.tags) | {"other"}
        for key, message in i18n.catalogue(lang).items():
            if isinstance(message, dict):
                assert needed <= set(message), (lang, key, needed - set(message))


def _code_files():
    for entry in CODE_DIRS:
        path = ROOT / entry
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")) if path.exists() else [])


def test_every_key_the_code_names_is_in_the_catalogue():
    keys = set(i18n.catalogue("en"))
    named = {(f.relative_to(ROOT), key) for f in _code_files() for key in KEY_CALL.findall(f.read_text())}
    assert named, "the scan found no keys at all"
    for where, key in sorted(named):
        if "{" in key:   # f"page.{name}": some key must start with the literal part
            assert any(k.startswith(key.split("{")[0]) for k in keys), (where, key)
        else:
            assert key in keys, (where, key)


def test_text_is_the_english_string_and_renders_in_russian():
    text = Text("page.explorer")
    assert text == "Explorer" and isinstance(text, str)
    assert text.render("ru") == "Обозреватель" == i18n.render(text, "ru")
    assert i18n.render("plain", "ru") == "plain"


def test_a_message_with_nothing_to_fill_in_still_unescapes_its_braces():
    """str.format's "}}" is a literal "}": a message with no value in it is formatted too (a student saw
    "a closing }} or ]" under a record that ended too early)."""
    for lang in i18n.LANGUAGES:
        for key, text in i18n.catalogue(lang).items():
            if isinstance(text, str) and "{" not in text and "}}" in text:
                assert "}}" not in i18n.t(key, lang) and "}" in i18n.t(key, lang), (lang, key)
    assert "a closing } or ]" in i18n.t("err.json.ends_early")


def test_a_missing_key_renders_as_the_key_and_is_recorded():
    i18n.MISSING.discard(("en", "no.such.key"))
    assert i18n.t("no.such.key", "ru") == "no.such.key"
    assert ("en", "no.such.key") in i18n.MISSING
    i18n.MISSING.discard(("en", "no.such.key"))


@pytest.mark.parametrize("n, form", [(1, "one"), (2, "few"), (5, "many"), (11, "many"), (21, "one"), (22, "few")])
def test_russian_plural_forms_follow_cldr(n, form):
    assert Locale.parse("ru").plural_form(n) == form
    assert i18n.t("unit.bytes", "ru", n=n) == f"{n} " + {"one": "байт", "few": "байта", "many": "байт"}[form]


def test_numbers_are_written_as_the_language_writes_them():
    assert i18n.t("unit.bytes", "en", n=1337) == "1,337 bytes"
    assert i18n.t("unit.bytes", "ru", n=1337) == "1\xa0337 байт"



def test_the_language_comes_from_the_link_then_the_browser():
    at = page("app.py")
    at.query_params["lang"] = "ru"
    at.run()
    assert not at.exception and at.session_state["lang"] == "ru"
    assert "ru" in at.query_params["lang"]
    at = page("app.py")
    at.context["locale"] = "ru-RU"
    at.run()
    assert at.session_state["lang"] == "ru"
    at = page("app.py")
    at.context["locale"] = "de-DE"
    at.run()
    assert at.session_state["lang"] == "en"


def test_the_switch_changes_the_language_and_the_link():
    at = page("app.py").run()
    switch = at.sidebar.segmented_control[0]
    assert switch.value == "en"
    switch.set_value("ru").run()
    assert not at.exception and at.session_state["lang"] == "ru"
    assert "ru" in at.query_params["lang"]


def test_each_language_has_the_same_catalogue_files_and_no_key_twice():
    # a part's file name, or "" for the frame (<lang>.toml): en/encode.toml must not read as "code.toml"
    names = {lang: [p.name if p.parent.name == lang else "" for p in i18n.catalogue_files(lang)]
             for lang in i18n.LANGUAGES}
    assert len({tuple(v) for v in names.values()}) == 1, names
    for lang in i18n.LANGUAGES:
        i18n.catalogue.cache_clear()
        assert i18n.catalogue(lang)   # raises ValueError on a key defined in two files
