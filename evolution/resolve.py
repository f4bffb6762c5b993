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
import copy
import math
import struct
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import formats
from evolution import catalogue
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from evolution.rules import COMPATIBLE, INCOMPATIBLE, LOSSY
from evolution.schemaless import DEFAULT_POLICY, SchemalessReader
from formats import paths
from formats.errors import FormatError
from formats.spans import Encoded, Span
from i18n import Text, chain

FORMATS = ("avro", "protobuf", "thrift-binary", "thrift-compact", "json", "msgpack")
DIRECTIONS = {direction: Text(f"ev.direction.{direction}") for direction in ("backward", "forward")}
NEWER = {"backward": "reader", "forward": "writer"}   # which side of a direction is the later version

CLASSIFICATION = """\
How a read is classified (the rule every outcome follows):
- incompatible: the reader refused the data: the library raised an error (the formats'
  readers also refuse data that leaves a field the reader's schema requires empty, as
  C++ and Java readers do), or the schemaless reader's code gave up.
- lossy: the reader produced a record, but a value the writer wrote for a field the
  reader's schema also has (the same tag, name or alias) did not reach that field
  (`lost`: left at its default or empty, as when the field's tag changed while its name
  stayed, or a removed enum symbol reads as the default) or reached it changed
  (`changed`: 2^40 read as 0 by an int32 reader).
- compatible: every value the reader has a field for arrived unchanged. A field the
  reader's schema has no field for at all (no such tag and no such name in Protobuf and
  Thrift, no such name or alias in Avro, a key the reading code does not expect) is
  `ignored`: old code ignoring what it does not know is what forward compatibility
  means. Ignoring costs the reader nothing; the field is lost only if the reader writes
  the record back (read-modify-write, figure 4-7), unless its library keeps unknown
  fields. Fields the writer did not have may be filled from the reader's defaults: that
  loses nothing either.
Fields the writer did not have are compared at no depth: a default filled in inside a
nested record loses nothing, as at the top level.
Values are compared by their identity on the wire, as a reader can give them back: an
enum value is its number (a reader whose open enum keeps a number it has no name for
loses nothing), true is 1, an embedded message is the bytes that encode it, text equals
its UTF-8 bytes, a lone value equals a one-element list, a float the writer's schema
stores in 32 bits equals its 32-bit rounding; an integer equals only the same number (a
long 2^53 + 1 read as a double arrives as 2^53: changed). Null, an empty list, an object
of nulls and an absent field are all "nothing written"; so is a proto3 zero, which is
not written either.
"""


def classify(error: str | None, lost: list, changed: list) -> str:
    """The CLASSIFICATION rule. Ignored fields do not enter: they never make a read lossy."""
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
    skipped: list[str]                    # paths the reader passed over (ignored, and lost on the wire)
    defaulted: list[str]                  # paths the reader filled from its own defaults
    changed: list[tuple[str, Any, Any]]   # (path, written value, read value)
    lost: list[str]                       # paths the reader has a field for, whose written value did not arrive
    ignored: list[str]                    # paths written that the reader has no field for (not a loss)
    error: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """One short line for a matrix cell."""
        if self.error:
            return self.error
        parts = [Text("ev.reason.changed", path=p, written=_short(w), read=_short(r)) for p, w, r in self.changed]
        if self.lost:
            parts.append(Text("ev.reason.loses", fields=_names(self.lost)))
        if self.ignored:
            why = ignored_why(FAMILY_OF_FORMAT[self.format_id], len(self.ignored))
            parts.append(Text("ev.reason.ignores", fields=_names(self.ignored), why=why))
        if self.defaulted:
            parts.append(Text("ev.reason.fills", fields=_names(self.defaulted)))
        if not self.changed and not self.lost:
            parts.insert(0, Text("ev.reason.reads_known" if self.ignored else "ev.reason.reads_every"
                                 if self.defaulted else "ev.reason.reads_unchanged"))
        return chain("ev.reason.then", parts)


