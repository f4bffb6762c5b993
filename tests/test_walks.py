"""What every walk promises beyond tiling: a walk stopped early is a prefix of the whole walk, and a
walk that fails keeps the labels of the bytes it read (issue 11, items 4 and 5).

Spans are never changed once emitted: the label and path of every span are known when the walk
writes it, so `annotate(..., until=k)` (the explorer's page-at-a-time labelling) gives exactly
the first spans of the full walk, whatever k is. A failing walk's error carries those spans too
(`FormatError.walked`), as protoscope prints what it read before an error.
"""
import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formats
import sample_data
from tests.pages import html_bodies, page, texts
from tests.strategies import records
from tests.support import book_record, check_walk, format_error

PERSON = sample_data.load("person").schemas


@pytest.mark.parametrize("view", formats.VIEWS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(), data=st.data())
def test_a_walk_stopped_anywhere_is_a_prefix_of_the_whole_walk(view, record, data):
    full = formats.encode(view, record)
    written = data.draw(st.booleans(), label="written")   # the explorer's bytes, or the same bytes pasted
    for until in data.draw(st.lists(st.integers(0, full.size), min_size=1, max_size=4), label="until"):
        part = formats.annotate(view, full.data, full.schema_text, until=until, written=written)
        assert part.spans == full.spans[:len(part.spans)]   # same bytes, labels, paths and values
        assert part.labelled >= min(until, full.size)
        if part.complete:
            assert part.spans == full.spans


def test_a_stop_inside_a_map_key_keeps_its_path():
    """The span that crosses the stop point used to keep the path of the map around it (the key's
    spans were relabelled after the walk had moved on): now every key span names its entry."""
    record = {"loginCounts": {f"2026-11-{d:02d}": d for d in range(1, 29)}}
    maps = {"avro": '{"type": "record", "name": "R", "fields": [{"name": "loginCounts", "type": '
                    '{"type": "map", "values": "long"}}]}',
            "thrift-compact": "struct R {\n  1: optional map<string, i64> loginCounts\n}",
            "thrift-binary": "struct R {\n  1: optional map<string, i64> loginCounts\n}",
            "protobuf": 'syntax = "proto3"; message R { map<string, int64> loginCounts = 1; }'}
    for view in ("msgpack", "cbor", "bson", *maps):
        full = formats.encode(view, record, maps.get(view))
        for until in range(1, full.size):
            part = formats.annotate(view, full.data, full.schema_text, until=until)
            assert part.spans == full.spans[:len(part.spans)], (view, until)


def _book(view: str):
    language = formats.get(view).schema_language
    return formats.encode(view, book_record(), PERSON[language] if language else None)


def _at(kind: str, path: str):
    return lambda enc: next(s.start for s in enc.spans if s.kind == kind and s.path == path)


# view -> (where to break the book's bytes, the byte that breaks them, what the error says)
BROKEN = {
    "json": (_at("value", "favoriteNumber"), b"@", "is not a JSON value"),
    "xml": (lambda enc: enc.data.index(b"</userName>") + 2, b"x", "does not close <userName>"),
    "csv": (lambda enc: enc.data.index(b"\r\n") + 2, b'"', "never closed"),
    "bson": (_at("type", "favoriteNumber"), b"\x20", "0x20 is not a BSON type byte"),
    "msgpack": (_at("type", "favoriteNumber"), b"\xc1", "0xc1 is not a MessagePack type byte"),
    "cbor": (_at("type", "favoriteNumber"), b"\x1c", "additional information 28 is reserved"),
    "thrift-binary": (_at("type", "favoriteNumber"), b"\x20", "0x20 is not a Thrift type"),
    "thrift-compact": (_at("tag", "favoriteNumber"), b"\x1d", "13 is not a Thrift compact type"),
    "protobuf": (_at("tag", "favoriteNumber"), b"\x17", "wire type 7 does not exist"),
    "avro": (_at("type", "favoriteNumber"), b"\x08", "union branch 4 does not exist"),
    "avro-container": (lambda enc: len(enc.data) - 16, b"?", "should be the sync marker"),
    "avro-single-object": (_at("type", "favoriteNumber"), b"\x08", "union branch 4 does not exist"),
    "avro-confluent": (_at("type", "favoriteNumber"), b"\x08", "union branch 4 does not exist"),
    "avro-versioned": (_at("type", "favoriteNumber"), b"\x08", "union branch 4 does not exist"),
    "pickle": (_at("type", "favoriteNumber"), b"\xff", "0xff is not a pickle opcode"),
    "wbxml": (_at("type", "favoriteNumber"), b"\x45", "tag token 0x05 comes from a document type's code page"),
    "ubjson": (lambda enc: next(s.start for s in enc.spans if s.path == "favoriteNumber" and s.label.startswith("marker")),
               b"\x01", "0x01 is not a UBJSON type marker"),
}


