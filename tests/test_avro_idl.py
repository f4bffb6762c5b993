"""Avro IDL <-> JSON: Apache Avro's own IDL test files give the expected outputs (tests/vectors/avro_idl)."""
import builtins
import doctest
import io
import json
import pathlib

import fastavro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sample_data
from formats import FormatError, avro_idl
from tests.test_format_avro import schema_and_record

def _fullname(name, ns):
    return f"{ns}.{name}" if ns else name


VECTORS = pathlib.Path(__file__).parent / "vectors" / "avro_idl"
# Avro's TestIdlReader pairs input/x.avdl with output/x.avpr, and input/x_schema.avdl with output/x.avsc
CASES = sorted(p.stem for p in (VECTORS / "input").glob("*.avdl") if p.stem != "import")


def expected_output(case: str) -> pathlib.Path:
    if case.endswith("_schema"):
        return VECTORS / "output" / (case.removesuffix("_schema") + ".avsc")
    return VECTORS / "output" / (case + ".avpr")


def typed(value):
    """JSON with every scalar tagged by its type: 0 and 0.0, 1 and true are different outputs."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, value


def same_json(text_a: str, text_b: str) -> bool:
    return typed(json.loads(text_a)) == typed(json.loads(text_b))


def read_vector(*parts: str) -> str:
    return VECTORS.joinpath(*parts).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_reference_input_gives_avros_own_output(case):
    assert same_json(avro_idl.to_avsc(read_vector("input", case + ".avdl")), expected_output(case).read_text())


@pytest.mark.parametrize("output", sorted(p.name for p in (VECTORS / "output").iterdir()))
def test_reference_output_printed_as_idl_translates_back_to_itself(output):
    text = read_vector("output", output)
    idl = avro_idl.to_idl(text)
    assert same_json(avro_idl.to_avsc(idl), text)
    assert avro_idl.to_idl(avro_idl.to_avsc(idl)) == idl   # printing is a fixed point


def test_every_reference_file_is_used_or_listed_as_skipped():
    """The README lists the skipped files; every committed input is tested."""
    readme = read_vector("README.md")
    for skipped in ("baseball.avdl", "import.avdl", "nestedimport.avdl", "schema_syntax_schema.avdl"):
        assert skipped in readme
    assert all(expected_output(case).exists() for case in CASES)


# -- the extra files Avro's Java tests assert on (TestIdlReader, TestLogicalTypes, IdlUtilsTest)

def test_comments_doc_placement_and_ignored_doc_comments_as_avro_reports_them():
    """TestIdlReader.testDocCommentsAndWarnings: docs land where Avro puts them, the others are reported
    at Avro's positions (its warnings say "Line %d, char %d", counting from 1 as we do)."""
    result = avro_idl.read(read_vector("input", "comments.avdl"))
    protocol = json.loads(result.json)
    error = next(t for t in protocol["types"] if t["name"] == "DocumentedError")
    assert [f["doc"] for f in error["fields"]] == ["Documented Reason Field", "Default Doc Explanation Field"]
    request = protocol["messages"]["documentedMethod"]["request"]
    assert [f["doc"] for f in request] == ["Documented Parameter", "Default Documented Parameter"]
    positions = [(21, 8), (21, 45), (22, 5), (23, 5), (24, 5), (25, 5), (26, 7), (27, 7), (28, 7), (33, 7),
                 (34, 7), (35, 5), (36, 5), (37, 7), (42, 7), (43, 7), (46, 9), (47, 5), (54, 7), (55, 7),
                 (58, 9), (59, 7), (60, 11), (61, 11)]
    assert [w.split(":")[0] for w in result.warnings] == [f"line {l}, column {c}" for l, c in positions]
    assert all("doc comment is ignored" in w for w in result.warnings)


def test_logical_types_as_avro_reads_them():
    """TestLogicalTypes: keywords and @logicalType annotations; an invalid decimal stays plain properties."""
    protocol = json.loads(avro_idl.to_avsc(read_vector("extra", "logicalTypes.avdl")))
    fields = {f["name"]: f["type"] for f in protocol["types"][0]["fields"]}
    assert fields["aDate"] == {"type": "int", "logicalType": "date"}
    assert fields["aTime"] == {"type": "int", "logicalType": "time-millis"}
    assert fields["aTimestamp"] == {"type": "long", "logicalType": "timestamp-millis"}
    assert fields["aLocalTimestamp"] == {"type": "long", "logicalType": "local-timestamp-millis"}
    assert fields["pocketMoney"] == {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}
    assert fields["identifier"] == {"type": "string", "logicalType": "uuid"}
    assert fields["anotherTimestamp"] == {"type": "long", "logicalType": "timestamp-micros"}
    assert fields["allowance"] == fields["pocketMoney"]
    assert fields["byteArray"] == {"type": "bytes", "logicalType": "decimal", "precision": 3000000000, "scale": 0}


