"""Protocol Buffers: protobuf 7 writes and reads, protoc compiles, the walk labels every byte."""
import json
import struct
import sys
import threading
from pathlib import Path

import pytest
from google.protobuf import descriptor_pool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formats
from formats import protobuf, scalars
from formats._protobuf_compile import compile_schema
from formats.spans import check_tiling
from tests.strategies import records, texts
from tests.support import book_record, check_walk

ROOT = Path(__file__).resolve().parent.parent
PERSON = (ROOT / "sample_data/person/schema.proto").read_text()
FMT = formats.get("protobuf")


def encode(record, schema):
    return formats.encode("protobuf", record, schema)


def decode(data, schema, writer=None):
    return formats.decode("protobuf", data, schema, writer)


def proto3(body: str) -> str:
    return f'syntax = "proto3";\n{body}\n'


def proto2(body: str) -> str:
    return f'syntax = "proto2";\n{body}\n'


# -- the book ---------------------------------------------------------------------------------

def test_book_person_is_33_bytes_as_in_figure_4_4():
    enc = encode(book_record(), PERSON)
    assert enc.size == 33
    assert enc.data.hex() == "0a064d617274696e10b90a1a0b646179647265616d696e671a076861636b696e67"
    assert [s.label for s in enc.spans[:5]] == [
        "field tag 1, wire type 2 (length-delimited)", "length 6", '"Martin"',
        "field tag 2, wire type 0 (varint)", "1337 (varint, 2 bytes)"]
    assert [s.kind for s in enc.spans[:5]] == ["tag", "length", "value", "tag", "value"]
    assert [s.path for s in enc.spans if s.kind == "value"] == [
        "userName", "favoriteNumber", "interests[0]", "interests[1]"]
    assert check_walk(enc, book_record()) == 4
    assert decode(enc.data, PERSON).record == book_record()


def test_book_bytes_without_a_schema_are_tags_and_guesses():
    spans = formats.annotate("protobuf", encode(book_record(), PERSON).data).spans
    assert [s.path for s in spans if s.kind == "value"] == ["#1", "#2", "#3", "#3"]
    assert [s.label for s in spans if s.kind == "value"] == ['"Martin"', "1337 (varint, 2 bytes)",
                                                             '"daydreaming"', '"hacking"']
    varint = next(s for s in spans if s.path == "#2" and s.kind == "value")
    assert "zigzag" in varint.explanation and "-669" in varint.explanation


def test_schemaless_nested_message_paths():
    enc = encode({"a": {"b": 150, "c": "hi!"}}, proto3("message R { M a = 3; } message M { int32 b = 1; string c = 2; }"))
    spans = formats.annotate("protobuf", enc.data).spans
    check_tiling(spans, enc.size)
    assert [(s.path, s.value) for s in spans if s.kind == "value"] == [("#3.#1", 150), ("#3.#2", "hi!")]
    assert "nested message" in spans[1].explanation


def test_schemaless_fixed_width_and_bytes_values():
    schema = proto3("message R { fixed64 a = 1; sfixed32 b = 2; bytes c = 3; double d = 4; }")
    enc = encode({"a": 7, "b": -2, "c": "\u00ff", "d": 0.5}, schema)
    check_walk(enc, {"a": 7, "b": -2, "c": "\u00ff", "d": 0.5})
    spans = formats.annotate("protobuf", enc.data).spans
    check_walk(formats.Encoded("protobuf", enc.data, spans))
    values = {s.path: s for s in spans if s.kind == "value"}
    assert values["#1"].value == 7 and values["#1"].label == "7 (64-bit)"
    assert values["#2"].value == 2 ** 32 - 2 and "sfixed32 -2" in values["#2"].explanation
    assert values["#4"].scalar == "struct:<Q" and "double 0.5" in values["#4"].explanation


# -- property tests ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_inferred_schema_round_trips_and_walks(record):
    schema = FMT.default_schema(record)
    enc = encode(record, schema)
    check_walk(enc, FMT.comparable(record))
    assert decode(enc.data, schema).record == FMT.comparable(record)
    check_walk(formats.annotate("protobuf", enc.data))   # the schemaless walk too


