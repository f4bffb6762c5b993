"""Schema pairs beyond the catalogue, as a Protobuf, Avro and Thrift expert would try them (issue 9).

Each row is a v1 and a v2 schema with the record each version writes, read both ways through the
lab's free-edit API (evolution.read_across, evolution.static_verdict), against the expected
verdicts, each citing the rule it comes from:
- Avro: the specification, "Schema Resolution" (and "Primitive Types": float is 32-bit, string
  is UTF-8);
- Protobuf: the language guide, "Updating A Message Type" (and editions' features: enum_type,
  utf8_validation);
- Thrift: the protocol specs: every field carries a type id and a reader skips a field whose
  type it does not expect; in the compact protocol i16, i32 and i64 are all zigzag varints.
Every read is recomputed by tests/oracle.py with the raw libraries only, and the lab must agree
with it; every Protobuf pair also goes to buf, whose WIRE verdict agrees with the rule table or
the page has a sentence saying why not.

Letters: decode then static verdict, C compatible, L lossy, I incompatible.
"""
from dataclasses import dataclass

import pytest

from evolution import buf
from evolution.resolve import NEWER, read_across
from evolution.static import static_verdict
from formats import paths
from tests import oracle

_LETTER = {"C": "compatible", "L": "lossy", "I": "incompatible"}
P2, P3, E23 = 'syntax = "proto2";\n', 'syntax = "proto3";\n', 'edition = "2023";\n'


def avsc(*fields, name="P", extra="") -> str:
    return '{"type": "record", "name": "%s", "fields": [%s]%s}' % (name, ", ".join(fields), extra)


NESTED_X = '{"type": "record", "name": "N", "fields": [{"name": "x", "type": "int"}]}'
NESTED_XY = ('{"type": "record", "name": "N", "fields": [{"name": "x", "type": "int"}, '
             '{"name": "y", "type": "int", "default": 5}]}')


@dataclass(frozen=True)
class Row:
    name: str
    format_id: str
    v1: str
    v2: str
    rec1: dict
    rec2: dict
    backward: str    # v2 code reads v1's bytes: decode letter, static letter
    forward: str     # v1 code reads v2's bytes