def test_decimal_annotated_without_scale_gets_scale_zero_as_in_avro():
    t = json.loads(avro_idl.to_avsc('schema @logicalType("decimal") @precision(4) bytes;'))
    assert t == {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 0}


def test_annotation_on_a_type_reference_is_refused_where_avro_refuses_it():
    """TestReferenceAnnotationNotAllowed: "Type references may not be annotated, at line 29, column 16"
    (Avro counts columns from 0; we count from 1)."""
    with pytest.raises(FormatError) as e:
        avro_idl.to_avsc(read_vector("extra", "AnnotationOnTypeReference.avdl"))
    assert (e.value.line, e.value.column) == (29, 17)
    assert "MD5" in str(e.value) and "@foo" in str(e.value)


def test_protocol_and_schema_syntax():
    """TestIdlReader.validateProtocolParsingResult / validateSchemaParsingResult."""
    protocol = avro_idl.read(read_vector("extra", "protocolSyntax.avdl"))
    assert protocol.kind == "protocol"
    assert [t["name"] for t in json.loads(protocol.json)["types"]] == ["Message"]
    schema = avro_idl.read(read_vector("extra", "schemaSyntax.avdl"))
    assert schema.kind == "schema"
    main = json.loads(schema.json)
    assert main["type"] == "array" and main["items"]["name"] == "Message"
    assert main["items"]["namespace"] == "communication"


@pytest.mark.parametrize("name", ["idl_utils_test_schema.avdl", "idl_utils_test_protocol.avdl"])
def test_files_avros_own_printer_reproduces_round_trip_through_ours(name):
    """IdlUtilsTest: Avro's printer writes these files back exactly; ours gives back the same JSON."""
    avsc = avro_idl.to_avsc(read_vector("extra", name))
    assert same_json(avro_idl.to_avsc(avro_idl.to_idl(avsc)), avsc)


def test_recursive_schema_writes_and_reads_with_fastavro():
    """cycle.avdl (TestCycle): a record that contains itself through a record and an array."""
    text = "namespace org.apache.avro.gen;\nschema SampleNode;\n" + read_vector("input", "cycle.avdl").split(
        "protocol Cycle {", 1)[1].rsplit("}", 1)[0]
    schema = fastavro.parse_schema(json.loads(avro_idl.to_avsc(text)))
    node = {"count": 10, "subNodes": [{"method": {"declaringClass": "Test", "methodName": "test"},
                                       "node": {"count": 0, "subNodes": []}}]}
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, schema, node)
    buffer.seek(0)
    assert fastavro.schemaless_reader(buffer, schema) == node


# -- the constructs, one by one (the Avro specification and IdlReader decide the expected JSON)

def schema_of(idl: str):
    return json.loads(avro_idl.to_avsc(idl))


def test_nullable_shorthand_puts_null_where_the_default_needs_it():
    """IdlReader.fixOptionalSchema: `T?` is [null, T], or [T, null] when the default is not null (the spec:
    a union's default is the value of its first branch)."""
    r = schema_of("schema R; record R { string? a; string? b = null; string? c = \"x\"; long? d, e = 3; }")
    assert [(f["name"], f["type"]) for f in r["fields"]] == [
        ("a", ["null", "string"]), ("b", ["null", "string"]), ("c", ["string", "null"]),
        ("d", ["null", "long"]), ("e", ["long", "null"])]


def test_enum_default_error_fixed_arrays_maps_and_namespaces():
    r = schema_of("""namespace com.example;
        schema Shop;
        enum Size { S, M, L } = M;
        error Broken { string why; }
        @namespace("org.other") fixed Hash(4);
        record Shop {
          array<Size> sizes = [];
          map<org.other.Hash> hashes;
          union { null, Broken } failure = null;
          string @order("DESCENDING") @aliases(["title"]) name;
        }""")
    assert r["namespace"] == "com.example"
    sizes, hashes, failure, name = r["fields"]
    assert sizes["type"] == {"type": "array", "items": {"type": "enum", "name": "Size", "symbols": ["S", "M", "L"],
                                                        "default": "M"}}
    assert hashes["type"]["values"] == {"type": "fixed", "name": "Hash", "namespace": "org.other", "size": 4}
    assert failure["type"][1]["type"] == "error"
    assert name == {"name": "name", "type": "string", "order": "descending", "aliases": ["title"]}


