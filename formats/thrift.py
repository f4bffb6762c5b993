"""Thrift BinaryProtocol and CompactProtocol: thriftpy2 writes and reads; hand-written walks
label every byte as in the book's figures 4-2 and 4-3.

The schema is Thrift IDL. The record type is the first struct that no other struct in the
IDL uses: for a file with one struct, that struct; helper structs may be declared before
it (as Thrift files usually have them) or after it.

For the schema evolution lab, `struct_class`, `record_to_struct` and `struct_to_record`
give read-modify-write: thriftpy2 keeps no unknown fields, so a field the reader's IDL does
not know is gone once the struct is written again.
"""
import re

from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory
from thriftpy2.transport import TMemoryBuffer

from formats import paths
from formats._thrift_schema import (RESERVED, THRIFTPY_ATTRIBUTES, Schema, compile_schema,
                                    struct_to_record)
from formats._thrift_schema import record_to_struct as _record_to_struct
from formats._thrift_walk import BinaryWalk, CompactWalk, ThriftWalk
from formats.base import Format
from formats.errors import FormatError
from formats.facts.numbers import INT64
from formats.record import MAX_DEPTH, integer_type
from formats.spans import Decoded
from i18n import Text

__all__ = ["BINARY", "COMPACT", "record_to_struct", "struct_class", "struct_to_record"]


class ThriftFormat(Format, schema_language="thrift", family="thrift"):
    """One class, two protocols: what differs is thriftpy2's protocol factory and the walk."""

    def __init__(self, id: str, title: str, spends: str, factory, walk: type[ThriftWalk]):
        self.id, self.title, self.spends = id, title, spends
        self.factory = factory   # thriftpy2's protocol factory
        self.walk = walk

    def schema(self, schema_text: str | None) -> Schema:
        return compile_schema(self.need_schema(schema_text))

    def write(self, record, schema_text):
        obj = _record_to_struct(record, self.schema(schema_text))
        buffer = TMemoryBuffer()
        try:
            self.factory.get_protocol(buffer).write_struct(obj)
        except Exception:   # the walk above checked every value; this is a last resort
            raise FormatError(Text("err.thrift_record.write", title=self.title)) from None
        return buffer.getvalue()

    def annotate(self, data, schema_text=None):
        schema = self.schema(schema_text) if schema_text and schema_text.strip() else None
        return self.walk(data, schema).record()

    def read(self, data, schema_text, writer_schema_text=None):
        reader = self.schema(schema_text)
        walk = self.walk(data, reader)
        walk.record()   # malformed bytes: a FormatError with the offset, which thriftpy2 cannot give
        if walk.missing:
            path, fid = walk.missing[0]
            raise FormatError(Text("fmt.thrift.required_missing", path=path, tag=fid), path=path)
        if walk.misread:
            raise FormatError(Text("fmt.thrift.misread", why=walk.misread[0]))
        obj = reader.record_type()
        try:
            self.factory.get_protocol(TMemoryBuffer(data)).read_struct(obj)
        except Exception:   # the walk above accepted the bytes; this is a last resort
            raise FormatError(Text("err.thrift_record.read", title=self.title)) from None
        named = {}
        if walk.skipped and writer_schema_text:
            writer_walk = self.walk(data, self.schema(writer_schema_text))
            writer_walk.record()
            named = writer_walk.named
        skipped = [named.get(tags, path) for tags, path, _ in walk.skipped]
        notes = [Text("fmt.thrift.skipped_note", path=name, why=why) for name, (_, _, why) in zip(skipped, walk.skipped)]
        if skipped:
            notes.append(Text("fmt.thrift.drops_note"))
        if walk.defaulted:
            notes.append(Text("fmt.thrift.defaulted_note"))
        return Decoded(struct_to_record(obj), skipped, walk.defaulted, [], notes)

    def default_schema(self, record):
        structs: dict[str, str] = {}
        _render(_shape(record, "", 0), "Record", structs, set())
        return "\n\n".join(structs.values()) + "\n"

    def comparable(self, record):
        """Thrift has no null: a null field is not written, so it does not come back."""
        return _without_nulls(record)