ROWS = [
    # --- Avro ------------------------------------------------------------------------------------------
    # class 1. "Schema Resolution": a reader field the writer lacks takes its default; a writer field the
    # reader lacks is ignored. Inside a nested record exactly as at the top level.
    Row("avro nested record gains a field with a default", "avro",
        avsc('{"name": "n", "type": %s}' % NESTED_X), avsc('{"name": "n", "type": %s}' % NESTED_XY),
        {"n": {"x": 1}}, {"n": {"x": 1, "y": 2}}, "CC", "CC"),
    Row("avro array of nested records gains a field", "avro",
        avsc('{"name": "a", "type": {"type": "array", "items": %s}}' % NESTED_X),
        avsc('{"name": "a", "type": {"type": "array", "items": %s}}' % NESTED_XY),
        {"a": [{"x": 1}, {"x": 2}]}, {"a": [{"x": 1, "y": 9}]}, "CC", "CC"),
    # class 2. "long is promotable to float, or double": allowed, but 2^53 + 1 has no double; "int is
    # promotable to long, float, or double": a float ("Primitive Types": 32-bit) has no 2^24 + 1. Never back.
    Row("avro long to double", "avro", avsc('{"name": "n", "type": "long"}'), avsc('{"name": "n", "type": "double"}'),
        {"n": 2 ** 53 + 1}, {"n": 1.5}, "LL", "II"),
    Row("avro int to float", "avro", avsc('{"name": "n", "type": "int"}'), avsc('{"name": "n", "type": "float"}'),
        {"n": 2 ** 24 + 1}, {"n": 0.5}, "LL", "II"),
    Row("avro long to float, a small value", "avro", avsc('{"name": "n", "type": "long"}'),
        avsc('{"name": "n", "type": "float"}'), {"n": 1337}, {"n": 2.5}, "CL", "II"),
    Row("avro null-or-long to null-or-double", "avro",
        avsc('{"name": "n", "type": ["null", "long"], "default": null}'),
        avsc('{"name": "n", "type": ["null", "double"], "default": null}'),
        {"n": 2 ** 60 + 1}, {"n": None}, "LL", "CI"),   # v2 may write a double; this record is null
    # an int always fits a long and a double; a float always fits a double
    Row("avro int to long", "avro", avsc('{"name": "n", "type": "int"}'), avsc('{"name": "n", "type": "long"}'),
        {"n": 2 ** 31 - 1}, {"n": 7}, "CC", "II"),
    Row("avro float to double", "avro", avsc('{"name": "n", "type": "float"}'),
        avsc('{"name": "n", "type": "double"}'), {"n": 0.1}, {"n": 0.25}, "CC", "II"),
    # class 8. "bytes is promotable to string" (the reference checker accepts), but a string is UTF-8:
    # fastavro refuses other bytes, as proto3 does. "string is promotable to bytes": always fine.
    Row("avro bytes to string, not UTF-8", "avro", avsc('{"name": "s", "type": "bytes"}'),
        avsc('{"name": "s", "type": "string"}'), {"s": b"\xff\xfe"}, {"s": "Martin"}, "II", "CC"),
    Row("avro bytes to string, UTF-8 this time", "avro", avsc('{"name": "s", "type": "bytes"}'),
        avsc('{"name": "s", "type": "string"}'), {"s": b"Martin"}, {"s": "Ann"}, "CI", "CC"),
    # "if the writer's symbol is not in the reader's enum ... the reader's default is used"
    Row("avro enum symbol dropped, reader default", "avro",
        avsc('{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["A", "B", "C"]}}'),
        avsc('{"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["A", "B"], "default": "A"}}'),
        {"s": "C"}, {"s": "B"}, "LL", "CC"),

    # --- Protobuf ---------------------------------------------------------------------------------------
    # class 1. "Updating A Message Type": new fields are ignored by old code and absent (default) for new
    # code, in nested messages too.
    Row("proto3 nested message gains a field", "protobuf",
        P3 + "message M { N n = 1; }\nmessage N { int32 x = 1; }",
        P3 + "message M { N n = 1; }\nmessage N { int32 x = 1; int32 y = 2; }",
        {"n": {"x": 1}}, {"n": {"x": 1, "y": 2}}, "CC", "CC"),
    Row("proto2 repeated nested message gains a field", "protobuf",
        P2 + "message M { repeated N n = 1; }\nmessage N { optional int32 x = 1; }",
        P2 + "message M { repeated N n = 1; }\nmessage N { optional int32 x = 1; optional string y = 2; }",
        {"n": [{"x": 1}, {"x": 2}]}, {"n": [{"x": 1, "y": "a"}]}, "CC", "CC"),
    Row("proto3 zero values are not written", "protobuf",
        P3 + "message M { int32 n = 1; string s = 2; }", P3 + "message M { int32 n = 1; string s = 2; bool b = 3; }",
        {"n": 0, "s": ""}, {"n": 0, "s": "", "b": False}, "CC", "CC"),
    # class 3. Open enums (proto3; editions' enum_type OPEN by default) keep unknown numbers; closed (proto2,
    # or enum_type CLOSED) treat them as unknown fields.
    Row("proto3 open enum gains a value", "protobuf",
        P3 + "message M { E e = 1; }\nenum E { A = 0; B = 1; }",
        P3 + "message M { E e = 1; }\nenum E { A = 0; B = 1; C = 2; }", {"e": "B"}, {"e": "C"}, "CC", "CC"),
    Row("editions open enum gains a value, inside a nested message", "protobuf",
        E23 + "message M { N n = 1; }\nmessage N { E e = 1; }\nenum E { A = 0; B = 1; }",
        E23 + "message M { N n = 1; }\nmessage N { E e = 1; }\nenum E { A = 0; B = 1; C = 2; }",
        {"n": {"e": "B"}}, {"n": {"e": "C"}}, "CC", "CC"),
    Row("proto2 closed enum gains a value", "protobuf",
        P2 + "message M { optional E e = 1; }\nenum E { A = 0; B = 1; }",
        P2 + "message M { optional E e = 1; }\nenum E { A = 0; B = 1; C = 2; }", {"e": "B"}, {"e": "C"},
        "CC", "LL"),
    Row("editions enum_type CLOSED gains a value", "protobuf",
        E23 + "option features.enum_type = CLOSED;\nmessage M { E e = 1; }\nenum E { A = 0; B = 1; }",
        E23 + "option features.enum_type = CLOSED;\nmessage M { E e = 1; }\nenum E { A = 0; B = 1; C = 2; }",
        {"e": "A"}, {"e": "C"}, "CC", "LL"),
    # "enum is compatible with int32, uint32, int64, and uint64 in terms of wire format": the number arrives
    Row("proto3 enum to int32", "protobuf", P3 + "message M { E e = 1; }\nenum E { A = 0; B = 1; }",
        P3 + "message M { int32 e = 1; }", {"e": "B"}, {"e": 7}, "CC", "CC"),
    Row("proto2 enum to int32: the closed enum drops 7", "protobuf",
        P2 + "message M { optional E e = 1; }\nenum E { A = 0; B = 1; }", P2 + "message M { optional int32 e = 1; }",
        {"e": "B"}, {"e": 7}, "CC", "LL"),
    # "embedded messages are compatible with bytes if the bytes contain an encoded version of the message"
    Row("proto3 message to bytes", "protobuf", P3 + "message M { N n = 1; }\nmessage N { int32 x = 1; }",
        P3 + "message M { bytes n = 1; }\nmessage N { int32 x = 1; }",
        {"n": {"x": 1}}, {"n": b"\x08\x01"}, "CC", "CI"),
    Row("proto3 message to bytes that are not a message", "protobuf",
        P3 + "message M { N n = 1; }\nmessage N { int32 x = 1; }",
        P3 + "message M { bytes n = 1; }\nmessage N { int32 x = 1; }",
        {"n": {"x": 300}}, {"n": b"\x08"}, "CC", "II"),
    # a message read as a checked string: its encoding is binary ("string and bytes are compatible as long
    # as the bytes are valid UTF-8"); 300 encodes as 08 ac 02, not UTF-8
    Row("proto3 string to message", "protobuf", P3 + "message M { string s = 1; }\nmessage N { int32 x = 1; }",
        P3 + "message M { N s = 1; }\nmessage N { int32 x = 1; }", {"s": "Martin"}, {"s": {"x": 300}}, "II", "II"),
    # class 4. "Moving multiple fields into a new oneof may be safe if you are sure that no code sets more
    # than one at a time"; "changing a single field into a member of a new oneof is safe"
    Row("proto3 two fields move into a new oneof", "protobuf", P3 + "message M { int32 a = 1; int32 b = 2; }",
        P3 + "message M { oneof o { int32 a = 1; int32 b = 2; } }", {"a": 1, "b": 2}, {"b": 2}, "LL", "CC"),
    Row("proto3 one field moves into a new oneof", "protobuf", P3 + "message M { int32 a = 1; string s = 2; }",
        P3 + "message M { oneof o { int32 a = 1; } string s = 2; }", {"a": 1, "s": "x"}, {"a": 2, "s": "y"},
        "CC", "CC"),
    Row("proto2 a field joins an existing oneof", "protobuf",
        P2 + "message M { oneof o { int32 a = 1; } optional int32 b = 2; }",
        P2 + "message M { oneof o { int32 a = 1; int32 b = 2; } }", {"a": 1, "b": 2}, {"a": 1}, "LL", "CC"),
    # class 6. "You can remove fields, as long as the field number is not used again ... reserve the field
    # number"; reusing the number makes old data mean something else
    Row("proto3 field deleted, number not reserved", "protobuf", P3 + "message M { int32 a = 1; int32 b = 2; }",
        P3 + "message M { int32 a = 1; }", {"a": 1, "b": 2}, {"a": 3}, "CC", "CC"),
    Row("proto3 field deleted, number reserved", "protobuf", P3 + "message M { int32 a = 1; int32 b = 2; }",
        P3 + "message M { int32 a = 1; reserved 2; }", {"a": 1, "b": 2}, {"a": 3}, "CC", "CC"),
    Row("proto3 deleted number reused for a string", "protobuf", P3 + "message M { int32 a = 1; int64 b = 2; }",
        P3 + "message M { int32 a = 1; string email = 2; }", {"a": 1, "b": 1337}, {"a": 1, "email": "m@x"},
        "LL", "LL"),
    # class 7. editions: string fields check UTF-8 unless features.utf8_validation = NONE
    Row("editions bytes to string", "protobuf", E23 + "message M { bytes s = 1; }", E23 + "message M { string s = 1; }",
        {"s": b"\xff"}, {"s": "Martin"}, "II", "CC"),
    Row("editions bytes to an unchecked string", "protobuf", E23 + "message M { bytes s = 1; }",
        E23 + "message M { string s = 1 [features.utf8_validation = NONE]; }", {"s": b"\xff"}, {"s": "Ann"},
        "CC", "CC"),
    Row("proto2 bytes to string", "protobuf", P2 + "message M { optional bytes s = 1; }",
        P2 + "message M { optional string s = 1; }", {"s": b"\xff"}, {"s": "Ann"}, "CC", "CC"),
    Row("proto3 string to bytes", "protobuf", P3 + "message M { string s = 1; }", P3 + "message M { bytes s = 1; }",
        {"s": "Martin"}, {"s": b"\xff"}, "CC", "II"),
    # "int32, uint32, int64, uint64, and bool are all compatible ... a 64-bit number read as an int32 is
    # truncated to 32 bits"; "sint32 and sint64 are compatible with each other but not with the other
    # integer types"; "fixed32 is compatible with sfixed32": the same bits, another number past 2^31
    Row("proto3 int64 to int32", "protobuf", P3 + "message M { int64 n = 1; }", P3 + "message M { int32 n = 1; }",
        {"n": 2 ** 40 + 5}, {"n": -7}, "LL", "CC"),
    Row("proto3 int32 to sint32", "protobuf", P3 + "message M { int32 n = 1; }", P3 + "message M { sint32 n = 1; }",
        {"n": 1}, {"n": 1}, "LL", "LL"),
    Row("proto3 fixed32 to sfixed32", "protobuf", P3 + "message M { fixed32 n = 1; }",
        P3 + "message M { sfixed32 n = 1; }", {"n": 2 ** 32 - 1}, {"n": -1}, "LL", "LL"),
    Row("proto3 bool to int32", "protobuf", P3 + "message M { bool n = 1; }", P3 + "message M { int32 n = 1; }",
        {"n": True}, {"n": 7}, "CC", "LL"),
    # "For string, bytes, and message fields, singular is compatible with repeated ... for numeric types
    # packed repeated fields cannot be parsed by a singular field"
    Row("proto2 optional to unpacked repeated", "protobuf", P2 + "message M { optional int64 n = 1; }",
        P2 + "message M { repeated int64 n = 1; }", {"n": 5}, {"n": [7, 1337]}, "CC", "LL"),
    Row("proto3 singular to packed repeated", "protobuf", P3 + "message M { int64 n = 1; }",
        P3 + "message M { repeated int64 n = 1; }", {"n": 5}, {"n": [7, 1337]}, "CC", "LL"),
    Row("proto3 float to double", "protobuf", P3 + "message M { float n = 1; }", P3 + "message M { double n = 1; }",
        {"n": 1.5}, {"n": 2.5}, "LL", "LL"),
    # required fields: "you must not add or delete any required fields"
    Row("proto2 required field added", "protobuf", P2 + "message M { optional int32 a = 1; }",
        P2 + "message M { optional int32 a = 1; required string b = 2; }", {"a": 1}, {"a": 1, "b": "x"},
        "II", "CC"),

    # --- Thrift -----------------------------------------------------------------------------------------
    # class 5. compact: i16, i32 and i64 are zigzag varints, list items included; thriftpy2 does not check
    # a list's item type, so they read into each other; a narrower reader keeps the low bits (C++, Java)
    Row("compact list<i16> to list<i64>", "thrift-compact", "struct P { 1: optional list<i16> a }",
        "struct P { 1: optional list<i64> a }", {"a": [1, -2, 300]}, {"a": [1, 2 ** 40]}, "CC", "LL"),
    Row("compact list<i32> to list<i64>, small values", "thrift-compact", "struct P { 1: optional list<i32> a }",
        "struct P { 1: optional list<i64> a }", {"a": [5, -5]}, {"a": [7]}, "CC", "CL"),
    # any other item pair misreads (thriftpy2 decodes the items as the reader's type): refused
    Row("compact list<i32> to list<double>", "thrift-compact", "struct P { 1: optional list<i32> a }",
        "struct P { 1: optional list<double> a }", {"a": [5]}, {"a": [1.5]}, "II", "II"),
    # binary: the list header's item type id differs, thriftpy2 skips the list
    Row("binary list<i16> to list<i64>", "thrift-binary", "struct P { 1: optional list<i16> a }",
        "struct P { 1: optional list<i64> a }", {"a": [1, -2]}, {"a": [3]}, "LL", "LL"),
    # string and binary share one type id; thriftpy2 hands back bytes when they are not UTF-8
    Row("compact list<string> to list<binary>", "thrift-compact", "struct P { 1: optional list<string> a }",
        "struct P { 1: optional list<binary> a }", {"a": ["x"]}, {"a": [b"\xff"]}, "CC", "CC"),
    Row("binary binary to string, not UTF-8", "thrift-binary", "struct P { 1: optional binary s }",
        "struct P { 1: optional string s }", {"s": b"\xff"}, {"s": "Ann"}, "CC", "CC"),
    # class 1 for Thrift: a nested struct's new optional field takes its IDL default
    Row("binary nested struct gains a field with a default", "thrift-binary",
        "struct N { 1: i32 x }\nstruct P { 1: optional N n }",
        "struct N { 1: i32 x, 2: optional i32 y = 3 }\nstruct P { 1: optional N n }",
        {"n": {"x": 1}}, {"n": {"x": 1, "y": 2}}, "CC", "CC"),
    Row("compact nested struct gains a field", "thrift-compact",
        "struct N { 1: i32 x }\nstruct P { 1: optional N n }",
        "struct N { 1: i32 x, 2: optional string y }\nstruct P { 1: optional N n }",
        {"n": {"x": 1}}, {"n": {"x": 1, "y": "a"}}, "CC", "CC"),
    # enums travel as i32; thriftpy2 (C++, Python) keep an unknown number, Java reads null: the rule table
    # judges the stricter reader
    Row("binary enum gains a value", "thrift-binary", "enum E { A = 0, B = 1 }\nstruct P { 1: optional E e }",
        "enum E { A = 0, B = 1, C = 2 }\nstruct P { 1: optional E e }", {"e": "B"}, {"e": "C"}, "CC", "CL"),
    Row("compact enum to i32", "thrift-compact", "enum E { A = 0, B = 1 }\nstruct P { 1: optional E e }",
        "struct P { 1: optional i32 e }", {"e": "B"}, {"e": 7}, "CC", "CL"),
    # a field's own type id changes (i32 to i64): skipped both ways, as an unknown field
    Row("binary i32 to i64", "thrift-binary", "struct P { 1: optional i32 n }", "struct P { 1: optional i64 n }",
        {"n": 5}, {"n": 5}, "LL", "LL"),
    Row("compact tag reused for another type", "thrift-compact", "struct P { 1: optional i32 a, 2: optional i64 b }",
        "struct P { 1: optional i32 a, 2: optional string email }", {"a": 1, "b": 9}, {"a": 1, "email": "m@x"},
        "LL", "LL"),
    # C++ and Java refuse a struct without a required field (thriftpy2 does not check; the lab does)
    Row("compact required field added", "thrift-compact", "struct P { 1: optional i32 a }",
        "struct P { 1: optional i32 a, 2: required string b }", {"a": 1}, {"a": 1, "b": "x"}, "II", "CC"),
]


