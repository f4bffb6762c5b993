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
            findings.append(Finding(_AVRO_RULE[kind], f"the reference checker reports "
                                                      f"{'; '.join(sorted(result.messages))}."))
        return Verdict(INCOMPATIBLE, findings, result.compatibility.value)
    return Verdict(worst(f.status for f in findings), findings, result.compatibility.value)


def avro_type(schema) -> str:
    """A short readable type: "null or long", "array of string", "enum Status"."""
    t = schema.type
    if t == "union":
        return " or ".join(avro_type(s) for s in schema.schemas)
    if t == "array":
        return f"array of {avro_type(schema.items)}"
    if t == "map":
        return f"map of {avro_type(schema.values)}"
    if t in ("record", "error", "enum", "fixed"):
        return f"{t} {schema.name}"
    return t


_PROMOTIONS = ("Avro promotes int to long, float or double, long to float or double, float to double, and "
               "string to bytes and back; never the other way")
_ROUNDING = {   # promotions the spec allows whose reader type cannot hold every value of the writer's
    ("int", "float"): "an int beyond 2^24 (16,777,216)",
    ("long", "float"): "a long beyond 2^24 (16,777,216)",
    ("long", "double"): "a long beyond 2^53 (9,007,199,254,740,992)",
}


class _AvroFindings:
    """Explains, field by field, what the reference checker decided and what resolution does to the
    data. Every compatible/incompatible call here is the checker's own."""

    def __init__(self, checker: ReaderWriterCompatibilityChecker):
        self.checker = checker
        self._seen: set[tuple[int, int]] = set()   # record pairs already explained (recursive types)

    def fails(self, writer, reader) -> bool:
        return self.checker.get_compatibility(reader, writer).compatibility is SchemaCompatibilityType.incompatible

    def types(self, writer, reader, path: str, depth: int) -> list[Finding]:
        where = f"`{path}`" if path else "the record"
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
                Finding("type-promoted", f"{where}: the writer's {avro_type(writer)} is read into the reader's "
                                         f"union {avro_type(reader)}.")]
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
            return Finding("promotion-rounds", f"{where}: the writer's {w} is promoted to the reader's {r}, as the "
                                               f"spec allows, but {_ROUNDING[w, r]} arrives rounded.")
        if (w, r) == ("bytes", "string"):
            return Finding("bytes-to-checked-string",
                           f"{where}: the writer's bytes are read as a string. The spec promotes bytes to string "
                           f"(so the reference checker accepts it), but a string is UTF-8 text: fastavro refuses "
                           f"bytes that are not valid UTF-8 and the whole read fails (Java's reader keeps them as "
                           f"they are).")
        return Finding("type-promoted", f"{where}: the writer's {w} is promoted to the reader's {r}; every value "
                                        f"arrives exactly.")

    def mismatch(self, writer, reader, where: str) -> Finding:
        if writer.type == "union":
            bad = [b for b in writer.schemas if self.fails(b, reader)]
            return Finding("missing-union-branch" if reader.type == "union" else "type-mismatch",
                           f"{where}: the writer may write {' or '.join(avro_type(b) for b in bad)}, which the "
                           f"reader's {avro_type(reader)} cannot hold.")
        if reader.type == "union":
            return Finding("missing-union-branch", f"{where}: the reader's {avro_type(reader)} has no branch for the "
                                                   f"writer's {avro_type(writer)}.")
        if writer.type == reader.type == "fixed":
            return Finding("fixed-size-mismatch" if writer.size != reader.size else "name-mismatch",
                           f"{where}: the writer's fixed {writer.name} ({writer.size} bytes) is fixed "
                           f"{reader.name} ({reader.size} bytes) for the reader.")
        return Finding("type-mismatch", f"{where}: no resolution rule turns the writer's {avro_type(writer)} into "
                                        f"the reader's {avro_type(reader)} ({_PROMOTIONS}).")

    def names(self, writer, reader, where: str) -> list[Finding]:
        aliases = reader.props.get("aliases") or ()
        if writer.name == reader.name or writer.fullname in aliases:
            return []
        return [Finding("name-mismatch", f"{where}: the writer's {writer.type} {writer.name} is called "
                                         f"{reader.name} by the reader, whose aliases do not list {writer.name}.")]

    def records(self, writer, reader, path: str, depth: int) -> list[Finding]:
        where = (lambda name: f"{path}.{name}" if path else name)
        out: list[Finding] = []
        matched = set()
        for reader_field in reader.fields:
            name = where(reader_field.name)
            writer_field = lookup_writer_field(writer_schema=writer, reader_field=reader_field)
            if writer_field is None:
                if reader_field.has_default:
                    out.append(Finding("field-defaulted", f"`{name}` is not in the writer's schema: the reader "
                                                          f"fills in its default, {json.dumps(reader_field.default)}."))
                else:
                    out.append(Finding("reader-field-missing-default",
                                       f"`{name}` is not in the writer's schema and has no default: the reader "
                                       f"cannot fill it in."))
                continue
            matched.add(writer_field.name)
            if writer_field.name != reader_field.name:
                out.append(Finding("alias-match", f"the reader's `{name}` lists `{writer_field.name}` among its "
                                                  f"aliases and reads the writer's `{writer_field.name}`."))
            out.extend(self.types(writer_field.type, reader_field.type, name, depth + 1))
        for writer_field in writer.fields:
            if writer_field.name not in matched:
                out.append(Finding("field-skipped", f"`{where(writer_field.name)}` ({avro_type(writer_field.type)}) "
                                                    f"is not in the reader's schema, by name or alias: the reader "
                                                    f"decodes the value and ignores it (a read-modify-write with "
                                                    f"the reader's schema loses the field)."))
        return out

    def enums(self, writer, reader, where: str) -> list[Finding]:
        out = []
        unknown = [s for s in writer.symbols if s not in reader.symbols]
        if unknown and not self.fails(writer, reader):
            out.append(Finding("enum-default-fill", f"{where}: the writer may send {', '.join(unknown)}, which the "
                                                    f"reader reads as its enum's default, "
                                                    f"{reader.props.get('default')}."))
        elif unknown:
            out.append(Finding("missing-enum-symbols", f"{where}: the writer may send {', '.join(unknown)}, which "
                                                       f"the reader's enum lacks, and it names no default symbol."))
        added = [s for s in reader.symbols if s not in writer.symbols]
        if added:
            out.append(Finding("enum-value-added", f"{where}: the reader's enum also knows {', '.join(added)}."))
        return out
