"""Thrift BinaryProtocol and CompactProtocol: thriftpy2 writes and reads, the walks label every byte."""
import itertools
import json
import re
import struct
import sys
import threading
import time

import pytest
import thriftpy2.protocol.binary
import thriftpy2.transport.memory
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import formats
from formats import scalars
from formats.thrift import BINARY, COMPACT, record_to_struct, struct_class, struct_to_record
from sample_data import load, names
from tests.strategies import INT64, doubles, records, texts
from tests.support import book_record, check_walk, format_error

PERSON = load("person").schemas["thrift"]
BOTH = pytest.mark.parametrize("fmt", [BINARY, COMPACT], ids=["binary", "compact"])


def spans_at(encoded, path):
    return [(s.kind, s.label) for s in encoded.spans if s.path == path]


# -- the book's figures -------------------------------------------------------------------

def test_book_binary_is_figure_4_2():
    enc = formats.encode("thrift-binary", book_record(), PERSON)
    assert enc.size == 59
    assert enc.data.hex() == ("0b0001000000064d617274696e0a00020000000000000539"
                              "0f00030b000000020000000b646179647265616d696e67000000076861636b696e6700")
    assert [(s.kind, s.label) for s in enc.spans[:4]] == [
        ("type", "type 11 (string)"), ("tag", "field tag 1"), ("length", "length 6"), ("value", '"Martin"')]
    assert spans_at(enc, "interests")[2:] == [("type", "item type 11 (string)"), ("count", "2 items")]
    assert enc.spans[-1].kind == "terminator"
    assert check_walk(enc, book_record()) == 4


def test_book_compact_is_figure_4_3():
    enc = formats.encode("thrift-compact", book_record(), PERSON)
    assert enc.size == 34
    # figure 4-3: the list header is 0x28 (2 items of type 8), the tag byte before it 0x19
    assert enc.data.hex() == "18064d617274696e16f21419280b646179647265616d696e67076861636b696e6700"
    assert [(s.kind, s.label) for s in enc.spans[:5]] == [
        ("tag", "field tag 1 (delta 1), type 8 (binary/string)"), ("length", "length 6"),
        ("value", '"Martin"'), ("tag", "field tag 2 (delta 1), type 6 (i64)"), ("value", "1337")]
    assert spans_at(enc, "interests") == [("tag", "field tag 3 (delta 1), type 9 (list)"),
                                          ("count", "2 items, type 8 (binary/string)")]
    assert check_walk(enc, book_record()) == 4


def test_cython_and_pure_python_binary_protocols_write_the_same_bytes():
    obj = record_to_struct(book_record(), PERSON)
    buffer = thriftpy2.transport.memory.TMemoryBuffer()
    thriftpy2.protocol.binary.TBinaryProtocolFactory().get_protocol(buffer).write_struct(obj)
    assert buffer.getvalue() == BINARY.write(book_record(), PERSON)


# -- property tests --------------------------------------------------------------------------

