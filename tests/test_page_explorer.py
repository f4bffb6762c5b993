"""The Encoding Explorer driven as a user would (AppTest)."""
import json
import re
from urllib.parse import parse_qs, urlsplit

import formats
import sample_data
from tests.pages import html_bodies, page, shared_link, texts
from tests.test_pages import BOOK_SIZES
from ui.share import unpack

BOOK_PROTOBUF_HEX = "0a 06 4d 61 72 74 69 6e 10 b9 0a 1a 0b 64 61 79 64 72 65 61 6d 69 6e 67 1a 07 68 61 63 6b 69 6e 67"


def card_sizes(at) -> dict[str, int]:
    """Format title -> bytes, read from the cards' headings ("**JSON** — 81 bytes")."""
    out = {}
    for text in texts(at):
        m = re.match(r"\*\*(.+?)\*\* — ([\d,]+) bytes", text)
        if m:
            out[m[1]] = int(m[2].replace(",", ""))
    return out


def explorer():
    at = page("app_pages/explorer.py")
    at.run()
    assert not at.exception
    return at


def test_default_preset_shows_the_book_sizes():
    sizes = card_sizes(explorer())
    for title, size in BOOK_SIZES.items():
        assert sizes[title] == size


def test_editing_the_record_changes_sizes_and_derived_schemas_follow():
    at = explorer()
    at.text_area(key="ex.record").set_value('{"userName": "Martin Kleppmann", "favoriteNumber": 1337, '
                                            '"interests": ["daydreaming", "hacking"]}').run()
    assert not at.exception
    sizes = card_sizes(at)
    assert sizes["JSON"] == 81 + 10 and sizes["Protocol Buffers"] == 33 + 10 and sizes["Avro"] == 32 + 10
    # a field the book's schemas do not declare: said inline, schemaless formats go on
    at.text_area(key="ex.record").set_value('{"userName": "M", "interests": [], "age": 42}').run()
    assert not at.exception
    assert any("age" in w.value for w in at.warning)
    assert "Protocol Buffers" not in card_sizes(at) and card_sizes(at)["JSON"] > 0
    at.button(key="ex.derive_all").click().run()
    assert not at.exception
    assert {"Protocol Buffers", "Avro", "Thrift CompactProtocol"} <= set(card_sizes(at))


