"""Issue 14: the Encode pages (the book's record, Explorer, Decode bytes, Language-specific formats) in
Russian show no English outside code, format names, byte values and record field names (tests/russian.py
is the detector; it knows no expected string)."""
import pytest

import formats
import sample_data
from course import questions
from evolution import pickled
from tests.pages import page
from tests.russian import english_on

BOOK = sample_data.load("person")
BOOK_PROTOBUF_HEX = "0a 06 4d 61 72 74 69 6e 10 b9 0a 1a 0b 64 61 79 64 72 65 61 6d 69 6e 67 1a 07 68 61 63 6b 69 6e 67"
# the record's field names and values, as the pages show them (the issue: field names stay as they are)
FIELD_NAMES = {*formats.parse_record(BOOK.record_text), "id_str", "Martin", "daydreaming", "hacking"}


def _russian(name: str, state: dict | None = None):
    """The page in Russian with `state` (a view, typed text) set before its first run. (Widgets whose
    format_func speaks the session's language cannot be driven by AppTest's set_value in Russian: it calls
    format_func outside the script run, where the session's language is not known.)"""
    at = page(f"app_pages/{name}.py")
    at.query_params["lang"] = "ru"
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


VIEWS = [
    ("overview", {}),
    ("explorer", {}),
    ("explorer", {"ex.view": "detailed", "ex.field": "interests"}),
    ("explorer", {"ex.view": "book figure", "ex.chart": "Когда данных больше"}),
    ("explorer", {"ex.record": '{"userName": "M", "interests": [], "age": 42}'}),
    ("explorer", {"ex.record": '{"userName": "M",'}),
    ("explorer", {"ex.schema.proto": "message Person {\n  required strin x = 9;\n}", "ex.auto.proto": False}),
    ("explorer", {"ex.schema.avdl": "protocol P { record Person { strin x; } }", "ex.tab": ".avdl"}),
    ("decode", {}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.schema": BOOK.schemas["proto"]}),
    ("decode", {"dec.data": "0a 06 4d 61"}),
    ("decode", {"dec.data": "0a 06 zz"}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.format": "avro"}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.format": "avro", "dec.schema": BOOK.schemas["avsc"]}),
    ("decode", {"dec.data": pickled.payload().hex(" "), "dec.format": "pickle"}),
    ("pickled", {}),
    ("pickled", {"pk.reader": "v1"}),
    ("pickled", {"pk.reader": "v3"}),
]


@pytest.mark.parametrize("name, state", VIEWS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(VIEWS)])
def test_an_encode_page_in_russian_shows_no_english(name, state):
    at = _russian(name, state)
    assert not at.exception
    assert english_on(at, skip=FIELD_NAMES) == []
