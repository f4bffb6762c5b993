"""Both directions, for real: every catalogue change x format x direction, decoded by the real
libraries, against an explicit table of expected outcomes, next to the static verdicts."""
import json

import pytest
from hypothesis import HealthCheck, given, settings

import formats
from evolution import catalogue
from evolution.catalogue import CHANGES, FAMILY_OF_FORMAT, LANGUAGE_OF, change
from evolution.matrix import DIFFERENCES
from evolution.resolve import DIRECTIONS, FORMATS, classify, read_across, run, same
from evolution.schemaless import SchemalessReader
from evolution.static import static_verdict
from formats.errors import FormatError
from tests.strategies import records

# C compatible, L lossy, I incompatible, - does not apply; "backward forward" per family.
# The thrift column holds for both thrift-binary and thrift-compact.
# Derived from CLASSIFICATION: a field the reader has no field for (no such name or alias; no
# such tag and no such name; a key the code does not expect) is ignored, which is compatible:
# the added field read by old code, the removed field read by new code. L only where the
# reader has the field but the value does not arrive (change-tag: same name, new tag; thrift's
# type id changes; protobuf's wire type for widen-float; proto2's closed enum) or arrives
# changed (narrow-int, repeated-to-singular). An enum value is its number: thriftpy2's bare
# number for a symbol v1 lacks is no loss (the rule table says lossy: Java reads null).
EXPECTED_TABLE = """
change                  avro  protobuf  thrift  json
add-optional-field      C C   C C       C C     C C
add-required-field      I C   I C       I C     I C
remove-optional-field   C C   C C       C C     C C
remove-required-field   C I   C I       C I     C I
rename-field            I I   C C       C C     I I
rename-with-alias       C I   C C       C C     - -
change-tag              - -   L L       L L     - -
reuse-tag               - -   L L       L L     - -
reorder-fields          C C   C C       C C     C C
widen-int               C I   C C       L L     C C
widen-float             C I   L L       - -     C C
narrow-int              I C   L C       L L     C C
string-to-bytes         C C   C C       C C     - -
optional-to-repeated    I I   C L       L L     I I
add-enum-symbol         C I   C L       C C     C C
remove-enum-symbol      I C   L C       C C     C C
optional-to-required    C C   C C       C C     C C
required-to-optional    C I   C I       C I     C I
"""
_LETTER = {"C": "compatible", "L": "lossy", "I": "incompatible", "-": None}
_FAMILY_COLUMN = {"avro": 0, "protobuf": 1, "thrift": 2, "schemaless": 3}
TEST_FORMATS = ("avro", "protobuf", "thrift-binary", "thrift-compact", "json")


def _expected() -> dict:
    out = {}
    for line in EXPECTED_TABLE.strip().splitlines()[1:]:
        change_id, *letters = line.split()
        for family, column in _FAMILY_COLUMN.items():
            backward, forward = letters[2 * column], letters[2 * column + 1]
            out[change_id, family, "backward"] = _LETTER[backward]
            out[change_id, family, "forward"] = _LETTER[forward]
    return out


EXPECTED = _expected()
CASES = [(f, c.id, d) for c in CHANGES for f in TEST_FORMATS for d in DIRECTIONS]


def test_the_table_covers_the_whole_catalogue():
    assert {c for c, _, _ in EXPECTED} == {c.id for c in CHANGES}


@pytest.mark.parametrize("format_id,change_id,direction", CASES)
def test_decode_and_static_verdict_match_the_table(format_id, change_id, direction):
    family = FAMILY_OF_FORMAT[format_id]
    expected = EXPECTED[change_id, family, direction]
    c = change(change_id)
    if expected is None:
        assert not c.applies(family)
        with pytest.raises(FormatError, match="does not apply"):
            run(format_id, change_id, direction)
        return
    outcome = run(format_id, change_id, direction)
    assert outcome.status == expected, outcome.reason
    _check_outcome(outcome, c, direction)
    if family == "schemaless":
        return
    v1, v2 = c.schemas(LANGUAGE_OF[family])
    writer, reader = (v1, v2) if direction == "backward" else (v2, v1)
    static = static_verdict(format_id, writer, reader).status
    key = (change_id, family, direction)
    if key in DIFFERENCES:   # listed, and really different
        assert static != outcome.status
    else:
        assert static == outcome.status


