"""The annotating walk over protobuf bytes, with or without a schema (the wire's facts:
formats.facts.protobuf).

Hand-written: the protobuf library parses but reports no byte positions.
"""
import struct
from dataclasses import dataclass

from google.protobuf.descriptor import FieldDescriptor as FD

from formats import paths, scalars
from formats.errors import FormatError
from formats.facts import numbers
from formats.facts.protobuf import (END_GROUP, FIXED_SIZE, LEN, MAX_FIELD_TAG, START_GROUP, TYPES, VARINT,
                                    WIRE_NAMES, accepts, checks_utf8)
from formats.record import MAX_DEPTH
from formats.spans import Span
from formats.wire import Walker, preview
from i18n import Text

def count(n: int) -> Text:
    return Text("fmt.bytes", n=n)


def type_name(field) -> str:
    """The field's type as the .proto spells it: int64, string, Address, map<string, int64>."""
    if is_map(field):
        key, value = field.message_type.fields_by_number[1], field.message_type.fields_by_number[2]
        return f"map<{type_name(key)}, {type_name(value)}>"
    if field.message_type is not None:
        return field.message_type.name
    if field.enum_type is not None:
        return field.enum_type.name
    return TYPES[field.type][0]


def is_map(field) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


@dataclass(frozen=True)
class Unknown:
    """A field the library does not read into the message but keeps as an unknown field."""
    offset: int      # where its tag starts
    path: str        # "#4", "address.#4", or the field's own path for a closed enum's unknown value
    why: str = ""    # a sentence when the reader knows the field tag but cannot use the value


def walk(data: bytes, descriptor=None) -> "ProtoWalk":
    """Label every byte of a message; `descriptor` None walks without a schema (protoscope-like)."""
    w = ProtoWalk(data)
    w.fields_of(descriptor, "", 0)   # to the end of the data: the top-level message has no length
    return w