SCALAR_VALUES = {
    "int32": st.integers(-2 ** 31, 2 ** 31 - 1), "sint32": st.integers(-2 ** 31, 2 ** 31 - 1),
    "sfixed32": st.integers(-2 ** 31, 2 ** 31 - 1),
    "uint32": st.integers(0, 2 ** 32 - 1), "fixed32": st.integers(0, 2 ** 32 - 1),
    "int64": st.integers(-2 ** 63, 2 ** 63 - 1), "sint64": st.integers(-2 ** 63, 2 ** 63 - 1),
    "sfixed64": st.integers(-2 ** 63, 2 ** 63 - 1),
    "uint64": st.integers(0, 2 ** 64 - 1), "fixed64": st.integers(0, 2 ** 64 - 1),
    "float": st.floats(width=32, allow_nan=False, allow_infinity=False),
    "double": st.floats(allow_nan=False, allow_infinity=False),
    "bool": st.booleans(), "string": texts, "bytes": texts,
}
NUMERIC = [t for t in SCALAR_VALUES if t not in ("string", "bytes")]
KEY_TYPES = ["int32", "int64", "uint32", "sint64", "fixed32", "sfixed64", "bool", "string"]
COLORS = {"C_ZERO": 0, "C_ONE": 1, "C_FIVE": 5, "C_BIG": 300}
ZERO = {"float": 0.0, "double": 0.0, "bool": False, "string": "", "bytes": b"", "Color": "C_ZERO"}


@st.composite
def message_specs(draw, syntax: str, depth: int, messages: list):
    """A message: (name, fields); a field is (name, number, label, type, key_type, packed).
    Nested message types go to `messages` (written after the record: the first message is the record)."""
    name = f"M{len(messages)}"
    messages.append(None)
    slot = len(messages) - 1
    numbers = draw(st.lists(st.integers(1, 5000), min_size=1, max_size=6, unique=True))
    fields = []
    for number in numbers:
        kinds = ["scalar", "scalar", "enum", "map"] + (["message"] if depth < 2 else [])
        kind = draw(st.sampled_from(kinds))
        labels = ["optional", "required", "repeated"] if syntax == "proto2" else ["", "optional", "repeated"]
        label = draw(st.sampled_from(labels))
        packed = None
        key_type = None
        if kind == "scalar":
            type_ = draw(st.sampled_from(sorted(SCALAR_VALUES)))
            if label == "repeated" and type_ in NUMERIC:
                packed = draw(st.sampled_from([None, True, False]))
        elif kind == "enum":
            type_ = "Color"
        elif kind == "message":
            type_ = draw(message_specs(syntax, depth + 1, messages))[0]
        else:
            label = "map"
            key_type = draw(st.sampled_from(KEY_TYPES))
            type_ = draw(st.sampled_from(sorted(SCALAR_VALUES) + ["Color"]))
        fields.append((f"v_{number}", number, label, type_, key_type, packed))
    messages[slot] = (name, fields)
    return name, fields


def render(syntax: str, messages: list) -> str:
    lines = [f'syntax = "{syntax}";']
    for name, fields in messages:
        lines.append(f"message {name} {{")
        for field, number, label, type_, key_type, packed in fields:
            option = "" if packed is None else f" [packed = {str(packed).lower()}]"
            if label == "map":
                lines.append(f"  map<{key_type}, {type_}> {field} = {number};")
            else:
                lines.append(f"  {label} {type_} {field} = {number}{option};".replace("   ", "  "))
        lines.append("}")
    lines.append("enum Color { " + " ".join(f"{k} = {v};" for k, v in COLORS.items()) + " }")
    return "\n".join(lines)


def value_strategy(type_: str, specs: dict):
    if type_ == "Color":
        return st.sampled_from(sorted(COLORS))
    if type_ in specs:
        return record_strategy(specs[type_], specs)
    return SCALAR_VALUES[type_]


def key_strategy(key_type: str):
    if key_type == "string":
        return texts
    if key_type == "bool":
        return st.sampled_from(["true", "false"])
    return SCALAR_VALUES[key_type].map(str)


