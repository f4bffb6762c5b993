"""Static verdicts: can a reader's schema read what a writer's schema writes, judged from
the two schemas alone, for every record the writer's schema allows.

Avro's answer comes from the apache `avro` package's ReaderWriterCompatibilityChecker,
the reference implementation (not re-implemented here); Protobuf and Thrift answers
come from the rule table in evolution/rules.py. On top of the reference checker's
compatible/incompatible, an Avro verdict is "lossy" when resolution replaces a value the
reader has a field for (an enum symbol the reader lacks, read as its enum's default) or
a promotion the spec allows rounds large values (int to float, long to float or double),
and "incompatible" where the checker accepts bytes read as a string: the spec promotes
bytes to string, but fastavro refuses bytes that are not UTF-8, as proto3 does (rule
bytes-to-checked-string). A writer's field the reader has no field for, by name or
alias, is ignored: resolution skips it, and the verdict stays compatible (rule
field-skipped), as it does for an unknown tag in the tag-based rules.
"""
import functools
import json
from dataclasses import dataclass, field

import avro.errors
import avro.schema
from avro.compatibility import (ReaderWriterCompatibilityChecker, SchemaCompatibilityType,
                                lookup_writer_field)

import formats
from evolution.catalogue import FAMILY_OF_FORMAT
from evolution.rules import INCOMPATIBLE, Finding, compare_tagged, proto_fields, thrift_fields, worst
from formats.errors import FormatError
from formats.record import MAX_DEPTH
from i18n import Text, chain


@dataclass(frozen=True)
class Verdict:
    """`status` is "compatible", "lossy" or "incompatible"; `rules` lists (rule name, explanation)
    pairs, each rule described in evolution.rules.RULES. For Avro, `reference` is the reference
    checker's own answer ("compatible" or "incompatible")."""
    status: str
    rules: list[Finding] = field(default_factory=list)
    reference: str | None = None


def static_verdict(format_id: str, writer_schema_text: str, reader_schema_text: str, *,
                   newer: str | None = None) -> Verdict:
    """Can data written with `writer_schema_text` be read with `reader_schema_text`? `newer` ("writer"
    or "reader"): which one is the later version, when known; it tells a deleted Protobuf field
    (whose tag should be reserved) from an added one."""
    family = FAMILY_OF_FORMAT.get(format_id)
    if family in (None, "schemaless"):
        raise FormatError(f"{format_id} has no schema to check: only a reader's code decides what it accepts")
    fmt = formats.get(format_id)
    fmt.need_schema(writer_schema_text)
    fmt.need_schema(reader_schema_text)
    if family == "avro":
        return _avro_verdict(writer_schema_text, reader_schema_text)
    writer, reader = tagged_fields(family, writer_schema_text), tagged_fields(family, reader_schema_text)
    findings = compare_tagged(family, writer, reader, compact=format_id == "thrift-compact", newer=newer)
    return Verdict(worst(f.status for f in findings), findings)


def tagged_fields(family: str, schema_text: str):
    """The top-level fields of a .proto message or a Thrift struct, by tag."""
    if family == "protobuf":
        from formats.protobuf import message_class
        return proto_fields(message_class(schema_text).DESCRIPTOR)
    from formats.thrift import struct_class
    return thrift_fields(struct_class(schema_text))


# --- Avro ---

@functools.lru_cache(maxsize=256)
def avro_schema(schema_text: str) -> avro.schema.Schema:
    """The schema as the reference library parses it (checked first by formats.avro, whose
    messages point at the line and field)."""
    from formats.avro import parse_schema
    parse_schema(schema_text)
    try:
        return avro.schema.parse(schema_text)
    except (avro.errors.AvroException, json.JSONDecodeError, TypeError, ValueError) as e:
        raise FormatError(f"the Avro schema is not valid: {str(e).splitlines()[0][:200]}") from None


