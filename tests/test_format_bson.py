"""BSON: pymongo writes and reads, the walk labels every byte (book record 96 bytes)."""
import bson
import pytest
from bson import Binary, Code, Decimal128, MaxKey, MinKey, ObjectId, Regex, Timestamp
from bson.datetime_ms import DatetimeMS
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats.record import MAX_DEPTH
from tests.strategies import records
from tests.support import nested, book_record, check_walk, format_error

FMT = formats.get("bson")

BOOK_HEX = ("6000000002757365724e616d6500070000004d617274696e00106661766f726974654e756d626572003905000004696e"
            "7465726573747300270000000230000c000000646179647265616d696e6700023100080000006861636b696e67000000")


def test_book_record_is_96_bytes():
    enc = formats.encode("bson", book_record())
    assert enc.size == 96
    assert enc.data.hex() == BOOK_HEX
    assert check_walk(enc, book_record()) == 4
    assert [s.label for s in enc.spans[:7]] == [
        "document length 96 bytes", "0x02 string", 'field name "userName"', "end of field name",
        "string length 7 (6 bytes + 0x00)", '"Martin"', "end of string"]
    assert [(s.kind, s.label) for s in enc.spans if s.path == "favoriteNumber"] == [
        ("type", "0x10 int32"), ("name", 'field name "favoriteNumber"'), ("terminator", "end of field name"),
        ("value", "int32 1337")]
    # an array is a document keyed "0", "1": the keys are names at the item's path
    assert [(s.kind, s.label) for s in enc.spans if s.path == "interests[0]"][:2] == [
        ("type", "0x02 string"), ("name", 'array index "0"')]
    assert "int32 when it fits" in next(s for s in enc.spans if s.label == "int32 1337").explanation


@pytest.mark.parametrize("value,type_byte,size", [
    (2 ** 31 - 1, 0x10, 4), (-2 ** 31, 0x10, 4), (2 ** 31, 0x12, 8), (-2 ** 31 - 1, 0x12, 8),
    (2 ** 63 - 1, 0x12, 8), (-2 ** 63, 0x12, 8)])
def test_pymongo_picks_int32_when_the_value_fits(value, type_byte, size):
    enc = formats.encode("bson", {"n": value})
    assert enc.data[4] == type_byte
    value_span = next(s for s in enc.spans if s.kind == "value")
    assert (value_span.size, value_span.value) == (size, value)
    assert formats.decode("bson", enc.data).record == {"n": value}


def test_null_and_empty_string_have_no_value_bytes():
    enc = formats.encode("bson", {"n": None, "s": "", "l": [], "d": {}})
    check_walk(enc, {"n": None, "s": "", "l": [], "d": {}})
    assert not [s for s in enc.spans if s.kind == "value"]
    assert [s.label for s in enc.spans if s.path == "n"] == ["0x0a null", 'field name "n"', "end of field name"]
    assert formats.decode("bson", enc.data).record == {"n": None, "s": "", "l": [], "d": {}}


@pytest.mark.parametrize("preset", sample_data.names())
def test_presets_encode_walk_and_round_trip(preset):
    record = formats.parse_record(sample_data.load(preset).record_text)
    enc = formats.encode("bson", record)
    check_walk(enc, record)
    assert formats.decode("bson", enc.data).record == record


@settings(max_examples=80, deadline=None)
@given(records())
def test_walk_and_round_trip(record):
    enc = formats.encode("bson", record)
    check_walk(enc, record)
    assert formats.decode("bson", enc.data).record == FMT.comparable(record)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)   # NUL and controls too
_KEYS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)
_SCALARS = st.one_of(st.binary(max_size=12), st.integers(-2 ** 63, 2 ** 63 - 1), _TEXT, st.booleans(), st.none(),
                     st.floats(allow_nan=False))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=16)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=5))
def test_bytes_int64_floats_and_any_text_walk_and_round_trip(record):
    enc = formats.encode("bson", record)
    check_walk(enc, record)
    assert formats.decode("bson", enc.data).record == FMT.comparable(record)