def record_strategy(fields, specs):
    parts = {}
    for field, _, label, type_, key_type, _ in fields:
        if label == "map":
            value = st.dictionaries(key_strategy(key_type), value_strategy(type_, specs), max_size=3)
        elif label == "repeated":
            value = st.lists(value_strategy(type_, specs), max_size=4 if type_ not in specs else 2)
        else:
            value = value_strategy(type_, specs)
        parts[field] = (label == "required", value)
    return st.fixed_dictionaries({k: v for k, (req, v) in parts.items() if req},
                                 optional={k: v for k, (req, v) in parts.items() if not req})


@st.composite
def schema_and_record(draw):
    syntax = draw(st.sampled_from(["proto2", "proto3"]))
    messages: list = []
    draw(message_specs(syntax, 0, messages))
    specs = dict(messages)
    return syntax, render(syntax, messages), messages[0][0], specs, draw(record_strategy(messages[0][1], specs))


def expected(record: dict, fields, specs, syntax) -> dict:
    """What the reader gives back: JSON names (v_12 -> v12), bytes as bytes, absent repeated and
    map fields empty, absent proto3 fields without `optional` as their zero value."""
    def one(type_, value):
        if type_ in specs:
            return expected(value, specs[type_], specs, syntax)
        return value.encode() if type_ == "bytes" else value

    out = {}
    for field, _, label, type_, _, _ in fields:
        key = field.replace("_", "")
        if field in record:
            value = record[field]
            out[key] = ({k: one(type_, v) for k, v in value.items()} if label == "map"
                        else [one(type_, v) for v in value] if label == "repeated" else one(type_, value))
        elif label == "map":
            out[key] = {}
        elif label == "repeated":
            out[key] = []
        elif syntax == "proto3" and label == "" and type_ not in specs:
            out[key] = ZERO.get(type_, 0)
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_and_record())
def test_schema_first_round_trip_and_walk(case):
    syntax, schema, _, specs, record = case
    enc = encode(record, schema)
    check_walk(enc, record)
    got = decode(enc.data, schema)
    assert got.record == expected(record, specs["M0"], specs, syntax)
    assert got.skipped == [] and got.unknown_kept == [] and got.notes == []
    check_walk(formats.annotate("protobuf", enc.data))   # no schema: the scalar rules still hold


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=40))
def test_any_bytes_give_spans_or_a_format_error(data):
    for schema in (None, PERSON, (ROOT / "sample_data/profile/schema.proto").read_text()):
        try:
            spans = FMT.annotate(data, schema)
        except formats.FormatError as e:
            assert e.message.startswith("byte ")
            continue
        check_walk(formats.Encoded("protobuf", data, spans))
    try:
        decode(data, (ROOT / "sample_data/profile/schema.proto").read_text())
    except formats.FormatError as e:
        assert "Traceback" not in e.message


# -- wire details -----------------------------------------------------------------------------

@pytest.mark.parametrize("number,tag_bytes", [(1, 1), (15, 1), (16, 2), (2047, 2), (2048, 3),
                                              (262143, 3), (262144, 4), (536870911, 5)])
def test_field_tags_of_one_to_five_bytes(number, tag_bytes):
    enc = encode({"x": 1}, proto3(f"message R {{ int32 x = {number}; }}"))
    tag = enc.spans[0]
    assert (tag.kind, tag.size, tag.label) == ("tag", tag_bytes, f"field tag {number}, wire type 0 (varint)")
    assert check_walk(enc, {"x": 1}) == 1


@pytest.mark.parametrize("size", range(1, 11))
def test_varints_of_one_to_ten_bytes(size):
    value = 1 << (7 * (size - 1)) if size < 10 else 2 ** 64 - 1
    enc = encode({"x": value}, proto3("message R { uint64 x = 1; }"))
    assert enc.spans[1].size == size and enc.spans[1].value == value
    assert enc.spans[1].label == f"{value} (varint, {size} byte{'s' if size > 1 else ''})"


@pytest.mark.parametrize("type_,value,size,rule", [
    ("int32", -1, 10, "varint-int32"), ("int64", -1, 10, "varint-int64"), ("sint32", -1, 1, "zigzag32"),
    ("sint64", -64, 1, "zigzag"), ("sint64", 64, 2, "zigzag"), ("uint32", 2 ** 32 - 1, 5, "varint-uint32"),
    ("fixed32", 5, 4, "struct:<I"), ("sfixed64", -5, 8, "struct:<q"), ("float", 1.5, 4, "struct:<f"),
    ("bool", True, 1, "varint-bool")])
