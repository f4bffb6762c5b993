"""Both directions, for real: the writer's library writes, the reader's library reads.

    >>> outcome = run("protobuf", "narrow-int", "backward")   # v2 (int32) code reads v1 data
    >>> outcome.status, outcome.changed
    ('lossy', [('favoriteNumber', 1099511627776, 0)])

BACKWARD compatibility: new code reads old data (direction "backward": the v2 reader,
v1 bytes). FORWARD compatibility: old code reads new data ("forward": the v1 reader,
v2 bytes). Nothing here predicts: the bytes come from formats.encode with the writer's
schema and go through formats.decode with the reader's, and the record that comes out
is compared with the record that went in.
"""
import math
from dataclasses import dataclass, field
from typing import Any

import formats
from evolution import catalogue
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from evolution.rules import COMPATIBLE, INCOMPATIBLE, LOSSY
from evolution.schemaless import DEFAULT_POLICY, SchemalessReader
from formats import paths
from formats.errors import FormatError
from formats.spans import Encoded, Span

FORMATS = ("avro", "protobuf", "thrift-binary", "thrift-compact", "json", "msgpack")
DIRECTIONS = {
    "backward": "new code (v2) reads old data (v1)",
    "forward": "old code (v1) reads new data (v2)",
}

CLASSIFICATION = """\
How a read is classified (the rule every outcome follows):
- incompatible: the reader refused the data: the library raised an error (the formats'
  readers also refuse data that leaves a field the reader's schema requires empty, as
  C++ and Java readers do), or the schemaless reader's code gave up.
- lossy: the reader produced a record, but a value the writer wrote did not reach it
  (`lost`: the reader skipped the field, or left it at its default) or reached it changed
  (`changed`: 2^40 read as 0 by an int32 reader).
- compatible: every value the writer wrote arrived unchanged. Fields the writer did not
  have may be filled from the reader's defaults: that loses nothing.
Values are compared as a reader can give them back: text equals its UTF-8 bytes, a lone
value equals a one-element list, a float equals its 32-bit rounding, and null, an empty
list, an object of nulls and an absent field are all "nothing written".
"""


def classify(error: str | None, lost: list, changed: list) -> str:
    """The CLASSIFICATION rule."""
    if error:
        return INCOMPATIBLE
    if lost or changed:
        return LOSSY
    return COMPATIBLE


@dataclass
class Outcome:
    """One read across versions. See CLASSIFICATION for `status`."""
    status: str
    format_id: str
    direction: str | None                 # "backward", "forward", or None for two ad-hoc schemas
    writer_record: dict
    read_record: dict | None              # None when the read failed
    encoded: Encoded                      # the writer's bytes, annotated with the writer's schema
    skipped_spans: list[Span]             # the bytes of the fields the reader skipped
    skipped: list[str]                    # paths the reader passed over
    defaulted: list[str]                  # paths the reader filled from its own defaults
    changed: list[tuple[str, Any, Any]]   # (path, written value, read value)
    lost: list[str]                       # paths written but not visible to the reader
    error: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """One short line for a matrix cell."""
        if self.error:
            return self.error
        parts = [f"`{p}` {_short(w)} read as {_short(r)}" for p, w, r in self.changed]
        if self.lost:
            parts.append(f"loses {_names(self.lost)}")
        if parts:
            return "; ".join(parts)
        if self.defaulted:
            return f"reads every value; fills {_names(self.defaulted)} from its defaults"
        return "reads every value unchanged"


def _names(items) -> str:
    return ", ".join(f"`{p}`" for p in items)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


# --- reading across versions ---

def read_across(format_id: str, record: dict, writer_schema_text: str | None, reader_schema_text: str | None,
                *, reader: SchemalessReader | None = None, direction: str | None = None) -> Outcome:
    """Write `record` with the writer's schema, read the bytes with the reader's, and classify.

    Schemaless formats (json, msgpack) take no schemas: `reader` models the reading code.
    """
    family = _family(format_id)
    if family == "schemaless":
        if reader is None:
            raise FormatError(f"{formats.get(format_id).title} has no schema: describe the reading code "
                              f"(a SchemalessReader) instead")
        return _read_schemaless(format_id, record, reader, direction)
    encoded = formats.encode(format_id, record, writer_schema_text)
    try:   # a mistake in the reader's schema is the user's to fix, not an incompatibility
        fields = Counterparts(family, writer_schema_text, reader_schema_text)
    except FormatError as e:
        raise FormatError(f"the reader's schema: {e.message}", line=e.line, column=e.column) from None
    try:
        decoded = formats.decode(format_id, encoded.data, reader_schema_text, writer_schema_text)
    except FormatError as e:
        return _failed(format_id, direction, record, encoded, e.message)
    read = decoded.record
    lost, changed = [], []
    defaulted = {paths.normalized(p) for p in decoded.defaulted}
    for key, value in record.items():
        if blank(value):
            continue
        reader_key = fields.reader_key(key)
        if reader_key is None or paths.normalized(reader_key) in defaulted:
            lost.append(key)
            continue
        got = _lookup(read, reader_key)
        if blank(got):
            lost.append(key)
        elif not same(value, got):
            changed.append((key, value, got))
    skipped = list(decoded.skipped)
    return Outcome(classify(None, lost, changed), format_id, direction, record, read, encoded,
                   spans_of(encoded, skipped), skipped, list(decoded.defaulted), changed, lost, None,
                   list(decoded.notes))


