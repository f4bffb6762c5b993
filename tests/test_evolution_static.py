"""Static verdicts: Avro's equal the reference checker's; the Protobuf/Thrift rule table agrees with
what the real libraries do when they decode."""
import avro.schema
import pytest
from avro.compatibility import ReaderWriterCompatibilityChecker

from evolution.catalogue import CHANGES, change
from evolution.resolve import read_across
from evolution.rules import RULES, STATUSES
from evolution.static import static_verdict
from formats.errors import FormatError


def _reference(writer: str, reader: str) -> str:
    checker = ReaderWriterCompatibilityChecker()
    return checker.get_compatibility(avro.schema.parse(reader), avro.schema.parse(writer)).compatibility.value


AVRO_PAIRS = [(c.id, d) for c in CHANGES if c.applies("avro") for d in ("backward", "forward")]


@pytest.mark.parametrize("change_id,direction", AVRO_PAIRS)
def test_avro_verdicts_equal_the_reference_checker(change_id, direction):
    v1, v2 = next(c for c in CHANGES if c.id == change_id).schemas("avsc")
    writer, reader = (v1, v2) if direction == "backward" else (v2, v1)
    verdict = static_verdict("avro", writer, reader)
    reference = _reference(writer, reader)
    assert verdict.reference == reference
    _agrees_with_the_reference(verdict, reference)


def _agrees_with_the_reference(verdict, reference):
    """Incompatible exactly when the reference checker says so, except for bytes read as a string: the spec
    promotes bytes to string ("Schema Resolution"), so the checker accepts, but fastavro refuses bytes that
    are not UTF-8, as proto3 does."""
    stricter = [f for f in verdict.rules if f.rule == "bytes-to-checked-string"]
    assert (verdict.status == "incompatible") == (reference == "incompatible" or bool(stricter))
    assert verdict.status == "incompatible" or all(f.status != "incompatible" for f in verdict.rules)


def _record(fields, name="P", **extra) -> str:
    import json
    return json.dumps({"type": "record", "name": name, "fields": fields, **extra})


ENUM = {"type": "enum", "name": "S", "symbols": ["A", "B", "C"]}
SHORT_ENUM_WITH_DEFAULT = {"type": "enum", "name": "S", "symbols": ["A", "C"], "default": "A"}
NESTED = {"type": "record", "name": "N"}
X_INT = {"name": "x", "type": "int"}
LINKED = _record([{"name": "v", "type": "int"}, {"name": "next", "type": ["null", "P"], "default": None}])


@pytest.mark.parametrize("writer,reader,status,rule", [
    # an enum default fills in for a symbol the reader lacks: the checker accepts, data changes
    (_record([{"name": "s", "type": ENUM}]), _record([{"name": "s", "type": SHORT_ENUM_WITH_DEFAULT}]),
     "lossy", "enum-default-fill"),
    (_record([{"name": "a", "type": "int"}], name="Old"), _record([{"name": "a", "type": "int"}], name="New"),
     "incompatible", "name-mismatch"),
    (_record([{"name": "a", "type": "int"}], name="Old"),
     _record([{"name": "a", "type": "int"}], name="New", aliases=["Old"]), "compatible", None),
    (_record([{"name": "f", "type": {"type": "fixed", "name": "F", "size": 4}}]),
     _record([{"name": "f", "type": {"type": "fixed", "name": "F", "size": 8}}]), "incompatible",
     "fixed-size-mismatch"),
    (_record([{"name": "m", "type": {"type": "map", "values": "int"}}]),
     _record([{"name": "m", "type": {"type": "map", "values": "long"}}]), "compatible", "type-promoted"),
    (_record([{"name": "m", "type": {"type": "array", "items": "long"}}]),
     _record([{"name": "m", "type": {"type": "array", "items": "int"}}]), "incompatible", "type-mismatch"),
    # a nested field the reader has no field for is ignored, as at the top level
    (_record([{"name": "n", "type": {**NESTED, "fields": [X_INT, {"name": "y", "type": "int"}]}}]),
     _record([{"name": "n", "type": {**NESTED, "fields": [X_INT]}}]),
     "compatible", "field-skipped"),
    (LINKED, LINKED, "compatible", None),   # a recursive type does not recurse forever
])
def test_avro_verdicts_beyond_the_catalogue(writer, reader, status, rule):
    verdict = static_verdict("avro", writer, reader)
    assert verdict.status == status
    _agrees_with_the_reference(verdict, _reference(writer, reader))
    if rule:
        assert rule in [f.rule for f in verdict.rules]
    for finding in verdict.rules:
        assert finding.rule in RULES and "{" not in finding.explanation