def test_value_encodings(type_, value, size, rule):
    enc = encode({"x": value}, proto3(f"message R {{ {type_} x = 1; }}"))
    span = enc.spans[1]
    assert (span.size, span.scalar, span.value) == (size, rule, value)
    if type_ in ("int32", "int64"):
        assert "10 bytes" in span.explanation
    if type_.startswith("sint"):
        assert "zigzag" in span.explanation


def test_packed_and_unpacked_repeated_fields():
    packed = proto3("message R { repeated int32 nums = 1; }")
    unpacked = proto3("message R { repeated int32 nums = 1 [packed = false]; }")
    record = {"nums": [1, 300, -1]}
    enc = encode(record, packed)
    assert [(s.kind, s.path) for s in enc.spans] == [
        ("tag", "nums"), ("length", "nums"), ("value", "nums[0]"), ("value", "nums[1]"), ("value", "nums[2]")]
    assert "packed" in enc.spans[1].explanation and enc.spans[1].label == "length 13"
    check_walk(enc, record)
    loose = encode(record, unpacked)
    assert [s.kind for s in loose.spans].count("tag") == 3 and loose.size == enc.size + 1
    check_walk(loose, record)
    # a reader accepts either form, whatever its schema says
    assert decode(enc.data, unpacked).record == record and decode(loose.data, packed).record == record
    assert check_walk(formats.annotate("protobuf", enc.data, unpacked), record) == 3


def test_maps_label_keys_as_names_at_the_entry_path():
    schema = proto3("message R { map<string, string> prefs = 1; map<int64, bool> flags = 2; "
                    "map<bool, M> by_bool = 3; } message M { sint32 n = 1; }")
    record = {"prefs": {"theme": "dark"}, "flags": {"-5": True}, "byBool": {"true": {"n": -3}}}
    enc = encode(record, schema)
    spans = {(s.kind, s.path): s for s in enc.spans}
    assert spans[("name", "prefs.theme")].label == 'map key "theme"'
    assert spans[("value", "prefs.theme")].value == "dark"
    assert spans[("name", 'flags["-5"]')].value == -5
    assert spans[("value", "byBool.true.n")].value == -3
    assert check_walk(enc, record) == 3
    assert decode(enc.data, schema).record == record


def test_map_entry_with_value_before_key():
    schema = proto3("message R { map<string, int32> m = 1; }")
    data = bytes.fromhex("0a07") + bytes.fromhex("1007") + b"\x0a\x03abc"   # value 7 first, then key "abc"
    enc = formats.annotate("protobuf", data, schema)
    assert check_walk(enc, {"m": {"abc": 7}}) == 1
    assert decode(data, schema).record == {"m": {"abc": 7}}


def test_groups_with_and_without_a_schema():
    schema = proto2("message R { optional group Point = 1 { optional int32 x = 2; } "
                    "repeated group Tag = 3 { optional string s = 4; } }")
    record = {"point": {"x": 5}, "tag": [{"s": "a"}, {"s": "b"}]}
    enc = encode(record, schema)
    assert enc.data.hex() == "0b10050c1b2201611c1b2201621c"
    assert [s.kind for s in enc.spans].count("terminator") == 3
    assert enc.spans[3].label == "field tag 1, wire type 4 (end group)"
    assert check_walk(enc, record) == 3
    assert decode(enc.data, schema).record == record
    bare = formats.annotate("protobuf", enc.data)
    assert [s.path for s in bare.spans if s.kind == "value"] == ["#1.#2", "#3.#4", "#3.#4"]


def test_well_known_types_import():
    schema = proto3('import "google/protobuf/timestamp.proto";\n'
                    "message Event { string name = 1; google.protobuf.Timestamp at = 2; }")
    record = {"name": "launch", "at": {"seconds": 1700000000, "nanos": 5}}
    enc = encode(record, schema)
    assert check_walk(enc, record) == 3
    assert decode(enc.data, schema).record == record


def test_editions_and_packages():
    schema = 'edition = "2023";\npackage lab.v1;\nmessage Person { string name = 1; int32 age = 2; }'
    enc = encode({"name": "Ada"}, schema)
    assert decode(enc.data, schema).record == {"name": "Ada"}   # editions: explicit presence by default


