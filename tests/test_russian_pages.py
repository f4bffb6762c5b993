"""Issue 14 ("Must show"): every page the app registers, opened in Russian as a student opens it (its default
view, the whole app's frame around it: sidebar, navigation, lecture toggle, course footer), shows no English
sentence outside code, format names, byte values and the records' field names and values.

The page list is read from app.py's SECTIONS, so a page added there is checked here without anyone listing it.
The per-part tests (tests/test_russian_encode.py, _evolve.py, _flow.py, _errors.py) go through many more views
of each page; this one checks that nothing is missed, page by page, with no skips beyond the records' words
and the glossary's English column (English by design)."""
import ast

import pytest

import i18n
from tests.pages import ROOT, page
from tests.russian import english_on
from tests.test_russian_encode import FIELD_NAMES as ENCODE_WORDS
from tests.test_russian_evolve import RECORD_WORDS as EVOLVE_WORDS
from ui import language


def registered_pages() -> list[str]:
    """The page files app.py registers (its SECTIONS literal), in the sidebar's order."""
    tree = ast.parse((ROOT / "app.py").read_text())
    sections = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "SECTIONS" for t in node.targets))
    return [name for entries in ast.literal_eval(sections).values() for name, _icon in entries]


# what the byte views and tables show as data: the records' field names and values (the Evolve and Encode
# tests' sets: the change catalogue's records, the generated page's rows, the book's Person, the pickle
# page's payload) and JSON's literals, as a table shows values
RECORD_WORDS = {*EVOLVE_WORDS, *ENCODE_WORDS, "echo this ran on your server", "null", "true", "false"}


# names that stay as they are in Russian text: each language's own name on the language switch, and the keys
# the lecture's Previous / Next answer (as printed on the keys)
AS_IS = {*language.NAMES.values(), "Page Up", "Page Down", "PageUp", "PageDown", "Shift"}


def _glossary_english() -> set[str]:
    """The glossary's English column: the terms as the book writes them, shown beside the Russian on purpose."""
    prefix = "glossary.term."
    return {v for k, v in i18n.catalogue("en").items() if k.startswith(prefix) and k.endswith(".name")}


def test_the_list_is_app_py_s():
    pages = registered_pages()
    assert {"start", "explorer", "evolution_lab", "flow_upgrade", "glossary", "about"} <= set(pages)
    assert all((ROOT / "app_pages" / f"{name}.py").exists() for name in pages)


@pytest.mark.parametrize("name", registered_pages())
def test_every_registered_page_in_russian_shows_no_english(name):
    at = page("app.py")
    at.query_params["lang"] = "ru"
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    skip = RECORD_WORDS | AS_IS | (_glossary_english() if name == "glossary" else set())
    assert english_on(at, skip=skip) == []
    assert not [key for lang, key in i18n.MISSING if lang == "ru"]