def _broken(view: str):
    full = _book(view)
    where, byte, needle = BROKEN[view]
    at = where(full)
    return full, full.data[:at] + byte + full.data[at + 1:], at, needle


def test_every_view_has_a_broken_case():
    assert set(BROKEN) == set(formats.VIEWS)


@pytest.mark.parametrize("view", formats.VIEWS)
def test_a_failing_walk_keeps_its_labelled_prefix(view):
    full, data, at, needle = _broken(view)
    with pytest.raises(formats.FormatError, match=needle) as caught:
        formats.annotate(view, data, full.schema_text)
    error = caught.value
    assert error.offset is not None and error.offset <= at + 1
    walked = error.walked
    assert walked is not None and not walked.complete and walked.data == data
    # the bytes before the broken one are labelled exactly as in the unbroken bytes
    assert walked.spans and walked.spans == [s for s in full.spans if s.end <= walked.labelled]
    assert walked.labelled <= error.offset + 1 and walked.labelled >= min(at, error.offset) - 16
    check_walk(formats.Encoded(view, data[:walked.labelled], walked.spans))


@pytest.mark.parametrize("view", formats.VIEWS)
def test_the_decode_page_shows_the_labelled_prefix_and_marks_the_failing_byte(view):
    full, data, at, needle = _broken(view)
    at_page = page("app_pages/decode.py")
    at_page.run()
    at_page.selectbox(key="dec.format").set_value(view).run()
    if formats.get(view).schema_language:
        at_page.text_area(key="dec.schema").set_value(full.schema_text or "").run()
    at_page.text_area(key="dec.data").set_value(data.hex(" ")).run()
    assert not at_page.exception
    assert any(needle in e.value for e in at_page.error), [e.value for e in at_page.error]
    assert any("The walk labelled bytes 0–" in t for t in texts(at_page))
    hex_view = next(b for b in html_bodies(at_page) if "class='sp fail" in b or "raw fail" in b)
    walked = format_error(formats.annotate, view, data, full.schema_text).walked
    assert html.escape(walked.spans[-1].label, quote=True) in hex_view   # the last labelled byte's tooltip
    assert "the walk failed here" in hex_view


@pytest.mark.parametrize("view", formats.FORMATS)
def test_pages_of_a_large_record_are_prefixes_of_the_whole_walk(view):
    """The explorer labels a large encoding a page at a time (ui.explorer.WALK_ALL_BYTES): XML scans
    only up to the page and takes its shapes from expat's tree, CSV reads only the header names before
    it, pickle's machine runs only the opcodes up to the page of bytes pickle.dumps wrote (each value
    goes where it was foreseen when pushed) and the whole program of the same bytes pasted (a crafted
    one may place a value far later). 1,060 rows: a pickle list of more than one 1000-item batch, a CSV
    header of ~6,500 columns."""
    record = sample_data.big_record(120_000)
    full = formats.encode(view, record)
    for until in (1, 1024, full.size // 2, full.size - 1):
        for written in (True, False):
            part = formats.annotate(view, full.data, full.schema_text, until=until, written=written)
            assert part.spans == full.spans[:len(part.spans)], (until, written)
            assert part.labelled >= until
