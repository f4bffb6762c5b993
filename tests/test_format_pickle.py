"""Python's pickle: the standard library writes, pickletools.genops disassembles, the walk labels every
byte; user bytes are never unpickled (the pickle documentation: "The pickle module is not secure. Only
unpickle data you trust"; "Restricting Globals")."""
import pickle
import subprocess
import sys
import types

import pytest
from hypothesis import given, settings

import formats
from evolution import pickled
from tests.pages import html_bodies, page, texts
from tests.strategies import records
from tests.support import book_record, check_walk, format_error


@settings(max_examples=60, deadline=None)
@given(record=records())
def test_the_walk_reads_what_pickle_loads_reads(record):
    data = formats.encode("pickle", record).data
    assert formats.decode("pickle", data).record == pickle.loads(data) == record   # bytes the test itself wrote


def test_the_book_record_opcode_by_opcode():
    enc = formats.encode("pickle", book_record())
    assert enc.data[:2] == b"\x80\x05" and enc.size == 96
    check_walk(enc, book_record())
    names = [s.label for s in enc.spans if s.kind == "name"]
    assert names == ['field name "userName"', 'field name "favoriteNumber"', 'field name "interests"']
    assert [s.label for s in enc.spans if s.kind == "terminator"] == ["STOP"]


def test_a_value_after_an_empty_dict_in_a_list_is_labelled_where_it_went():
    """[{}, "x"]: pickle.dumps writes EMPTY_DICT and then "x" at once (an empty dict has no MARK or
    SETITEM), so when "x" is pushed it may be that dict's first key; APPENDS puts it in the list. Its
    label follows where it went: the value at a[1], not a field name. (A 70-bit integer there, LONG1,
    crashed the walk, which previewed the number as a key's text.)"""
    for last in ("x", 2 ** 70, 0):
        record = {"a": [{}, last], "b": [[], -1]}   # -1: not the same object (pickle would memoize it)
        enc = formats.encode("pickle", record)
        check_walk(enc, record)
        labelled = [(s.kind, s.path) for s in enc.spans if s.kind in ("name", "value")]
        assert labelled == [("name", "a"), ("value", "a[1]"), ("name", "b"), ("value", "b[1]")], last
        part = formats.annotate("pickle", enc.data, until=enc.size - 8, written=True)   # the explorer's page
        assert part.spans == enc.spans[:len(part.spans)]
    at = page("app_pages/explorer.py").run()   # where a student typed it: the card, not a traceback
    at.text_area(key="ex.record").set_value('{"a": [{}, 1180591620717411303424]}').run()
    assert not at.exception
    assert any("el-fmt-pickle" in body and "1180591620717411303424" in body for body in html_bodies(at))


def test_a_long_run_of_empty_containers_is_labelled_page_by_page():
    """[[], [], ..., "x", "y"]: each empty list may be the single item of the one before it until the
    second item after them shows otherwise, and then every one of them is placed again, up to 997 in a row
    within one batch of 1000 (this raised RecursionError from 494 of them)."""
    for empty in ([], {}):
        record = {"a": [type(empty)() for _ in range(997)] + ["x", "y"], "b": 1}
        full = formats.encode("pickle", record)
        for until in (20, 3000, full.size - 40):
            part = formats.annotate("pickle", full.data, until=until, written=True)
            assert part.spans == full.spans[:len(part.spans)], (empty, until)


def test_pasted_bytes_stopped_early_are_labelled_as_the_whole_program_places_them():
    """A crafted program may push a value outside every open container and hand it to one later:
    EMPTY_LIST, then BININT1 n APPEND eleven times (pickle.dumps would write one MARK ... APPENDS).
    Each APPEND closes the list (a batch shorter than 1000), so the 2 is pushed at the top level and
    becomes item [1] only at its APPEND. Pasted bytes are walked as a whole program even for one page,
    so a page is the prefix of the whole walk; only the explorer's own pickle.dumps output (`written`)
    is labelled from the opcodes before its page (tests/test_walks.py checks that on written records)."""
    data = b"\x80\x04]" + b"".join(bytes([0x4B, n]) + b"a" for n in range(1, 12)) + b"."
    full = formats.annotate("pickle", data)
    assert [s.path for s in full.spans if s.kind == "value"][:2] == ["[0]", "[1]"]
    for until in range(1, len(data)):
        part = formats.annotate("pickle", data, until=until)
        assert part.spans == full.spans[:len(part.spans)], until


def test_a_protocol_0_payload_is_disassembled_as_the_classic_exploit():
    classic = b"cos\nsystem\n(S'echo hi'\ntR."   # the textbook protocol 0 payload
    enc = formats.annotate("pickle", classic)
    check_walk(enc)
    assert [s.label for s in enc.spans if s.kind == "name"] == ["class path os.system"]
    assert any(s.label == "REDUCE calls os.system with ('echo hi',)" for s in enc.spans)
    assert "byte 0: GLOBAL imports os.system" in format_error(formats.decode, "pickle", classic).message


