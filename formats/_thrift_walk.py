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
            raise self.fail(Text("err.walk.thrift.empty"))
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
                note = Text("fmt.thrift.tag_note", tag=fid, name=field.name)
                present.add(fid)
            else:
                child, t = paths.key(path, f"#{fid}"), None
                why = "" if cls is None else Text("fmt.thrift.unknown_skipped") if field is None else Text(
                    "fmt.thrift.wrong_type_skipped", field=field.name, type=type_name(field.type), wire=WIRE_NAMES[wire])
                note = Text("fmt.thrift.tag_why", tag=fid, why=why or Text("fmt.thrift.no_schema"))
            self.named[tags + (fid,)] = child
            if why:
                self.skipped.append((tags + (fid,), child, why))
            if not self.field_header(head, child, note, why and Text("fmt.thrift.why_suffix", why=why)):
                self.value(wire, t, child, tags + (fid,), depth + 1)
        self.span(self.pos + 1, "terminator", Text("fmt.thrift.stop"), path,
                  Text("fmt.thrift.stop_note", path=path or Text("fmt.thrift.the_record")))
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
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
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
            self.mismatched(tags, path, Text("fmt.thrift.items_differ", reader=type_name(item_t),
                                             data=WIRE_NAMES[item_wire]))
            item_t = None
        self.need_items(n, 1, path)
        for i in range(n):
            self.value(item_wire, item_t, paths.index(path, i), tags + (i,), depth + 1)

    def mismatched(self, tags: tuple, path: str, why: str):
        self.skipped.append((tags, path, Text("fmt.thrift.skips_items", why=why)))

    def item_fits(self, item_t, item_wire: int) -> bool:
        return fits(item_t, item_wire)

    def mapping(self, t, path: str, tags: tuple, depth: int):
        key_wire, value_wire, n = self.map_header(path)
        key_t, value_t = type_of(t)[1] if t is not None else (None, None)
        if t is not None and n and not (fits(key_t, key_wire) and fits(value_t, value_wire)):
            self.skipped.append((tags, path, Text("fmt.thrift.skips_entries", type=type_name(t))))
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
            raise self.fail(Text("err.walk.thrift.claims", where=path or Text("err.the_record"), n=n, left=self.remaining))

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
        where = path or Text("fmt.thrift.the_record")
        if binary:
            note = Text("fmt.thrift.binary" if t is None or type_of(t)[0] == TType.BINARY or text else
                        "fmt.thrift.not_utf8")
            self.take(n, "value", Text("fmt.bytes", n=n), path, Text("fmt.at", where=where, note=note), scalar="bytes")
            return raw
        return self.take(n, "value", preview, path, Text("fmt.utf8_text", path=where, size=Text("fmt.bytes", n=n)),
                         what=Text("fmt.a_string"), scalar="utf-8")

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
        where = path or Text("fmt.thrift.the_record")
        if t is not None and is_enum(t):
            enum = type_of(t)[1]
            table = ",".join(f"{number}={name}" for name, number in enum._NAMES_TO_VALUES.items())
            return self.number(size, f"enum({scalar}):{table}", path,
                               Text("fmt.thrift.enum_note", where=where, enum=enum.__name__, how=how),
                               lambda v: f"{v} = {enum._NAMES_TO_VALUES[v]}" if isinstance(v, str) else str(v))
        return self.number(size, scalar, path, Text("fmt.thrift.number_note", where=where, type=NAMES[wire], how=how))


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
            raise self.fail(Text("err.walk.thrift.type", byte=f"0x{t:02x}"))

    def field_header(self, head, path: str, note: str, why: str) -> bool:
        wire, fid = head
        self.take(1, "type", Text("fmt.thrift.type", wire=wire, name=BINARY_TYPES[wire]), path,
                  Text("fmt.thrift.type_note"))
        self.take(2, "tag", Text("fmt.thrift.field_tag", tag=fid, why=why), path, Text("fmt.thrift.binary_tag", note=note))
        return False

    def type_byte(self, path: str, role: str) -> int:
        t = self.byte()
        self.check_type(t)
        self.take(1, "type", Text(f"fmt.thrift.role_type.{role}", wire=t, name=BINARY_TYPES[t]), path,
                  Text(f"fmt.thrift.role_every.{role}"))
        return t

    def list_header(self, wire: int, path: str):
        item = self.type_byte(path, "item")
        return item, self.count(path, "items")

    def map_header(self, path: str):
        key = self.type_byte(path, "key")
        value = self.type_byte(path, "value")
        return key, value, self.count(path, "entries")

    def count(self, path: str, what: str) -> int:
        n = self.fixed(">i", "count", lambda v: Text(f"fmt.thrift.count.{what}", n=v), path,
                       Text(f"fmt.thrift.how_many.{what}"))
        if n < 0:
            raise self.fail(Text(f"err.walk.thrift.negative_count.{what}", n=n), self.pos - 4)
        return n

    def length(self, path: str) -> int:
        n = self.fixed(">i", "length", lambda v: Text("fmt.length", n=v), path, Text("fmt.thrift.binary_length"))
        if n < 0:
            raise self.fail(Text("err.walk.thrift.negative_length", n=n), self.pos - 4)
        return n

    def scalar(self, wire: int, t, path: str):
        where = path or Text("fmt.thrift.the_record")
        if wire == TType.BOOL:
            return self.number(1, "bool", path, Text("fmt.thrift.bool", where=where))
        if wire == TType.DOUBLE:
            return self.number(8, "struct:>d", path, Text("fmt.thrift.double_big", where=where))
        fmt = {TType.BYTE: ">b", TType.I16: ">h", TType.I32: ">i", TType.I64: ">q"}[wire]
        size = struct.calcsize(fmt)
        return self.integer(wire, t, path, size, "struct:" + fmt, Text("fmt.thrift.big_endian", n=size))


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
            raise self.fail(Text("err.walk.thrift.compact_type", n=nibble), at)
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
        in_type = Text("fmt.thrift.bool_in_type") if is_bool else ""
        if delta:
            self.span(self.pos + 1, kind, Text("fmt.thrift.compact_tag", tag=fid, delta=delta, nibble=nibble, name=name,
                                               why=why), path,
                      Text("fmt.thrift.compact_tag_note", note=note, delta=delta, bool=in_type), value, scalar)
        else:
            self.span(self.pos + 1, "value" if is_bool else "type", Text("fmt.thrift.long_form", nibble=nibble,
                                                                         name=name),
                      path, Text("fmt.thrift.long_form_note", bool=in_type), value, scalar)
            self.varint("tag", Text("fmt.thrift.field_tag", tag=fid, why=why), path,
                        Text("fmt.thrift.zigzag_tag", note=note), scalar="zigzag")
        self.last_fid = fid
        return is_bool

    def list_header(self, wire: int, path: str):
        b = self.byte()
        item, name = self.compact_type(b & 0x0F)
        what = "set" if wire == TType.SET else "list"
        if b >> 4 < 15:
            self.span(self.pos + 1, "count", Text("fmt.thrift.compact_list", n=b >> 4, nibble=b & 0x0F, name=name),
                      path, Text("fmt.thrift.compact_list_note", what=what))
            return item, b >> 4
        self.span(self.pos + 1, "type", Text("fmt.thrift.long_list", nibble=b & 0x0F, name=name), path,
                  Text("fmt.thrift.long_list_note", what=what))
        return item, self.varint("count", lambda v: Text("fmt.thrift.count.items", n=v), path,
                                 Text("fmt.thrift.item_count"))

    def map_header(self, path: str):
        n = self.varint("count", lambda v: Text("fmt.thrift.count.entries", n=v) if v else Text("fmt.thrift.no_entries"),
                        path, Text("fmt.thrift.entry_count"))
        if not n:
            return None, None, 0
        b = self.byte()
        key, key_name = self.compact_type(b >> 4)
        value, value_name = self.compact_type(b & 0x0F)
        self.span(self.pos + 1, "type", Text("fmt.thrift.map_types", key=b >> 4, key_name=key_name, value=b & 0x0F,
                                             value_name=value_name), path, Text("fmt.thrift.map_types_note"))
        return key, value, n

    def length(self, path: str) -> int:
        return self.varint("length", lambda v: Text("fmt.length", n=v), path, Text("fmt.thrift.compact_length"))

    def mismatched(self, tags: tuple, path: str, why: str):
        # thriftpy2's compact reader does not compare a list's item type with the reader's
        self.misread.append(Text("fmt.at", where=path, note=why))

    def item_fits(self, item_t, item_wire: int) -> bool:
        """i16, i32 and i64 items are all zigzag varints here: thriftpy2 reads each as the other."""
        ints = (TType.I16, TType.I32, TType.I64)
        return fits(item_t, item_wire) or type_of(item_t)[0] in ints and item_wire in ints

    def scalar(self, wire: int, t, path: str):
        where = path or Text("fmt.thrift.the_record")
        if wire == TType.BOOL:
            if self.byte() not in COMPACT_LIST_BOOLS:
                raise self.fail(Text("err.walk.thrift.compact_bool", byte=f"0x{self.byte():02x}"))
            return self.number(1, "compact-list-bool", path, Text("fmt.thrift.list_bool", where=where))
        if wire == TType.BYTE:
            return self.number(1, "struct:>b", path, Text("fmt.thrift.i8", where=where))
        if wire == TType.DOUBLE:
            return self.number(8, "struct:<d", path, Text("fmt.thrift.double_little", where=where))
        return self.integer(wire, t, path, 0, "zigzag", Text("fmt.thrift.zigzag"))