def ignored_why(family: str, count: int) -> str:
    """Why `count` ignored fields cost this family's reader nothing, and when they would be lost."""
    return Text(f"ev.ignored_why.{family}", n=count)


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
        raise FormatError(Text("ev.error.reader_schema", message=e.message), line=e.line, column=e.column) from None
    try:
        decoded = formats.decode(format_id, encoded.data, reader_schema_text, writer_schema_text)
    except FormatError as e:
        return _failed(format_id, direction, record, encoded, e.message)
    read = decoded.record
    lost, changed, ignored, moved, narrowed = [], [], [], [], []
    defaulted = {paths.normalized(p) for p in decoded.defaulted}
    filled = [paths.steps(p) for p in decoded.defaulted]
    for match in fields.matches(record):
        if match.reader_key is None:
            ignored.append(match.path)
            continue
        if match.moved:
            lost.append(match.path)
            moved.append(match.path)
            continue
        ignored += match.ignored_inside
        lost += match.moved_inside
        moved += match.moved_inside
        if blank(match.expected):   # everything written inside it is ignored: nothing to arrive
            continue
        got = _lookup(read, match.reader_key)
        seen = fields.reading(match.inside, _without_fills(got, match.expected, match.reader_key, filled))
        if same(match.expected, seen):
            continue
        if paths.normalized(match.reader_key) in defaulted or blank(got):
            lost.append(match.path)
        elif _holds(match.inside):   # the library's value does not fit the reader's declared type
            changed.append((match.path, match.value, seen))
            narrowed.append(Text("ev.note.narrowed", path=match.path, got=_short(got), seen=_short(seen),
                                 held=Text(f"ev.held.{_HELD[_holds(match.inside)]}")))
        else:
            changed.append((match.path, match.value, got))
    notes = list(decoded.notes) + narrowed + [Text("ev.note.moved", path=p) for p in moved]
    skipped = list(decoded.skipped)
    return Outcome(classify(None, lost, changed), format_id, direction, record, read, encoded,
                   spans_of(encoded, skipped), skipped, list(decoded.defaulted), changed, lost, ignored, None,
                   notes)


def _read_schemaless(format_id, record, reader: SchemalessReader, direction) -> Outcome:
    encoded = formats.encode(format_id, record)
    decoded = formats.decode(format_id, encoded.data)
    reading = reader.read(decoded.record)
    if reading.error:
        return _failed(format_id, direction, record, encoded, reading.error, skipped=reading.ignored)
    ignored = [k for k in reading.ignored if not blank(record.get(k))]   # the code has no use for these keys
    changed = [(k, v, reading.record[k]) for k, v in record.items()
               if k in reading.record and not same(v, reading.record[k])]
    notes = [Text("ev.note.drops_unexpected" if reader.policy == "ignore" else "ev.note.rejects_unexpected")]
    return Outcome(classify(None, [], changed), format_id, direction, record, reading.record, encoded,
                   spans_of(encoded, reading.ignored), list(reading.ignored), list(reading.defaulted), changed,
                   [], ignored, None, notes)


def _failed(format_id, direction, record, encoded, error, notes=(), skipped=()) -> Outcome:
    return Outcome(INCOMPATIBLE, format_id, direction, record, None, encoded, spans_of(encoded, skipped),
                   list(skipped), [], [], [], [], error, list(notes))


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
        raise FormatError(Text("ev.error.does_not_apply", change=change.title, format=formats.get(format_id).title,
                               why=why_not))
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

class Match(NamedTuple):
    """One field the writer wrote, as the reader's schema sees it."""
    path: str                   # the writer's path
    value: Any                  # as written
    reader_key: str | None      # the reader's field for it; None: the reader has no field for it (ignored)
    moved: bool                 # the reader knows the field by name under another tag: the value cannot arrive
    expected: Any               # what the reader should see: nested keys the reader's, ignored fields left out
    ignored_inside: list[str]   # paths inside `value` the reader has no field for
    moved_inside: list[str]     # paths inside `value` whose tag moved
    inside: tuple | None = None   # how to look inside the value (see _Pair)


class _Pair(NamedTuple):
    """How the reader sees one field: its key, whether it moved, and how to look inside the value."""
    reader_key: str | None
    moved: bool
    # ("record", writer type, reader type), ("list", inside), ("map", inside), ("enum", the writer's
    # numbers by symbol, the reader's), ("encoded", the writer's message descriptor: the reader has bytes),
    # ("as-message", the reader's message descriptor: the writer wrote bytes) or ("held", what the reader's
    # narrower number type holds: "float32" or a number of bits)
    inside: tuple | None


