"""Avro IDL beside the .avsc in the Explorer and the Evolution lab, driven through the controls (AppTest)."""
import json

import sample_data
from tests.pages import html_bodies, page, shared_link, texts
from tests.test_page_explorer import card_sizes, explorer
from ui.share import pack, unpack


def avsc_fields(at, key="ex.schema.avsc") -> list[str]:
    return [f["name"] for f in json.loads(at.text_area(key=key).value)["fields"]]


def test_explorer_shows_the_books_person_in_idl_beside_the_avsc():
    at = explorer()
    assert [t.label for t in at.tabs][1:3] == [".avsc", ".avdl"]
    assert at.text_area(key="ex.schema.avdl").value == sample_data.load("person").schemas["avdl"]
    assert "union { null, long } favoriteNumber = null;" in at.text_area(key="ex.schema.avdl").value


def test_editing_the_idl_rewrites_the_avsc_and_the_bytes():
    at = explorer()
    idl = at.text_area(key="ex.schema.avdl")
    idl.set_value(idl.value.replace("array<string> interests;", "array<string> interests;\n  string? email = null;")).run()
    assert not at.exception
    assert avsc_fields(at) == ["userName", "favoriteNumber", "interests", "email"]
    # the record has no email: Avro writes the union's branch number for null, one byte more than the book's 32
    assert card_sizes(at)["Avro"] == 33
    assert not at.error


def type_error(at, key: str, old: str, new: str, message: str) -> None:
    """Replace `old` by `new` in an IDL editor: the error is shown (line and column), the text stays."""
    broken = at.text_area(key=key).value.replace(old, new)
    at.text_area(key=key).set_value(broken).run()
    assert not at.exception
    assert f"Avro IDL: {message}" in [e.value for e in at.error], [e.value for e in at.error]
    assert at.text_area(key=key).value == broken


def test_an_idl_error_shows_line_and_column_and_keeps_the_text():
    at = explorer()
    type_error(at, "ex.schema.avdl", "union { null, long } favoriteNumber = null;", "union { null, lon } favoriteNumber;",
               "line 7, column 17: unknown type lon (did you mean long?)")
    # the summary above the tabs names it too, for a student looking at another tab
    assert any("Avro IDL (.avdl): line 7, column 17" in w.value for w in at.warning)
    assert avsc_fields(at) == ["userName", "favoriteNumber", "interests"] and card_sizes(at)["Avro"] == 32
    # a protocol is IDL too, but the Explorer encodes one record
    at.text_area(key="ex.schema.avdl").set_value("protocol Chat {\n  record Person { string userName; }\n}").run()
    assert any(e.value.startswith("Avro IDL: line 1, column 1: a protocol declares an RPC service")
               for e in at.error)


def avsc_edit_reprints(at, avsc_key: str, idl_key: str, old: str, new: str, printed: str) -> None:
    avsc = at.text_area(key=avsc_key)
    avsc.set_value(avsc.value.replace(old, new)).run()
    assert not at.exception
    assert printed in at.text_area(key=idl_key).value


def test_editing_the_avsc_reprints_the_idl():
    at = explorer()
    avsc_edit_reprints(at, "ex.schema.avsc", "ex.schema.avdl", '["null", "long"]', '["null", "int"]',
                       "int? favoriteNumber = null;")
    # an .avsc that is not JSON leaves the IDL at the last schema, and says so
    at.text_area(key="ex.schema.avsc").set_value('{"type": "record",').run()
    assert "int? favoriteNumber = null;" in at.text_area(key="ex.schema.avdl").value
    assert any("last schema it had" in c for c in texts(at))


def test_derive_from_record_on_the_idl_tab_derives_the_avsc_and_the_idl_follows():
    at = explorer()
    at.text_area(key="ex.record").set_value('{"userName": "Martin", "age": 42}').run()
    at.button(key="ex.derive.avdl").click().run()
    assert not at.exception
    assert avsc_fields(at) == ["userName", "age"]
    assert "long age;" in at.text_area(key="ex.schema.avdl").value


def test_other_presets_get_their_idl_from_the_printer():
    at = explorer()
    at.selectbox(key="ex.preset").set_value("profile").run()
    next(b for b in at.button if b.label == "Load preset").click().run()
    assert not at.exception
    idl = at.text_area(key="ex.schema.avdl").value
    assert "schema Profile;" in idl and "enum Status {" in idl and "map<" in idl
    assert not at.error


def test_a_link_carries_the_avsc_and_the_idl_follows_it():
    at = explorer()
    avsc = at.text_area(key="ex.schema.avsc")
    avsc.set_value(avsc.value.replace('"userName"', '"user_name"')).run()
    link = shared_link(at)
    state = unpack(link.split("?s=", 1)[1].split("&", 1)[0])
    assert "ex.schema.avdl" not in state and "user_name" in state["ex.schema.avsc"]   # the IDL follows from the .avsc
    fresh = page("app_pages/explorer.py")
    fresh.query_params["s"] = pack(state)
    fresh.run()
    assert not fresh.exception
    assert "string user_name;" in fresh.text_area(key="ex.schema.avdl").value


def lab():
    at = page("app_pages/evolution_lab.py").run()
    assert not at.exception
    return at


def test_evolution_lab_edit_v2_in_idl_and_the_reader_follows():
    """Avro spec, Schema Resolution: a field in the reader's schema that the writer lacks must have a
    default, or reading fails. Dropping the new field's default in v2's IDL makes new code fail on old data."""
    at = lab()
    assert at.selectbox(key="ev.format").value == "avro"
    assert any("decode: compatible" in b for b in html_bodies(at))
    idl = at.text_area(key="ev.v2.avdl")
    assert "string? email = null;" in idl.value
    idl.set_value(idl.value.replace("string? email = null;", "string? email;")).run()
    assert not at.exception
    v2 = json.loads(at.text_area(key="ev.v2").value)
    assert "default" not in next(f for f in v2["fields"] if f["name"] == "email")
    assert any("decode: incompatible" in b for b in html_bodies(at))


def test_evolution_lab_idl_error_keeps_the_text_and_the_last_schema():
    at = lab()
    type_error(at, "ev.v1.avdl", "string userName;", "string userName",
               "line 4, column 18: expected ';' to end the field (or ',' and another name), found the word long")
    assert [s.value for s in at.subheader][:1] == ["Backward: new code (v2) reads old data (v1)"]


def test_evolution_lab_edit_v1_avsc_and_its_idl_follows():
    avsc_edit_reprints(lab(), "ev.v1", "ev.v1.avdl", '"name": "interests"', '"name": "hobbies"',
                       "array<string> hobbies;")
