"""Avro: fastavro writes and reads; a hand-written walk labels each byte as in the book's figure 4-5.

Avro's binary encoding holds no field tags, names or types, only values in the order of the
writer's schema, so every operation here needs a schema. Two views:

- `FORMAT` ("avro"): one record as `schemaless_writer` writes it (the book's 32 bytes).
- `CONTAINER` ("avro-container"): an object container file, which embeds the writer's schema
  in its header, so a reader needs no separate copy of it.

The container's record paths are the plain field paths (`userName`) when the file holds one
record, as `write` makes it; with more records each is prefixed by its index (`[1].userName`).
Both views give a record back as it went in (`comparable` is the identity): inferred schemas use
long and double only, and a container written here holds that one record.
"""
import io

import fastavro
from fastavro.read import SchemaResolutionError

from formats import paths
from formats._avro_schema import AvroSchema, infer, kind, library_message, parse, short_name, type_text
from formats._avro_walk import AvroWalk, ContainerWalk
from formats.base import Format
from formats.errors import FormatError, describe
from formats.facts import numbers
from formats.facts.avro import (CODECS, CONFLUENT_MAGIC, CONTAINER_MAGIC, FINGERPRINT_SIZE, SCHEMA_ID_SIZE,
                                SINGLE_OBJECT_MAGIC)
from formats.facts.numbers import DOUBLE_MAX, FLOAT32_MAX, INT32, INT64
from formats.record import MAX_DEPTH
from formats.spans import Decoded
from i18n import Text
from formats.wire import Walker
from i18n import Text

SYNC_MARKER = b"EncodingLab-sync"   # 16 bytes; fastavro would pick random ones, making every file differ
_NO_SCHEMA = Text("err.avro.no_schema")


def parse_schema(schema_text: str) -> dict:
    """fastavro's parsed form of an .avsc text (FormatError naming the line/column or field).

    Cached by text and shared by all sessions: treat the result as read-only.
    """
    return parse(schema_text).parsed


def fingerprint(schema_text: str) -> bytes:
    """The schema's CRC-64-AVRO fingerprint (of its Parsing Canonical Form, by fastavro's helpers), 8
    bytes little-endian, as a single object carries it."""
    return parse(schema_text).fingerprint


def container_file(records: list[dict], schema_text: str) -> bytes:
    """An Avro object container file (codec "null", fixed sync marker) holding `records` in one block."""
    schema = parse(schema_text)
    data = [_Datum(schema).record(r) for r in records]
    out = io.BytesIO()
    try:
        fastavro.writer(out, schema.plain, data, codec="null", sync_marker=SYNC_MARKER,
                        sync_interval=2 ** 62)
    except (ValueError, TypeError, OverflowError) as e:
        raise FormatError(Text("err.avro.write_records", message=library_message(e))) from None
    return out.getvalue()