class Counterparts:
    """Which reader field receives each writer field: by name (and the reader's aliases) in Avro,
    by field tag in Protobuf and Thrift, at every level of nesting; and which written fields the
    reader's schema has no field for (no such name or alias; no such tag and no such name)."""

    def __init__(self, family: str, writer_text: str, reader_text: str):
        from evolution.static import avro_schema, tagged_fields
        self.family = family
        self._pairs: dict = {}   # (writer type, reader type) -> {normalized writer key: _Pair}
        if family == "avro":
            self._root = ("record", avro_schema(writer_text), avro_schema(reader_text))
        else:
            self._root = ("record", tagged_fields(family, writer_text), tagged_fields(family, reader_text))

    def reader_key(self, writer_key: str) -> str | None:
        """The reader's top-level field that receives the writer's `writer_key` (by tag; in Avro by name or
        alias); None when the reader has no field for it or knows it under another tag."""
        pair = self._fields(self._root).get(paths.normalized(writer_key))
        return pair.reader_key if pair is not None and not pair.moved else None

    def matches(self, record: dict, path: str = "", inside: tuple | None = None) -> list[Match]:
        """Every field of `record` (a record the writer wrote) that holds a value."""
        table = self._fields(inside or self._root)
        out = []
        for key, value in record.items():
            if blank(value):
                continue
            here = paths.key(path, key)
            pair = table.get(paths.normalized(key), _Pair(key, False, None))   # unknown to the writer: as is
            if pair.reader_key is None or pair.moved:
                out.append(Match(here, value, pair.reader_key, pair.moved, None, [], []))
                continue
            out.append(Match(here, value, pair.reader_key, False, *self._view(pair.inside, value, here),
                             pair.inside))
        return out

    def reading(self, inside: tuple | None, got):
        """What the reader read, in the terms of Match.expected: an enum value as its number, bytes that
        hold an embedded message as that message (parsed with the writer's schema), at every depth."""
        if inside is None or got is None:
            return got
        kind = inside[0]
        if isinstance(got, list) and kind in ("enum", "encoded", "held", "list"):
            return [self.reading(inside[1] if kind == "list" else inside, g) for g in got]
        if kind == "enum":
            return inside[2].get(got, got) if isinstance(got, str) else got
        if kind == "encoded":
            return _parsed(inside[1], got)
        if kind == "held":
            return _held(inside[1], got)
        if kind == "map" and isinstance(got, dict):
            return {k: self.reading(inside[1], v) for k, v in got.items()}
        if kind == "record" and isinstance(got, dict):
            by_reader = {paths.normalized(p.reader_key): p.inside for p in self._fields(inside).values()
                         if p.reader_key is not None and not p.moved}
            return {k: self.reading(by_reader.get(paths.normalized(k)), v) for k, v in got.items()}
        return got

    def _view(self, inside: tuple | None, value, path: str):
        """(what the reader should see of `value`, ignored paths inside it, moved paths inside it)."""
        if inside is None:
            return value, [], []
        if inside[0] == "enum":
            return [self._view(inside, v, path)[0] for v in value] if isinstance(value, list) else \
                (inside[1].get(value, value) if isinstance(value, str) else value), [], []
        if inside[0] in ("encoded", "held"):
            return value, [], []
        if inside[0] == "as-message":   # bytes the writer wrote, as the reader's message sees them
            return ([_parsed(inside[1], v) for v in value] if isinstance(value, list)
                    else _parsed(inside[1], value)), [], []
        ignored, moved = [], []
        if inside[0] == "record" and isinstance(value, dict):
            expected = {}
            for m in self.matches(value, path, inside):
                if m.reader_key is None:
                    ignored.append(m.path)
                elif m.moved:
                    moved.append(m.path)
                else:
                    expected[m.reader_key] = m.expected
                    ignored += m.ignored_inside
                    moved += m.moved_inside
            return expected, ignored, moved
        if inside[0] == "list" and isinstance(value, list):
            items = [self._view(inside[1], v, paths.index(path, i)) for i, v in enumerate(value)]
        elif inside[0] == "map" and isinstance(value, dict):
            items = [self._view(inside[1], v, paths.key(path, k)) for k, v in value.items()]
        else:
            return value, [], []
        for _, item_ignored, item_moved in items:
            ignored += item_ignored
            moved += item_moved
        expected = [e for e, _, _ in items]
        return (dict(zip(value, expected)) if inside[0] == "map" else expected), ignored, moved

    def _fields(self, inside: tuple) -> dict:
        _, writer, reader = inside
        key = (id(writer), id(reader))   # stable: self._root and the _Pairs in self._pairs hold every type
        if key not in self._pairs:
            self._pairs[key] = (_avro_pairs(writer, reader) if self.family == "avro"
                                else _tagged_pairs(self.family, writer, reader))
        return self._pairs[key]