def test_the_nested_field_is_named_in_the_explanation():
    writer = _record([{"name": "n", "type": {**NESTED, "fields": [{"name": "x", "type": "long"}]}}])
    reader = _record([{"name": "n", "type": {**NESTED, "fields": [X_INT]}}])
    (finding,) = static_verdict("avro", writer, reader).rules
    assert finding.rule == "type-mismatch" and "`n.x`" in finding.explanation


def test_every_rule_has_a_status_and_a_summary():
    for name, rule in RULES.items():
        assert rule.name == name and rule.status in STATUSES and rule.summary.endswith(".")


P2 = 'syntax = "proto2"; '
P3 = 'syntax = "proto3"; '


# writer .proto, reader .proto, record, expected status (static and decoded), a rule the verdict cites
PROTO_CASES = [
    (P3 + "message M { fixed32 n = 1; }", P3 + "message M { sfixed32 n = 1; }", {"n": 4294967295},
     "lossy", "fixed-reinterpreted"),
    (P3 + "message M { uint64 n = 1; }", P3 + "message M { int64 n = 1; }", {"n": 2 ** 64 - 1},
     "lossy", "varint-narrowed"),
    (P3 + "message M { uint32 n = 1; }", P3 + "message M { int64 n = 1; }", {"n": 7}, "compatible",
     "varint-widened"),
    # bool, int32, uint32, int64, uint64 are compatible ("Updating A Message Type"): true travels as 1
    (P3 + "message M { bool n = 1; }", P3 + "message M { uint32 n = 1; }", {"n": True}, "compatible",
     "bool-to-int"),
    (P3 + "message M { uint32 n = 1; }", P3 + "message M { bool n = 1; }", {"n": 7}, "lossy",
     "varint-narrowed"),
    # proto3 packs repeated numbers: one length-delimited field a singular reader cannot take
    (P3 + "message M { repeated int64 n = 1; }", P3 + "message M { int64 n = 1; }", {"n": [1, 2]},
     "lossy", "wire-type-mismatch"),
    (P3 + "message M { int64 n = 1; }", P3 + "message M { repeated int64 n = 1; }", {"n": 5},
     "compatible", "singular-to-repeated"),
    (P3 + "message M { string s = 1; }", P3 + "message M { N s = 1; } message N { int32 x = 1; }",
     {"s": "Martin"}, "incompatible", "message-mismatch"),
    (P3 + "message M { string email = 4; }", P3 + "message M { int32 age = 4; }", {"email": "m@x"},
     "lossy", "tag-reused"),
    # enum is wire-compatible with int32 ("Updating A Message Type"): the number is the value
    (P2 + "message M { optional E e = 1; } enum E { A = 0; B = 1; }",
     P2 + "message M { optional int32 e = 1; }", {"e": "B"}, "compatible", "enum-to-int"),
    # a closed (proto2) enum files a number it lacks as an unknown field
    (P2 + "message M { optional int32 e = 1; }",
     P2 + "message M { optional E e = 1; } enum E { A = 0; B = 1; }", {"e": 7}, "lossy", "int-to-enum"),
    (P3 + "message M { N n = 1; } message N { int32 x = 1; int32 y = 2; }",
     P3 + "message M { N n = 1; } message N { int32 x = 1; }", {"n": {"x": 1, "y": 2}}, "compatible",
     "field-skipped"),
    # `y` moved to tag 1, which carries the writer's `x`: the reader knows `y`, so its value is lost
    (P3 + "message M { int32 x = 1; int32 y = 2; }", P3 + "message M { int32 y = 1; }", {"x": 1, "y": 2},
     "lossy", "tag-changed"),
]


@pytest.mark.parametrize("writer,reader,record,status,rule", PROTO_CASES)
def test_protobuf_rules_agree_with_the_library(writer, reader, record, status, rule):
    verdict = static_verdict("protobuf", writer, reader)
    assert rule in [f.rule for f in verdict.rules], verdict
    assert verdict.status == status
    assert read_across("protobuf", record, writer, reader).status == status


