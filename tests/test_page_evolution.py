"""The Evolve pages driven through AppTest: a change both ways, a broken v2, the matrix, registry modes."""
import json
import re
from urllib.parse import unquote

import evolution
import formats
from tests.pages import html_bodies, page, tables, texts
from ui.share import pack, unpack


def lab():
    at = page("app_pages/evolution_lab.py").run()
    assert not at.exception
    return at


def test_pick_a_change_and_see_both_directions():
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    at.selectbox(key="ev.change").set_value("narrow-int").run()
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == [
        "Backward: new code (v2) reads old data (v1)", "Forward: old code (v1) reads new data (v2)"]
    shown = texts(at)
    # the real libraries: 2^40 written as int64, read by the int32 reader as 0
    assert any("`favoriteNumber` written as `1099511627776`, read as `0`" in t for t in shown), shown
    assert any("decode: lossy" in b for b in html_bodies(at))


def test_a_change_that_breaks_old_readers_shows_the_failure():
    at = lab()
    at.selectbox(key="ev.format").set_value("avro").run()
    at.selectbox(key="ev.change").set_value("add-required-field").run()
    assert not at.exception
    assert any(t.startswith("**The reader fails:**") for t in texts(at))
    assert any("decode: incompatible" in b for b in html_bodies(at))


def test_an_invalid_v2_schema_is_reported_inline_and_nothing_typed_is_lost():
    at = lab()
    broken = at.text_area(key="ev.v2").value.replace('"name": "Person",', '"name": "Person"')
    at.text_area(key="ev.v2").set_value(broken).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("v2 schema: line 4, column 3:") for e in errors), errors
    assert at.text_area(key="ev.v2").value == broken
    assert not at.subheader or "Backward" not in at.subheader[0].value


def test_schemaless_reader_policy_switch():
    at = lab()
    at.selectbox(key="ev.format").set_value("json").run()
    at.radio(key="ev.policy").set_value("strict").run()
    assert not at.exception
    assert any("decode: incompatible" in b for b in html_bodies(at))   # strict old code rejects `email`
    at.radio(key="ev.policy").set_value("ignore").run()
    assert not any("decode: incompatible" in b for b in html_bodies(at))


def test_read_modify_write_keeps_or_drops_the_unknown_field():
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    assert any("**kept" in t for t in texts(at))
    at.selectbox(key="ev.format").set_value("thrift-compact").run()
    assert any("**lost" in t for t in texts(at))


def test_edited_versions_drive_the_whole_page():
    """Issue 8 item 7: once the versions are the student's own, the catalogue's explanation goes and figure
    4-7 reads the edited schemas and record, the same bytes the forward panel shows."""
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    assert any("Add an optional field with a default." in i for i in texts(at))
    v2 = at.text_area(key="ev.v2").value.replace("optional string email = 7;",
                                                 "optional string email = 7;\n  optional string phone = 8;")
    at.text_area(key="ev.v2").set_value(v2).run()
    record = json.loads(at.text_area(key="ev.rec2").value) | {"phone": "+44 20 7946 0000"}
    at.text_area(key="ev.rec2").set_value(json.dumps(record)).run()
    assert not at.exception
    shown = texts(at)
    assert any(t.startswith("**Your own v1 and v2**") for t in shown)
    assert not any("Add an optional field with a default." in t for t in shown)
    size = len(formats.encode("protobuf", record, v2).data)
    assert f"**The writer's {size} bytes** (outlined: bytes the reader skipped)" in shown   # the forward panel
    assert any(t.startswith(f"**Before: v2 wrote {size} bytes**") for t in shown)
    assert any("**kept** `email`, `phone`" in t for t in shown)
    next(b for b in at.button if b.label == "Reset both versions").click().run()   # reset: the catalogue's versions and words again
    assert any("Add an optional field with a default." in i for i in texts(at))


def test_protobuf_shows_bufs_verdict_beside_the_rule_table():
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    at.selectbox(key="ev.change").set_value("narrow-int").run()
    assert any("buf: not breaking on the wire" in b for b in html_bodies(at))
    # the table calls int64 -> int32 lossy, buf accepts it: the page says why
    assert any(t.startswith("**Where buf and the rule table differ.** The rule table reports varint-narrowed")
               for t in texts(at))
    at.selectbox(key="ev.change").set_value("change-tag").run()
    assert any("buf: breaking on the wire" in b for b in html_bodies(at))
    assert any("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED" in t for t in texts(at))