def test_the_table_covers_every_class_in_every_family_both_ways():
    assert len(ROWS) >= 40 and len({r.name for r in ROWS}) == len(ROWS)
    assert {r.format_id for r in ROWS} == {"avro", "protobuf", "thrift-binary", "thrift-compact"}
    protos = [r.v1 for r in ROWS if r.format_id == "protobuf"]
    assert all(any(t.startswith(p) for t in protos) for p in (P2, P3, E23))


def _reads(row: Row):
    for direction, letters in (("backward", row.backward), ("forward", row.forward)):
        writer, reader, record = (row.v1, row.v2, row.rec1) if direction == "backward" else (row.v2, row.v1, row.rec2)
        yield direction, letters, writer, reader, record


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_the_lab_gives_the_expected_verdicts_and_the_raw_libraries_agree(row):
    for direction, letters, writer, reader, record in _reads(row):
        outcome = read_across(row.format_id, record, writer, reader, direction=direction)
        verdict = static_verdict(row.format_id, writer, reader, newer=NEWER[direction])
        assert (outcome.status, verdict.status) == (_LETTER[letters[0]], _LETTER[letters[1]]), \
            (direction, outcome.reason, verdict.rules)
        kind, read = oracle.read(row.format_id, writer, reader, record)
        assert (kind == "failed") == (outcome.status == "incompatible"), (direction, read, outcome.error)
        if kind == "read":
            assert _set_fields(outcome, row.format_id) == _comparable(read), direction