def _avro_pairs(writer, reader) -> dict:
    from avro.compatibility import lookup_writer_field
    out = {}
    for reader_field in reader.fields:
        writer_field = lookup_writer_field(writer_schema=writer, reader_field=reader_field)
        if writer_field is not None:
            out[paths.normalized(writer_field.name)] = _Pair(reader_field.name, False,
                                                             _avro_inside(writer_field.type, reader_field.type))
    for writer_field in writer.fields:
        out.setdefault(paths.normalized(writer_field.name), _Pair(None, False, None))
    return out


def _avro_inside(writer, reader) -> tuple | None:
    """How to look inside a value of the writer's type read as the reader's: records, arrays and maps of
    them, through a union with one branch besides null; an int or long read as a (32-bit) float."""
    writer, reader = _one_branch(writer), _one_branch(reader)
    if writer is not None and reader is not None and writer.type in ("int", "long") and reader.type == "float":
        return ("held", "float32")
    if writer is None or reader is None or writer.type != reader.type:
        return None
    if writer.type in ("record", "error"):
        return ("record", writer, reader)
    if writer.type in ("array", "map"):
        inner = (_avro_inside(writer.items, reader.items) if writer.type == "array"
                 else _avro_inside(writer.values, reader.values))
        return (("list" if writer.type == "array" else "map"), inner) if inner else None
    return None


def _one_branch(schema):
    if schema.type != "union":
        return schema
    branches = [b for b in schema.schemas if b.type != "null"]
    return branches[0] if len(branches) == 1 else None


def _tagged_pairs(family: str, writer: dict, reader: dict) -> dict:
    """By tag; a writer field whose tag the reader lacks but whose name it has has moved."""
    by_name = {r.name: r for r in reader.values()}
    out = {}
    for tag, w in writer.items():
        r = reader.get(tag)
        if r is not None:
            pair = _Pair(r.key, False, _tagged_inside(family, w, r))
        elif w.name in by_name:
            pair = _Pair(by_name[w.name].key, True, None)
        else:
            pair = _Pair(None, False, None)
        out[paths.normalized(w.key)] = out[paths.normalized(w.name)] = pair
    return out


def _tagged_inside(family: str, w, r) -> tuple | None:
    """How to look inside an embedded message or struct (and a list or map of them) both sides agree on,
    an enum on either side, or (Protobuf) a message the reader reads as bytes."""
    from google.protobuf.descriptor import FieldDescriptor as FD

    from evolution.rules import proto_fields, thrift_inside
    if family != "protobuf":
        return thrift_inside(w.raw, r.raw)
    wm, rm = w.raw.message_type, r.raw.message_type
    if (wm is not None and wm.GetOptions().map_entry) or (rm is not None and rm.GetOptions().map_entry):
        return None
    if wm is not None and rm is not None:
        inside = ("record", proto_fields(wm), proto_fields(rm))
    elif wm is not None and r.raw.type in (FD.TYPE_BYTES, FD.TYPE_STRING):
        inside = ("encoded", wm)
    elif rm is not None and w.raw.type in (FD.TYPE_BYTES, FD.TYPE_STRING):
        inside = ("as-message", rm)
    elif w.raw.enum_type is not None or r.raw.enum_type is not None:
        inside = ("enum", _numbers(w.raw.enum_type), _numbers(r.raw.enum_type))
    else:
        return None
    return ("list", inside) if w.repeated and inside[0] == "record" else inside