class AvroFormat(
        Format, id="avro", title="Avro", schema_language="avsc", family="avro",
        spends=Text("fmt.spends.avro")):
    def write(self, record, schema_text):
        schema = parse(self.need_schema(schema_text))
        out = io.BytesIO()
        datum = _Datum(schema).record(record)   # our checks name the path; only fastavro's own refusals below
        try:
            fastavro.schemaless_writer(out, schema.parsed, datum)
        except (ValueError, TypeError, OverflowError) as e:
            raise FormatError(Text("err.avro.write_record", message=library_message(e))) from None
        return self.prefix(schema) + out.getvalue()

    def prefix(self, schema: AvroSchema, key: int | None = None) -> bytes:
        """The bytes a framing writes before the record, saying where the writer's schema is: its
        fingerprint, or `key` (a registry id, a schema version). Plain Avro writes none."""
        return b""

    def annotate(self, data, schema_text):
        schema = self.schema(schema_text)
        walk = AvroWalk(data, schema)
        self.header(walk, schema)
        walk.record()
        return walk.finish()

    def read(self, data, schema_text, writer_schema_text=None):
        reader = self.schema(schema_text)
        writer = self.schema(writer_schema_text) if writer_schema_text is not None else reader
        # the walk finds bad bytes by offset and resolution mismatches by path, which fastavro cannot say
        walk = AvroWalk(data, writer, reader if writer is not reader else None)
        self.check_header(self.header(walk, writer), writer)
        body = walk.pos
        walk.record()
        walk.finish()
        record = _library(lambda: fastavro.schemaless_reader(io.BytesIO(data[body:]), writer.parsed, reader.parsed))
        return _decoded(record, walk, reader)

    def header(self, walk: Walker, schema: AvroSchema | None):
        """Walk the bytes before the record (plain Avro has none); returns what they say about the
        writer's schema. `schema` is the one given to read with (None: only the header is read)."""
        return None

    def check_header(self, said, schema: AvroSchema) -> None:
        """A reader's check of what the header said (plain Avro has nothing to check)."""

    def recognise(self, data, schema_text=None):
        """Avro as found in the wild, by its first bytes: a container file, a single object, or (when
        the plain walk fails and a walk after five bytes succeeds) Confluent's wire format. A view
        the student picked stays picked."""
        if self is not FORMAT:
            return self.id, ""
        if data.startswith(CONTAINER_MAGIC):
            return CONTAINER.id, ("These bytes start with \"Obj\" and the byte 1: an Avro object container "
                                  "file, which carries the writer's schema in its header (a schema pasted here "
                                  "is read as the reader's). Walked as one.")
        if data.startswith(SINGLE_OBJECT_MAGIC) and len(data) >= len(SINGLE_OBJECT_MAGIC) + FINGERPRINT_SIZE:
            return SINGLE_OBJECT.id, ("These bytes start with C3 01: Avro's single-object encoding, where an "
                                      "8-byte fingerprint of the writer's schema comes before the record. "
                                      "Walked as one.")
        if data.startswith(CONFLUENT_MAGIC) and len(data) > SCHEMA_ID_SIZE and schema_text and schema_text.strip():
            if not _walks(self, data, schema_text) and _walks(CONFLUENT, data, schema_text):
                return CONFLUENT.id, ("As plain Avro these bytes do not fit the schema, but after their first "
                                      "five they do: Confluent's wire format (a 0 byte, then the 4-byte id a "
                                      "schema registry gave the writer's schema). Walked as that.")
        return self.id, ""

    def default_schema(self, record):
        return infer(record)

    def schema(self, schema_text: str | None) -> AvroSchema:
        """The parsed schema; without one, why Avro bytes cannot be read at all."""
        if schema_text is None or not schema_text.strip():
            raise FormatError(_NO_SCHEMA)
        return parse(self.need_schema(schema_text))


def _walks(fmt: Format, data: bytes, schema_text: str) -> bool:
    try:
        fmt.annotate(data, schema_text)
    except FormatError:
        return False
    return True


class SingleObjectFormat(
        AvroFormat, id="avro-single-object", title=Text("fmt.title.avro_single_object"),
        spends=Text("fmt.spends.avro_single_object")):
    """The specification's single-object encoding: C3 01, the writer schema's fingerprint, one record."""

    def prefix(self, schema, key=None):
        return SINGLE_OBJECT_MAGIC + schema.fingerprint

    def header(self, walk, schema):
        _magic(walk, SINGLE_OBJECT_MAGIC, Text("fmt.avro.frame.single_object"), Text("fmt.avro.frame.single_object_note"))
        mine = schema.fingerprint if schema is not None else walk.data[walk.pos:walk.pos + FINGERPRINT_SIZE]
        same = walk.data[walk.pos:walk.pos + FINGERPRINT_SIZE] == mine
        return walk.take(FINGERPRINT_SIZE, "header", lambda fp: Text(
            "fmt.avro.frame.fingerprint" if fp == mine.hex() else "fmt.avro.frame.fingerprint_other",
            fp=fp, mine=mine.hex()), "",
            Text("fmt.avro.frame.fingerprint_note" if same else "fmt.avro.frame.fingerprint_note_other"), scalar="hex")

    def check_header(self, said, schema):
        if said != schema.fingerprint.hex():
            raise FormatError(Text("err.avro.fingerprint", said=said, mine=schema.fingerprint.hex()), offset=2)