def test_oneof_sets_one_member():
    schema = proto3("message R { oneof contact { string email = 1; int64 phone = 2; } }")
    assert decode(encode({"phone": 5}, schema).data, schema).record == {"phone": 5}
    with pytest.raises(formats.FormatError, match="email and phone are both in oneof contact"):
        encode({"email": "a@b", "phone": 5}, schema)


# -- reading with another schema --------------------------------------------------------------

WRITER = proto2("""message Person {
  required string user_name = 1;
  optional int64 favorite_number = 2;
  repeated string interests = 3;
  optional string photo_url = 4;
  optional Address address = 5;
  optional Color color = 6;
}
message Address { optional string city = 1; optional string zip = 2; }
enum Color { RED = 1; GREEN = 2; BLUE = 3; }""")
READER = proto2("""message Person {
  required string user_name = 1;
  optional int32 favorite_number = 2;
  optional int64 interests = 3;
  optional Address address = 5;
  optional Color color = 6;
  optional string country = 7 [default = "UK"];
}
message Address { optional string city = 1; }
enum Color { RED = 1; GREEN = 2; }""")
NEWER = {"userName": "Martin", "favoriteNumber": 1 << 40, "interests": ["daydreaming"],
         "photoUrl": "me.png", "address": {"city": "Cambridge", "zip": "CB1"}, "color": "BLUE"}


def test_old_reader_skips_and_keeps_unknown_fields_named_by_the_writer_schema():
    data = encode(NEWER, WRITER).data
    got = decode(data, READER, WRITER)
    assert got.skipped == ["interests", "photoUrl", "address.zip", "color"]
    assert got.unknown_kept == got.skipped
    assert got.record == {"userName": "Martin", "favoriteNumber": 0, "address": {"city": "Cambridge"},
                          "country": "UK"}
    assert got.defaulted == ["country"]
    notes = " ".join(got.notes)
    assert "wire type 2 (length-delimited) but the reader's schema declares int64" in notes
    assert "the data holds 1099511627776" in notes and "reads it as 0" in notes
    assert "3 is not a value of the reader's enum Color" in notes
    assert "writes them back out" in notes
    assert decode(data, READER).skipped == ["#3", "#4", "address.#2", "color"]


def test_read_modify_write_keeps_the_unknown_fields():
    data = encode(NEWER, WRITER).data
    message = protobuf.message_class(READER)()
    message.ParseFromString(data)
    message.user_name = "Ada"
    again = protobuf.message_class(WRITER).FromString(message.SerializeToString())
    assert protobuf.message_to_record(again)["photoUrl"] == "me.png"
    assert protobuf.message_to_record(again)["address"] == {"city": "Cambridge", "zip": "CB1"}


def test_unknown_fields_are_labelled_in_the_walk():
    enc = formats.annotate("protobuf", encode(NEWER, WRITER).data, READER)
    tags = {s.path: s.label for s in enc.spans if s.kind == "tag"}
    assert tags["#4"] == "field tag 4, wire type 2 (length-delimited): unknown to this schema"
    assert tags["address.#2"].endswith("unknown to this schema")
    assert tags["#3"].endswith("the schema expects wire type 0")
    check_tiling(enc.spans, enc.size)


def test_new_reader_fills_defaults_for_fields_old_data_lacks():
    old = proto3("message P { string name = 1; }")
    new = proto3("message P { string name = 1; int64 age = 2; optional string email = 3; repeated string tags = 4;"
                 " map<string, int32> scores = 5; Q q = 6; } message Q { int32 a = 1; }")
    got = decode(encode({"name": "Ada"}, old).data, new, old)
    assert got.record == {"name": "Ada", "age": 0, "tags": [], "scores": {}}
    assert got.defaulted == ["age", "tags", "scores"]
    assert got.skipped == [] and got.notes == []


def test_closed_enum_values_in_packed_lists_are_unknown_to_old_readers():
    new = proto2("message R { repeated Color c = 1 [packed = true]; } enum Color { A = 1; B = 2; C = 3; }")
    old = proto2("message R { repeated Color c = 1 [packed = true]; } enum Color { A = 1; B = 2; }")
    got = decode(encode({"c": ["A", "C", "B"]}, new).data, old, new)
    assert got.record == {"c": ["A", "B"]} and got.skipped == ["c"]


