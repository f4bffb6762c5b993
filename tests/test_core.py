"""The core contract: registry, record parsing, paths, and the JSON and MessagePack walks."""
import pytest
from hypothesis import given, settings

import formats
from formats import paths
from tests.strategies import records
from tests.support import book_record, check_walk, format_error


def test_formats_are_in_order():
    assert formats.FORMATS == ("json", "xml", "wbxml", "csv", "bson", "msgpack", "cbor", "ubjson", "thrift-binary",
                               "thrift-compact", "protobuf", "avro", "pickle")


def test_unknown_format_is_a_format_error():
    with pytest.raises(formats.FormatError, match="unknown format"):
        formats.get("yaml")


@pytest.mark.parametrize("format_id,size", [("json", 81), ("msgpack", 66)])
def test_book_sizes_schemaless(format_id, size):
    enc = formats.encode(format_id, book_record())
    assert enc.size == size
    assert check_walk(enc, book_record()) == 4


def test_book_msgpack_hex_matches_figure_4_1():
    enc = formats.encode("msgpack", book_record())
    assert enc.data.hex() == ("83a8757365724e616d65a64d617274696eae6661766f726974654e756d626572cd0539"
                              "a9696e7465726573747392ab646179647265616d696e67a76861636b696e67")
    assert [s.label for s in enc.spans[:3]] == ["fixmap, 3 entries", "fixstr, length 8",
                                                 'field name "userName"']


def test_json_default_separators_would_cost_six_bytes_more():
    import json
    assert len(json.dumps(book_record()).encode()) == 87
    assert formats.encode("json", book_record()).size == 81


def test_paths_round_trip():
    record = {"a": {"b": [1, {"c": 2}]}, "we ird": 3, "user_name": "x"}
    assert paths.value_at(record, "a.b[1].c") == 2
    assert paths.value_at(record, paths.key("", "we ird")) == 3
    assert paths.value_at(record, "userName") == "x"        # protobuf's JSON name for user_name
    assert paths.within("interests[1]", "interests") and not paths.within("interestsX", "interests")


@settings(max_examples=60, deadline=None)
@given(records())
def test_schemaless_walks_agree_with_the_library(record):
    for format_id in ("json", "msgpack"):
        enc = formats.encode(format_id, record)
        check_walk(enc, record)
        assert formats.decode(format_id, enc.data).record == record


def test_growth_counts_real_bytes_and_gzip_wins_on_repetition():
    import sample_data
    from formats import compare
    book = sample_data.load("person")
    rows = compare.growth(book_record(), book.schemas, ("json", "protobuf"), (1, 100))
    size = {(r["format"], r["records"]): r for r in rows}
    assert size[("json", 1)]["bytes"] == 81 and size[("protobuf", 1)]["bytes"] == 33
    assert size[("json", 1)]["gzip bytes"] > 81                       # one small record: gzip only adds
    assert size[("json", 100)]["gzip bytes"] < size[("json", 100)]["bytes"] / 4   # repeated names compress
    # the binary gain shrinks once both are compressed
    raw_gain = size[("json", 100)]["bytes"] / size[("protobuf", 100)]["bytes"]
    gz_gain = size[("json", 100)]["gzip bytes"] / size[("protobuf", 100)]["gzip bytes"]
    assert gz_gain < raw_gain


def test_json_numbers_count_their_digits_and_warn_above_2_to_the_53():
    """RFC 8259 section 6: JSON numbers have no size, but "numbers that are integers and are in the
    range [-(2**53)+1, (2**53)-1] are interoperable"; a JavaScript reader (JSON.parse) rounds larger
    ones to a double (issue 11, item 7: the sign is not a digit)."""
    enc = formats.encode("json", {"n": -669, "big": 2 ** 53 + 1, "x": 1.5e3})
    n, big, x = (next(s for s in enc.spans if s.path == p and s.kind == "value") for p in ("n", "big", "x"))
    assert "3 decimal digits, a minus sign;" in n.explanation and "2^53" not in n.explanation
    assert "reads it as 9007199254740992" in big.explanation
    assert "a decimal point" in x.explanation


@pytest.mark.parametrize("format_id,hex_text,value", [
    ("msgpack", "93010203", [1, 2, 3]), ("msgpack", "c3", True), ("cbor", "83010203", [1, 2, 3]),
    ("json", "5b312c20325d", [1, 2]), ("json", "22686922", "hi"),
])
def test_any_top_level_value_is_walked_and_decoded(format_id, hex_text, value):
    """A MessagePack or CBOR data item, or a JSON text (RFC 8259 section 2), may be any value, not only a
    map: the Decode page reads what the library reads (issue 11, item 2)."""
    data = bytes.fromhex(hex_text)
    assert formats.decode(format_id, data).record == value
    check_walk(formats.annotate(format_id, data))
    assert "extra data after the end" in format_error(formats.decode, "json", b'"hi":').message