def test_schema_mode_without_main_schema_lists_the_named_types():
    result = avro_idl.read("namespace a; record A { int x; } record B { A a; }")
    assert result.kind == "types"
    a, b = json.loads(result.json)
    assert b["fields"][0]["type"]["name"] == "A"   # each type written on its own, as Avro's tools do


def test_idl_errors_point_at_line_and_column():
    cases = [
        ("record R { string name }", (1, 24), "expected ';'"),
        ("schema R;\nrecord R {\n  strin name;\n}", (3, 3), "unknown type strin (did you mean string?)"),
        ("schema R; record R { string a; long a; }", (1, 37), "two fields called a"),
        ("schema R; record R { long n = \"x\"; }", (1, 31), "does not fit its type"),
        ("schema R; record R { union { null, long } n = 1; }", (1, 47), "first branch"),
        ("schema R; record R { int n = 3000000000; }", (1, 30), "fits 32 bits"),
        ("schema E; enum E { A, B, A }", (1, 26), "symbol A twice"),
        ("schema E; enum E { A, B } = C;", (1, 29), "not one of the symbols"),
        ("schema R; record R { string s; }\nrecord R { int x; }", (2, 8), "declared twice"),
        ("schema R; record R { decimal(4, 5) d; }", (1, 33), "cannot exceed its precision"),
        ("schema R; record R { @namespace(\"x\") string s; }", (1, 23), "Avro reserves"),
        ("schema R; record R { @aliases([\"t\"]) string s; }", (1, 23), "string @aliases([…]) name"),
        ("schema R; record R { string @order(\"up\") s; }", (1, 36), "@order"),
        ("schema R; record R { union { null, null } n; }", (1, 22), "lists null twice"),
        ("schema R; record R { array<string>? xs; }", (1, 35), "'?' follows only"),
        ("protocol P { record R {} string say(R r) oneway; }", (1, 26), "must return void"),
        ("schema R; record R { string s = \"tab\there\"; }", (1, 33), "string is not closed"),
        ("schema R; /* never closed", (1, 11), "never closed by */"),
        ("schema R; record R { long n = 99999999999999999999; }", (1, 31), "does not fit in 64 bits"),
        ("schema R; record 1R {}", (1, 18), "expected the record's name, found the number 1"),
        ("schema R; record R { string s = 'x'; }", (1, 33), "unexpected character"),
        ("record R {}\nprotocol P {}", (2, 1), "a protocol is the whole file"),
        ("schema R; record R {\n  string s;\n", (3, 1), "never closed by '}'"),
        ("schema R; record R { string s; } message", (1, 34), "expected a record, error, enum or fixed"),
        ("schema R; record R { string s = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]; }",
         (1, 65), "nests more than 32"),
    ]
    for idl, (line, column), words in cases:
        with pytest.raises(FormatError) as e:
            avro_idl.to_avsc(idl)
        assert (e.value.line, e.value.column) == (line, column), (idl, str(e.value))
        assert str(e.value).startswith(f"line {line}, column {column}: ") and words in str(e.value), (idl, str(e.value))


def test_import_is_refused_and_no_file_is_opened(monkeypatch):
    reference = read_vector("input", "import.avdl")
    opened = []
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(io, "open", lambda *a, **k: opened.append(a))
    for idl, where in [(reference, (21, 3)),
                       ('namespace x;\nimport schema "/etc/passwd";', (2, 1)),
                       ('import idl "../../secret.avdl";', (1, 1))]:
        with pytest.raises(FormatError) as e:
            avro_idl.to_avsc(idl)
        assert (e.value.line, e.value.column) == where
        assert "never reads files" in str(e.value)
    assert opened == []


def test_module_example():
    assert doctest.testmod(avro_idl).failed == 0


# -- the printer

BOOK_AVSC = json.dumps({"type": "record", "name": "Person", "fields": [
    {"name": "userName", "type": "string"},
    {"name": "favoriteNumber", "type": ["null", "long"], "default": None},
    {"name": "interests", "type": {"type": "array", "items": "string"}}]})


def test_book_person_in_both_schema_languages_is_one_schema():
    person = sample_data.load("person")
    assert json.loads(avro_idl.record_schema(person.schemas["avdl"])) == json.loads(person.schemas["avsc"])