_HELD = {"float32": "float32", 16: "int16", 32: "int32"}   # -> the message ev.held.<name>


def _held(spec, value):
    """`value` as the reader's declared type holds it: a 32-bit float, or the low bits of an integer (as C++
    and Java keep them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if spec == "float32":
        return _float32(float(value))
    half = 1 << (spec - 1)
    return (value + half) % (2 * half) - half if isinstance(value, int) else value


def _holds(inside: tuple | None):
    """The "held" spec of a field's values (directly or as list items), else None."""
    while inside is not None and inside[0] == "list":
        inside = inside[1]
    return inside[1] if inside is not None and inside[0] == "held" else None


def _numbers(enum_type) -> dict:
    return {} if enum_type is None else {v.name: v.number for v in enum_type.values}


def _parsed(message_descriptor, got):
    """Bytes (or text) that hold an embedded message, parsed with the writer's schema into a record (the
    fields the bytes do not hold left out); anything else as it is."""
    from google.protobuf.message import DecodeError
    from google.protobuf.message_factory import GetMessageClass

    from formats.protobuf import message_to_record
    data = got.encode("utf-8") if isinstance(got, str) else got
    if not isinstance(data, (bytes, bytearray)):
        return got
    try:
        message = GetMessageClass(message_descriptor).FromString(bytes(data))
    except DecodeError:
        return got
    filled: list[str] = []
    record = message_to_record(message, filled)
    return _without_fills(record, {}, "", [paths.steps(p) for p in filled])


def _without_fills(got, expected, key: str, filled: list[list]):
    """`got` (the reader's value of field `key`) without what the reader filled from its defaults where
    the writer wrote nothing: a default filled in loses nothing, at any depth. `filled`: the steps of
    every path the reader filled in (from the top of the record; `key` "" when `got` is the record)."""
    top = paths.steps(key) if key else []
    inside = [steps[len(top):] for steps in filled if len(steps) > len(top) and _same_steps(steps[:len(top)], top)]
    if not inside or not isinstance(got, (dict, list)):
        return got
    got = copy.deepcopy(got)
    for steps in inside:
        if not blank(_at(expected, steps)):
            continue   # the writer wrote it: whatever the reader has there is compared
        parent = _at(got, steps[:-1])
        last = _step_in(parent, steps[-1])
        if last is not None:
            del parent[last]
    return got


def _same_steps(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x == y if isinstance(x, int) else
                                    isinstance(y, str) and paths.normalized(x) == paths.normalized(y)
                                    for x, y in zip(a, b))


def _step_in(container, step):
    """The key (or index) of `step` in `container`, across naming styles; None when it is not there."""
    if isinstance(step, int):
        return step if isinstance(container, list) and 0 <= step < len(container) else None
    if isinstance(container, dict):
        return next((k for k in container if isinstance(k, str) and paths.normalized(k) == paths.normalized(step)),
                    None)
    return None


def _at(value, steps: list):
    for step in steps:
        found = _step_in(value, step)
        if found is None:
            return None
        value = value[found]
    return value


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
        if isinstance(written, bool) and isinstance(read, int) and not isinstance(read, bool):
            return int(written) == read   # a bool travels as the varint 0 or 1
        return type(written) is type(read) and written == read
    if isinstance(written, (int, float)) and isinstance(read, (int, float)):
        if isinstance(written, float) and isinstance(read, float) and written != read:
            return read == _float32(written) or (math.isnan(written) and math.isnan(read))
        return written == read   # exact, int against float too: 2^53 + 1 read as 2^53 is another number
    if isinstance(written, str) and isinstance(read, (bytes, bytearray)):
        return read == written.encode("utf-8")
    if isinstance(written, (bytes, bytearray)) and isinstance(read, str):
        return written == read.encode("utf-8")
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


def _float32(value: float) -> float | None:
    """The value as a 32-bit float stores it (a writer's schema with `float` rounds it so)."""
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except (OverflowError, struct.error):
        return None