def test_a_schema_error_shows_inline_while_other_formats_render():
    at = explorer()
    proto = at.text_area(key="ex.schema.proto")
    proto.set_value(proto.value.replace("message Person {", "message Person {\n  required strin x = 9;")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("line" in e and "column" in e for e in errors), errors
    assert not any("/tmp" in e or "Traceback" in e for e in errors)
    sizes = card_sizes(at)
    assert "Protocol Buffers" not in sizes
    assert sizes["Avro"] == 32 and sizes["Thrift CompactProtocol"] == 34 and sizes["JSON"] == 81
    # nothing typed is lost: the broken schema is still in the editor
    assert "strin x = 9" in at.text_area(key="ex.schema.proto").value


def test_a_bad_record_keeps_the_last_valid_bytes_and_the_text():
    at = explorer()
    at.text_area(key="ex.record").set_value('{"userName": "Martin",, }').run()
    assert not at.exception
    assert any("line 1, column 23" in e.value for e in at.error)
    assert card_sizes(at)["JSON"] == 81
    assert at.text_area(key="ex.record").value == '{"userName": "Martin",, }'


def test_highlighting_a_field_lights_it_in_every_binary_format():
    at = explorer()
    at.selectbox(key="ex.field").set_value("interests[1]").run()
    assert not at.exception
    bodies = html_bodies(at)
    highlighted = [b for b in bodies if re.search(r"class='sp [^']*\bhl\b", b)]
    # one hex/text view per format, each with the field's bytes outlined
    assert len(highlighted) >= len(formats.FORMATS)
    costs = next(t for t in texts(at) if t.startswith("**`interests[1]` costs:**"))
    for title in ("MessagePack 8 B", "Thrift CompactProtocol 8 B", "Protocol Buffers 9 B", "Avro 8 B"):
        assert title in costs
    lit = [" ".join(re.findall(r"class='sp [^']*\bhl\b[^']*'[^>]*>([^<]*)<", b)) for b in highlighted]
    assert any("hacking".encode().hex(" ") in b for b in lit)


def test_a_link_restores_the_same_view():
    """The link the page writes, opened in a new session, shows the same view: the record, the
    derived schemas, formats, field, view, large text, cards per row and the open editor tab."""
    record = '{"city": "Cambridge", "zip": 2139}'
    at = explorer()
    at.text_area(key="ex.record").set_value(record).run()
    at.button(key="ex.derive_all").click().run()
    at.multiselect(key="ex.formats").set_value(["json", "protobuf"]).run()
    at.selectbox(key="ex.field").set_value("zip").run()
    at.segmented_control(key="ex.view").set_value("detailed").run()
    at.toggle(key="ex.large").set_value(True).run()
    at.slider(key="ex.columns").set_value(3).run()
    at.session_state["ex.tab"] = ".proto"
    at.run()
    assert not at.exception
    shown = {k: at.session_state[k] for k in ("ex.record", "ex.formats", "ex.field", "ex.view", "ex.large",
                                              "ex.columns", "ex.tab", "ex.schema.proto", "ex.auto.proto")}
    linked = page("app_pages/explorer.py")
    linked.query_params["s"] = at.query_params["s"]
    linked.run()
    assert not linked.exception
    assert {k: linked.session_state[k] for k in shown} == shown
    assert set(card_sizes(linked)) == {"JSON", "Protocol Buffers"}
    assert any("**`zip` costs:**" in t for t in texts(linked))
    assert any("--el-font:1.15rem" in b for b in html_bodies(linked))


def test_the_share_box_draws_its_link_only_when_a_student_opens_it():
    """Closed, the sidebar's "Share this view" sends nothing (st.code would bring every page load the
    browser's syntax highlighter); opened, it offers the address bar's link, and stays open after an edit."""
    at = explorer()
    at.text_area(key="ex.record").set_value('{"city": "Cambridge"}').run()
    assert not at.sidebar.code
    link = shared_link(at)
    assert parse_qs(urlsplit(link).query)["s"] == [at.query_params["s"]]
    at.text_area(key="ex.record").set_value('{"city": "Paris"}').run()
    assert "Paris" in unpack(parse_qs(urlsplit(shared_link(at)).query)["s"][0])["ex.record"]


def test_the_link_of_an_unchanged_page_is_the_page_itself():
    at = explorer()
    assert "s" not in at.query_params


def test_a_broken_link_falls_back_to_the_book_and_says_so():
    at = page("app_pages/explorer.py")
    at.query_params["s"] = "not-a-link!!"
    at.run()
    assert not at.exception
    assert card_sizes(at)["Avro"] == 32
    assert any("could not be read" in w.value for w in at.warning)


def test_paste_the_books_protobuf_hex_and_decode_it():
    at = page("app_pages/decode.py")
    at.run()
    at.text_area(key="dec.data").set_value(BOOK_PROTOBUF_HEX).run()
    assert not at.exception
    assert any("field tag 1, wire type 2" in b for b in html_bodies(at))     # schemaless: tags and wire types
    at.text_area(key="dec.schema").set_value(sample_data.load("person").schemas["proto"]).run()
    assert not at.exception
    assert json.loads(at.json[0].value) == {"userName": "Martin", "favoriteNumber": 1337,
                                            "interests": ["daydreaming", "hacking"]}


def test_undecodable_bytes_are_reported_by_offset():
    at = page("app_pages/decode.py")
    at.run()
    at.text_area(key="dec.data").set_value("0a 06 4d 61").run()   # a 6-byte string cut after 2
    assert not at.exception
    assert any("byte" in e.value for e in at.error), [e.value for e in at.error]


def test_a_large_record_is_shown_one_page_at_a_time():
    at = explorer()
    at.text_area(key="ex.record").set_value(json.dumps(sample_data.big_record(150_000))).run()
    at.button(key="ex.derive_all").click().run()
    assert not at.exception
    hex_views = [b for b in html_bodies(at) if "<div class='el-hex" in b]
    assert hex_views and all(b.count("class='r'") <= 1024 // 16 for b in hex_views)   # one page each
    assert any("labelled page by page" in t for t in texts(at))
    at.number_input(key="ex.page.protobuf").set_value(3).run()
    assert not at.exception
    assert any(re.search(r"<span class='off'>0*800</span>", b) for b in html_bodies(at))   # page 3: byte 2048


def test_derive_all_for_2_to_the_63_holds_it_in_protobuf_and_names_it_elsewhere():
    """2^63 is past int64: the derived .proto declares uint64 and the record encodes; Avro and Thrift
    have no integer type for it (both signed 64-bit), so their editors say which value, and where."""
    at = explorer()
    at.text_area(key="ex.record").set_value('{"userName": "Martin", "favoriteNumber": 9223372036854775808}').run()
    at.button(key="ex.derive_all").click().run()
    assert not at.exception
    assert "optional uint64 favoriteNumber = 2;" in at.text_area(key="ex.schema.proto").value
    assert card_sizes(at)["Protocol Buffers"] == 2 + 6 + 1 + 10   # tag, length, "Martin"; tag, 10-byte varint
    errors = [e.value for e in at.error]
    for language in ("Avro", "Thrift"):
        assert any(f"favoriteNumber: 9223372036854775808 fits no {language} integer type" in e for e in errors), errors


def test_an_edit_writes_the_xml_once_for_the_xml_and_wbxml_cards(monkeypatch):
    """WBXML is the record's XML tokenised (formats.wbxml): its card starts from the XML card's cached
    bytes instead of writing the XML again, and shows what formats.write("wbxml") writes."""
    from formats.xml import XMLFormat
    calls = []
    write = XMLFormat.write
    monkeypatch.setattr(XMLFormat, "write", lambda self, record, schema_text=None: calls.append(1) or write(self, record, schema_text))
    at = explorer()
    record = {"userName": "written once", "favoriteNumber": 7, "interests": ["xml"]}
    calls.clear()
    at.text_area(key="ex.record").set_value(json.dumps(record)).run()
    assert not at.exception and len(calls) == 1
    assert card_sizes(at)["WBXML"] == len(formats.write("wbxml", record)[0])