class ConfluentFormat(
        AvroFormat, id="avro-confluent", title=Text("fmt.title.avro_confluent"),
        spends=Text("fmt.spends.avro_confluent")):
    """Confluent's wire format (Kafka with a schema registry): 0, a 4-byte schema id, one record."""

    def prefix(self, schema, key=None):
        schema_id = 1 if key is None else key   # without a registry: the first id one hands out
        if not numbers.fits(schema_id, numbers.UINT32):
            raise FormatError(Text("err.avro.schema_id", n=schema_id))
        return CONFLUENT_MAGIC + schema_id.to_bytes(SCHEMA_ID_SIZE, "big")

    def header(self, walk, schema):
        _magic(walk, CONFLUENT_MAGIC, Text("fmt.avro.frame.magic"), Text("fmt.avro.frame.magic_note"))
        return walk.fixed(">I", "header", lambda n: Text("fmt.avro.frame.schema_id", n=n), "",
                          Text("fmt.avro.frame.schema_id_note"))


class VersionedFormat(
        AvroFormat, id="avro-versioned", title=Text("fmt.title.avro_versioned"),
        spends=Text("fmt.spends.avro_versioned")):
    """A database row that starts with its writer's schema version: the book's "include a version number
    at the beginning of every encoded record, and keep a list of schema versions in your database"."""

    def prefix(self, schema, key=None):
        version = 1 if key is None else key
        if not numbers.fits(version, INT32):
            raise FormatError(Text("err.avro.version", n=version))
        out = io.BytesIO()
        fastavro.schemaless_writer(out, _INT, version)
        return out.getvalue()

    def header(self, walk, schema):
        return walk.varint("header", lambda v: Text("fmt.avro.frame.version", n=v), "",
                           Text("fmt.avro.frame.version_note"), scalar="zigzag")


_INT = fastavro.parse_schema("int")
FRAMINGS = ("avro-single-object", "avro-confluent", "avro-versioned")


def framed(view_id: str, body: bytes, schema_text: str, key: int | None = None) -> bytes:
    """Plain Avro `body` inside a framing (one of FRAMINGS) that tells a reader where to find the
    writer's schema: the single object's fingerprint of `schema_text`, or `key` (a Confluent registry
    id, a row's schema version)."""
    return _framing(view_id).prefix(parse(schema_text), key) + bytes(body)


def unframe(view_id: str, data: bytes) -> tuple[int | str, bytes]:
    """What a framing's header says (a registry id, a schema version, a fingerprint in hex) and the plain
    Avro body after it: a reader's first step, read by the same walk that labels the header."""
    walk = Walker(data)
    said = _framing(view_id).header(walk, None)
    return said, bytes(data[walk.pos:])


def _framing(view_id: str) -> AvroFormat:
    if view_id not in FRAMINGS:
        raise FormatError(Text("err.avro.framing", view=repr(view_id), choices=", ".join(FRAMINGS)))
    return {f.id: f for f in (SINGLE_OBJECT, CONFLUENT, VERSIONED)}[view_id]


def _magic(walk: Walker, magic: bytes, label: Text, explanation: Text) -> None:
    found = walk.data[walk.pos:walk.pos + len(magic)]
    if len(found) == len(magic) and found != magic:
        raise walk.fail(Text("err.avro.not_framing", label=label, magic=magic.hex(" ").upper(),
                             found=found.hex(" ").upper()))
    walk.take(len(magic), "header", label, "", explanation)