def test_nesting_up_to_the_limit_and_no_further():
    record = nested(MAX_DEPTH)
    check_walk(formats.encode("bson", record), record)
    assert "nests more than 32 levels" in format_error(formats.encode, "bson", nested(MAX_DEPTH + 1)).message
    deep = bson.encode(nested(MAX_DEPTH + 1))
    assert "nesting deeper than 32 levels" in format_error(formats.annotate, "bson", deep).message
    assert "nesting deeper" in format_error(formats.decode, "bson", deep).message


def mongo_document() -> bytes:
    """What a student might paste from MongoDB: types a JSON record never produces."""
    data = bson.encode({
        "_id": ObjectId("65a1b2c3d4e5f60718293a4b"), "when": DatetimeMS(1704067200000),
        "re": Regex("^a.*", "im"), "ts": Timestamp(1700000000, 7), "price": Decimal128("1.50"),
        "uuid": Binary(bytes(range(16)), 4), "old": Binary(b"q", 2), "js": Code("x = 1"),
        "scoped": Code("x = y", {"y": 2}), "lo": MinKey(), "hi": MaxKey(),
        "ref": {"$ref": "people", "$id": 7}})
    # deprecated types pymongo no longer writes: DBPointer, symbol, undefined
    extra = (b"\x0cptr\x00\x05\x00\x00\x00coll\x00" + bytes(range(12)) + b"\x0esym\x00\x03\x00\x00\x00ab\x00"
             + b"\x06undef\x00")
    body = data[4:-1] + extra
    return (len(body) + 5).to_bytes(4, "little") + body + b"\x00"


def test_pasted_mongodb_types_are_labelled_and_read_as_plain_values():
    data = mongo_document()
    enc = formats.annotate("bson", data)
    decoded = formats.decode("bson", data)
    assert decoded.record == {
        "_id": "65a1b2c3d4e5f60718293a4b", "when": 1704067200000, "re": {"pattern": "^a.*", "options": "im"},
        "ts": {"t": 1700000000, "i": 7}, "price": "1.50", "uuid": bytes(range(16)), "old": b"q", "js": "x = 1",
        "scoped": {"code": "x = y", "scope": {"y": 2}}, "lo": {"$minKey": 1}, "hi": {"$maxKey": 1},
        "ref": {"$ref": "people", "$id": 7}, "ptr": {"$ref": "coll", "$id": bytes(range(12)).hex()},
        "sym": "ab", "undef": None}
    assert check_walk(enc, decoded.record) == 17   # every value span agrees with what pymongo read
    labels = {s.label for s in enc.spans}
    assert {"ObjectId 65a1b2c3d4e5f60718293a4b", "datetime 2024-01-01T00:00:00.000Z", "decimal128 1.50",
            "subtype 4 (UUID)", "inner length 1", "0xff min key", "0x7f max key", "0x0c DBPointer",
            "0x06 undefined", 'regex options "im"', "increment 7", "time 1700000000"} <= labels
    assert any("ObjectId" in note for note in decoded.notes)
    assert any("milliseconds since 1970" in note for note in decoded.notes)


def test_a_dbref_shaped_object_drops_a_null_db_as_comparable_says():
    record = {"r": {"$ref": "c", "$id": 1, "$db": None}, "s": {"$ref": "c", "$db": None}}
    back = formats.decode("bson", formats.encode("bson", record).data).record
    assert back == FMT.comparable(record) == {"r": {"$ref": "c", "$id": 1}, "s": {"$ref": "c", "$db": None}}


def corrupt(data: bytes, offset: int, value: bytes) -> bytes:
    return data[:offset] + value + data[offset + len(value):]


BOOK = bytes.fromhex(BOOK_HEX)