def test_public_record_message_functions():
    message = protobuf.record_to_message(book_record(), PERSON)
    assert message.favorite_number == 1337
    assert protobuf.message_to_record(message) == book_record()
    assert protobuf.message_class(PERSON) is type(message)


# -- compiling --------------------------------------------------------------------------------

def test_two_schemas_with_the_same_message_name_stay_apart():
    a = proto3("message Person { string name = 1; }")
    b = proto3("message Person { int64 id = 1; string name = 2; }")
    for _ in range(3):
        assert encode({"name": "Ada"}, a).data == b"\n\x03Ada"
        assert encode({"name": "Ada"}, b).data == b"\x12\x03Ada"
    assert protobuf.message_class(a) is not protobuf.message_class(b)


def test_a_thousand_schemas_leave_no_trace_in_modules_or_the_default_pool():
    modules = len(sys.modules)
    for i in range(1000):
        compile_schema(proto3(f"message Leak{i} {{ int32 f{i} = 1; }}")).record_class
    assert len(sys.modules) == modules
    with pytest.raises(KeyError):
        descriptor_pool.Default().FindMessageTypeByName("Leak7")
    assert compile_schema.bytes <= compile_schema.max_bytes


def test_compiling_from_many_threads_keeps_each_schema_and_error_its_own():
    results = {}

    def work(i):
        try:
            good = proto3(f"message T{i} {{ int32 x = {i + 1}; }}")
            assert encode({"x": 1}, good).spans[0].label.startswith(f"field tag {i + 1},")
            compile_schema(proto3("\n" * i + "message Bad {"))
        except formats.FormatError as e:
            results[i] = e.line
    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: i + 3 for i in range(12)}


# -- bad input --------------------------------------------------------------------------------

BAD = [
    ("record", {"userName": "Martin", "favoriteNumber": "abc"}, PERSON,
     'favoriteNumber: expected an integer (int64), got the string "abc"'),
    ("record", {"userName": "Martin", "age": 3}, PERSON, "has no field 'age': add it to the schema"),
    ("record", {"favoriteNumber": 3}, PERSON, "userName (field tag 1) is required"),
    ("record", {"x": 2 ** 31}, proto3("message R { int32 x = 1; }"), "outside the int32 range"),
    ("record", {"x": -1}, proto3("message R { fixed32 x = 1; }"), "outside the fixed32 range"),
    ("record", {"x": 1e39}, proto3("message R { float x = 1; }"), "too large for a float"),
    ("record", {"c": "PURPLE"}, proto3("message R { E c = 1; } enum E { A = 0; B = 1; }"),
     "not a value of enum E (A, B)"),
    ("record", {"m": {"x1": 1}}, proto3("message R { map<int32, int32> m = 1; }"), "not a whole number"),
    ("record", {"l": [1, None]}, proto3("message R { repeated int32 l = 1; }"), "l[1]: a repeated field cannot hold null"),
    ("record", {"s": {"a": 1}}, proto3("message R { string s = 1; }"), "s: expected a string (string), got an object"),
    ("schema", {}, 'syntax = "proto3";\nmessage R {\n  int32 x = 1\n}', "line 4, column 1: Expected \";\""),
    ("schema", {}, proto3('import "/etc/passwd";\nmessage R {}'), 'cannot import "/etc/passwd"'),
    ("schema", {}, proto3('import "../x.proto";\nmessage R {}'), 'cannot import "../x.proto"'),
    ("schema", {}, proto3("enum E { A = 0; }"), "the first message in the .proto is the record"),
    ("schema", {}, proto3("message R { int32 a = 1; string b = 1; }"), "line 2, column 37: Field number 1 has already been used"),
    ("schema", {}, " ", "needs a schema"),
]


@pytest.mark.parametrize("what,record,schema,message", BAD)
def test_bad_records_and_schemas(what, record, schema, message):
    with pytest.raises(formats.FormatError) as e:
        encode(record, schema)
    assert message in e.value.message
    assert "/tmp" not in e.value.message and "Traceback" not in e.value.message and "<" not in e.value.message
    if what == "schema" and "line" in message:
        assert e.value.line is not None