BINARY = ThriftFormat("thrift-binary", "Thrift BinaryProtocol",
                      Text("fmt.spends.thrift_binary"), TBinaryProtocolFactory(), BinaryWalk)
COMPACT = ThriftFormat("thrift-compact", "Thrift CompactProtocol",
                       Text("fmt.spends.thrift_compact"),
                       TCompactProtocolFactory(), CompactWalk)


def struct_class(schema_text: str) -> type:
    """The thriftpy2 struct class a record is under this IDL (compiled once per text)."""
    return BINARY.schema(schema_text).record_type


def record_to_struct(record: dict, schema_text: str):
    """A struct instance holding `record`; a FormatError names the path of anything that does not fit."""
    return _record_to_struct(record, BINARY.schema(schema_text))


# -- default_schema ---------------------------------------------------------------------------
# A record's shape: "null", "bool", "i64", "double", "string", ("list", item shape or None when
# empty) or ("struct", {field name: shape}).

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _shape(value, path: str, depth: int):
    if depth > MAX_DEPTH:
        raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return integer_type([value], path, "Thrift", (("i64", *INT64),))
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        item = None
        for i, v in enumerate(value):
            if v is None:
                raise FormatError(Text("err.thrift_record.list_null", where=paths.index(path, i)),
                                  path=paths.index(path, i))
            item = _merge(item, _shape(v, paths.index(path, i), depth + 1), path)
        return "list", item
    if isinstance(value, dict):
        for name in value:
            _check_name(name, paths.key(path, str(name)))
        return "struct", {name: _shape(v, paths.key(path, name), depth + 1) for name, v in value.items()}
    raise FormatError(Text("err.record.not_json", where=path or Text("err.the_record"), kind=type(value).__name__),
                      path=path)


def _check_name(name, path: str) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise FormatError(Text("err.thrift_record.identifier", where=path, name=repr(name)), path=path)
    if name in RESERVED or name in THRIFTPY_ATTRIBUTES or name.startswith("__") and name.endswith("__"):
        raise FormatError(Text("err.thrift_record.reserved_name", where=path, name=repr(name)), path=path)


def _merge(a, b, path: str):
    """One shape for two items of a list (or one field across a list's records)."""
    if a is None or a == "null":
        return b
    if b is None or b == "null" or a == b:   # None: the items of an empty list, any type will do
        return a
    if isinstance(a, str) and isinstance(b, str) and {a, b} == {"i64", "double"}:
        return "double"
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "list":
        return "list", _merge(a[1], b[1], path)
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "struct":
        merged = dict(a[1])
        for name, shape in b[1].items():
            merged[name] = _merge(merged.get(name), shape, paths.key(path, name))
        return "struct", merged
    raise FormatError(Text("err.thrift_record.mixes", where=path, a=_kind(a), b=_kind(b)), path=path)


def _kind(shape) -> str:
    return shape if isinstance(shape, str) else Text(f"err.thrift_record.kinds.{shape[0]}")


def _render(shape, name: str, structs: dict[str, str], taken: set[str]) -> str:
    """The IDL type for a shape; a struct's text goes into `structs` after the structs it uses."""
    if shape is None or shape == "null":
        return "string"
    if isinstance(shape, str):
        return shape
    kind, inner = shape
    if kind == "list":
        return f"list<{_render(inner, name, structs, taken)}>"
    unique = name
    while unique in taken or unique in RESERVED:
        unique = f"{name}{int(unique[len(name):] or 1) + 1}"
    taken.add(unique)
    lines = [f"  {i}: optional {_render(s, _camel(field), structs, taken)} {field}"
             for i, (field, s) in enumerate(inner.items(), 1)]
    structs[unique] = f"struct {unique} {{\n" + ",\n".join(lines) + ("\n" if lines else "") + "}"
    return unique


def _camel(field: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in field.split("_")) or "Struct"


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