def test_proto3_string_checks_utf8_and_proto2_does_not():
    p3 = static_verdict("protobuf", P3 + "message M { bytes s = 1; }", P3 + "message M { string s = 1; }")
    assert p3.status == "incompatible" and p3.rules[0].rule == "bytes-to-checked-string"
    p2 = static_verdict("protobuf", P2 + "message M { optional bytes s = 1; }",
                        P2 + "message M { optional string s = 1; }")
    assert p2.status == "compatible" and p2.rules[0].rule == "string-bytes"


def test_enum_renames_travel_as_numbers():
    verdict = static_verdict("protobuf", P3 + "message M { E e = 1; } enum E { A = 0; B = 1; }",
                             P3 + "message M { E e = 1; } enum E { A = 0; IDLE = 1; }")
    assert verdict.status == "compatible" and verdict.rules[0].rule == "enum-value-renamed"


def test_recursive_messages_terminate():
    text = P3 + "message M { M next = 1; int32 v = 2; }"
    assert static_verdict("protobuf", text, text).status == "compatible"


THRIFT_CASES = [
    ("thrift-binary", "struct P { 1: optional list<string> a, 2: optional i32 b }",
     "struct P { 1: optional list<i32> a, 2: optional i32 b }", {"a": ["x"], "b": 5}, "lossy",
     "element-type-mismatch"),
    ("thrift-compact", "struct P { 1: optional list<string> a, 2: optional i32 b }",
     "struct P { 1: optional list<i32> a, 2: optional i32 b }", {"a": ["x"], "b": 5}, "incompatible",
     "compact-element-misread"),
    ("thrift-compact", "struct P { 1: optional map<string, i64> m }", "struct P { 1: optional map<string, i32> m }",
     {"m": {"k": 1}}, "lossy", "element-type-mismatch"),
    ("thrift-binary", "enum E { A = 0, B = 1 } struct P { 1: optional E e }", "struct P { 1: optional i32 e }",
     {"e": "B"}, "compatible", "enum-to-int"),
    ("thrift-compact", "struct N { 1: i32 x, 2: i32 y } struct P { 1: optional N n }",
     "struct N { 1: i32 x } struct P { 1: optional N n }", {"n": {"x": 1, "y": 2}}, "compatible",
     "field-skipped"),
    ("thrift-binary", "struct N { 1: i32 x, 2: i32 y } struct P { 1: optional N n }",
     "struct N { 1: i32 x, 3: i32 y } struct P { 1: optional N n }", {"n": {"x": 1, "y": 2}}, "lossy",
     "tag-changed"),
    ("thrift-binary", "struct P { 1: optional string s }", "struct P { 1: optional double s }", {"s": "x"},
     "lossy", "type-id-mismatch"),
]


@pytest.mark.parametrize("format_id,writer,reader,record,status,rule", THRIFT_CASES)
def test_thrift_rules_agree_with_the_library(format_id, writer, reader, record, status, rule):
    verdict = static_verdict(format_id, writer, reader)
    assert rule in [f.rule for f in verdict.rules] and verdict.status == status, verdict
    assert read_across(format_id, record, writer, reader).status == status


@pytest.mark.parametrize("format_id,language", [("avro", "avsc"), ("protobuf", "proto"), ("thrift-binary", "thrift")])
def test_an_old_reader_ignoring_an_added_field_is_compatible(format_id, language):
    v1, v2 = change("add-optional-field").schemas(language)
    verdict = static_verdict(format_id, v2, v1)   # old code reads new data
    assert verdict.status == "compatible" and [f.rule for f in verdict.rules] == ["field-skipped"]
    assert "`email`" in verdict.rules[0].explanation and "read-modify-write" in verdict.rules[0].explanation


def test_schemaless_formats_have_no_static_verdict():
    with pytest.raises(FormatError, match="no schema"):
        static_verdict("json", "{}", "{}")


def test_bad_schemas_are_format_errors_that_point_at_the_spot():
    with pytest.raises(FormatError) as caught:
        static_verdict("protobuf", P3 + "message M { int32 n = 1 }", P3 + "message M { int32 n = 1; }")
    assert caught.value.line == 1 and "/tmp" not in caught.value.message
    with pytest.raises(FormatError):
        static_verdict("avro", '{"type": "record", "name": "P", "fields": [{"name": "a"}]}', _record([]))
    with pytest.raises(FormatError):
        static_verdict("thrift-binary", "struct P { 1: optional strin s }", "struct P { 1: optional string s }")