@pytest.mark.parametrize("call,args,needle", [
    (formats.encode, ("bson", {"n": 2 ** 63}), "n: 9223372036854775808 is outside BSON's 64-bit integer range"),
    (formats.encode, ("bson", {"n": [-2 ** 63 - 1]}), "n[0]: -9223372036854775809 is outside"),
    (formats.encode, ("bson", {"a": {"b\x00c": 1}}), "a: the field name 'b\\x00c' contains a NUL byte"),
    (formats.encode, ("bson", {"k\x00": 1}), "the record: the field name 'k\\x00' contains a NUL byte"),
    (formats.encode, ("bson", {"s": "\ud800"}), "s: the text holds a lone surrogate (U+D800)"),
    (formats.encode, ("bson", {"s": {1, 2}}), "s: a Python set is not a JSON value"),
    (formats.annotate, ("bson", b""), "byte 0: the data ends where the document length should start"),
    (formats.annotate, ("bson", BOOK[:50]), "byte 0: the document length says 96 bytes, but only 50 are there"),
    (formats.annotate, ("bson", corrupt(BOOK, 0, b"\x04")), "byte 0: the document length says 4 bytes; a document "
                                                             "needs at least 5"),
    (formats.annotate, ("bson", BOOK + b"\x00"), "byte 96: 1 bytes are left over"),
    (formats.annotate, ("bson", corrupt(BOOK, 4, b"\x20")), "byte 4: 0x20 is not a BSON type byte"),
    (formats.annotate, ("bson", corrupt(BOOK, 14, b"\x00\x00\x00\x00")), "byte 14: a string length of 0 does "
                                                                          "not fit"),
    (formats.annotate, ("bson", corrupt(BOOK, 14, b"\x70")), "byte 14: a string length of 112 does not fit"),
    (formats.annotate, ("bson", corrupt(BOOK, 24, b"x")), "byte 24: a string should end with a 0x00 byte"),
    (formats.annotate, ("bson", corrupt(BOOK, 18, b"\xff")), "byte 18: a string is not valid UTF-8"),
    (formats.annotate, ("bson", corrupt(BOOK, 95, b"\x01")), "byte 95: the document should end with a 0x00 byte"),
    (formats.annotate, ("bson", corrupt(BOOK, 56, b"\x30")), "byte 56: the array length says 48 bytes, but only 39"),
    (formats.annotate, ("bson", corrupt(bson.encode({"x": True}), 7, b"\x02")), "byte 7: a boolean must be 0x00 or "
                                                                             "0x01, not 0x02"),
    (formats.annotate, ("bson", bytes.fromhex("090000001061626300")), "byte 5: a field name is not ended by a 0x00 "
                                                                       "byte before byte 8"),
    (formats.annotate, ("bson", corrupt(bson.encode({"b": b"xy"}), 7, b"\xff\xff\xff\xff")),
     "byte 7: a binary length of -1 is negative"),
    (formats.decode, ("bson", corrupt(BOOK, 5, b"\xff")), "byte 5: a field name is not valid UTF-8"),
])
def test_bad_input_is_a_format_error_with_where(call, args, needle):
    assert needle in format_error(call, *args).message


def test_duplicate_field_names_are_refused_with_the_offset():
    data = bson.encode({"a": 1, "b": 2}).replace(b"b\x00", b"a\x00")
    assert format_error(formats.annotate, "bson", data).message == (
        "byte 11: the field name 'a' appears twice in one document")


def test_every_truncation_of_the_book_names_an_offset():
    for cut in range(len(BOOK)):
        message = format_error(formats.decode, "bson", BOOK[:cut]).message
        assert message.startswith("byte "), message


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(mongo_document()) - 1), st.binary(min_size=1, max_size=4))
def test_corrupted_bytes_give_a_format_error_or_agree_with_pymongo(offset, value):
    data = corrupt(mongo_document(), offset, value)
    try:
        enc = formats.annotate("bson", data)
    except formats.FormatError:
        return
    check_walk(enc)
    decoded = formats.decode("bson", data)   # what the walk accepts, the library reads
    check_walk(enc, decoded.record)