def _names_in(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _names_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _names_in(v)


@settings(max_examples=100, deadline=None)
@given(records())
def test_inferred_schema_walks_agree_with_thriftpy2(record):
    from formats._thrift_schema import RESERVED
    assume(not any(name in RESERVED for name in _names_in(record)))   # "case", "end", "var" …
    schema = BINARY.default_schema(record)
    pure = thriftpy2.transport.memory.TMemoryBuffer()
    thriftpy2.protocol.binary.TBinaryProtocolFactory().get_protocol(pure).write_struct(
        record_to_struct(BINARY.comparable(record), schema))
    for fmt in (BINARY, COMPACT):
        enc = formats.encode(fmt.id, record, schema)
        check_walk(enc, record)
        assert formats.decode(fmt.id, enc.data, schema).record == fmt.comparable(record)
        check_walk(formats.annotate(fmt.id, enc.data))   # and without the schema
    assert formats.encode("thrift-binary", record, schema).data == pure.getvalue()


_BASES = {"bool": st.booleans(), "byte": st.integers(-128, 127), "i8": st.integers(-128, 127),
          "i16": st.integers(-2 ** 15, 2 ** 15 - 1), "i32": st.integers(-2 ** 31, 2 ** 31 - 1), "i64": INT64,
          "double": doubles, "string": texts, "binary": texts}
_KEY_TYPES = ["string", "i8", "i16", "i32", "i64", "bool"]


def _idl(t) -> str:
    if t[0] == "base":
        return t[1]
    if t[0] in ("list", "set"):
        return f"{t[0]}<{_idl(t[1])}>"
    if t[0] == "map":
        return f"map<{_idl(t[1])}, {_idl(t[2])}>"
    return t[1]   # enum or struct name


def _draw_type(draw, defs, counter, depth, scalar=False):
    kinds = ["base", "base", "base", "enum"] + ([] if scalar or depth > 2 else ["list", "set", "map", "struct"])
    kind = draw(st.sampled_from(kinds))
    if kind == "base":
        return "base", draw(st.sampled_from(sorted(_BASES)))
    if kind == "enum":
        name = f"E{next(counter)}"
        values = draw(st.lists(st.integers(-5, 300), min_size=1, max_size=4, unique=True))
        symbols = {f"{name}_V{i}": v for i, v in enumerate(values)}
        defs.append(f"enum {name} {{ " + ", ".join(f"{s} = {v}" for s, v in symbols.items()) + " }")
        return "enum", name, symbols
    if kind == "list":
        return "list", _draw_type(draw, defs, counter, depth + 1)
    if kind == "set":   # sets of scalars: their values must differ
        return "set", _draw_type(draw, defs, counter, depth + 1, scalar=True)
    if kind == "map":
        key = ("base", draw(st.sampled_from(_KEY_TYPES)))
        if draw(st.booleans()):
            key = _draw_type(draw, defs, counter, depth + 1, scalar=True)
            assume(key[0] == "enum" or key[1] in _KEY_TYPES)
        return "map", key, _draw_type(draw, defs, counter, depth + 1)
    return _draw_struct(draw, defs, counter, depth + 1)


def _draw_struct(draw, defs, counter, depth):
    name = f"S{next(counter)}"
    ids = draw(st.lists(st.integers(1, 3000), min_size=0 if depth else 1, max_size=5, unique=True))
    fields = [(fid, draw(st.booleans()), _draw_type(draw, defs, counter, depth)) for fid in ids]
    defs.append(f"struct {name} {{\n" + ",\n".join(
        f"  {fid}: {'required' if required else 'optional'} {_idl(t)} f{fid}" for fid, required, t in fields)
        + "\n}")
    return "struct", name, fields


def _draw_value(draw, t, short=False):
    """(the record's value, the value thriftpy2 gives back)"""
    if t[0] == "base":
        value = draw(_BASES[t[1]])
        return value, value.encode() if t[1] == "binary" else value
    if t[0] == "enum":
        symbol = draw(st.sampled_from(sorted(t[2])))
        return symbol, symbol
    if t[0] in ("list", "set"):
        simple = t[1][0] in ("base", "enum")
        # 15 items or more take the long list header in the compact protocol
        n = draw(st.integers(0, 4) | st.integers(14, 16)) if simple and not short else draw(st.integers(0, 2))
        items = [_draw_value(draw, t[1], short=True) for _ in range(n)]
        if t[0] == "set":
            items = list({repr(record): (record, back) for record, back in items}.values())
        return [r for r, _ in items], [b for _, b in items]
    if t[0] == "map":
        entries = {}
        for _ in range(draw(st.integers(0, 3))):
            key, _ = _draw_value(draw, t[1])
            text = key if isinstance(key, str) else json.dumps(key)   # JSON spells true, false, 5
            entries[text] = _draw_value(draw, t[2], short=True)
        return {k: r for k, (r, _) in entries.items()}, {k: b for k, (_, b) in entries.items()}
    record, back = {}, {}
    for fid, required, field_type in t[2]:
        if required or draw(st.booleans()):
            record[f"f{fid}"], back[f"f{fid}"] = _draw_value(draw, field_type, short)
    return record, back


@st.composite
def idl_records(draw):
    """Random IDL (every base type, enums, list/set/map, nested structs, optional and required
    fields, field ids 1..3000 in any order), a record that fits it, and the record thriftpy2
    gives back (binary as bytes)."""
    defs, counter = [], itertools.count()
    root = _draw_struct(draw, defs, counter, 0)
    record, back = _draw_value(draw, root)
    return "\n\n".join(defs), record, back


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(idl_records())
def test_schema_first_walks_agree_with_thriftpy2(sample):
    text, record, back = sample
    for fmt in (BINARY, COMPACT):
        enc = formats.encode(fmt.id, record, text)
        check_walk(enc, record)
        assert formats.decode(fmt.id, enc.data, text).record == back
        check_walk(formats.annotate(fmt.id, enc.data))


# -- every header form, explicitly ----------------------------------------------------------

ORDERING = """
struct R {
  0: i32 zero,
  1: i32 one,
  20: i32 twenty,
  5: i32 five,
  6: bool yes,
  300: bool no,
  -3: i32 minus
}
"""


def test_compact_field_headers_short_and_long():
    record = {"zero": 7, "one": 1, "twenty": 20, "five": 5, "yes": True, "no": False, "minus": -3}
    enc = formats.encode("thrift-compact", record, ORDERING)
    check_walk(enc, record)
    # delta 0 (first id 0), 19 and -15 (out of order), 294, -303: the long form
    assert spans_at(enc, "zero")[:2] == [("type", "type 5 (i32), long form"), ("tag", "field tag 0")]
    assert spans_at(enc, "one")[0] == ("tag", "field tag 1 (delta 1), type 5 (i32)")
    assert spans_at(enc, "twenty")[:2] == [("type", "type 5 (i32), long form"), ("tag", "field tag 20")]
    assert spans_at(enc, "five")[:2] == [("type", "type 5 (i32), long form"), ("tag", "field tag 5")]
    # a bool field's value is its header's type: the byte is both
    assert spans_at(enc, "yes") == [("value", "field tag 6 (delta 1), type 1 (bool true)")]
    assert spans_at(enc, "no") == [("value", "type 2 (bool false), long form"), ("tag", "field tag 300")]
    assert spans_at(enc, "minus")[1] == ("tag", "field tag -3")
    assert [s.value for s in enc.spans if s.path in ("yes", "no") and s.kind == "value"] == [True, False]
    assert formats.decode("thrift-compact", enc.data, ORDERING).record == record
    binary = formats.encode("thrift-binary", record, ORDERING)
    assert spans_at(binary, "minus")[:2] == [("type", "type 8 (i32)"), ("tag", "field tag -3")]
    check_walk(binary, record)


@pytest.mark.parametrize("n,header", [(0, "0 items, type 5 (i32)"), (14, "14 items, type 5 (i32)")])
def test_compact_short_list_header(n, header):
    schema = "struct R { 1: list<i32> xs }"
    enc = formats.encode("thrift-compact", {"xs": list(range(n))}, schema)
    assert spans_at(enc, "xs")[1] == ("count", header)
    assert enc.data[1] == n << 4 | 5


def test_compact_long_list_header_from_15_items():
    schema = "struct R { 1: set<i32> xs }"
    record = {"xs": list(range(-7, 8))}
    enc = formats.encode("thrift-compact", record, schema)
    assert enc.data[1:3] == bytes([0xF5, 15])
    assert spans_at(enc, "xs")[1:] == [("type", "items of type 5 (i32), count follows"), ("count", "15 items")]
    check_walk(enc, record)
    binary = formats.encode("thrift-binary", record, schema)
    assert spans_at(binary, "xs")[2:] == [("type", "item type 8 (i32)"), ("count", "15 items")]


def test_empty_list_and_map():
    schema = "struct R { 1: list<string> xs, 2: map<string, i64> m }"
    record = {"xs": [], "m": {}}
    compact = formats.encode("thrift-compact", record, schema)
    assert compact.data.hex() == "1908" + "1b" + "00" + "00"   # an empty map is one count byte
    assert spans_at(compact, "m") == [("tag", "field tag 2 (delta 1), type 11 (map)"),
                                      ("count", "0 entries, no type byte")]
    binary = formats.encode("thrift-binary", record, schema)
    assert spans_at(binary, "m")[2:] == [("type", "key type 11 (string)"), ("type", "value type 10 (i64)"),
                                         ("count", "0 entries")]
    for enc in (compact, binary):
        assert formats.decode(enc.format_id, enc.data, schema).record == record


MAPS = "enum Color { RED = 1, GREEN = 2 }\nstruct R { 1: map<i32, string> byNumber, 2: map<Color, bool> flags }"


@BOTH
def test_maps_with_typed_keys(fmt):
    record = {"byNumber": {"-1": "minus one", "300": "ok"}, "flags": {"GREEN": True, "RED": False}}
    enc = formats.encode(fmt.id, record, MAPS)
    assert check_walk(enc, record) == 4
    assert [s.label for s in enc.spans if s.kind == "name"][-2:] == ["GREEN = 2", "RED = 1"]
    assert formats.decode(fmt.id, enc.data, MAPS).record == record
    assert spans_at(formats.annotate(fmt.id, enc.data), '#1["-1"]')   # keys are known without the schema


NESTED = """
struct Inner { 1: string city, 2: i16 floor }
struct Outer { 1: string name, 4: Inner address, 5: list<Inner> more }
"""


@BOTH
def test_nested_structs_with_and_without_schema(fmt):
    record = {"name": "x", "address": {"city": "Zürich", "floor": -2}, "more": [{"city": "Oslo"}]}
    enc = formats.encode(fmt.id, record, NESTED)
    check_walk(enc, record)
    assert [s.path for s in enc.spans if s.kind == "terminator"] == ["address", "more[0]", ""]
    bare = formats.annotate(fmt.id, enc.data)
    assert {s.path for s in bare.spans if s.kind == "value"} == {"#1", "#4.#1", "#4.#2", "#5[0].#1"}
    assert [s.value for s in bare.spans if s.path == "#4.#2" and s.kind == "value"] == [-2]


def _smallest_needing(length: int) -> int:
    """The smallest non-negative number whose zigzag varint takes `length` bytes."""
    return 0 if length == 1 else 1 << (7 * (length - 1) - 1)


@pytest.mark.parametrize("length", range(1, 11))
def test_zigzag_varints_of_every_length(length):
    n = _smallest_needing(length)
    values = [n, -n - 1] + ([2 ** 63 - 1, -2 ** 63] if length == 10 else [])
    record = {"xs": values}
    enc = formats.encode("thrift-compact", record, "struct R { 1: list<i64> xs }")
    check_walk(enc, record)
    assert [s.size for s in enc.spans if s.kind == "value"] == [length] * len(values)
    binary = formats.encode("thrift-binary", record, "struct R { 1: list<i64> xs }")
    assert [s.size for s in binary.spans if s.kind == "value"] == [8] * len(values)


SCALARS = "struct R { 1: double d, 2: bool b, 3: list<bool> bs, 4: string s, 5: binary raw, 6: byte tiny }"


@BOTH
def test_doubles_bools_utf8_and_binary(fmt):
    record = {"d": -67.7, "b": False, "bs": [True, False, True], "s": "Оймякон 🥶", "raw": "ÿ\u0000", "tiny": -128}
    enc = formats.encode(fmt.id, record, SCALARS)
    check_walk(enc, record)
    value = {s.path: s for s in enc.spans if s.kind == "value"}
    endian = "<d" if fmt is COMPACT else ">d"
    assert value["d"].scalar == "struct:" + endian and enc.data[value["d"].start:value["d"].end] == struct.pack(
        endian, -67.7)
    assert value["s"].size == len("Оймякон 🥶".encode()) and value["raw"].value == "ÿ\u0000".encode()
    assert [value[f"bs[{i}]"].size for i in range(3)] == [1, 1, 1]
    back = formats.decode(fmt.id, enc.data, SCALARS).record
    assert back == dict(record, raw="ÿ\u0000".encode())
    if fmt is COMPACT:
        assert [enc.data[value[f"bs[{i}]"].start] for i in range(3)] == [1, 2, 1]


def test_compact_bool_rule_reads_the_type_nibble():
    assert scalars.read("compact-bool", b"\x11") is True
    assert scalars.read("compact-bool", b"\x02") is False
    with pytest.raises(ValueError):
        scalars.read("compact-bool", b"\x15")


# -- reading with another schema (evolution) -----------------------------------------------

V1 = "struct Person { 1: required string userName, 2: optional i64 favoriteNumber }"
V2 = ("struct Person { 1: required string userName, 2: optional i64 favoriteNumber,\n"
      "  4: optional string email, 5: optional Address address }\n"
      "struct Address { 1: string city, 3: string zip }")
V1_NESTED = ("struct Person { 1: required string userName, 5: optional Address address }\n"
             "struct Address { 1: string city }")


@BOTH
def test_old_reader_skips_new_fields_and_names_them_with_the_writer_schema(fmt):
    new = {"userName": "Martin", "favoriteNumber": 1337, "email": "m@example.com"}
    data = formats.encode(fmt.id, new, V2).data
    anonymous = formats.decode(fmt.id, data, V1)
    assert anonymous.record == {"userName": "Martin", "favoriteNumber": 1337}
    assert anonymous.skipped == ["#4"]
    assert any("drops" in note for note in anonymous.notes)
    assert formats.decode(fmt.id, data, V1, V2).skipped == ["email"]
    labels = [s.label for s in formats.annotate(fmt.id, data, V1).spans if s.path == "#4"]
    assert any(label.endswith("unknown to this reader, skipped") for label in labels)


@BOTH
def test_nested_unknown_field_is_skipped_by_its_path(fmt):
    data = formats.encode(fmt.id, {"userName": "M", "address": {"city": "C", "zip": "Z"}}, V2).data
    read = formats.decode(fmt.id, data, V1_NESTED, V2)
    assert read.record == {"userName": "M", "address": {"city": "C"}}
    assert read.skipped == ["address.zip"]


def test_read_modify_write_loses_unknown_fields():
    data = formats.encode("thrift-compact", {"userName": "Martin", "email": "m@example.com"}, V2).data
    obj = struct_class(V1)()
    thriftpy2.protocol.TCompactProtocolFactory().get_protocol(
        thriftpy2.transport.memory.TMemoryBuffer(data)).read_struct(obj)
    record = struct_to_record(obj)
    record["favoriteNumber"] = 7
    rewritten = formats.encode("thrift-compact", record, V1).data
    assert formats.decode("thrift-compact", rewritten, V2).record == {"userName": "Martin", "favoriteNumber": 7}


@BOTH
def test_new_reader_fills_defaults_and_refuses_missing_required_fields(fmt):
    old = formats.encode(fmt.id, {"userName": "Martin"}, V1).data
    with_default = V1.replace("}", ", 3: optional string country = \"UK\", 4: optional i32 n }")
    read = formats.decode(fmt.id, old, with_default)
    assert read.record == {"userName": "Martin", "country": "UK"}
    assert read.defaulted == ["country"]
    required = V1.replace("}", ", 3: required string country }")
    with pytest.raises(formats.FormatError, match="country: the reader's schema says field 3 is required"):
        formats.decode(fmt.id, old, required)


def test_thriftpy2_itself_reads_a_missing_required_field_as_none():
    old = formats.encode("thrift-binary", {"userName": "Martin"}, V1).data
    obj = struct_class(V1.replace("}", ", 3: required string country }"))()
    thriftpy2.protocol.TBinaryProtocolFactory().get_protocol(
        thriftpy2.transport.TMemoryBuffer(old)).read_struct(obj)
    assert obj.country is None   # hence read() makes it an explicit FormatError


@BOTH
def test_changed_field_type_is_skipped(fmt):
    data = formats.encode(fmt.id, {"userName": "Martin", "favoriteNumber": 1337}, V1).data
    reader = V1.replace("i64 favoriteNumber", "string favoriteNumber")
    read = formats.decode(fmt.id, data, reader, V1)
    assert read.record == {"userName": "Martin"} and read.skipped == ["favoriteNumber"]
    assert any("string" in note and "i64" in note for note in read.notes)


def test_changed_list_item_type_binary_skips_compact_refuses():
    writer, reader = "struct R { 1: list<i64> xs }", "struct R { 1: list<string> xs }"
    data = formats.encode("thrift-binary", {"xs": [1, 2]}, writer).data
    read = formats.decode("thrift-binary", data, reader)
    assert read.record == {"xs": []} and read.skipped == ["xs"]
    data = formats.encode("thrift-compact", {"xs": [1, 2]}, writer).data
    with pytest.raises(formats.FormatError, match="does not check a list's item type"):
        formats.decode("thrift-compact", data, reader)


# -- the IDL: parsing, caching, no leaks ------------------------------------------------------

def test_two_idls_with_the_same_struct_name_stay_apart():
    a = "struct Person { 1: string name }"
    b = "struct Person { 1: i64 name, 2: string extra }"
    for _ in range(2):
        assert formats.encode("thrift-binary", {"name": "x"}, a).data.hex() == "0b00010000000178" + "00"
        assert formats.encode("thrift-binary", {"name": 5}, b).data.hex() == "0a0001" + "0000000000000005" + "00"
    assert struct_class(a) is struct_class(a) and struct_class(a) is not struct_class(b)


def test_the_record_type_is_the_struct_no_other_struct_uses():
    helpers_first = "struct Address { 1: string city }\nstruct Person { 1: string name, 2: Address home }"
    helpers_after = "struct Person { 1: string name, 2: Address home }\nstruct Address { 1: string city }"
    assert struct_class(helpers_first).__name__ == struct_class(helpers_after).__name__ == "Person"
    assert struct_class("struct A { 1: string a }\nstruct B { 1: string b }").__name__ == "A"


def test_a_thousand_schemas_leave_sys_modules_alone():
    before = len(sys.modules)
    for i in range(1000):
        struct_class(f"struct Person{i} {{ {i + 1}: string name{i} }}")
    assert len(sys.modules) == before


def test_sessions_parse_in_threads():
    results, errors = {}, []

    def work(i):
        try:
            schema = f"struct T{i} {{ 1: i32 a, {i + 2}: string b }}"
            results[i] = formats.encode("thrift-compact", {"a": i, "b": str(i)}, schema).data
        except Exception as e:   # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i, data in results.items():
        assert formats.decode("thrift-compact", data, f"struct T{i} {{ 1: i32 a, {i + 2}: string b }}"
                              ).record == {"a": i, "b": str(i)}


def test_an_unclosed_comment_is_an_error_quickly():
    started = time.perf_counter()
    with pytest.raises(formats.FormatError, match="line 2, column 1: this /\\* comment is never closed"):
        struct_class("struct A { 1: string a }\n/* " + "/" * 60_000)
    assert time.perf_counter() - started < 2   # thriftpy2's own comment rules take about a minute


# -- default_schema -------------------------------------------------------------------------

def test_default_schema_for_the_book_record():
    assert BINARY.default_schema(book_record()) == (
        "struct Record {\n  1: optional string userName,\n  2: optional i64 favoriteNumber,\n"
        "  3: optional list<string> interests\n}\n")


def test_default_schema_declares_nested_structs_first_with_unique_names():
    record = {"a": {"x": 1}, "b": [{"y": None}, {"y": 2.5, "z": [1]}], "n": None, "e": []}
    schema = BINARY.default_schema(record)
    assert schema.index("struct A ") < schema.index("struct B ") < schema.index("struct Record ")
    assert "1: optional double y,\n  2: optional list<i64> z" in schema
    assert "optional string n" in schema and "optional list<string> e" in schema
    same_names = BINARY.default_schema({"record": {"x": 1}, "x": {"record": {"y": 1}}})
    assert "struct Record2 " in same_names and "struct Record3 " in same_names
    enc = formats.encode("thrift-compact", record, schema)
    check_walk(enc, record)
    assert formats.decode("thrift-compact", enc.data, schema).record == COMPACT.comparable(record)


@pytest.mark.parametrize("record,message", [
    ({"xs": [1, "a"]}, "xs: a Thrift list holds one type, but this list mixes i64 and string"),
    ({"xs": [[1], [{"a": 1}]]}, "xs: a Thrift list holds one type"),
    ({"xs": [1, None]}, r"xs\[1\]: a Thrift list cannot hold null"),
    ({"a": {"list": 1}}, "a.list: the field name 'list' is a reserved word"),
    ({"None": 1}, "the field name 'None' is a reserved word"),
    ({"two words": 1}, "is not a Thrift identifier"),
])
def test_default_schema_refuses_what_thrift_cannot_say(record, message):
    with pytest.raises(formats.FormatError, match=message):
        BINARY.default_schema(record)


# -- presets --------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", names())
@BOTH
def test_presets_encode_with_their_thrift_schema(preset, fmt):
    p = load(preset)
    record = formats.parse_record(p.record_text)
    enc = formats.encode(fmt.id, record, p.schemas["thrift"])
    assert check_walk(enc, record) >= 4
    assert formats.decode(fmt.id, enc.data, p.schemas["thrift"]).record == record


# -- bad input --------------------------------------------------------------------------------

def _clean(message: str):
    assert "/tmp" not in message and "Traceback" not in message
    assert not re.search(r"<(class|module|function|built-in)\b|object at 0x", message), message


BAD_RECORDS = [
    ({"userName": "M", "favoriteNumber": "abc"}, PERSON,
     r'favoriteNumber: expected an integer \(i64\), got the string "abc"'),
    ({"userName": "M", "age": 3}, PERSON, "age: struct Person has no field 'age'; add it to the schema or derive"),
    ({"user_name": "M"}, "struct P { 1: string userName }", "did you mean 'userName'"),
    ({"favoriteNumber": 1}, PERSON, "userName: the schema says this field is required"),
    ({"n": 40000}, "struct R { 1: i16 n }", r"n: 40000 does not fit in i16 \(-32768 to 32767\)"),
    ({"s": "GREY"}, "enum C { RED, GREEN }\nstruct R { 1: C s }", "s: expected one of RED, GREEN"),
    ({"xs": [1, 1]}, "struct R { 1: set<i32> xs }", r"xs\[1\]: a set cannot hold the same value twice"),
    ({"m": {"x": 1}}, "struct R { 1: map<i32, i32> m }", "the map key 'x' is not an integer"),
    ({"b": 1}, "struct R { 1: bool b }", "b: expected a boolean"),
    ({"n": None, "x": 1.5}, "struct R { 1: i8 n, 2: i64 x }", r"x: expected an integer \(i64\), got the number 1.5"),
]


@pytest.mark.parametrize("record,schema,message", BAD_RECORDS)
@BOTH
def test_records_that_do_not_fit_the_schema(fmt, record, schema, message):
    with pytest.raises(formats.FormatError, match=message) as e:
        formats.encode(fmt.id, record, schema)
    _clean(str(e.value))


BAD_SCHEMAS = [
    ("struct A {\n  1: string list\n}", r"line 2, column 13: \"list\" is unexpected here \('list' is a Thrift keyword"),
    ("struct A {\n  1: strng name\n}", "line 2, column 6: unknown type 'strng'"),
    ("struct A {\n  1: string name", "line 2, column 17: the schema ends too early"),
    ('include "../secret.thrift"\nstruct A { 1: string a }', "line 1, column 1: include is not supported"),
    ("struct A { 1: string a }\nstruct A { 1: string b }", "line 2, column 8: 'A' is declared twice"),
    ("struct A { 1: string a, 1: string b }", "field id 1 or the name 'b' is used twice"),
    ("struct A { 1: string a } @", "line 1, column 26: the character '@' cannot appear here"),
    ("struct A { 1: i32 end }", "line 1, column 19: 'end' is a reserved word in Thrift"),
    ("struct A {\n  1: i32 None\n}", "line 2, column 10: 'None' cannot be a field name"),
    ("struct A { 70000: i32 a }", "field id 70000 of a does not fit in 16 bits"),
    ("enum E { A }", "the schema defines no struct"),
    ("struct A { 1: i32 thrift_spec }", "thriftpy2 keeps its own data in an attribute called 'thrift_spec'"),
    ("struct A { 1: i32 a = \"x\" }", "line 1, column 19: the value given for 'a' does not match its type"),
    ("struct A { 1: " + "list<" * 40 + "i32" + ">" * 40 + " a }", "the type of a nests more than 32 levels"),
    ("   ", "needs a schema"),
]


@pytest.mark.parametrize("schema,message", BAD_SCHEMAS)
def test_schemas_that_are_not_valid_idl(schema, message):
    with pytest.raises(formats.FormatError, match=message) as e:
        formats.encode("thrift-binary", {}, schema)
    _clean(str(e.value))


def _person(fmt) -> bytes:
    return formats.encode(fmt.id, book_record(), PERSON).data


BAD_DATA = [
    (BINARY, lambda d: d[:20], "byte 16: the data ends inside"),
    (COMPACT, lambda d: d[:10], "byte 10: the data ends inside a varint that began at byte 9"),
    (BINARY, lambda d: b"\x07" + d[1:], "byte 0: 0x07 is not a Thrift type"),
    (COMPACT, lambda d: b"\x1d" + d[1:], "byte 0: 13 is not a Thrift compact type"),
    (BINARY, lambda d: d + b"\x00", "byte 59: 1 bytes are left over"),
    (BINARY, lambda d: d[:3] + b"\xff\xff\xff\xfa" + d[7:], "byte 3: a length of -6 is negative"),
    (BINARY, lambda d: d[:28] + b"\x7f\xff\xff\xff" + d[32:], "byte 32: interests claims 2,147,483,647 items"),
    (COMPACT, lambda d: d[:12] + b"\x21" + d[13:], "byte 13: 0x0b is not a compact bool"),
    (COMPACT, lambda d: b"", "there are no bytes"),
    (BINARY, lambda d: b"\x0c\x00\x01" * 40, "nesting deeper than 32 levels"),
]


@pytest.mark.parametrize("fmt", [BINARY, COMPACT])
def test_a_string_that_is_not_utf8_reads_as_its_bytes_as_thriftpy2_reads_it(fmt):
    data = _person(fmt)
    start = data.index(b"Martin")
    data = data[:start] + b"\xff" + data[start + 1:]
    obj = struct_class(PERSON)()
    fmt.factory.get_protocol(thriftpy2.transport.TMemoryBuffer(data)).read_struct(obj)
    assert obj.userName == b"\xffartin"   # thriftpy2 falls back to the raw bytes
    assert formats.decode(fmt.id, data, PERSON).record["userName"] == b"\xffartin"
    span = next(s for s in formats.annotate(fmt.id, data, PERSON).spans if s.path == "userName" and s.kind == "value")
    assert "not valid UTF-8" in span.explanation


@pytest.mark.parametrize("fmt,corrupt,message", BAD_DATA)
def test_corrupt_bytes_name_the_offset(fmt, corrupt, message):
    data = corrupt(_person(fmt))
    with pytest.raises(formats.FormatError, match=message) as e:
        formats.decode(fmt.id, data, PERSON)
    _clean(str(e.value))
    if data:
        with pytest.raises(formats.FormatError):
            formats.annotate(fmt.id, data, PERSON)


def test_compact_bools_in_a_list_read_0_and_2_as_false():
    """Apache Thrift's compact protocol spec (thrift-compact-protocol.md): a bool inside a list or set is
    one byte, 1 true and 0 false, while the Java library writes 2 for false: readers take both
    (issue 11, item 7; 0x00 was refused). thriftpy2 reads any byte but 1 as false."""
    idl = "struct Flags {\n  1: optional list<bool> flags\n}"
    data = formats.encode("thrift-compact", {"flags": [True, False]}, idl).data
    assert data[-3:] == b"\x01\x02\x00"   # thriftpy2 writes 2, as Java does
    zero = data[:-2] + b"\x00\x00"
    assert formats.decode("thrift-compact", zero, idl).record == {"flags": [True, False]}
    enc = formats.annotate("thrift-compact", zero, idl)
    check_walk(enc, {"flags": [True, False]})
    assert "0 also reads as false" in next(s for s in enc.spans if s.path == "flags[1]").explanation
    assert "0x05 is not a compact bool" in format_error(formats.annotate, "thrift-compact",
                                                        data[:-2] + b"\x05\x00", idl).message


def test_compact_lengths_and_counts_are_plain_varints_integers_zigzag():
    enc = formats.encode("thrift-compact", book_record(), PERSON)
    notes = {s.label: s.explanation for s in enc.spans}
    assert "unsigned varint" in notes["length 6"] and "zigzag" in notes["1337"]
    assert "zigzag varints for i16/i32/i64, plain varints for lengths" in formats.get("thrift-compact").spends
