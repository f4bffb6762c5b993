"""The annotating walks over Thrift BinaryProtocol and CompactProtocol bytes (hand-written:
thriftpy2 labels nothing).

Both protocols write each field's type on the wire, so the walk needs no schema: fields are
then `#1`, `#3[0]`, `#4.#2`. With the reader's schema, fields get their names, enums their
symbols, binary is told from string, and a field the schema does not know (or knows with
another type) is labelled as skipped, which is what thriftpy2 does with it.
"""
import struct

from thriftpy2.thrift import TType

from formats import paths, scalars
from formats._thrift_schema import Schema, fields, is_enum, key_text, type_name, type_of
from formats.facts.thrift import BINARY_TYPES, COMPACT_LIST_BOOLS, COMPACT_TYPES, CONTAINERS, NAMES, WIRE_NAMES, on_wire
from formats.record import MAX_DEPTH
from formats.wire import Walker, preview
from i18n import Text

_UNSIGNED = "an unsigned varint (never negative, so not zigzag)"


def fits(t, wire: int) -> bool:
    """Does schema type `t` travel as wire type `wire`? (binary goes as string)"""
    return on_wire(type_of(t)[0]) == wire


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


class ThriftWalk(Walker):
    """Structs, fields and containers, with or without the reader's schema; each protocol
    says how its headers and values are spelled."""

    def __init__(self, data: bytes, schema: Schema | None = None):
        super().__init__(data)
        self.schema = schema
        self.named: dict[tuple, str] = {}                 # tag path -> record path of each field met
        self.skipped: list[tuple[tuple, str, str]] = []   # (tag path, record path, why)
        self.misread: list[str] = []      # lists thriftpy2 would read with the wrong item type
        self.defaulted: list[str] = []    # reader fields absent from the data, with IDL defaults
        self.missing: list[tuple[str, int]] = []   # (path, field id) of absent required fields
        self.in_key = False   # walking a map key: its values name the entry

    def span(self, end, kind, label, path="", explanation="", value=None, scalar=None):
        # a map key names its entry, as a field name would: its value bytes are a name
        return super().span(end, "name" if kind == "value" and self.in_key else kind, label, path,
                            explanation, value, scalar)

    def record(self):
        if not self.data:
            raise self.fail("there are no bytes: even an empty struct is one stop byte (0x00)")
        self.struct(self.schema.record_type if self.schema else None, "", (), 0)
        return self.finish()

    def struct(self, cls, path: str, tags: tuple, depth: int):
        known = fields(cls) if cls is not None else {}
        present = set()
        self.struct_begins()
        while (head := self.field_head()) is not None:
            wire, fid = head[:2]
            field = known.get(fid)
            if field is not None and fits(field.type, wire):
                child, t, why = paths.key(path, field.name), field.type, ""
                note = f"field tag {fid}: the schema's number for {field.name}; the name is never written"
                present.add(fid)
            else:
                child, t = paths.key(path, f"#{fid}"), None
                why = "" if cls is None else Text("fmt.thrift.unknown_skipped") if field is None else Text(
                    "fmt.thrift.wrong_type_skipped", field=field.name, type=type_name(field.type), wire=WIRE_NAMES[wire])
                note = f"field tag {fid}: " + (why or "without a schema, the reader knows only this number")
            self.named[tags + (fid,)] = child
            if why:
                self.skipped.append((tags + (fid,), child, why))
            if not self.field_header(head, child, note, why and ", " + why):
                self.value(wire, t, child, tags + (fid,), depth + 1)
        self.span(self.pos + 1, "terminator", "stop", path, f"type 0 (stop): the end of {path or 'the record'}")
        self.struct_ends()
        for field in known.values():
            if field.id not in present and field.required:
                self.missing.append((paths.key(path, field.name), field.id))
            elif field.id not in present and field.default is not None:
                self.defaulted.append(paths.key(path, field.name))

    def value(self, wire: int, t, path: str, tags: tuple, depth: int):
        """Walk one value of wire type `wire` (`t`: the reader's type, when it matches).
        Returns a scalar's value; None for a container."""
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        detail = type_of(t)[1] if t is not None else None
        if wire == TType.STRUCT:
            self.struct(detail, path, tags, depth)
        elif wire in (TType.LIST, TType.SET):
            self.sequence(wire, detail, path, tags, depth)
        elif wire == TType.MAP:
            self.mapping(t, path, tags, depth)
        elif wire == TType.STRING:
            return self.blob(t, path)
        else:
            return self.scalar(wire, t, path)
        return None

    def sequence(self, wire: int, item_t, path: str, tags: tuple, depth: int):
        item_wire, n = self.list_header(wire, path)
        if item_t is not None and n and not self.item_fits(item_t, item_wire):
            self.mismatched(tags, path, f"the reader's items are {type_name(item_t)}, the data's are "
                                        f"{WIRE_NAMES[item_wire]}")
            item_t = None
        self.need_items(n, 1, path)
        for i in range(n):
            self.value(item_wire, item_t, paths.index(path, i), tags + (i,), depth + 1)

    def mismatched(self, tags: tuple, path: str, why: str):
        self.skipped.append((tags, path, why + ": thriftpy2 skips the items and reads an empty list"))

    def item_fits(self, item_t, item_wire: int) -> bool:
        return fits(item_t, item_wire)

    def mapping(self, t, path: str, tags: tuple, depth: int):
        key_wire, value_wire, n = self.map_header(path)
        key_t, value_t = type_of(t)[1] if t is not None else (None, None)
        if t is not None and n and not (fits(key_t, key_wire) and fits(value_t, value_wire)):
            self.skipped.append((tags, path, f"the reader's map is {type_name(t)}: thriftpy2 skips the "
                                             f"entries and reads an empty map"))
            key_t = value_t = None
        self.need_items(n, 2, path)
        for i in range(n):
            child = paths.index(path, i)
            if key_wire not in CONTAINERS:   # read the key ahead: its bytes belong to the entry it names
                probe = type(self)(self.data, self.schema)
                probe.pos = self.pos
                child = paths.key(path, key_text(probe.value(key_wire, key_t, path, tags + (i,), depth + 1)))
            self.in_key, outer = True, self.in_key
            try:
                self.value(key_wire, key_t, child, tags + (i,), depth + 1)
            finally:
                self.in_key = outer
            self.value(value_wire, value_t, child, tags + (i,), depth + 1)

    def need_items(self, n: int, least: int, path: str):
        """Each item takes at least `least` bytes: refuse a count the data cannot hold before
        looping over it."""
        if n * least > self.remaining:
            raise self.fail(f"{path or 'the record'} claims {n:,} items, but only {self.remaining:,} "
                            f"bytes are left")

    def blob(self, t, path: str):
        """String or binary: a length, then the bytes. The schema says which; without one,
        bytes that are valid UTF-8 are shown as text."""
        n = self.length(path)
        raw = self.peek(n) if n else b""
        try:
            raw.decode("utf-8")
            text = True
        except UnicodeDecodeError:
            text = False
        binary = not text or t is not None and type_of(t)[0] == TType.BINARY
        where = path or "the record"
        if binary:
            note = ("raw bytes (binary)" if t is None or type_of(t)[0] == TType.BINARY or text else
                    "a string that is not valid UTF-8: thriftpy2 hands back the raw bytes")
            self.take(n, "value", f"{n} bytes", path, f"{where}: {note}", scalar="bytes")
            return raw
        return self.take(n, "value", preview, path, f"{where}: UTF-8 text, {n} byte{'s' * (n > 1)}",
                         what="a string", scalar="utf-8")

    def number(self, size: int, scalar: str, path: str, note: str, show=_show):
        """One value span: `size` bytes (0: a varint) that `scalar` turns into the value."""
        if size:
            self.peek(size)   # a FormatError naming the offset if the data ends early
        end = self.pos + size if size else self.varint_end()
        value = scalars.read(scalar, self.data[self.pos:end])
        self.span(end, "value", show(value), path, note, value, scalar)
        return value

    def integer(self, wire: int, t, path: str, size: int, scalar: str, how: str):
        """An integer of `size` bytes (0: a varint); an enum shows its symbol."""
        where = path or "the record"
        if t is not None and is_enum(t):
            enum = type_of(t)[1]
            table = ",".join(f"{number}={name}" for name, number in enum._NAMES_TO_VALUES.items())
            return self.number(size, f"enum({scalar}):{table}", path,
                               f"{where}: enum {enum.__name__}, written as its number ({how})",
                               lambda v: f"{v} = {enum._NAMES_TO_VALUES[v]}" if isinstance(v, str) else str(v))
        return self.number(size, scalar, path, f"{where}: {NAMES[wire]}, {how}")


