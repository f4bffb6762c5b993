"""CBOR (RFC 8949): cbor2 writes and reads, the walk labels every byte (book record 66 bytes)."""
import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats.record import MAX_DEPTH
from tests.strategies import records
from tests.support import nested as support_nested, book_record, check_walk, format_error

BOOK_HEX = ("a368757365724e616d65664d617274696e6e6661766f726974654e756d62657219053969696e74657265737473826b6461"
            "79647265616d696e67676861636b696e67")
BOOK = bytes.fromhex(BOOK_HEX)


def test_book_record_is_66_bytes_like_messagepack():
    enc = formats.encode("cbor", book_record())
    assert enc.size == 66 == formats.encode("msgpack", book_record()).size
    assert enc.data == BOOK
    assert check_walk(enc, book_record()) == 4
    assert [(s.kind, s.label) for s in enc.spans[:5]] == [
        ("type", "map, 3 pairs"), ("type", "text string, length 8"), ("name", 'field name "userName"'),
        ("type", "text string, length 6"), ("value", '"Martin"')]
    number = [(s.kind, s.label, s.size) for s in enc.spans if s.path == "favoriteNumber"]
    assert number[-2:] == [("type", "unsigned int, 2-byte argument follows", 1), ("value", "unsigned int 1337", 2)]
    assert "major type 5 (map)" in enc.spans[0].explanation and "RFC 8949" in enc.spans[0].explanation


def item_spans(value):
    """The spans of the value of field "v" in {"v": value}, after the key."""
    enc = formats.encode("cbor", {"v": value})
    check_walk(enc, {"v": value})
    assert formats.decode("cbor", enc.data).record == {"v": value}
    return enc.data[3:].hex(), [(s.kind, s.label) for s in enc.spans[3:]]


@pytest.mark.parametrize("value,hex_,labels", [
    (0, "00", [("value", "unsigned int 0")]),
    (23, "17", [("value", "unsigned int 23")]),
    (24, "1818", [("type", "unsigned int, 1-byte argument follows"), ("value", "unsigned int 24")]),
    (255, "18ff", [("type", "unsigned int, 1-byte argument follows"), ("value", "unsigned int 255")]),
    (256, "190100", [("type", "unsigned int, 2-byte argument follows"), ("value", "unsigned int 256")]),
    (65536, "1a00010000", [("type", "unsigned int, 4-byte argument follows"), ("value", "unsigned int 65536")]),
    (2 ** 32, "1b0000000100000000", [("type", "unsigned int, 8-byte argument follows"),
                                     ("value", f"unsigned int {2 ** 32}")]),
    (2 ** 64 - 1, "1bffffffffffffffff", [("type", "unsigned int, 8-byte argument follows"),
                                         ("value", f"unsigned int {2 ** 64 - 1}")]),
    (-1, "20", [("value", "negative int -1")]),
    (-24, "37", [("value", "negative int -24")]),
    (-25, "3818", [("type", "negative int, 1-byte argument follows"), ("value", "negative int -25")]),
    (-1000, "3903e7", [("type", "negative int, 2-byte argument follows"), ("value", "negative int -1000")]),
    (-2 ** 64, "3bffffffffffffffff", [("type", "negative int, 8-byte argument follows"),
                                      ("value", f"negative int {-2 ** 64}")]),
    (2 ** 64, "c249010000000000000000", [("tag", "tag 2 (unsigned bignum)"), ("type", "byte string, length 9"),
                                         ("value", f"bignum {2 ** 64}")]),
    (-2 ** 64 - 1, "c349010000000000000000", [("tag", "tag 3 (negative bignum)"), ("type", "byte string, length 9"),
                                              ("value", f"bignum {-2 ** 64 - 1}")]),
    ("", "60", [("type", "text string, length 0")]),
    ("x" * 23, "77" + "78" * 23, [("type", "text string, length 23"), ("value", '"' + "x" * 23 + '"')]),
    ("x" * 25, "7819" + "78" * 25, [("type", "text string, 1-byte length follows"), ("length", "length 25"),
                                    ("value", '"' + "x" * 23 + '…"')]),
    (b"\x00\xff", "4200ff", [("type", "byte string, length 2"), ("value", "2 bytes")]),
    ([], "80", [("type", "array, 0 items")]),
    ({}, "a0", [("type", "map, 0 pairs")]),
    (False, "f4", [("value", "false")]),
    (True, "f5", [("value", "true")]),
    (None, "f6", [("value", "null")]),
    (1.5, "fb3ff8000000000000", [("type", "float 64 (double)"), ("value", "float 1.5")]),
    (float("inf"), "f97c00", [("type", "float 16 (half)"), ("value", "float inf")]),
])
def test_initial_byte_forms(value, hex_, labels):
    assert item_spans(value) == (hex_, labels)