_AVRO_RULE = {   # the reference checker's incompatibility types -> rule names in RULES
    "name_mismatch": "name-mismatch",
    "fixed_size_mismatch": "fixed-size-mismatch",
    "missing_enum_symbols": "missing-enum-symbols",
    "reader_field_missing_default_value": "reader-field-missing-default",
    "type_mismatch": "type-mismatch",
    "missing_union_branch": "missing-union-branch",
}


def _avro_verdict(writer_text: str, reader_text: str) -> Verdict:
    writer, reader = avro_schema(writer_text), avro_schema(reader_text)
    checker = ReaderWriterCompatibilityChecker()   # memoizes per pair: one per verdict, never shared
    result = checker.get_compatibility(reader, writer)
    findings = _AvroFindings(checker).types(writer, reader, "", 0)
    if result.compatibility is SchemaCompatibilityType.incompatible:
        if not any(f.status == INCOMPATIBLE for f in findings):   # an explanation always names the problem
            kind = result.incompatibilities[0].value
            findings.append(_found(_AVRO_RULE[kind], "reference", messages="; ".join(sorted(result.messages))))
        return Verdict(INCOMPATIBLE, findings, result.compatibility.value)
    return Verdict(worst(f.status for f in findings), findings, result.compatibility.value)


def _found(rule: str, key: str, /, **values) -> Finding:
    """A finding of `rule`, explained by the catalogue's message `ev.avro.<key>`."""
    return Finding(rule, Text(f"ev.avro.{key}", **values))


def avro_type(schema) -> str:
    """A short readable type: "null or long", "array of string", "enum Status"."""
    t = schema.type
    if t == "union":
        return chain("ev.avro.type_union", [avro_type(s) for s in schema.schemas])
    if t == "array":
        return Text("fmt.avro.type_array", items=avro_type(schema.items))
    if t == "map":
        return Text("fmt.avro.type_map", items=avro_type(schema.values))
    if t in ("record", "error", "enum", "fixed"):
        return f"{t} {schema.name}"
    return t


# promotions the spec allows whose reader type cannot hold every value of the writer's: the message
# (under ev.avro.rounding) naming the values that arrive rounded
_ROUNDING = {("int", "float"): "int_float", ("long", "float"): "long_float", ("long", "double"): "long_double"}