class BinaryWalk(ThriftWalk):
    """BinaryProtocol (figure 4-2): a type byte and a 2-byte field tag per field,
    fixed-width big-endian numbers, 4-byte lengths and counts."""

    def struct_begins(self):
        pass

    struct_ends = struct_begins

    def field_head(self):
        t = self.byte()
        if t == TType.STOP:
            return None
        self.check_type(t)
        (fid,) = struct.unpack(">h", self.peek(3)[1:])
        return t, fid

    def check_type(self, t: int):
        if t not in BINARY_TYPES:
            raise self.fail(f"0x{t:02x} is not a Thrift type")

    def field_header(self, head, path: str, note: str, why: str) -> bool:
        wire, fid = head
        self.take(1, "type", f"type {wire} ({BINARY_TYPES[wire]})", path,
                  "the field's type: a reader can skip a field it does not know")
        self.take(2, "tag", f"field tag {fid}{why}", path, note + " (2 bytes, big-endian)")
        return False

    def type_byte(self, path: str, role: str) -> int:
        t = self.byte()
        self.check_type(t)
        self.take(1, "type", f"{role} type {t} ({BINARY_TYPES[t]})", path, f"the type of every {role}")
        return t

    def list_header(self, wire: int, path: str):
        item = self.type_byte(path, "item")
        return item, self.count(path, "items")

    def map_header(self, path: str):
        key = self.type_byte(path, "key")
        value = self.type_byte(path, "value")
        return key, value, self.count(path, "entries")

    def count(self, path: str, what: str) -> int:
        n = self.fixed(">i", "count", lambda v: f"{v} {what}", path,
                       f"how many {what} follow (4 bytes, big-endian)")
        if n < 0:
            raise self.fail(f"a count of {n} {what} is negative", self.pos - 4)
        return n

    def length(self, path: str) -> int:
        n = self.fixed(">i", "length", lambda v: f"length {v}", path,
                       "how many bytes follow (4 bytes, big-endian)")
        if n < 0:
            raise self.fail(f"a length of {n} is negative", self.pos - 4)
        return n

    def scalar(self, wire: int, t, path: str):
        where = path or "the record"
        if wire == TType.BOOL:
            return self.number(1, "bool", path, f"{where}: a bool, one byte")
        if wire == TType.DOUBLE:
            return self.number(8, "struct:>d", path, f"{where}: a 64-bit float, 8 bytes big-endian")
        fmt = {TType.BYTE: ">b", TType.I16: ">h", TType.I32: ">i", TType.I64: ">q"}[wire]
        size = struct.calcsize(fmt)
        return self.integer(wire, t, path, size, "struct:" + fmt, f"{size} bytes, big-endian")