def test_a_page_needs_one_record_and_says_where():
    cases = [("", (1, 1), "nothing is declared yet"), ("record A { int x; }", (1, 1), "no `schema Person;` line"),
             ("\n  protocol P { }", (2, 3), "a protocol declares an RPC service"),
             ("namespace x;\nschema array<long>;", (2, 1), "`schema` names an array")]
    for idl, where, words in cases:
        with pytest.raises(FormatError) as e:
            avro_idl.record_schema(idl)
        assert (e.value.line, e.value.column) == where and words in str(e.value), str(e.value)


def test_book_person_printed_as_idl():
    assert avro_idl.to_idl(BOOK_AVSC) == ("schema Person;\n\nrecord Person {\n  string userName;\n"
                                          "  long? favoriteNumber = null;\n  array<string> interests;\n}\n")


def test_printer_keeps_names_that_are_keywords_and_docs_that_span_lines():
    avsc = json.dumps({"type": "record", "name": "error", "doc": "Two\n  lines", "namespace": "a.b", "fields": [
        {"name": "record", "type": {"type": "enum", "name": "NaN", "symbols": ["null", "x"]}, "doc": "*starred*"},
        {"name": "when", "type": {"type": "long", "logicalType": "timestamp-micros", "x-y": [1, "z"]}},
        {"name": "other", "type": {"type": "fixed", "name": "F", "namespace": "c", "size": 2}}]})
    idl = avro_idl.to_idl(avsc)
    assert "record `error` {" in idl and "`NaN` `record`;" in idl and "`null`, x" in idl
    assert "@logicalType(\"timestamp-micros\") @x-y([1, \"z\"]) long when;" in idl
    assert "c.F other;" in idl and '@namespace("c")' in idl
    assert same_json(avro_idl.to_avsc(idl), avsc)


def test_printer_refuses_what_idl_cannot_say():
    no_namespace = {"type": "record", "name": "Inner", "namespace": "", "fields": []}
    cases = [
        ({"type": "record", "name": "R", "namespace": "a", "fields": [
            {"name": "i", "type": no_namespace}, {"name": "j", "type": "Inner"}]}, "has no namespace"),
        ({"type": "record", "name": "R", "doc": "ends */ early", "fields": []}, "*/"),
        ({"type": "record", "name": "R", "fields": [{"name": "x", "type": {"type": "string", "a b": 1}}]},
         'property "a b"'),
        ({"type": "record", "name": "R", "fields": [{"name": "x", "type": "Missing"}]}, 'unknown type "Missing"'),
        ({"type": "record", "name": "R", "fields": [{"name": "x y", "type": "long"}]}, "not a valid Avro name"),
    ]
    for avsc, words in cases:
        with pytest.raises(FormatError) as e:
            avro_idl.to_idl(json.dumps(avsc))
        assert words in str(e.value)
    with pytest.raises(FormatError) as e:
        avro_idl.to_idl('{"type": "record",\n "name": }')
    assert (e.value.line, e.value.column) == (2, 10)


# -- properties

names = st.sampled_from(["a", "b", "zz", "x1", "_y", "error", "record", "NaN", "文字", "Ünï"])
docs = st.one_of(st.none(), st.sampled_from(["One line.", "*stars*", "Two\nlines", "  indented\n  text", "a\n\nb"]))
props = st.dictionaries(st.sampled_from(["foo", "my-key", "x.y", "java-class"]),
                        st.one_of(st.integers(-5, 5), st.text("ab\"\\é\n", max_size=4),
                                  st.lists(st.booleans(), max_size=2)), max_size=2)


@st.composite
def idl_schemas(draw, space="com.example", depth=0, defined=None, top=True):
    """Avro JSON in the form Avro writes it (named types in full where first used, then by name),
    with the constructs IDL has: docs, aliases, orders, properties, logical types, namespaces."""
    defined = [] if defined is None else defined
    name = f"T{len(defined)}"
    ns = draw(st.sampled_from([None, "com.example"])) if top else draw(st.sampled_from([space, "org.other"]))
    record = {"type": "record", "name": name}
    if (ns is not None) if top else ns != space:
        record["namespace"] = ns
    defined.append((_fullname(name, ns), ns))
    doc = draw(docs)
    if doc:
        record["doc"] = doc
    fields = []
    for fname in draw(st.lists(names, min_size=1, max_size=4, unique=True)):
        t, default = draw(field_types(ns, depth, defined))
        field = {"name": fname, "type": t}
        doc = draw(docs)
        if doc:
            field["doc"] = doc
        if default is not None:
            field["default"] = default[0]
        order = draw(st.sampled_from([None, "descending", "ignore"]))
        if order:
            field["order"] = order
        if draw(st.booleans()):
            field["aliases"] = draw(st.lists(st.sampled_from(["old", "older"]), min_size=1, unique=True))
        field.update(draw(props))
        fields.append(field)
    record["fields"] = fields
    record.update(draw(props))
    if draw(st.booleans()):
        record["aliases"] = [f"Old{name}"]
    return record


