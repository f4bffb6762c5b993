"""Issue 14: the Encode pages (the book's record, Explorer, Decode bytes, Language-specific formats) in
Russian show no English outside code, format names, byte values and record field names (tests/russian.py
is the detector; it knows no expected string)."""
import html

import pytest

import formats
import sample_data
from course import questions
from evolution import pickled
from formats import avro_idl, javascript
from formats.pasted import read_pasted
from i18n import Text
from tests.pages import open_questions, page
from tests.russian import english_on
from tests.test_russian_page_errors import idl_typed

BOOK = sample_data.load("person")
BOOK_PROTOBUF_HEX = "0a 06 4d 61 72 74 69 6e 10 b9 0a 1a 0b 64 61 79 64 72 65 61 6d 69 6e 67 1a 07 68 61 63 6b 69 6e 67"
PAYLOAD = pickled.payload()
# record field names and values as the pages show them (the issue: field names and byte values stay as they
# are): the book's record, the field a view adds, the payload's command, the JavaScript example's number paths
FIELD_NAMES = {*formats.parse_record(BOOK.record_text), "id_str", "Martin", "daydreaming", "hacking",
               "echo this ran on your s", *(row["path"] for row in javascript.readings(javascript.EXAMPLE))}


def _plain(texts) -> set[str]:
    """The plain strings among `texts`, and those a Text holds as its values ("byte 6: {message}"), as
    the page shows them (in a sentence, and escaped in a hex view's HTML)."""
    out = set()
    for x in texts:
        if isinstance(x, Text):
            out |= _plain(v for v in x._args if isinstance(v, str))
        elif x and " " in x:
            out |= {x, html.escape(x)}
    return out


def _raised(call, *args) -> set[str]:
    try:
        call(*args)
    except formats.FormatError as e:
        return _plain([e.message])
    return set()


def _valid(call, *args) -> bool:
    try:
        call(*args)
    except formats.FormatError:
        return False
    return True


def _core_words(name: str, state: dict) -> set[str]:
    """What formats/ says on this view while it is plain English: the FormatError messages of the view's
    input (a bad record, schema or bytes), and the pickle walk's labels of the opcodes that run code.
    formats/' engineer turns them into i18n.Texts; each leaves this set, and is checked, the moment it is one."""
    out = set()
    if name == "explorer":
        text = state.get("ex.record", BOOK.record_text)
        out |= _raised(formats.parse_record, text)
        if _valid(formats.parse_record, text):
            for fid in formats.FORMATS:
                language = formats.get(fid).schema_language
                schema = state.get(f"ex.schema.{language}", BOOK.schemas.get(language))
                out |= _raised(formats.encode, fid, formats.parse_record(text), schema)
        out |= _raised(avro_idl.record_schema, state.get("ex.schema.avdl", BOOK.schemas["avdl"]))
    if name == "decode" and state.get("dec.data"):
        view, schema = state.get("dec.format", "protobuf"), state.get("dec.schema") or None
        out |= _raised(read_pasted, state["dec.data"])
        if _valid(read_pasted, state["dec.data"]):
            data = read_pasted(state["dec.data"]).data
            out |= _raised(formats.annotate, view, data, schema) | _raised(formats.decode, view, data, schema)
    if name == "pickled" or state.get("dec.format") == "pickle":
        out |= _raised(formats.decode, "pickle", PAYLOAD)
        for data in (PAYLOAD, pickled.write(formats.parse_record(BOOK.record_text))):
            out |= _plain(s.label for s in formats.annotate("pickle", data).spans)
    return out


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
    ("explorer", {"ex.view": "book figure", "ex.chart": "С ростом данных"}),
    ("explorer", {"ex.record": '{"userName": "M", "interests": [], "favoriteColor": 42}'}),
    ("explorer", {"ex.record": '{"userName": "M",'}),
    ("explorer", {"ex.schema.proto": "message Person {\n  required strin x = 9;\n}", "ex.auto.proto": False}),
    ("explorer", idl_typed("protocol P { record Person { strin x; } }")),
    ("decode", {}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.schema": BOOK.schemas["proto"]}),
    ("decode", {"dec.data": "0a 06 4d 61"}),
    ("decode", {"dec.data": "0a 06 zz"}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.format": "avro"}),
    ("decode", {"dec.data": BOOK_PROTOBUF_HEX, "dec.format": "avro", "dec.schema": BOOK.schemas["avsc"]}),
    ("decode", {"dec.data": PAYLOAD.hex(" "), "dec.format": "pickle"}),
    ("pickled", {}),
    ("pickled", {"pk.reader": "v1"}),
    ("pickled", {"pk.reader": "v3"}),
]


@pytest.mark.parametrize("name, state", VIEWS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(VIEWS)])
def test_an_encode_page_in_russian_shows_no_english(name, state):
    at = _russian(name, state)
    assert not at.exception
    assert english_on(at, skip=FIELD_NAMES | _core_words(name, state)) == []


def test_the_pickle_questions_are_computed_from_the_real_bytes():
    book = formats.parse_record(BOOK.record_text)
    overhead, reader = questions.pickled(book)
    answer = overhead.solve()
    walked = formats.annotate("pickle", pickled.write(book))
    assert answer.value == walked.size - walked.bytes_by_kind()["value"] > 0
    more = questions.pickled({**book, "interests": [*book["interests"], "pickling"]})[0].solve()
    assert more.value > answer.value                        # another item: another opcode, length and memo entry
    assert reader.solve().value == "v1" and reader.solve().value in reader.choices
    assert "v2" in reader.solve().explain.render("ru") and "Person" in reader.solve().explain


def test_the_pickle_page_ends_with_its_course_footer_in_russian():
    at = _russian("pickled")
    assert [s.value for s in at.subheader][-2:] == ["Попробуйте", "Проверьте себя"]
    assert len(at.markdown) and any("**Ожидайте**" in m.value for m in at.markdown)
    assert [e.label for e in at.expander if e.key == "course.open.pickled"] == [
        "2 вопроса: предскажите каждый ответ, затем откройте его"]
    open_questions(at)
    at.number_input(key="course.q.pickled_overhead").set_value(1).run()
    at.button(key="course.q.pickled_overhead.reveal").click().run()
    assert not at.exception and any("Ответ:" in i.value for i in at.info)


def test_the_pages_css_holds_no_tag():
    """st.html sanitises its HTML (DOMPurify): a `<` inside the <style> (a comment naming <code>, say) drops
    the whole style sheet, and every hex view, legend and figure loses its colours and layout."""
    from ui.theme import CSS
    body = CSS.strip().removeprefix("<style>").removesuffix("</style>")
    assert "<" not in body