def _check_outcome(outcome, c, direction):
    """What every outcome promises, whatever its status."""
    assert outcome.direction == direction
    assert outcome.writer_record == c.record(1 if direction == "backward" else 2)
    assert outcome.status == classify(outcome.error, outcome.lost, outcome.changed)
    assert not set(outcome.ignored) & set(outcome.lost)
    assert set(outcome.ignored) <= set(outcome.skipped)   # ignored fields' bytes are highlighted too
    assert outcome.encoded.data and outcome.encoded.spans
    if outcome.status == "incompatible":
        assert outcome.read_record is None
        assert outcome.error and "Traceback" not in outcome.error and "/tmp" not in outcome.error
    else:
        assert isinstance(outcome.read_record, dict) and outcome.error is None
    for path in outcome.skipped:   # the page highlights exactly these bytes
        assert outcome.encoded.spans_for(path), path
    assert all(s in outcome.encoded.spans for s in outcome.skipped_spans)
    assert sum(s.size for s in outcome.skipped_spans) == sum(outcome.encoded.bytes_for(p) for p in outcome.skipped)
    assert outcome.reason


# --- the decoded results behind the statuses ---

def test_int32_reader_keeps_the_low_32_bits_of_2_to_the_40():
    outcome = run("protobuf", "narrow-int", "backward")
    assert outcome.status == "lossy" and outcome.lost == [] and outcome.ignored == []
    assert outcome.changed == [("favoriteNumber", 1 << 40, 0)]
    assert outcome.read_record["favoriteNumber"] == 0
    assert outcome.reason == "`favoriteNumber` 1099511627776 read as 0"


@pytest.mark.parametrize("format_id", ["thrift-binary", "thrift-compact"])
def test_thrift_skips_a_field_whose_type_id_changed(format_id):
    outcome = run(format_id, "narrow-int", "backward")
    assert outcome.status == "lossy" and outcome.ignored == []   # the reader has tag 2, as an i32
    assert outcome.lost == ["favoriteNumber"] and outcome.skipped == ["favoriteNumber"]
    assert "favoriteNumber" not in outcome.read_record
    assert outcome.encoded.bytes_for("favoriteNumber") == sum(s.size for s in outcome.skipped_spans) > 0


def test_avro_refuses_to_narrow_whatever_the_value():
    outcome = run("avro", "narrow-int", "backward")
    assert "favoriteNumber" in outcome.error


def test_removed_enum_symbol():
    proto = run("protobuf", "remove-enum-symbol", "backward")   # proto2 enums are closed
    assert proto.lost == ["status"] and proto.skipped == ["status"] and "status" not in proto.read_record
    assert proto.ignored == []   # the reader has a `status` field: the value is lost, not ignored
    # thriftpy2 hands over the bare number and writes it back: by value (an enum is its number) nothing is lost
    thrift = run("thrift-compact", "remove-enum-symbol", "backward")
    assert thrift.status == "compatible" and thrift.read_record["status"] == 1 and thrift.changed == []
    assert "AWAY" in run("avro", "remove-enum-symbol", "backward").error


@pytest.mark.parametrize("format_id", FORMATS)
def test_a_removed_field_is_ignored_by_the_new_reader(format_id):
    outcome = run(format_id, "remove-optional-field", "backward")
    assert outcome.status == "compatible" and outcome.lost == [] and outcome.ignored == ["favoriteNumber"]
    assert outcome.skipped == ["favoriteNumber"] and outcome.skipped_spans
    assert "favoriteNumber" not in outcome.read_record
    assert "ignores `favoriteNumber`" in outcome.reason


@pytest.mark.parametrize("format_id", FORMATS)
def test_old_code_ignores_an_added_optional_field(format_id):
    """Forward compatibility as the book defines it: old code ignores the field it does not know."""
    outcome = run(format_id, "add-optional-field", "forward")
    assert outcome.status == "compatible" and outcome.ignored == ["email"]
    assert outcome.lost == [] and outcome.changed == [] and "email" not in outcome.read_record
    assert outcome.reason.startswith("reads every value it has a field for; ignores `email` (")
    kept = "keeps it" if format_id == "protobuf" else "lose it" if format_id in ("json", "msgpack") else "lost"
    assert kept in outcome.reason   # what happens to it on read-modify-write (figure 4-7)


def test_an_added_field_is_filled_from_the_default():
    outcome = run("avro", "add-optional-field", "backward")
    assert outcome.read_record["email"] is None and outcome.defaulted == ["email"]
    assert outcome.lost == [] and outcome.changed == []
    assert "fills `email`" in outcome.reason


def test_old_readers_skip_the_new_field_and_the_page_can_find_its_bytes():
    outcome = run("protobuf", "add-optional-field", "forward")
    assert outcome.ignored == ["email"] and outcome.skipped == ["email"]
    (tag, length, value) = outcome.skipped_spans
    assert (tag.kind, length.kind, value.kind) == ("tag", "length", "value")
    assert value.value == "martin@example.com"


def test_repeated_and_singular_under_one_tag():
    backward = run("protobuf", "optional-to-repeated", "backward")
    assert backward.read_record["favoriteNumber"] == [1337] and backward.status == "compatible"
    forward = run("protobuf", "optional-to-repeated", "forward")
    assert forward.changed == [("favoriteNumber", [7, 1337], 1337)]   # the last value wins