@st.composite
def field_types(draw, ns, depth, defined):
    """(type, (default,) or None)."""
    named = [(full, t_ns) for full, t_ns in defined if t_ns == ns or t_ns is not None]
    kind = draw(st.sampled_from(["primitive", "logical", "optional", "union", "array", "map", "enum", "fixed"]
                                + (["record"] if depth < 2 else []) + (["reference"] if named else [])))
    if kind == "reference":   # a type defined earlier: by its short name in its own namespace
        full, t_ns = draw(st.sampled_from(named))
        return (full.rpartition(".")[2] if t_ns == ns else full), None
    if kind == "primitive":
        base = draw(st.sampled_from(["string", "long", "int", "double", "boolean", "bytes", "null", "float"]))
        extra = draw(props)
        value = {"string": "s", "long": 2 ** 40, "int": -7, "double": 1.5, "boolean": True, "bytes": "\u00ff",
                 "null": None, "float": 0.25}[base]
        return ({"type": base, **extra} if extra else base), draw(st.sampled_from([None, (value,)]))
    if kind == "logical":
        return draw(st.sampled_from([
            {"type": "int", "logicalType": "date"}, {"type": "long", "logicalType": "timestamp-millis"},
            {"type": "long", "logicalType": "local-timestamp-millis"}, {"type": "string", "logicalType": "uuid"},
            {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
            {"type": "long", "logicalType": "timestamp-micros"}, {"type": "int", "logicalType": "time-millis"}])), None
    if kind == "optional":
        base = draw(st.sampled_from(["string", "long"]))
        if draw(st.booleans()):
            return ["null", base], draw(st.sampled_from([None, (None,)]))
        return [base, "null"], ("x" if base == "string" else 5,)
    if kind == "union":
        return ["int", "string", {"type": "array", "items": "long"}], draw(st.sampled_from([None, (3,)]))
    if kind in ("array", "map"):
        inner, _ = draw(field_types(ns, depth + 1, defined))
        if isinstance(inner, list) and kind == "array" and draw(st.booleans()):
            inner = ["null", "long"]
        key = "items" if kind == "array" else "values"
        return {"type": kind, key: inner}, draw(st.sampled_from([None, ([] if kind == "array" else {},)]))
    if kind == "record":
        return draw(idl_schemas(ns, depth + 1, defined, top=False)), None
    t = {"type": kind, "name": f"T{len(defined)}"}
    defined.append((_fullname(t["name"], ns), ns))
    if kind == "enum":
        t["symbols"] = ["A", "B"]
        if draw(st.booleans()):
            t["default"] = "B"
    else:
        t["size"] = draw(st.integers(0, 16))
    return t, (("A",) if kind == "enum" else ("\u0000" * t["size"],)) if draw(st.booleans()) else None


@settings(max_examples=200, deadline=None)
@given(idl_schemas())
def test_printed_idl_translates_back_to_the_same_schema(schema):
    avsc = json.dumps(schema)
    idl = avro_idl.to_idl(avsc)
    assert same_json(avro_idl.to_avsc(idl), avsc), idl
    fastavro.parse_schema(json.loads(avsc))   # the generated schemas are Avro schemas


@settings(max_examples=100, deadline=None)
@given(schema_and_record())
def test_random_avro_schemas_round_trip_through_idl(case):
    avsc, _, _ = case
    assert same_json(avro_idl.to_avsc(avro_idl.to_idl(avsc)), avsc)


idl_words = st.sampled_from(["record", "R", "{", "}", "string", "x", ";", "=", "\"s\"", "1", "@a", "(", ")", "?",
                             "union", ",", "<", ">", "array", "schema", "protocol", "/**d*/", "`", "null", "-",
                             "0x1p3", "enum", "import", "fixed", "\n", "decimal"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(idl_words, max_size=30).map(" ".join)))
def test_any_text_gives_json_or_a_format_error_with_a_place(text):
    try:
        json.loads(avro_idl.to_avsc(text))
    except FormatError as e:
        assert e.line is None or str(e).startswith(f"line {e.line}, column {e.column}: ")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.sampled_from(["type", "name", "fields", "items", "symbols", "size", "x"]),
                               inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_gives_idl_or_a_format_error(value):
    try:
        avro_idl.to_idl(json.dumps(value))
    except FormatError:
        pass