def _read_schemaless(format_id, record, reader: SchemalessReader, direction) -> Outcome:
    encoded = formats.encode(format_id, record)
    decoded = formats.decode(format_id, encoded.data)
    reading = reader.read(decoded.record)
    if reading.error:
        return _failed(format_id, direction, record, encoded, reading.error, skipped=reading.ignored)
    lost = [k for k in reading.ignored if not blank(record.get(k))]
    changed = [(k, v, reading.record[k]) for k, v in record.items()
               if k in reading.record and not same(v, reading.record[k])]
    notes = [f"The reader's code {'drops' if reader.policy == 'ignore' else 'rejects'} keys it does not expect."]
    return Outcome(classify(None, lost, changed), format_id, direction, record, reading.record, encoded,
                   spans_of(encoded, reading.ignored), list(reading.ignored), list(reading.defaulted), changed,
                   lost, None, notes)


def _failed(format_id, direction, record, encoded, error, notes=(), skipped=()) -> Outcome:
    return Outcome(INCOMPATIBLE, format_id, direction, record, None, encoded, spans_of(encoded, skipped),
                   list(skipped), [], [], [], error, list(notes))


def spans_of(encoded: Encoded, skipped) -> list[Span]:
    """The writer's bytes behind each skipped path."""
    out = []
    for path in skipped:
        out += encoded.spans_for(path)
    return sorted(set(out), key=lambda s: s.start)


def run(format_id: str, change_id: str, direction: str, policy: str = DEFAULT_POLICY) -> Outcome:
    """A catalogue change, read across versions: "backward" = v2 reads v1's bytes, "forward" =
    v1 reads v2's bytes. `policy` is the schemaless reader's (json, msgpack)."""
    if direction not in DIRECTIONS:
        raise FormatError(f"unknown direction {direction!r}; choose backward or forward")
    change = catalogue.change(change_id)
    family = _family(format_id)
    why_not = change.why_not(family)
    if why_not:
        raise FormatError(f"{change.title} does not apply to {formats.get(format_id).title}: {why_not}")
    writer_version, reader_version = (1, 2) if direction == "backward" else (2, 1)
    record = change.record(writer_version)
    if family == "schemaless":
        return read_across(format_id, record, None, None, direction=direction,
                           reader=schemaless_reader(change, reader_version, policy))
    texts = dict(zip((1, 2), change.schemas(LANGUAGE_OF[family])))
    return read_across(format_id, record, texts[writer_version], texts[reader_version], direction=direction)


def schemaless_reader(change: catalogue.Change, version: int, policy: str = DEFAULT_POLICY) -> SchemalessReader:
    """The code of `version` of a change: it expects the keys (and kinds) of the record it writes; a key is
    optional when that version's Avro schema gives the field a default."""
    v1, v2 = change.schemas("avsc")
    avsc = v1 if version == 1 or v2 is None else v2
    return SchemalessReader.expecting(change.record(version), catalogue.optional_fields(avsc), policy)


def _family(format_id: str) -> str:
    try:
        return FAMILY_OF_FORMAT[format_id]
    except KeyError:
        raise FormatError(f"schema evolution covers {', '.join(FORMATS)}; not {format_id!r}") from None


# --- which field is which across two schemas ---

class Counterparts:
    """Which reader field receives each writer field: by name (and the reader's aliases) in Avro,
    by field tag in Protobuf and Thrift."""

    def __init__(self, family: str, writer_text: str, reader_text: str):
        self.family = family
        if family == "avro":
            from avro.compatibility import lookup_writer_field
            from evolution.static import avro_schema
            writer, reader = avro_schema(writer_text), avro_schema(reader_text)
            self._map = {}
            for reader_field in reader.fields:
                writer_field = lookup_writer_field(writer_schema=writer, reader_field=reader_field)
                if writer_field is not None:
                    self._map[paths.normalized(writer_field.name)] = reader_field.name
        else:
            from evolution.static import tagged_fields
            writer, reader = tagged_fields(family, writer_text), tagged_fields(family, reader_text)
            self._map = {}
            for tag, w in writer.items():
                if tag in reader:
                    self._map[paths.normalized(w.key)] = reader[tag].key
                    self._map[paths.normalized(w.name)] = reader[tag].key

    def reader_key(self, writer_key: str) -> str | None:
        return self._map.get(paths.normalized(writer_key))


def _lookup(record: dict, key: str):
    return paths.value_at(record, paths.key("", key), None)


def blank(value) -> bool:
    """Nothing written: Protobuf and Thrift cannot tell null, an empty list, an object of nothing but
    nulls and an absent field apart."""
    if isinstance(value, dict):
        return all(blank(v) for v in value.values())
    return value is None or value == []


def same(written, read) -> bool:
    """Equal as a reader can give a value back (see CLASSIFICATION)."""
    if isinstance(written, bool) or isinstance(read, bool):
        return type(written) is type(read) and written == read
    if isinstance(written, (int, float)) and isinstance(read, (int, float)):
        if isinstance(written, float) or isinstance(read, float):
            return math.isclose(written, read, rel_tol=1e-6)   # 32-bit floats keep ~7 digits
        return written == read
    if isinstance(written, str) and isinstance(read, (bytes, bytearray)):
        return read == written.encode("utf-8")
    if isinstance(read, list) and not isinstance(written, list):
        return len(read) == 1 and same(written, read[0])
    if isinstance(written, list) and isinstance(read, list):
        return len(written) == len(read) and all(same(w, r) for w, r in zip(written, read))
    if isinstance(written, dict) and isinstance(read, dict):
        keys = {paths.normalized(k) for k, v in written.items() if not blank(v)}
        if keys != {paths.normalized(k) for k, v in read.items() if not blank(v)}:
            return False
        return all(same(v, _lookup(read, k)) for k, v in written.items() if not blank(v))
    return written == read