class _AvroFindings:
    """Explains, field by field, what the reference checker decided and what resolution does to the
    data. Every compatible/incompatible call here is the checker's own."""

    def __init__(self, checker: ReaderWriterCompatibilityChecker):
        self.checker = checker
        self._seen: set[tuple[int, int]] = set()   # record pairs already explained (recursive types)

    def fails(self, writer, reader) -> bool:
        return self.checker.get_compatibility(reader, writer).compatibility is SchemaCompatibilityType.incompatible

    def types(self, writer, reader, path: str, depth: int) -> list[Finding]:
        where = f"`{path}`" if path else Text("ev.avro.the_record")
        if writer.type == reader.type and writer.type in ("record", "error"):
            if (id(writer), id(reader)) in self._seen or depth > MAX_DEPTH:
                return []
            self._seen.add((id(writer), id(reader)))
            return self.names(writer, reader, where) + self.records(writer, reader, path, depth)
        if writer.type == reader.type == "array":
            return self.types(writer.items, reader.items, f"{path}[]", depth + 1)
        if writer.type == reader.type == "map":
            return self.types(writer.values, reader.values, f"{path} values", depth + 1)
        if writer.type == reader.type == "enum":
            return self.names(writer, reader, where) + self.enums(writer, reader, where)
        if self.fails(writer, reader):
            return [self.mismatch(writer, reader, where)]
        if str(writer) == str(reader):
            return []
        if writer.type == "union":   # each branch the writer may write resolves on its own
            return [f for branch in writer.schemas for f in self.types(branch, reader, path, depth)]
        if reader.type == "union":
            branch = self.branch(writer, reader)
            return self.types(writer, branch, path, depth) or [
                _found("type-promoted", "into_union", where=where, writer_type=avro_type(writer),
                       reader_type=avro_type(reader))]
        return [self.promotion(writer.type, reader.type, where)]

    def branch(self, writer, reader_union):
        """The reader's branch the spec resolves the writer's (non-union) type to: the first of the same
        type (and name), else the first the writer's type promotes to."""
        named = ("record", "error", "enum", "fixed")
        for b in reader_union.schemas:
            if b.type == writer.type and (b.type not in named or b.name == writer.name):
                return b
        return next(b for b in reader_union.schemas if not self.fails(writer, b))

    @staticmethod
    def promotion(w: str, r: str, where: str) -> Finding:
        if (w, r) in _ROUNDING:
            return _found("promotion-rounds", "promotion_rounds", where=where, writer_type=w, reader_type=r,
                          values=Text(f"ev.avro.rounding.{_ROUNDING[w, r]}"))
        if (w, r) == ("bytes", "string"):
            return _found("bytes-to-checked-string", "bytes_to_string", where=where)
        return _found("type-promoted", "promoted", where=where, writer_type=w, reader_type=r)

    def mismatch(self, writer, reader, where: str) -> Finding:
        if writer.type == "union":
            bad = [b for b in writer.schemas if self.fails(b, reader)]
            return _found("missing-union-branch" if reader.type == "union" else "type-mismatch", "union_mismatch",
                          where=where, writer_types=chain("ev.avro.type_union", [avro_type(b) for b in bad]),
                          reader_type=avro_type(reader))
        if reader.type == "union":
            return _found("missing-union-branch", "missing_union_branch", where=where,
                          reader_type=avro_type(reader), writer_type=avro_type(writer))
        if writer.type == reader.type == "fixed":
            return _found("fixed-size-mismatch" if writer.size != reader.size else "name-mismatch", "fixed_mismatch",
                          where=where, writer_name=writer.name, writer_size=writer.size, reader_name=reader.name,
                          reader_size=reader.size)
        return _found("type-mismatch", "type_mismatch", where=where, writer_type=avro_type(writer),
                      reader_type=avro_type(reader))

    def names(self, writer, reader, where: str) -> list[Finding]:
        aliases = reader.props.get("aliases") or ()
        if writer.name == reader.name or writer.fullname in aliases:
            return []
        return [_found("name-mismatch", "name_mismatch", where=where, kind=writer.type, writer_name=writer.name,
                       reader_name=reader.name)]

    def records(self, writer, reader, path: str, depth: int) -> list[Finding]:
        where = (lambda name: f"{path}.{name}" if path else name)
        out: list[Finding] = []
        matched = set()
        for reader_field in reader.fields:
            name = where(reader_field.name)
            writer_field = lookup_writer_field(writer_schema=writer, reader_field=reader_field)
            if writer_field is None:
                if reader_field.has_default:
                    out.append(_found("field-defaulted", "field_defaulted", field=name,
                                      default=json.dumps(reader_field.default)))
                else:
                    out.append(_found("reader-field-missing-default", "missing_default", field=name))
                continue
            matched.add(writer_field.name)
            if writer_field.name != reader_field.name:
                out.append(_found("alias-match", "alias_match", field=name, alias=writer_field.name))
            out.extend(self.types(writer_field.type, reader_field.type, name, depth + 1))
        for writer_field in writer.fields:
            if writer_field.name not in matched:
                out.append(_found("field-skipped", "field_skipped", field=where(writer_field.name),
                                  type=avro_type(writer_field.type)))
        return out

    def enums(self, writer, reader, where: str) -> list[Finding]:
        out = []
        unknown = [s for s in writer.symbols if s not in reader.symbols]
        if unknown and not self.fails(writer, reader):
            out.append(_found("enum-default-fill", "enum_default_fill", where=where, symbols=", ".join(unknown),
                              default=reader.props.get("default")))
        elif unknown:
            out.append(_found("missing-enum-symbols", "missing_enum_symbols", where=where, symbols=", ".join(unknown)))
        added = [s for s in reader.symbols if s not in writer.symbols]
        if added:
            out.append(_found("enum-value-added", "enum_value_added", where=where, symbols=", ".join(added)))
        return out