def _set_fields(outcome, format_id: str):
    """The lab's read record without the fields the reader filled in (the oracle compares what the data set;
    thriftpy2 and fastavro fill their schemas' defaults themselves, as the lab shows them)."""
    record = outcome.read_record
    if format_id == "protobuf":
        for path in sorted(outcome.defaulted, key=lambda p: -len(paths.steps(p))):
            *parent, last = paths.steps(path)
            holder = record
            for step in parent:
                holder = holder[step]
            holder.pop(last, None)
    return _comparable(record)


def _comparable(value):
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


@pytest.mark.parametrize("row", [r for r in ROWS if r.format_id == "protobuf"], ids=lambda r: r.name)
def test_buf_agrees_with_the_rule_table_or_the_page_says_why(row):
    report = buf.breaking(row.v1, row.v2)
    assert report.available and not report.problem
    verdicts = [static_verdict("protobuf", w, r, newer=NEWER[d]) for d, _, w, r, _ in _reads(row)]
    table_flags = any(f.status != "compatible" or f.rule == "tag-not-reserved" for v in verdicts for f in v.rules)
    sentences = buf.differences(report, verdicts)
    if bool(report.wire) != table_flags:
        assert sentences, (report.findings, [v.rules for v in verdicts])
    for sentence in sentences:   # each names its rule and says why, never the catch-all
        assert "has no counterpart" not in sentence and "have no rule for this" not in sentence
        assert "the real reads of these schemas keep every value" not in sentence