def test_a_reduce_payload_never_runs_through_any_path(tmp_path):
    marker = tmp_path / "ran"
    payload = pickled.payload(f"touch {marker}")
    # the payload is live: loaded in a separate process, it runs the command
    subprocess.run([sys.executable, "-c", "import pickle, sys; pickle.loads(sys.stdin.buffer.read())"],
                   input=payload, check=True)
    assert marker.exists()
    marker.unlink()
    walked = formats.annotate("pickle", payload)
    assert any("STACK_GLOBAL imports posix.system" in s.label for s in walked.spans)
    assert any(s.label.startswith("REDUCE calls posix.system") for s in walked.spans)
    error = format_error(formats.decode, "pickle", payload)
    assert error.offset == next(s.start for s in walked.spans if "STACK_GLOBAL" in s.label)
    at = page("app_pages/decode.py").run()
    at.selectbox(key="dec.format").set_value("pickle").run()
    at.text_area(key="dec.data").set_value(payload.hex(" ")).run()
    assert not at.exception
    assert any("never unpickles bytes it did not write" in t for t in texts(at))
    lab = page("app_pages/pickled.py").run()
    assert not lab.exception and any("STACK_GLOBAL imports posix.system" in w.value for w in lab.warning)
    assert not marker.exists()


def test_bad_pickle_bytes_name_the_byte_on_the_decode_page():
    data = formats.encode("pickle", book_record()).data[:20]
    assert "byte 14: SHORT_BINUNICODE cannot be read here" in format_error(formats.annotate, "pickle", data).message
    at = page("app_pages/decode.py").run()
    at.selectbox(key="dec.format").set_value("pickle").run()
    at.text_area(key="dec.data").set_value(data.hex(" ")).run()
    assert not at.exception and any("byte 14" in e.value for e in at.error)
    assert "0xff is not a pickle opcode" in format_error(formats.annotate, "pickle", b"\xff").message
    assert "contains itself" in format_error(formats.decode, "pickle", b"]\x94h\x00a.").message
    # an empty dict, then a number or bytes where its first key would go, then the end: the walk names
    # them as the key it foresaw, in words (it used to raise a TypeError previewing them as text)
    for data, key in ((b"\x80\x04}\x8a\x01\x05", "field name 5"), (b"\x80\x04}C\x01x", "field name b'x'")):
        error = format_error(formats.annotate, "pickle", data)
        assert "byte 6: the data ends before the STOP opcode" in error.message
        assert error.walked.spans[-1].label == key


def test_the_class_path_is_in_the_bytes_and_a_rename_breaks_the_read():
    data = pickled.write(book_record())
    labels = [s.label for s in formats.annotate("pickle", data).spans if s.kind == "name"]
    assert labels[:2] == ['module "evolution.pickled"', 'name "Person"']
    assert pickled.read(data, "v1").ok
    renamed = pickled.read(data, "v2")
    assert not renamed.ok and "Can't get attribute 'Person'" in renamed.text
    grown = pickled.read(data, "v3")
    assert not grown.ok and "no attribute 'email'" in grown.text and "never calls __init__" in grown.text


def test_real_pickle_fails_the_same_way_when_a_class_is_renamed():
    """What the restricted reader says is what pickle.loads does once the old name is gone."""
    module = types.ModuleType("lab_people")
    exec("class Person:\n    pass", module.__dict__)
    sys.modules["lab_people"] = module
    try:
        data = pickle.dumps(module.Person(), protocol=5)
        module.User = module.Person
        del module.Person
        with pytest.raises(AttributeError, match="Can't get attribute 'Person'"):
            pickle.loads(data)
    finally:
        del sys.modules["lab_people"]


def test_the_page_through_its_controls():
    at = page("app_pages/pickled.py").run()
    assert not at.exception
    assert any("Can't get attribute 'Person'" in e.value for e in at.error)   # v2 by default
    at.segmented_control(key="pk.reader").set_value("v1").run()
    assert at.success[0].value.startswith("A Person object")


def test_reachable_from_the_app_and_the_about_map_and_its_payload_opens_on_the_decode_page():
    at = page("app.py").run()
    at.switch_page("app_pages/pickled.py").run()
    assert not at.exception and at.title[0].value == "Language-specific formats"
    at.button[0].click().run()   # "Walk these bytes on the Decode page"
    assert not at.exception and at.title[0].value == "Decode bytes"
    assert at.selectbox(key="dec.format").value == "pickle"
    assert any("never unpickles bytes it did not write" in t for t in texts(at))
    assert "Language-specific formats" in " ".join(page("app_pages/about.py").run().table[0].value["where"])