class AvroContainerFormat(
        AvroFormat, id="avro-container", title=Text("fmt.title.avro_container"),
        spends=Text("fmt.spends.avro_container")):
    def write(self, record, schema_text):
        return container_file([record], self.need_schema(schema_text))

    def annotate(self, data, schema_text=None):
        """The file's own header says how to read it: `schema_text` is not needed."""
        walk = ContainerWalk(data)
        walk.container()
        return walk.finish()

    def read(self, data, schema_text=None, writer_schema_text=None):
        """The first record, read with `schema_text` as the reader's schema (the file's own if None).

        The writer's schema always comes from the file header; `writer_schema_text` is ignored.
        """
        reader = parse(self.need_schema(schema_text)) if schema_text and schema_text.strip() else None
        container = ContainerWalk(data)
        container.container()
        container.finish()
        if container.count == 0:
            raise FormatError(Text("err.avro.no_records"))
        if container.codec not in ("null", *CODECS):
            raise FormatError(Text("err.avro.codec_package", codec=container.codec))
        # the first record again, resolved: what the reader skips, defaults and promotes
        walk = AvroWalk(container.inflated if container.first is None else data, container.schema, reader)
        walk.pos = container.first or 0
        if reader is not None:
            walk.record()
        record = _library(lambda: next(iter(fastavro.reader(io.BytesIO(data), reader and reader.parsed))))
        decoded = _decoded(record, walk, reader)
        decoded.notes[:0] = ["The writer's schema came from the file header (avro.schema)" +
                             ("; the reader's schema was resolved against it." if reader else
                              ", and the reader used it as its own.")]
        if container.count > 1:
            decoded.notes.insert(0, f"The file holds {container.count} records; this is the first.")
        return decoded


def _library(read):
    """Run fastavro's reader; what the walk did not already explain is reworded here."""
    try:
        return read()
    except SchemaResolutionError as e:   # its message may dump the whole schema: cut off
        raise FormatError(Text("err.avro.resolution", message=library_message(e))) from None
    except (EOFError, ValueError, KeyError, IndexError, TypeError) as e:
        raise FormatError(Text("err.avro.read", message=library_message(e))) from None


def _decoded(record: dict, walk: AvroWalk, reader: AvroSchema | None) -> Decoded:
    notes = list(walk.notes) + list(reader.notes if reader else ())
    return Decoded(record, skipped=list(walk.skipped), defaulted=list(walk.defaulted), notes=notes)