class ProtoWalk(Walker):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.unknown: list[Unknown] = []
        self.changed: list[str] = []   # values a narrower reader type altered
        self.fields: dict[int, str] = {}   # tag offset -> path of the schema field it belongs to
        self._enum_rules: dict[str, str] = {}

    # -- fields ------------------------------------------------------------------------------
    def fields_of(self, descriptor, path: str, depth: int, group: int | None = None) -> None:
        """The fields of one message, up to the limit (or a group's end tag)."""
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.protobuf.too_deep", limit=MAX_DEPTH))
        seen: dict[int, int] = {}   # field tag -> values so far: the index of a repeated field's next value
        in_map_entry = descriptor is not None and descriptor.GetOptions().map_entry
        while self.pos < self.limit:
            start = self.pos
            key_end = self.varint_end()
            key = scalars.read("varint", self.data[start:key_end])
            number, wire_type = key >> 3, key & 7
            if wire_type == END_GROUP:
                if number != group:
                    raise self.fail(Text("err.walk.protobuf.end_group", number=number))
                self.span(key_end, "terminator", Text("fmt.protobuf.end_group", tag=number), path,
                          Text("fmt.protobuf.end_group_note", path=path or Text("fmt.protobuf.the_group"), tag=number))
                return
            if wire_type not in WIRE_NAMES:
                raise self.fail(Text("err.walk.protobuf.wire_type", wire_type=wire_type))
            if not 1 <= number <= MAX_FIELD_TAG:
                raise self.fail(Text("err.walk.protobuf.field_tag", number=number, limit=MAX_FIELD_TAG))
            field = descriptor.fields_by_number.get(number) if descriptor is not None else None
            if field is not None and accepts(field, wire_type):
                self.known(field, wire_type, key_end, path, seen, depth, in_map_entry)
            else:
                self.unknown_field(number, wire_type, key_end, path, depth, descriptor, field)
        if group is not None:
            raise self.fail(Text("err.walk.protobuf.no_end_group", number=group))

    def tag(self, end: int, number: int, wire_type: int, path: str, suffix: str, note: Text) -> None:
        size = end - self.pos
        if size > 1:
            note = Text("fmt.protobuf.long_tag", note=note, n=size)
        self.span(end, "tag", Text("fmt.protobuf.tag", tag=number, wire_type=wire_type,
                                   wire_name=WIRE_NAMES[wire_type], suffix=suffix), path, note)

    def known(self, field, wire_type: int, key_end: int, parent: str, seen: dict, depth: int,
              in_map_entry: bool) -> None:
        name = field.json_name
        field_path = parent if in_map_entry else paths.key(parent, name)
        self.fields[self.pos] = field_path
        packed = wire_type == LEN and TYPES[field.type][1] != LEN
        if in_map_entry:
            here = parent   # a map entry's key and value both belong to the entry: prefs.theme
        elif is_map(field):
            here = paths.key(field_path, paths.key_text(self.map_key(field.message_type, key_end)))
        elif field.is_repeated and not packed:
            here = paths.index(field_path, seen.get(field.number, 0))
            seen[field.number] = seen.get(field.number, 0) + 1
        else:
            here = field_path
        role = "name" if in_map_entry and field.number == 1 else "value"   # a map key names its entry
        tag_start = self.pos
        self.tag(key_end, field.number, wire_type, here, "",
                 Text("fmt.protobuf.tag_note", name=name, tag=field.number, type=type_name(field), wire_type=wire_type))
        if wire_type == START_GROUP:
            self.fields_of(field.message_type, here, depth + 1, group=field.number)
        elif wire_type == LEN:
            n = self.length(here, self.length_note(field, packed, name))
            with self.within(n, Text("fmt.protobuf.value_of", name=name)):
                if packed:
                    while self.pos < self.limit:
                        i = seen.get(field.number, 0)
                        seen[field.number] = i + 1
                        self.value(field, paths.index(field_path, i), tag_start)
                elif field.message_type is not None:
                    self.fields_of(field.message_type, here, depth + 1)
                else:
                    self.value(field, here, tag_start, role)
        else:
            self.value(field, here, tag_start, role)

    @staticmethod
    def length_note(field, packed: bool, name: str) -> str:
        if packed:
            return Text("fmt.protobuf.packed_length", name=name, type=type_name(field))
        if field.message_type is not None:
            return Text("fmt.protobuf.message_length", name=name, type=type_name(field))
        return Text("fmt.protobuf.string_length", name=name, type=type_name(field))

    def length(self, path: str, note: str) -> int:
        end = self.varint_end()
        n = scalars.read("varint", self.data[self.pos:end])
        self.span(end, "length", Text("fmt.length", n=n), path, note)
        return n

    def value(self, field, path: str, tag_start: int, kind: str = "value") -> None:
        """One scalar value of `field` at the cursor (within a length for strings and packed lists)."""
        proto_type, wire_type, rule = TYPES[field.type]
        name = field.json_name
        if wire_type == VARINT:
            end = self.varint_end()
            raw = self.data[self.pos:end]
            unsigned = scalars.read("varint", raw)
            if field.enum_type is not None:
                rule = self.enum_rule(field.enum_type)
            value = scalars.read(rule, raw)
            self.note_narrowing(field, path, unsigned, value)
            if field.enum_type is not None and isinstance(value, int) and field.enum_type.is_closed:
                self.unknown.append(Unknown(tag_start, self.fields.get(tag_start, path), Text(
                    "fmt.protobuf.closed_enum", path=path, value=value, enum=field.enum_type.name)))
            label = Text("fmt.protobuf.varint_label", value=self.shown(field, value), size=count(len(raw)))
            note = self.varint_note(field, name, value, unsigned, len(raw))
        elif wire_type in FIXED_SIZE:
            end = self.pos + FIXED_SIZE[wire_type]
            self._need(end - self.pos, Text("fmt.protobuf.typed_value_of", type=proto_type, name=name))
            value = scalars.read(rule, self.data[self.pos:end])
            shown = f"{value:.7g}" if field.type == FD.TYPE_FLOAT else repr(value)
            label = Text("fmt.protobuf.fixed_label", value=shown, type=proto_type, n=end - self.pos)
            note = Text("fmt.protobuf.fixed_note", name=name, type=proto_type, n=end - self.pos)
        else:   # string or bytes: the cursor is limited to the length just read
            end = self.limit
            raw = self.data[self.pos:end]
            try:
                value = scalars.read(rule, raw)
            except UnicodeDecodeError as e:
                if checks_utf8(field):
                    raise self.fail(Text("fmt.protobuf.bad_utf8", name=name, offset=self.pos + e.start,
                                         byte=f"0x{raw[e.start]:02x}"), self.pos + e.start) from None
                rule, value = "bytes", raw
            if isinstance(value, str):
                label, note = preview(value), Text("fmt.utf8_text", path=name, size=count(end - self.pos))
            elif proto_type == "string":
                label = Text("fmt.protobuf.not_utf8_label", size=count(len(value)))
                note = Text("fmt.protobuf.not_utf8_note", name=name)
            else:
                label, note = count(len(value)), Text("fmt.protobuf.raw_bytes", name=name)
        if kind == "name":
            label = Text("fmt.protobuf.map_key", label=label)
        self.span(end, kind, label, path, note, value, rule)

    def enum_rule(self, enum) -> str:
        if enum.full_name not in self._enum_rules:
            table = ",".join(f"{v.number}={v.name}" for v in enum.values)
            self._enum_rules[enum.full_name] = f"enum(varint-int32):{table}"
        return self._enum_rules[enum.full_name]

    @staticmethod
    def shown(field, value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if field.enum_type is not None and isinstance(value, str):
            return f"{value} = {field.enum_type.values_by_name[value].number}"
        return str(value)

    @staticmethod
    def varint_note(field, name: str, value, unsigned: int, size: int) -> str:
        proto_type = TYPES[field.type][0]
        if field.type in (FD.TYPE_SINT32, FD.TYPE_SINT64):
            return Text("fmt.protobuf.zigzag_note", name=name, type=proto_type, value=value, unsigned=unsigned)
        if field.enum_type is not None:
            return Text("fmt.protobuf.enum_note", name=name, enum=field.enum_type.name)
        if proto_type == "bool":
            return Text("fmt.protobuf.bool_note", name=name)
        if isinstance(value, int) and value < 0:
            return Text("fmt.protobuf.negative_note", name=name, type=proto_type)
        return Text("fmt.protobuf.varint_note", name=name, size=count(size))

    def note_narrowing(self, field, path: str, unsigned: int, value) -> None:
        """The library keeps the low 32 bits (or any non-zero as true): say so, don't hide it."""
        t = field.type
        if t == FD.TYPE_BOOL:
            written = unsigned if unsigned > 1 else None
        elif t in (FD.TYPE_INT32, FD.TYPE_ENUM):
            wide = scalars.signed64(unsigned)
            written = wide if not numbers.fits(wide, numbers.INT32) else None
        elif t == FD.TYPE_UINT32:
            written = unsigned if unsigned > numbers.UINT32[1] else None
        elif t == FD.TYPE_SINT32:
            written = scalars.unzigzag(unsigned) if unsigned > numbers.UINT32[1] else None
        else:
            return
        if written is not None:
            self.changed.append(Text("fmt.protobuf.narrowed_bool" if t == FD.TYPE_BOOL else "fmt.protobuf.narrowed",
                                     path=path, written=written, type=TYPES[t][0], read=self.shown(field, value)))

    def map_key(self, entry, key_end: int):
        """The key of the map entry that starts after the tag at key_end, read ahead (without
        recursing) so the entry's spans can carry its path; the default key if none is there."""
        key_field = entry.fields_by_number[1]
        rule = TYPES[key_field.type][2]
        view = memoryview(self.data)[:self.limit]
        try:
            n, pos = scalars.varint(view, key_end)
            end = min(pos + n, self.limit)
            while pos < end:
                key, pos = scalars.varint(view[:end], pos)
                number, wire_type = key >> 3, key & 7
                if wire_type == VARINT:
                    value_end = scalars.varint(view[:end], pos)[1]
                elif wire_type == LEN:
                    size, pos = scalars.varint(view[:end], pos)
                    value_end = pos + size
                elif wire_type in FIXED_SIZE:
                    value_end = pos + FIXED_SIZE[wire_type]
                else:
                    break
                if number == 1 and accepts(key_field, wire_type) and value_end <= end:
                    return scalars.read(rule, self.data[pos:value_end])
                pos = value_end
        except (FormatError, ValueError, struct.error):
            pass   # malformed entry: the walk itself reports where
        return key_field.default_value

    # -- fields the schema does not know, or no schema --------------------------------------
    def unknown_field(self, number: int, wire_type: int, key_end: int, parent: str, depth: int,
                      descriptor, field) -> None:
        here = paths.key(parent, f"#{number}")
        if descriptor is None:
            suffix = ""
            note = Text("fmt.protobuf.no_schema_note", tag=number, wire_type=wire_type)
        elif field is None:
            suffix = Text("fmt.protobuf.unknown_suffix")
            note = Text("fmt.protobuf.unknown_note", tag=number, message=descriptor.name)
        else:
            suffix = Text("fmt.protobuf.expects_suffix", wire_type=TYPES[field.type][1])
            note = Text("fmt.protobuf.wrong_wire_note", name=field.json_name, tag=number, type=type_name(field),
                        expected=TYPES[field.type][1], wire_type=wire_type)
        if descriptor is not None:
            why = "" if field is None else Text(
                "fmt.protobuf.wrong_wire_type", path=paths.key(parent, field.json_name), wire_type=wire_type,
                wire_name=WIRE_NAMES[wire_type], type=type_name(field), expected=TYPES[field.type][1])
            self.unknown.append(Unknown(self.pos, here, why))
        self.tag(key_end, number, wire_type, here, suffix, note)
        if wire_type == START_GROUP:
            self.fields_of(None, here, depth + 1, group=number)
        elif wire_type == VARINT:
            end = self.varint_end()
            unsigned = scalars.read("varint", self.data[self.pos:end])
            signed = scalars.signed64(unsigned)
            self.span(end, "value", Text("fmt.protobuf.varint_label", value=unsigned, size=count(end - self.pos)),
                      here, Text("fmt.protobuf.unknown_varint_signed" if signed != unsigned else
                                 "fmt.protobuf.unknown_varint", zigzag=scalars.unzigzag(unsigned), signed=signed),
                      unsigned, "varint")
        elif wire_type in FIXED_SIZE:
            size = FIXED_SIZE[wire_type]
            self._need(size, Text("fmt.protobuf.bits_value", bits=size * 8))
            raw = self.data[self.pos:self.pos + size]
            as_float = struct.unpack("<d" if size == 8 else "<f", raw)[0]
            signed = struct.unpack("<q" if size == 8 else "<i", raw)[0]
            unsigned = struct.unpack("<Q" if size == 8 else "<I", raw)[0]
            self.span(self.pos + size, "value", Text("fmt.protobuf.bits_label", value=unsigned, bits=size * 8), here,
                      Text("fmt.protobuf.unknown_fixed", n=size, bits=size * 8, unsigned=unsigned, signed=signed,
                           float="double" if size == 8 else "float", as_float=f"{as_float:.7g}"),
                      unsigned, "struct:<Q" if size == 8 else "struct:<I")
        else:
            self.guess(here, depth)

    def guess(self, path: str, depth: int) -> None:
        """Length-delimited bytes with no schema: a nested message if they parse fully as one,
        else UTF-8 text, else raw bytes (the same guesses protoscope makes). The guess is made
        before the length is labelled, so its label says what follows."""
        end = self.varint_end()
        n = scalars.read("varint", self.data[self.pos:end])
        start = end
        if n == 0:
            self.span(end, "length", Text("fmt.length", n=0), path, Text("fmt.protobuf.empty_length"))
            return
        if start + n > self.limit:   # the length span first; `within` then says what does not fit
            self.span(end, "length", Text("fmt.length", n=n), path, Text("fmt.protobuf.should_follow", size=count(n)))
            self._need(n, Text("fmt.protobuf.length_delimited"))   # raises: they do not fit
        nested = self.probe(start, n, path, depth)
        raw = self.data[start:start + n]
        if nested is not None:
            kind_note = Text("fmt.protobuf.guess_message")
        else:
            try:
                text = raw.decode("utf-8")
                kind_note = Text("fmt.protobuf.guess_string")
                nested = [Span(start, start + n, "value", preview(text), path, Text("fmt.protobuf.guessed_string"),
                               text, "utf-8")]
            except UnicodeDecodeError:
                kind_note = Text("fmt.protobuf.guess_bytes")
                nested = [Span(start, start + n, "value", count(n), path, Text("fmt.protobuf.guessed_bytes"),
                               raw, "bytes")]
        self.span(end, "length", Text("fmt.length", n=n), path, Text("fmt.protobuf.follow", size=count(n), guess=kind_note))
        with self.within(n, Text("fmt.protobuf.length_delimited")):
            for span in nested:
                self.emit(span)

    def probe(self, start: int, n: int, path: str, depth: int) -> list | None:
        """The spans of the `n` bytes at `start` walked as a message with no schema, or None if they
        are not one. A separate walker: nothing is emitted until the guess is made."""
        probe = ProtoWalk(self.data)
        probe.pos = start
        with probe.within(n, Text("fmt.protobuf.length_delimited")):
            try:
                probe.fields_of(None, path, depth + 1)
            except FormatError:
                return None
        return probe.spans