class CompactWalk(ThriftWalk):
    """CompactProtocol (figure 4-3): field tag delta and type in one byte; zigzag varints for i16, i32,
    i64 and long-form field tags, unsigned varints for lengths and counts; doubles in 8 bytes,
    little-endian; a bool field's value in its header's type (formats.facts.thrift)."""

    def __init__(self, data: bytes, schema: Schema | None = None):
        super().__init__(data, schema)
        self.last_fid = 0
        self.outer: list[int] = []   # the enclosing structs' last field ids

    def struct_begins(self):
        self.outer.append(self.last_fid)
        self.last_fid = 0

    def struct_ends(self):
        self.last_fid = self.outer.pop()

    def compact_type(self, nibble: int, at: int | None = None) -> tuple[int, str]:
        if nibble not in COMPACT_TYPES:
            raise self.fail(f"{nibble} is not a Thrift compact type", at)
        return COMPACT_TYPES[nibble]

    def field_head(self):
        b = self.byte()
        if b & 0x0F == 0:   # stop: thriftpy2, like Apache Thrift, looks only at the type
            return None
        wire, _ = self.compact_type(b & 0x0F)
        delta = b >> 4
        fid = self.last_fid + delta if delta else scalars.unzigzag(scalars.varint(self.data, self.pos + 1)[0])
        return wire, fid, b & 0x0F, delta

    def field_header(self, head, path: str, note: str, why: str) -> bool:
        wire, fid, nibble, delta = head
        name = COMPACT_TYPES[nibble][1]
        is_bool = wire == TType.BOOL
        # a bool field has no value bytes: true/false is its header's type (1 or 2)
        kind, value, scalar = ("value", nibble == 1, "compact-bool") if is_bool else ("tag", None, None)
        in_type = "; a bool's value is its type (1 true, 2 false): no byte of its own" if is_bool else ""
        if delta:
            self.span(self.pos + 1, kind, f"field tag {fid} (delta {delta}), type {nibble} ({name}){why}",
                      path, note + f"; high 4 bits: {delta} more than the previous field's tag, low 4 bits: "
                                   f"the type" + in_type, value, scalar)
        else:
            self.span(self.pos + 1, "value" if is_bool else "type", f"type {nibble} ({name}), long form",
                      path, "high 4 bits 0: the field tag follows as a zigzag varint (the tag is not "
                            "1 to 15 more than the previous one)" + in_type, value, scalar)
            self.varint("tag", f"field tag {fid}{why}", path, note + " (a zigzag varint)", scalar="zigzag")
        self.last_fid = fid
        return is_bool

    def list_header(self, wire: int, path: str):
        b = self.byte()
        item, name = self.compact_type(b & 0x0F)
        what = "set" if wire == TType.SET else "list"
        if b >> 4 < 15:
            self.span(self.pos + 1, "count", f"{b >> 4} items, type {b & 0x0F} ({name})", path,
                      f"{what} header in one byte: the count (high 4 bits) and the items' type (low 4 bits)")
            return item, b >> 4
        self.span(self.pos + 1, "type", f"items of type {b & 0x0F} ({name}), count follows", path,
                  f"high 4 bits 1111: the {what} has 15 items or more, so the count follows as a varint")
        return item, self.varint("count", lambda v: f"{v} items", path, f"the item count, {_UNSIGNED}")

    def map_header(self, path: str):
        n = self.varint("count", lambda v: f"{v} entries" if v else "0 entries, no type byte", path,
                        f"how many entries follow, {_UNSIGNED}")
        if not n:
            return None, None, 0
        b = self.byte()
        key, key_name = self.compact_type(b >> 4)
        value, value_name = self.compact_type(b & 0x0F)
        self.span(self.pos + 1, "type", f"key type {b >> 4} ({key_name}), value type {b & 0x0F} ({value_name})",
                  path, "the types of every key (high 4 bits) and value (low 4 bits)")
        return key, value, n

    def length(self, path: str) -> int:
        return self.varint("length", lambda v: f"length {v}", path, f"how many bytes follow, {_UNSIGNED}")

    def mismatched(self, tags: tuple, path: str, why: str):
        # thriftpy2's compact reader does not compare a list's item type with the reader's
        self.misread.append(f"{path}: {why}")

    def item_fits(self, item_t, item_wire: int) -> bool:
        """i16, i32 and i64 items are all zigzag varints here: thriftpy2 reads each as the other."""
        ints = (TType.I16, TType.I32, TType.I64)
        return fits(item_t, item_wire) or type_of(item_t)[0] in ints and item_wire in ints

    def scalar(self, wire: int, t, path: str):
        where = path or "the record"
        if wire == TType.BOOL:
            if self.byte() not in COMPACT_LIST_BOOLS:
                raise self.fail(f"0x{self.byte():02x} is not a compact bool (1 is true; 2 is false, and so is 0, "
                                f"as some writers spell it)")
            return self.number(1, "compact-list-bool", path, f"{where}: a bool in a list, one byte: 1 true, 2 false "
                                                             f"(0 also reads as false: some writers spell false so)")
        if wire == TType.BYTE:
            return self.number(1, "struct:>b", path, f"{where}: i8, one byte")
        if wire == TType.DOUBLE:
            return self.number(8, "struct:<d", path, f"{where}: a 64-bit float, 8 bytes little-endian")
        return self.integer(wire, t, path, 0, "zigzag",
                            "a zigzag varint: small numbers take few bytes, negative ones too (only i16, i32 "
                            "and i64 are zigzag; lengths and counts are plain varints)")