@pytest.mark.parametrize("size,head", [(255, "98ff"), (256, "990100"), (70000, "9a00011170")])
def test_array_counts_beyond_23_take_an_argument(size, head):
    hex_, labels = item_spans(list(range(size)))
    assert hex_.startswith(head)
    assert labels[:2] == [("type", f"array, {len(head) // 2 - 1}-byte count follows"), ("count", f"count {size}")]


def test_long_text_lengths(size=65536):
    hex_, labels = item_spans("é" * (size // 2))
    assert hex_.startswith("7a00010000")
    assert labels[:2] == [("type", "text string, 4-byte length follows"), ("length", f"length {size}")]


@pytest.mark.parametrize("preset", sample_data.names())
def test_presets_encode_walk_and_round_trip(preset):
    record = formats.parse_record(sample_data.load(preset).record_text)
    enc = formats.encode("cbor", record)
    check_walk(enc, record)
    assert formats.decode("cbor", enc.data).record == record


@settings(max_examples=80, deadline=None)
@given(records())
def test_walk_and_round_trip(record):
    enc = formats.encode("cbor", record)
    check_walk(enc, record)
    assert formats.decode("cbor", enc.data).record == record


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_SCALARS = st.one_of(st.binary(max_size=12), st.integers(-2 ** 100, 2 ** 100), _TEXT, st.booleans(), st.none(),
                     st.floats(allow_nan=False))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=16)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, max_size=5))
def test_bytes_bignums_floats_and_any_text_walk_and_round_trip(record):
    enc = formats.encode("cbor", record)
    check_walk(enc, record)
    assert formats.decode("cbor", enc.data).record == record


def nested(levels: int) -> dict:
    return support_nested(levels - 1, leaf=[1])   # the list is a level too


def test_nesting_up_to_the_limit_and_no_further():
    record = nested(MAX_DEPTH)
    check_walk(formats.encode("cbor", record), record)
    assert "nests more than 32 levels" in format_error(formats.encode, "cbor", nested(MAX_DEPTH + 1)).message
    deep = cbor2.dumps(nested(MAX_DEPTH + 1))
    assert "nesting deeper than 32 levels" in format_error(formats.annotate, "cbor", deep).message
    # a long chain of tags is walked in a loop, not by recursion; cbor2 itself stops at 400 levels
    chain = bytes.fromhex("a16161") + bytes.fromhex("d864") * 100_000 + b"\x01"
    assert formats.annotate("cbor", chain).spans[-1].label == "unsigned int 1"
    assert "nesting depth" in format_error(formats.decode, "cbor", chain).message


# Pasted CBOR: forms cbor2 never writes for a JSON record
PASTED = bytes.fromhex(
    "bf"                                                  # map, indefinite length
    "6164" "c074323031332d30332d32315432303a30343a30305a"  # "d": tag 0 + date text
    "6169" "7f626162626364ff"                             # "i": text in two chunks
    "6168" "f93e00"                                       # "h": half float 1.5
    "6173" "fa3fc00000"                                   # "s": single float 1.5
    "6175" "f7"                                           # "u": undefined
    "6178" "f0"                                           # "x": simple value 16
    "6179" "f820"                                         # "y": simple value 32
    "01" "9f0102ff"                                       # 1: [1, 2], indefinite array
    "6162" "5f4201024103ff"                               # "b": bytes in two chunks
    "6174" "d9d9f7c11a514b67b0"                           # "t": self-described, tag 1 epoch seconds
    "6165" "d903e8a0"                                     # "e": tag 1000 (unassigned) on an empty map
    "ff")


def test_pasted_tags_indefinite_lengths_floats_and_simple_values():
    enc = formats.annotate("cbor", PASTED)
    decoded = formats.decode("cbor", PASTED)
    assert decoded.record == {"d": "2013-03-21T20:04:00Z", "i": "abcd", "h": 1.5, "s": 1.5, "u": None, "x": 16,
                              "y": 32, "1": [1, 2], "b": b"\x01\x02\x03", "t": 1363896240, "e": {}}
    check_walk(enc)
    labels = [(s.kind, s.label) for s in enc.spans]
    for expected in [("type", "map, indefinite length"), ("tag", "tag 0 (date/time text)"),
                     ("type", "text string, indefinite length"), ("terminator", "break"),
                     ("type", "float 16 (half)"), ("type", "float 32 (single)"),
                     ("value", "undefined (read as null)"), ("value", "simple value 16"),
                     ("type", "simple value, 1 byte follows"), ("name", "unsigned int 1"),
                     ("tag", "tag, 2-byte number follows"), ("tag", "tag 55799 (self-described CBOR)"),
                     ("tag", "tag 1 (epoch date/time)"), ("tag", "tag 1000 (unassigned)")]:
        assert expected in labels
    assert "d: tag 0 (date/time text) is read as its content, as written (here and wherever else it appears)" \
        in decoded.notes
    # text in chunks: each chunk's span holds its own piece
    assert [s.value for s in enc.spans if s.path == "i" and s.kind == "value"] == ["ab", "cd"]