class _Datum:
    """A JSON record -> the value fastavro writes, with path-aware errors.

    Union values become fastavro's (branch name, value) tuples, so the branch is chosen by the
    JSON value here (null, a number, a string, an object…) rather than by fastavro's guess.
    """

    def __init__(self, schema: AvroSchema):
        self.schema = schema

    def record(self, record) -> dict:
        if not isinstance(record, dict):
            raise FormatError(Text("err.record.must_be_object"))
        return self.value(self.schema.parsed, record, "", 0)

    def value(self, t, v, path: str, depth: int, default: bool = False):
        if depth > MAX_DEPTH:
            raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
        t = self.schema.deref(t)
        k = kind(t)
        where = path or Text("err.the_record")
        if k == "union":
            i = 0 if default else self.branch(t, v, path)
            return _branch_name(t[i]), self.value(t[i], v, path, depth, default)
        number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if k == "null" and v is None or k == "boolean" and isinstance(v, bool):
            return v
        if k in ("int", "long") and number and isinstance(v, int):
            low, high = INT32 if k == "int" else INT64
            if not low <= v <= high:
                raise FormatError(Text(f"err.avro.range.{k}", where=where, value=v, low=low, high=high),
                                  path=path or None)
            return v
        if k in ("float", "double") and number:
            if abs(v) > (FLOAT32_MAX if k == "float" else DOUBLE_MAX):
                raise FormatError(Text(f"err.avro.float_large.{k}", where=where, value=repr(v)), path=path or None)
            return float(v)
        if k == "string" and isinstance(v, str):
            return v
        if k in ("bytes", "fixed") and isinstance(v, (str, bytes, bytearray)):
            # JSON has no bytes: a string is its UTF-8 (a schema default: one byte per character, as
            # the specification says)
            raw = bytes(v) if not isinstance(v, str) else v.encode("latin-1" if default else "utf-8")
            if k == "fixed" and len(raw) != t["size"]:
                raise FormatError(Text("err.avro.fixed", where=where, name=short_name(t), size=t["size"], value=describe(v),
                                       n=len(raw)), path=path or None)
            return raw
        if k == "enum" and isinstance(v, str):
            if v not in t["symbols"]:
                raise FormatError(Text("err.avro.symbol", where=where, value=repr(v), name=short_name(t),
                                       symbols=", ".join(t["symbols"])), path=path or None)
            return v
        if k == "array" and isinstance(v, list):
            return [self.value(t["items"], item, paths.index(path, i), depth + 1, default)
                    for i, item in enumerate(v)]
        if k == "map" and isinstance(v, dict):
            return {key: self.value(t["values"], item, paths.key(path, key), depth + 1, default)
                    for key, item in v.items()}
        if k == "record" and isinstance(v, dict):
            return self.fields(t, v, path, depth + 1, default)
        raise FormatError(Text("err.value.expected", where=where, what=_expected(self.schema, t), got=describe(v)),
                          path=path or None)

    def fields(self, t: dict, v: dict, path: str, depth: int, default: bool) -> dict:
        names = [f["name"] for f in t["fields"]]
        for key in v:
            if key not in names:
                raise FormatError(Text("err.avro.no_field", where=paths.key(path, key), name=short_name(t), key=repr(key)),
                                  path=paths.key(path, key))
        out = {}
        for f in t["fields"]:
            child = paths.key(path, f["name"])
            if f["name"] in v:
                out[f["name"]] = self.value(f["type"], v[f["name"]], child, depth, default)
            elif "default" in f:
                out[f["name"]] = self.value(f["type"], f["default"], child, depth, default=True)
            else:
                raise FormatError(Text("err.avro.no_value", where=child), path=child)
        return out

    def branch(self, union: list, v, path: str) -> int:
        """The union branch for JSON value `v`: the best fit, ties to the earlier branch."""
        fits = [(fit, i) for i, b in enumerate(union) if (fit := self.fit(self.schema.deref(b), v)) is not None]
        if not fits:
            raise FormatError(Text("err.avro.branch", where=path or Text("err.the_record"),
                                   choices=[type_text(self.schema, b) for b in union], got=describe(v)),
                              path=path or None)
        return min(fits)[1]

    @staticmethod
    def fit(t, v) -> tuple | None:
        """How well type `t` holds `v` (smaller is better), or None if it cannot."""
        k = kind(t)
        if v is None or isinstance(v, bool):
            return (0,) if k == ("null" if v is None else "boolean") else None
        if isinstance(v, int):
            if k == "long" and numbers.fits(v, INT64) or k == "int" and numbers.fits(v, INT32):
                return (0,)
            return (1,) if k in ("double", "float") else None
        if isinstance(v, float):
            return {"double": (0,), "float": (1,)}.get(k)
        if isinstance(v, str):
            if k == "string" or k == "enum" and v in t["symbols"]:
                return (0,)
            return (1,) if k == "bytes" or k == "fixed" and len(v.encode("utf-8")) == t["size"] else None
        if isinstance(v, (bytes, bytearray)):
            return (0,) if k == "bytes" or k == "fixed" and len(v) == t["size"] else None
        if isinstance(v, list):
            return (0,) if k == "array" else None
        if isinstance(v, dict) and k == "map":
            return (1,)
        if isinstance(v, dict) and k == "record":
            names = {f["name"] for f in t["fields"]}
            required = {f["name"] for f in t["fields"] if "default" not in f}
            fits = set(v) <= names and required <= set(v)
            # a record that fits wins, the one with most of the keys first; else the closest record,
            # so that its error names the field
            return (0 if fits else 2, -len(names & set(v)))
        return None


def _branch_name(t) -> str:
    """The name fastavro's (name, value) union notation uses for a branch."""
    if isinstance(t, dict):
        return t["name"] if t["type"] in ("record", "error", "enum", "fixed") else t["type"]
    return t


def _expected(schema: AvroSchema, t) -> str:
    k = kind(t)
    if k == "null":
        return "null"
    if k == "record":
        return Text("err.avro.expect_record", name=short_name(t))
    if k in ("boolean", "int", "long", "float", "double", "string", "bytes", "array", "map"):
        return Text(f"err.avro.expect.{k}")
    return type_text(schema, t)


FORMAT = AvroFormat()
CONTAINER = AvroContainerFormat()
SINGLE_OBJECT = SingleObjectFormat()
CONFLUENT = ConfluentFormat()
VERSIONED = VersionedFormat()