def test_without_buf_the_page_says_so_and_keeps_the_rule_table(monkeypatch):
    from collections import OrderedDict

    from evolution import buf
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("sysconfig.get_path", lambda name: "/nonexistent")
    monkeypatch.setattr(buf, "_cache", OrderedDict())   # not the reports of the tests before
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    assert any("the buf binary is not installed here" in w.value.lower() for w in at.warning)
    assert any("static check: compatible" in b for b in html_bodies(at))


def test_avro_shows_the_reference_checker_beside_the_lab():
    at = lab()
    at.selectbox(key="ev.change").set_value("string-to-bytes").run()
    bodies = html_bodies(at)
    # v1's string reads v2's bytes: the spec promotes them (the checker agrees), fastavro refuses non-UTF-8
    assert any("static check: incompatible" in b and "apache avro checker: compatible" in b for b in bodies)


def test_a_link_opens_the_named_demo():
    at = page("app_pages/evolution_lab.py")
    at.query_params["s"] = pack({"ev.change": "change-tag", "ev.format": "thrift-binary"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="ev.format").value == "thrift-binary"
    assert at.selectbox(key="ev.change").value == "change-tag"
    assert at.text_area(key="ev.v1").value == evolution.change("change-tag").schemas("thrift")[0]


def test_a_link_keeps_freely_edited_versions():
    at = lab()
    at.selectbox(key="ev.format").set_value("protobuf").run()
    v2 = at.text_area(key="ev.v2").value.replace("}", "  optional string city = 9;\n}", 1)
    at.text_area(key="ev.v2").set_value(v2).run()
    at.text_area(key="ev.rec2").set_value('{"userName": "Martin", "city": "Cambridge"}').run()
    assert not at.exception
    linked = page("app_pages/evolution_lab.py")
    linked.query_params["s"] = at.query_params["s"]
    linked.run()
    assert not linked.exception
    for key in ("ev.format", "ev.change", "ev.v1", "ev.v2", "ev.rec1", "ev.rec2"):
        assert linked.session_state[key] == at.session_state[key], key
    # what the catalogue already says stays out of the link
    assert set(unpack(at.query_params["s"])) == {"ev.format", "ev.v2", "ev.rec2"}


def test_matrix_page_links_every_cell_to_its_demo():
    at = page("app_pages/matrix.py").run()
    assert not at.exception
    table = next(b for b in html_bodies(at) if "el-matrix" in b and "<table" in b)
    links = [unpack(unquote(s)) for s in re.findall(r"<a href='evolution_lab\?s=([^']+)'", table)]
    assert len(links) == len(evolution.CHANGES) * len(evolution.MATRIX_FORMATS) * 2
    assert {"ev.change": "narrow-int", "ev.format": "protobuf"} in links
    at.radio(key="mx.policy").set_value("strict").run()
    table = next(b for b in html_bodies(at) if "el-matrix" in b and "<table" in b)
    links = [unpack(unquote(s)) for s in re.findall(r"<a href='evolution_lab\?s=([^']+)'", table)]
    assert {"ev.change": "narrow-int", "ev.format": "json", "ev.policy": "strict"} in links
    assert unpack(at.query_params["s"]) == {"mx.policy": "strict"}


def test_registry_modes_on_a_three_version_history():
    at = page("app_pages/registry.py").run()
    assert not at.exception
    rows = {r["mode"]: r for r in tables(at)[0]}
    expected = {mode: [c.accepted for c in reg.candidates] for mode, reg in evolution.register_all_modes(
        "avsc", evolution.registry.EXAMPLE_HISTORIES["avsc"]).items()}
    for mode, accepted in expected.items():
        assert [rows[mode][f"v{i}"] == "✓" for i in (1, 2, 3)] == accepted
    # the transitive modes notice what the one-step modes miss (the example's story)
    assert rows["BACKWARD"]["v3"] == "✓" and rows["BACKWARD_TRANSITIVE"]["v3"] == "✗"
    at.selectbox(key="rg.mode").set_value("FULL_TRANSITIVE").run()
    assert any("v3" in t and "rejected" in t for t in texts(at))
    next(b for b in at.button if b.label == "Add a version").click().run()   # add a version (a copy of v3: compatible with itself)
    assert not at.exception and len(tables(at)[0][0]) == 7


def test_the_registry_warns_of_a_deleted_tag_left_unreserved():
    """protobuf "Updating A Message Type": reserve the number of a deleted field (buf:
    FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED); the example's v3 deletes tag 1."""
    at = page("app_pages/registry.py").run()
    at.selectbox(key="rg.language").set_value("proto").run()
    assert not at.exception
    warned = [c.value for c in at.caption if c.value.startswith("Reads fine today, but")]
    assert warned and all("reserved" in w for w in warned) and len(set(warned)) == len(warned)