@pytest.mark.parametrize("format_id", ["protobuf", "thrift-binary", "thrift-compact"])
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_a_new_tag_under_the_same_name_is_lost_not_ignored(format_id, direction):
    """The reader knows `favoriteNumber` by name, but the bytes carry the other tag: it sees nothing."""
    outcome = run(format_id, "change-tag", direction)
    assert outcome.status == "lossy" and outcome.lost == ["favoriteNumber"] and outcome.ignored == []
    assert outcome.skipped == ["favoriteNumber"] and "favoriteNumber" not in outcome.read_record
    assert any("under another field tag" in n for n in outcome.notes)


def test_a_float_read_as_a_double_is_an_unknown_field_in_protobuf():
    outcome = run("protobuf", "widen-float", "backward")
    assert outcome.lost == ["height"] and outcome.skipped == ["height"] and outcome.ignored == []


def test_string_and_bytes_carry_the_same_bytes():
    outcome = run("avro", "string-to-bytes", "backward")
    assert outcome.read_record["userName"] == b"Martin" and outcome.status == "compatible"


def test_required_fields_missing_are_refused():
    for format_id in ("protobuf", "thrift-binary", "avro", "json"):
        outcome = run(format_id, "required-to-optional", "forward")
        assert "userName" in outcome.error, format_id


def test_aliases_help_only_the_reader_that_has_them():
    assert run("avro", "rename-with-alias", "backward").read_record["name"] == "Martin"
    assert "userName" in run("avro", "rename-with-alias", "forward").error


def test_protobuf_and_thrift_renames_travel_by_tag():
    outcome = run("thrift-compact", "rename-field", "forward")
    assert outcome.read_record["userName"] == "Martin" and outcome.status == "compatible"


# --- schemaless readers ---

def test_a_strict_reader_rejects_what_an_ignoring_reader_drops():
    ignoring = run("json", "add-optional-field", "forward")
    assert ignoring.status == "compatible" and ignoring.ignored == ["email"] and ignoring.lost == []
    strict = run("json", "add-optional-field", "forward", policy="strict")
    assert strict.status == "incompatible" and "`email`" in strict.error
    assert strict.skipped == ["email"] and strict.skipped_spans


def test_msgpack_is_read_by_the_same_reader_model():
    assert run("msgpack", "rename-field", "backward").error == run("json", "rename-field", "backward").error
    assert run("msgpack", "optional-to-repeated", "forward").status == "incompatible"


def test_schemaless_reader_reports_missing_defaulted_and_wrong_kinds():
    reader = SchemalessReader.expecting({"a": 1, "b": "x", "c": [1]}, optional={"c"})
    reading = reader.read({"a": "one", "d": True})
    assert reading.missing == ["b"] and reading.defaulted == ["c"] and reading.ignored == ["d"]
    assert reading.wrong_kind == [("a", "number", "string")]
    assert reading.record is None and "`b`" in reading.error and "a number at `a`" in reading.error
    ok = reader.read({"a": 2, "b": "y", "d": 1})
    assert ok.error is None and ok.record == {"a": 2, "b": "y"} and ok.defaulted == ["c"]
    with pytest.raises(FormatError, match="policy"):
        SchemalessReader({}, policy="lenient")


def test_schemaless_read_across_needs_a_reader_model():
    with pytest.raises(FormatError, match="SchemalessReader"):
        read_across("json", {"a": 1}, None, None)


def test_schemaless_reader_optional_keys_follow_the_change_s_avro_defaults():
    from evolution.resolve import schemaless_reader
    reader = schemaless_reader(change("add-optional-field"), 2)
    assert "email" in reader.optional and "userName" not in reader.optional
    assert catalogue.optional_fields(catalogue.BASE_V1["avsc"]) == {"favoriteNumber", "age", "height", "status"}


# --- ad-hoc schemas and bad input ---

def _avro(name, fields, **extra) -> str:
    return json.dumps({"type": "record", "name": name, "fields": fields, **extra})


_LINE = {"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"},
                                                      {"name": "discount", "type": "int"}]}
_SHORT_LINE = {"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"}]}