BAD_BYTES = [
    ("0a064d6172", PERSON, "byte 2: the data ends inside the value of userName", "3 left"),
    ("0a", PERSON, "byte 1:", "ends inside"),
    ("0f", PERSON, "byte 0: wire type 7 does not exist", ""),
    ("00", PERSON, "byte 0: field tag 0 is not valid", ""),
    ("10" + "ff" * 10 + "01", PERSON, "byte 1: a varint longer than 10 bytes", ""),
    ("0a02c328", proto3("message P { string user_name = 1; }"), "byte 2: the text of userName is not valid UTF-8",
     "0xc3"),
    ("2a030a054142434445", WRITER, "runs past the end of its enclosing field, which ends at byte 5", ""),
    ("0c", PERSON, "byte 0: an end-group tag for field 1", ""),
    ("0b0801", PERSON, "byte 3: the group for field tag 1 has no end-group tag", ""),
]


@pytest.mark.parametrize("hex_data,schema,message,also", BAD_BYTES)
def test_bad_bytes_name_the_offset(hex_data, schema, message, also):
    for call in (lambda d: formats.annotate("protobuf", d, schema), lambda d: decode(d, schema)):
        with pytest.raises(formats.FormatError) as e:
            call(bytes.fromhex(hex_data))
        assert message in e.value.message and also in e.value.message
        assert e.value.offset is not None
        assert "/tmp" not in e.value.message and "<" not in e.value.message


def test_proto2_strings_that_are_not_utf8_come_back_as_bytes():
    enc = formats.annotate("protobuf", bytes.fromhex("0a02c328"), PERSON)
    assert (enc.spans[-1].label, enc.spans[-1].scalar) == ("2 bytes, not UTF-8", "bytes")
    assert decode(enc.data, PERSON).record["userName"] == b"\xc3("


PRESET_BYTES = [(formats.encode("protobuf", json.loads((ROOT / f"sample_data/{p}/record.json").read_text()),
                                (ROOT / f"sample_data/{p}/schema.proto").read_text()).data,
                 (ROOT / f"sample_data/{p}/schema.proto").read_text())
                for p in ("person", "order", "profile", "weather")]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(range(4)), st.sampled_from(range(4)),
       st.lists(st.tuples(st.sampled_from("sdi"), st.integers(0, 200), st.integers(0, 255)), min_size=1, max_size=3))
def test_the_walk_fails_exactly_where_the_library_fails(data_from, schema_from, edits):
    """Damaged preset bytes, read with any preset's schema: the walk and protobuf agree on what parses."""
    data = bytearray(PRESET_BYTES[data_from][0])
    for op, at, byte in edits:
        at %= len(data) + 1
        if op == "i":
            data.insert(at, byte)
        elif at < len(data):
            data[at:at + 1] = b"" if op == "d" else bytes([byte])
    schema = PRESET_BYTES[schema_from][1]
    try:
        protobuf.message_class(schema).FromString(bytes(data))
        library = True
    except Exception:
        library = False
    try:
        FMT.annotate(bytes(data), schema)
        walked = True
    except formats.FormatError:
        walked = False
    assert walked == library


def test_reader_requires_a_field_the_data_lacks():
    data = encode({"favoriteNumber": 1}, proto3("message P { int64 favorite_number = 2; }")).data
    with pytest.raises(formats.FormatError,
                       match=r"the reader's schema requires userName \(field tag 1\) but the data has no such field"):
        decode(data, PERSON)


def test_deep_nesting_never_recurses_without_limit():
    deep = b""
    for _ in range(200):
        deep = b"\x0a" + bytes([len(deep)]) + deep if len(deep) < 128 else b"\x0a" + bytes(
            [0x80 | len(deep) & 0x7F, len(deep) >> 7]) + deep
    check_tiling(formats.annotate("protobuf", deep).spans, len(deep))   # deep guesses become bytes
    node = proto3("message Node { Node next = 1; }")
    with pytest.raises(formats.FormatError, match="nest deeper than 32"):
        formats.annotate("protobuf", deep, node)
    record: dict = {}
    for _ in range(40):
        record = {"next": record}
    with pytest.raises(formats.FormatError, match="deeper than 32"):
        encode(record, node)