@pytest.mark.parametrize("data,needle", [
    ("", "byte 0: the data ends where the next value (or an end marker) should start"),
    ("a1", "byte 1: the data ends where the next value (or an end marker) should start"),
    ("a1616119", "byte 4: the data ends where an integer should start"),
    ("a161617a00000005616263", "byte 8: the data ends inside a text string (5 bytes needed, 3 left)"),
    ("a1616101ff", "byte 4: 1 bytes are left over after the record ended"),
    ("a161611c", "byte 3: 0x1c: additional information 28 is reserved in CBOR"),
    ("a161611f", "byte 3: 0x1f: an integer cannot have an indefinite length"),
    ("a16161ff", "byte 3: 0xff (break) appears outside an indefinite-length item"),
    ("a161617f4161ff", "byte 4: a chunk of an indefinite-length text string must be a definite text string"),
    ("a16161c26161", "byte 4: tag 2 (bignum) must wrap a byte string"),
    ("a2616101616102", "byte 4: the key \"a\" appears twice in one map"),
    ("a1810101", "byte 1: a map key here is a array"),
    ("a16161f81f", "byte 4: simple value 31 must be written in the initial byte itself"),
    ("a1616162ffff", "byte 4: a text string is not valid UTF-8 text"),
    ("a16161dc", "byte 3: 0xdc is not a valid tag"),
])
def test_bad_bytes_are_a_format_error_with_the_offset(data, needle):
    message = format_error(formats.decode, "cbor", bytes.fromhex(data)).message
    assert needle in message
    assert "<" not in message


@pytest.mark.parametrize("record,needle", [
    ({"s": "\udc80"}, "s: the text holds a lone surrogate (U+DC80)"),
    ({"s": [object()]}, "s[0]: a Python object is not a JSON value"),
    ({1: 2}, "the record: the field name 1 is not text"),
])
def test_records_cbor_cannot_hold(record, needle):
    assert needle in format_error(formats.encode, "cbor", record).message


def test_a_single_top_level_value_is_read_as_it_is():
    """RFC 8949 section 3: a CBOR data item is any item; cbor2 reads a lone 1 (issue 11, item 2: the
    lab used to refuse it as "not a record")."""
    assert formats.annotate("cbor", b"\x01").spans[0].label == "unsigned int 1"
    assert formats.decode("cbor", b"\x01").record == 1
    assert formats.decode("cbor", bytes.fromhex("83010203")).record == [1, 2, 3]


def test_every_truncation_of_the_book_names_an_offset():
    for cut in range(len(BOOK)):
        assert format_error(formats.decode, "cbor", BOOK[:cut]).message.startswith("byte ")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(PASTED) - 1), st.binary(min_size=1, max_size=3))
def test_corrupted_bytes_give_a_format_error_or_a_walk_that_tiles(offset, value):
    data = PASTED[:offset] + value + PASTED[offset + len(value):]
    try:
        enc = formats.annotate("cbor", data)
    except formats.FormatError:
        return
    check_walk(enc)
    try:
        formats.decode("cbor", data)
    except formats.FormatError as e:
        assert "not a record" in str(e) or "could not read" in str(e)


def test_floats_show_cbor2s_default_beside_rfc_8949s_preferred_serialization():
    """RFC 8949 section 4.1: preferred serialization writes a float in the shortest of 16, 32 and 64 bits
    that keeps it exactly; cbor2 writes 8 bytes unless asked for canonical output (issue 11, item 7:
    "8-byte floats" is cbor2's default, not CBOR's rule)."""
    enc = formats.encode("cbor", {"x": 1.5, "y": 0.1})
    x, y = (next(s for s in enc.spans if s.path == p and s.kind == "value") for p in ("x", "y"))
    assert x.size == 8 and "f9 3e 00 (3 bytes)" in x.explanation
    assert "no shorter float holds 0.1 exactly" in y.explanation
    half = formats.annotate("cbor", bytes.fromhex("f93e00"))   # RFC 8949 appendix A: 1.5
    assert "This is RFC 8949's preferred serialization" in half.spans[-1].explanation
    assert "shortest exact width (1.5 is f9 3e 00)" in formats.get("cbor").spends