@pytest.mark.parametrize("format_id,writer,reader,record", [
    ("avro", _avro("P", [{"name": "lines", "type": {"type": "array", "items": _LINE}}]),
     _avro("P", [{"name": "lines", "type": {"type": "array", "items": _SHORT_LINE}}]),
     {"lines": [{"sku": "a", "discount": 5}, {"sku": "b", "discount": 7}]}),
    ("protobuf", 'syntax = "proto3"; message P { repeated Line lines = 1; } '
                 'message Line { string sku = 1; int32 discount = 2; }',
     'syntax = "proto3"; message P { repeated Line lines = 1; } message Line { string sku = 1; }',
     {"lines": [{"sku": "a", "discount": 5}, {"sku": "b", "discount": 7}]}),
    ("thrift-compact", "struct Line { 1: string sku, 2: i32 discount } struct P { 1: optional list<Line> lines }",
     "struct Line { 1: string sku } struct P { 1: optional list<Line> lines }",
     {"lines": [{"sku": "a", "discount": 5}, {"sku": "b", "discount": 7}]}),
])
def test_nested_fields_the_reader_lacks_are_ignored_item_by_item(format_id, writer, reader, record):
    outcome = read_across(format_id, record, writer, reader)
    assert outcome.status == "compatible" and outcome.lost == []
    assert outcome.ignored == outcome.skipped == ["lines[0].discount", "lines[1].discount"]
    assert outcome.read_record == {"lines": [{"sku": "a"}, {"sku": "b"}]}
    assert static_verdict(format_id, writer, reader).status == "compatible"


def test_a_nested_tag_that_moved_is_lost_and_a_nested_rename_is_not():
    writer = 'syntax = "proto3"; message P { N n = 1; } message N { int32 x = 1; int32 y = 2; }'
    moved = 'syntax = "proto3"; message P { N n = 1; } message N { int32 x = 1; int32 y = 3; }'
    outcome = read_across("protobuf", {"n": {"x": 1, "y": 2}}, writer, moved)
    assert outcome.status == "lossy" and outcome.lost == ["n.y"] and outcome.ignored == []
    assert static_verdict("protobuf", writer, moved).status == "lossy"
    renamed = 'syntax = "proto3"; message P { N n = 1; } message N { int32 x = 1; int32 why = 2; }'
    outcome = read_across("protobuf", {"n": {"x": 1, "y": 2}}, writer, renamed)
    assert outcome.status == "compatible" and outcome.read_record == {"n": {"x": 1, "why": 2}}
    assert static_verdict("protobuf", writer, renamed).status == "compatible"


def test_read_across_takes_any_two_schemas():
    writer = 'syntax = "proto3"; message P { sint32 n = 1; }'
    reader = 'syntax = "proto3"; message P { int32 n = 1; }'
    outcome = read_across("protobuf", {"n": 1}, writer, reader)
    assert outcome.direction is None
    assert outcome.changed == [("n", 1, 2)]   # zigzag 1 is the varint 2
    assert static_verdict("protobuf", writer, reader).status == outcome.status == "lossy"


def test_a_broken_reader_schema_is_the_user_s_error_not_an_incompatibility():
    writer = 'syntax = "proto3"; message P { int32 n = 1; }'
    with pytest.raises(FormatError, match="^the reader's schema: ") as caught:
        read_across("protobuf", {"n": 1}, writer, 'syntax = "proto3"; message P { int32 n = 1 }')
    assert caught.value.line == 1


def test_unknown_inputs_are_format_errors():
    with pytest.raises(FormatError, match="direction"):
        run("avro", "widen-int", "sideways")
    with pytest.raises(FormatError, match="schema evolution covers"):
        run("xml", "widen-int", "forward")
    with pytest.raises(FormatError, match="unknown change"):
        run("avro", "drop-everything", "forward")


@pytest.mark.parametrize("written,read,equal", [
    ("Martin", b"Martin", True), (1337, [1337], True), (1.1, 1.100000023841858, True),
    # a bool travels as the varint 0 or 1 (protobuf: bool is compatible with int32, uint32, int64, uint64)
    (True, 1, True), (1, True, False), ([7, 1337], 1337, False),
    # an integer equals only the same number: 2^53 + 1 and 2^24 + 1 arrive rounded by a double, a float
    (2 ** 53 + 1, float(2 ** 53), False), (16777217, 16777216.0, False), (1337, 1337.0, True),
    (0.1, 0.10000000149011612, True),   # a float the writer's schema stores in 32 bits: its rounding ({"a": 1, "b": None}, {"a": 1}, True),
    ({"a": 1}, {"a": 2}, False), ("AWAY", 1, False),
])
def test_values_compare_as_a_reader_gives_them_back(written, read, equal):
    assert same(written, read) is equal


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_a_schema_reads_its_own_data_unchanged(record):
    """No change, no loss: for any record and its inferred schema, decode and static verdict agree."""
    for format_id in ("avro", "protobuf", "thrift-binary", "thrift-compact"):
        schema = formats.default_schema(format_id, record)
        outcome = read_across(format_id, record, schema, schema)
        assert outcome.status == "compatible", (format_id, outcome.reason)
        assert static_verdict(format_id, schema, schema).status == "compatible"