# -- inferring a schema -----------------------------------------------------------------------

def test_default_schema_is_proto3_with_optional_scalars_and_nested_messages():
    record = {"user_name": "Ada", "age": 36, "score": 1.5, "admin": False, "nickname": None,
              "tags": [], "lines": [{"sku": "A", "qty": 1}], "address": {"city": "London"}}
    schema = FMT.default_schema(record)
    assert schema == '''syntax = "proto3";

message Record {
  optional string user_name = 1 [json_name = "user_name"];
  optional int64 age = 2;
  optional double score = 3;
  optional bool admin = 4;
  optional string nickname = 5;  // null in the record: never written
  repeated string tags = 6;
  repeated Line lines = 7;
  Address address = 8;

  message Line {
    optional string sku = 1;
    optional int64 qty = 2;
  }

  message Address {
    optional string city = 1;
  }
}
'''
    enc = encode(record, schema)
    assert "nickname" not in decode(enc.data, schema).record
    assert decode(enc.data, schema).record == FMT.comparable(record)
    assert decode(encode({"admin": False, "age": 0}, schema).data, schema).record == {
        "admin": False, "age": 0, "tags": [], "lines": []}   # optional: zeros round-trip


@pytest.mark.parametrize("record,message", [
    ({"grid": [[1, 2], [3]]}, "grid: a list of lists; protobuf has no repeated repeated field"),
    ({"mixed": [1, "a"]}, "mixed: values of different types"),
    ({"holes": [1, None]}, "holes: a list holding null"),
    ({"2026-11-25": 3}, "'2026-11-25' cannot be a protobuf field name"),
    ({"a_b": 1, "aB": 2}, "same protobuf JSON name 'aB'"),
    ({"rows": [{"a": 1}, {"a": "x"}]}, "rows.a: values of different types"),
])
def test_default_schema_refuses_what_protobuf_cannot_hold(record, message):
    with pytest.raises(formats.FormatError) as e:
        FMT.default_schema(record)
    assert message in e.value.message


def test_nested_type_names_are_unique():
    record = {"record": {"x": 1}, "item": {"item": {"y": 2}}, "Line": 3, "line": {"z": 4}}
    schema = FMT.default_schema(record)
    assert "Record2 record = 1;" in schema and "Item item = 2;" in schema and "Item2 item = 1;" in schema
    assert "Line2 line = 4;" in schema   # a type may not share a name with a field beside it
    assert decode(encode(record, schema).data, schema).record == record


def test_comparable_drops_nulls_and_fills_lists_protobuf_gives_back():
    record = {"a": None, "b": {"c": None, "d": 1}, "rows": [{"t": [1]}, {"u": 2}, {"t": None}]}
    assert FMT.comparable(record) == {"b": {"d": 1}, "rows": [{"t": [1]}, {"u": 2, "t": []}, {"t": []}]}
    schema = FMT.default_schema(record)
    assert decode(encode(record, schema).data, schema).record == FMT.comparable(record)


# -- presets ----------------------------------------------------------------------------------

@pytest.mark.parametrize("preset,size", [("person", 33), ("order", 104), ("profile", 114), ("weather", 77)])
def test_presets_encode_with_their_proto(preset, size):
    record = json.loads((ROOT / f"sample_data/{preset}/record.json").read_text())
    schema = (ROOT / f"sample_data/{preset}/schema.proto").read_text()
    enc = encode(record, schema)
    assert enc.size == size
    assert check_walk(enc, record) > 0
    assert decode(enc.data, schema).record == record


def test_weather_readings_are_zigzag_and_packed():
    record = json.loads((ROOT / "sample_data/weather/record.json").read_text())
    enc = encode(record, (ROOT / "sample_data/weather/schema.proto").read_text())
    readings = [s for s in enc.spans if s.path.startswith("readings[")]
    assert [s.size for s in readings] == [1, 1, 5, 10] and readings[0].scalar == "zigzag"
    assert scalars.read("zigzag", enc.data[readings[0].start:readings[0].end]) == -52
    assert struct.unpack("<d", enc.data[42:50])[0] == -67.7
