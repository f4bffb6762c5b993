"""MessagePack: msgpack-python writes; a hand-written walk labels each byte as in the book's figure 4-1."""
import msgpack

from formats import paths
from formats.base import Format
from formats.errors import FormatError
from formats.facts.msgpack import (CONTAINERS, FIXED, FIXEXT, SIZED, TIMESTAMP, TIMESTAMP_SIZES,
                                   timestamp)
from formats.facts.numbers import INT64, UINT64
from formats.record import MAX_DEPTH
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text

class MsgPackFormat(
        Format, id="msgpack", title="MessagePack",
        spends=Text("fmt.spends.msgpack")):
    def write(self, record, schema_text=None):
        try:
            return msgpack.packb(record, use_bin_type=True)
        except (OverflowError, ValueError, TypeError) as e:
            where = next((p for p, v in paths.leaves(record) if isinstance(v, int) and not
                          INT64[0] <= v <= UINT64[1]), None)
            if where is not None:
                raise FormatError(Text("err.lib.msgpack_range", where=where, value=paths.value_at(record, where)),
                                  path=where) from None
            raise FormatError(Text("err.lib.write", format="MessagePack", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        return _Walk.whole(data).spans

    def read(self, data, schema_text=None, writer_schema_text=None):
        walk = _Walk.whole(data)   # reports a bad byte by its offset, which unpackb cannot
        # any top-level value: a record is a map, but `93 01 02 03` is the array [1, 2, 3]
        value = msgpack.unpackb(data, raw=False, strict_map_key=False, ext_hook=lambda code, raw: raw)
        return Decoded(_plain(value), notes=walk.notes)


def _plain(value):
    """msgpack's values as the walk shows them: map keys as text (a record's keys are text), a
    timestamp as its seconds and nanoseconds."""
    if isinstance(value, dict):
        return {paths.key_text(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, msgpack.Timestamp):
        return {"seconds": value.seconds, "nanoseconds": value.nanoseconds}
    return value


class _Walk(Walker):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.notes: list[str] = []

    def top(self):
        self.item("", 0)

    def item(self, path: str, depth: int, role: str = "value"):
        """One value; returns it when it is a scalar (a map key names its entry with it)."""
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        t = self.byte()
        where = path or Text("fmt.msgpack.the_record")
        if t <= 0x7F or t >= 0xE0:
            fmt = ">B" if t <= 0x7F else ">b"
            return self.fixed(fmt, role, lambda v: f"fixint {v}", path, Text("fmt.msgpack.fixint", where=where))
        if 0x80 <= t <= 0x8F or 0x90 <= t <= 0x9F:
            self.container(t & 0x0F, t <= 0x8F, f"fix{'map' if t <= 0x8F else 'array'}", 1, path, depth)
        elif 0xA0 <= t <= 0xBF:
            self.take(1, "type", Text("fmt.msgpack.fixstr", n=t & 0x1F), path,
                      Text("fmt.msgpack.fixstr_note", where=where, n=t & 0x1F))
            return self.text(t & 0x1F, path, role)
        elif t == 0xC0:
            self.take(1, role, "nil", path, Text("fmt.msgpack.nil", where=where), scalar="const:null")
        elif t in (0xC2, 0xC3):
            return self.take(1, role, "true" if t == 0xC3 else "false", path, Text("fmt.msgpack.boolean", where=where),
                             scalar="const:true" if t == 0xC3 else "const:false")
        elif t in FIXED:
            name, fmt = FIXED[t]
            self.take(1, "type", name, path, Text("fmt.msgpack.type_says", where=where, byte=f"0x{t:02x}", name=name))
            return self.fixed(fmt, role, lambda v: f"{name} {v}", path, Text("fmt.msgpack.big_endian", where=where))
        elif t in SIZED:
            name, fmt = SIZED[t]
            self.take(1, "type", name, path, Text("fmt.msgpack.type_byte", where=where, byte=f"0x{t:02x}"))
            kind = "count" if name.startswith(("array", "map")) else "length"
            n = self.fixed(fmt, kind, lambda v: Text("fmt.msgpack.entries" if kind == "count" else "fmt.length", n=v),
                           path, Text(f"fmt.msgpack.how_many_{kind}", where=where))
            if name.startswith("str"):
                return self.text(n, path, role)
            if name.startswith("bin"):
                return self.take(n, role, Text("fmt.bytes", n=n), path, Text("fmt.msgpack.raw_bytes", where=where),
                                 scalar="bytes")
            if name.startswith("ext"):
                return self.extension(n, path)
            self.container(n, name.startswith("map"), name, 0, path, depth)
        elif t in FIXEXT:
            self.take(1, "type", f"fixext {FIXEXT[t]}", path, Text("fmt.msgpack.fixext", where=where, n=FIXEXT[t]))
            return self.extension(FIXEXT[t], path)
        else:
            raise self.fail(Text("err.walk.msgpack.type", byte=f"0x{t:02x}"))
        return None

    def container(self, n: int, is_map: bool, name: str, header_bytes: int, path: str, depth: int):
        where = path or Text("fmt.msgpack.the_record")
        if header_bytes:
            self.take(1, "type", Text("fmt.msgpack.fixmap" if is_map else "fmt.msgpack.fixarray", name=name, n=n), path,
                      Text("fmt.msgpack.fixmap_note" if is_map else "fmt.msgpack.fixarray_note", where=where, n=n))
        for i in range(n):
            if is_map:
                # the key's spans belong to the field they name: read the key first, then walk it
                child = paths.key(path, paths.key_text(self.key(path, depth)))
                self.item(child, depth + 1, role="name")
                self.item(child, depth + 1)
            else:
                self.item(paths.index(path, i), depth + 1)

    def extension(self, n: int, path: str):
        """An extension's type byte and data: the spec's timestamp (type -1), or bytes only the
        application that chose the type number understands."""
        where = path or Text("fmt.msgpack.the_record")
        code = self.fixed(">b", "type", lambda v: Text("fmt.msgpack.timestamp_type" if v == TIMESTAMP else
                                                       "fmt.msgpack.extension_type", code=v),
                          path, Text("fmt.msgpack.extension_note", where=where))
        if code == TIMESTAMP and n in TIMESTAMP_SIZES:
            if timestamp(self.peek(n))["nanoseconds"] >= 10 ** 9:
                raise self.fail(Text("err.walk.msgpack.nanoseconds"))
            return self.take(n, "value", lambda t: Text("fmt.msgpack.timestamp", seconds=t["seconds"],
                                                        nanoseconds=t["nanoseconds"]), path,
                             Text("fmt.msgpack.timestamp_note", where=where, n=n),
                             scalar="msgpack-timestamp")
        if not any(getattr(note, "values", {}).get("code") == code for note in self.notes):
            self.notes.append(Text("fmt.msgpack.extension_kept", where=where, code=code))
        return self.take(n, "value", Text("fmt.msgpack.extension_data", n=n), path,
                         Text("fmt.msgpack.extension_data_note", where=where), scalar="bytes")

    def key(self, path: str, depth: int):
        """The map key at the cursor, read ahead by a second walker (a key is one value: no
        nesting, so this costs the key's bytes once more)."""
        t = self.byte()
        if t in CONTAINERS:
            raise self.fail(Text(f"err.walk.msgpack.key.{'map' if t <= 0x8F or t >= 0xDE else 'array'}"))
        probe = _Walk(self.data)
        probe.pos = self.pos
        return probe.item(path, depth + 1, role="name")

    def text(self, n: int, path: str, role: str) -> str:
        if role == "name":
            return self.take(n, role, lambda text: Text("fmt.field_name", name=preview(text)), path,
                             Text("fmt.spelled_out", n=n), what=Text("fmt.a_string"), scalar="utf-8")
        return self.take(n, role, preview, path, Text("fmt.utf8_text", path=path, size=Text("fmt.bytes", n=n)),
                         what=Text("fmt.a_string"), scalar="utf-8")


FORMAT = MsgPackFormat()
