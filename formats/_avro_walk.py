"""The annotating walk over Avro binary data (hand-written: fastavro labels no bytes).

Avro writes no field tags, names or types: the bytes are the values, in the order the
writer's schema lists the fields. So the walk follows the writer's schema exactly as a
reader does. Given a reader's schema too, it also resolves one against the other (the
specification's rules, as fastavro applies them) to say what the reader skips, fills in
with defaults or promotes, and to explain a mismatch by its path before fastavro reads.
"""
import lzma
import zlib

from formats import paths
from formats._avro_schema import AvroSchema, kind, parse, short_name, type_text
from formats.errors import FormatError
from formats.facts.avro import CODECS, CONTAINER_MAGIC, KNOWN_CODECS, PRIMITIVES, PROMOTIONS, SYNC_SIZE
from formats.facts.numbers import SIGNED
from formats.record import MAX_DEPTH
from formats.scalars import unzigzag
from formats.wire import Walker, preview, said
from i18n import Text

MAX_INFLATED = 8 * 1024 * 1024   # what a compressed block may inflate to (formats.MAX_DATA_BYTES)
_SPARE_ITEMS = 10_000   # items that take no bytes (nulls, empty records) a block may claim beyond the data


class AvroWalk(Walker):
    def __init__(self, data: bytes, schema: AvroSchema | None, reader: AvroSchema | None = None):
        super().__init__(data)
        self.schema = schema
        self.reader = reader
        self.items_left = len(self.data) + _SPARE_ITEMS
        self.skipped: list[str] = []
        self.defaulted: list[str] = []
        self.notes: list[str] = []
        self.field = None   # the field whose first span is next: its explanation says why no tag

    def record(self, path: str = "", rpath: str = "") -> None:
        """One record of the writer's schema at the cursor (resolved against the reader's, if any)."""
        self.datum(self.schema.parsed, path, 0, self.reader and self.reader.parsed, rpath)

    # ---- primitives of the encoding ----------------------------------------------------------

    def span(self, end, kind_, label, path="", explanation="", value=None, scalar=None):
        if self.field is not None and end > self.pos:
            explanation = Text("fmt.avro.no_tags", note=explanation, name=self.field)
            self.field = None
        return super().span(end, kind_, label, path, explanation, value, scalar)

    def long(self, kind_: str, label, path: str, explanation="", bits: int = 64, check=None) -> int:
        """A zigzag varint (int and long, lengths, counts, union branches, enum indexes). `check`:
        a function of the value giving what is wrong with it, if anything, before it is labelled."""
        raw, end = self.peek_varint()
        value = unzigzag(raw)
        low, high = SIGNED[bits]
        if raw >> 64 or not low <= value <= high:
            raise self.fail(Text(f"err.walk.avro.too_big.{'int' if bits == 32 else 'long'}", value=value))
        problem = check(value) if check else None
        if problem:
            raise self.fail(problem)
        self.span(end, kind_, said(label, value), path, said(explanation, value), value, "zigzag")
        return value

    def length(self, path: str, what: str, where: str | None = None) -> int:
        """A length before `what` ("key", "string" or "bytes")."""
        return self.long("length", lambda v: Text("fmt.length", n=v), path,
                         lambda v: Text(f"fmt.avro.length.{what}", where=where or path or Text("fmt.avro.the_record"),
                                        n=v),
                         check=lambda n: Text("err.walk.avro.negative_length", n=n) if n < 0 else None)

    def text(self, path: str, kind_: str = "value", where: str | None = None) -> str:
        """A string: zigzag length, then UTF-8 bytes (a map key when kind_ is "name")."""
        where = where or path or Text("fmt.avro.the_record")
        n = self.length(path, "key" if kind_ == "name" else "string", where)
        # the label needs the text first; take() reports short or invalid bytes
        text = self.data[self.pos:self.pos + n].decode("utf-8", "replace")
        label = Text("fmt.avro.key", key=preview(text)) if kind_ == "name" else preview(text)
        return self.take(n, kind_, label, path, Text("fmt.avro.text", where=where, size=Text("fmt.bytes", n=n)),
                         what=Text("fmt.a_string"),
                         scalar="utf-8")

    def blocks(self, path: str, noun: str, unit: str, depth: int, where: str | None = None):
        """Yield item indexes of an array or map, written as blocks: a count, the items, …, then 0.

        A negative count is followed by the block's size in bytes, so a reader can skip it.
        """
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.avro.too_deep", limit=MAX_DEPTH))
        where = where or path or Text("fmt.avro.the_record")
        i = 0
        while True:
            start = self.pos
            raw, end = self.peek_varint()
            count = unzigzag(raw)
            if raw >> 64:
                raise self.fail(Text(f"err.walk.avro.count_64.{noun}"))
            if count == 0:
                self.span(end, "terminator", Text(f"fmt.avro.end.{noun}"), path,
                          Text(f"fmt.avro.end_note.{noun}", where=where), 0, "zigzag")
                return
            n = abs(count)
            if self.items_left < n or n > 2 ** 31:
                raise self.fail(Text(f"err.walk.avro.claims.{noun}", n=n))
            self.items_left -= n
            self.span(end, "count", Text(f"fmt.avro.block.{noun}", n=n), path,
                      Text(f"fmt.avro.block_note{'_sized' if count < 0 else ''}.{noun}", where=where, n=n),
                      count, "zigzag")
            if count > 0:
                for _ in range(n):
                    yield i
                    i += 1
                continue
            size = self.long("length", lambda v: Text("fmt.avro.block_size", n=v), path,
                             Text("fmt.avro.block_size_note", where=where),
                             check=lambda v: Text("err.walk.avro.negative_size", n=v) if v < 0 else None)
            with self.within(size, Text("err.walk.avro.a_block", n=size), Text("err.walk.avro.its_block_of", n=size)):
                for _ in range(n):
                    yield i
                    i += 1
                if self.pos != self.limit:
                    raise self.fail(Text(f"err.walk.avro.block_size.{unit}", size=size, taken=self.pos - self.limit + size), start)

    # ---- one value of a type -----------------------------------------------------------------

    def datum(self, t, path: str, depth: int, r=None, rpath: str = "") -> None:
        """The value of writer type `t`; `r` is the reader's type at the same spot (None: not resolving)."""
        t = self.schema.deref(t)
        k = kind(t)
        where = path or Text("fmt.avro.the_record")
        if k == "union":
            i = self.long("type", lambda v: Text("fmt.avro.branch", n=v, type=short_name(t[v])),
                          path, lambda v: Text("fmt.avro.branch_note", where=where,
                                               branches=", ".join(short_name(b) for b in t)),
                          check=lambda v: None if 0 <= v < len(t) else (
                              Text("err.walk.avro.branch", n=v, union=type_text(self.schema, t), where=where, branches=len(t))))
            return self.datum(t[i], path, depth, r, rpath)
        if r is not None:
            r = self.resolve(t, r, rpath)
        if k == "null":
            return   # null takes no bytes at all
        if k == "boolean":
            b = self.byte()
            if b > 1:
                raise self.fail(Text("err.walk.avro.boolean", byte=f"0x{b:02x}", where=where))
            self.take(1, "value", "true" if b else "false", path, Text("fmt.avro.boolean", where=where), scalar="bool")
        elif k in ("int", "long"):
            self.long("value", lambda v: Text("fmt.avro.zigzag", value=v), path,
                      lambda v: Text("fmt.avro.zigzag_note", where=where, type=k, value=v), bits=32 if k == "int" else 64)
        elif k in ("float", "double"):
            fmt = "<f" if k == "float" else "<d"
            self.fixed(fmt, "value", lambda v: f"{v:.7g} ({k})" if k == "float" else f"{v!r} ({k})", path,
                       Text("fmt.avro.float_note", where=where, type=k, n=4 if k == "float" else 8))
        elif k == "string":
            self.text(path)
        elif k == "bytes":
            n = self.length(path, "bytes")
            if r is not None and kind(r) == "string":   # the spec promotes bytes to string: UTF-8 text or a failed read
                self.take(n, "value", Text("fmt.bytes", n=n), path, Text("fmt.avro.bytes_as_string", where=where),
                          scalar="utf-8", what=Text("fmt.avro.bytes_as_string_what", where=where))
            else:
                self.take(n, "value", Text("fmt.bytes", n=n), path, Text("fmt.avro.raw_bytes", where=where),
                          scalar="bytes")
        elif k == "fixed":
            size = t["size"]
            self.take(size, "value", Text("fmt.avro.fixed", n=size), path,
                      Text("fmt.avro.fixed_note", where=where, n=size), scalar="bytes")
        elif k == "enum":
            self.enum(t, path, r, rpath)
        elif k == "array":
            for i in self.blocks(path, "array", "items", depth + 1):
                self.datum(t["items"], paths.index(path, i), depth + 1, r and r["items"], paths.index(rpath, i))
        elif k == "map":
            for _ in self.blocks(path, "map", "entries", depth + 1):
                raw, end = self.peek_varint()   # the key names its entry: read it ahead
                key = self.data[end:end + max(unzigzag(raw), 0)].decode("utf-8", "replace")
                child = paths.key(path, key)
                self.text(child, "name")
                self.datum(t["values"], child, depth + 1, r and r["values"], paths.key(rpath, key))
        else:
            self.fields(t, path, depth + 1, r, rpath)

    def enum(self, t: dict, path: str, r, rpath: str) -> None:
        symbols = t["symbols"]
        table = ",".join(f"{i}={s}" for i, s in enumerate(symbols))
        raw, end = self.peek_varint()
        index = unzigzag(raw)
        if not 0 <= index < len(symbols):
            raise self.fail(Text("err.walk.avro.enum", index=index, name=short_name(t), n=len(symbols)))
        symbol = symbols[index]
        self.span(end, "value", Text("fmt.avro.enum", symbol=symbol, index=index), path,
                  Text("fmt.avro.enum_note", where=path or Text("fmt.avro.the_record"),
                       symbols=", ".join(symbols[:6]) + (", …" if len(symbols) > 6 else "")),
                  symbol, f"enum(zigzag):{table}")
        if r is not None and symbol not in r["symbols"]:
            if not r.get("default"):
                raise FormatError(Text("fmt.avro.symbol_missing", where=rpath or Text("fmt.avro.the_record"),
                                       symbol=symbol, enum=short_name(r)), path=rpath or None)
            self._add(self.notes, Text("fmt.avro.symbol_defaulted", path=rpath, symbol=symbol, default=r["default"]))

    def fields(self, t: dict, path: str, depth: int, r, rpath: str) -> None:
        """A record: its fields' values back to back, in the writer's order."""
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.avro.too_deep", limit=MAX_DEPTH))
        left = {f["name"]: f for f in r["fields"]} if r is not None else {}
        aliases = {a: f for f in r["fields"] for a in f.get("aliases", [])} if r is not None else {}
        for f in t["fields"]:
            name = f["name"]
            child = paths.key(path, name)
            rf = left.get(name, aliases.get(name)) if r is not None else None
            if r is not None and rf is None:
                self._add(self.skipped, child)   # the writer's path: where its skipped bytes are
            if rf is not None and rf["name"] not in left:
                raise FormatError(Text("err.walk.avro.alias_twice", path=paths.key(rpath, rf["name"])), path=rpath or None)
            if rf is not None:
                del left[rf["name"]]
                if rf["name"] != name:
                    self._add(self.notes, Text("fmt.avro.field_alias", path=paths.key(rpath, rf["name"]), field=name))
            self.field = name
            self.datum(f["type"], child, depth, rf and rf["type"], paths.key(rpath, rf["name"] if rf else name))
            self.field = None   # a null field has no bytes to explain
        for name, rf in left.items():
            if "default" not in rf:
                raise FormatError(Text("fmt.avro.no_default", path=paths.key(rpath, name)), path=paths.key(rpath, name))
            self._add(self.defaulted, paths.key(rpath, name))

    # ---- schema resolution ---------------------------------------------------------------------

    def resolve(self, w, r, rpath: str):
        """The reader's type for the writer's (non-union) type `w`: a union's first matching branch."""
        r = self.reader.deref(r)
        where = rpath or Text("fmt.avro.the_record")
        if kind(r) == "union":
            match = next((b for b in map(self.reader.deref, r) if self.matches(w, b)), None)
            if match is None:
                raise FormatError(Text("fmt.avro.no_branch", where=where, writer_type=type_text(self.schema, w),
                                       reader_type=type_text(self.reader, r)), path=rpath or None)
            r = match
        elif not self.matches(w, r):
            raise FormatError(Text("fmt.avro.at", where=where, message=self.mismatch(w, r)), path=rpath or None)
        wk, rk = kind(w), kind(r)
        if wk != rk:
            self._add(self.notes, Text("fmt.avro.promoted", where=where, writer_type=wk, reader_type=rk))
        elif wk in ("record", "enum", "fixed") and short_name(w) != short_name(r):
            self._add(self.notes, Text("fmt.avro.type_alias", where=where, kind=rk, reader_name=short_name(r),
                                       writer_name=short_name(w)))
        return r

    def matches(self, w, r) -> bool:
        """Can the reader's type `r` read the writer's `w`? (fastavro's match_types, kinds made strict)."""
        wk, rk = kind(w), kind(r)
        if wk in PRIMITIVES or rk in PRIMITIVES:
            return wk == rk or rk in PROMOTIONS.get(wk, ())
        if wk != rk:
            return False
        if wk in ("array", "map"):
            part = "items" if wk == "array" else "values"
            wi, ri = self.schema.deref(w[part]), self.reader.deref(r[part])
            return kind(wi) == "union" or kind(ri) == "union" or self.matches(wi, ri)
        names = (w["name"], short_name(w))
        return (short_name(w) == short_name(r) or any(n in r.get("aliases", []) for n in names)) and (
            wk != "fixed" or w["size"] == r["size"])

    def mismatch(self, w, r) -> str:
        wk, rk = kind(w), kind(r)
        wt, rt = type_text(self.schema, w), type_text(self.reader, r)
        if wk == rk == "fixed" and w["size"] != r["size"]:
            return Text("fmt.avro.fixed_size", writer_type=wt, reader_type=rt)
        if wk == rk and wk in ("record", "enum", "fixed"):
            return Text("fmt.avro.name_differs", kind=wk, writer_name=short_name(w), reader_name=short_name(r))
        return Text("fmt.avro.cannot_promote", writer_type=wt, reader_type=rt)

    @staticmethod
    def _add(items: list, item: str) -> None:
        if item not in items:
            items.append(item)


class ContainerWalk(AvroWalk):
    """An object container file: header (magic, metadata with the writer's schema, sync marker), then blocks."""

    def __init__(self, data: bytes):
        super().__init__(data, None)
        self.count = 0
        self.codec = "null"
        self.first = None      # where the first record starts (uncompressed blocks)
        self.inflated = None   # the first compressed block, inflated

    def container(self) -> list:
        if self.data[:4] != CONTAINER_MAGIC:
            raise self.fail(Text("err.walk.avro.not_container"))
        self.take(4, "header", Text("fmt.avro.magic"), "", Text("fmt.avro.magic_note"))
        meta = self.metadata()
        sync = self.take(SYNC_SIZE, "header", Text("fmt.avro.sync"), "", Text("fmt.avro.sync_note"))
        codec = meta.get("avro.codec", b"null").decode("utf-8", "replace")
        if codec not in KNOWN_CODECS:
            raise FormatError(Text("err.walk.avro.codec", codec=repr(codec), codecs=", ".join(KNOWN_CODECS)))
        if "avro.schema" not in meta:
            raise FormatError(Text("err.walk.avro.no_schema"))
        try:
            self.schema = parse(meta["avro.schema"].decode("utf-8"))
        except FormatError as e:
            raise FormatError(Text("err.walk.avro.bad_schema", message=e.message)) from None
        except UnicodeDecodeError as e:
            raise FormatError(Text("err.walk.avro.schema_utf8", offset=e.start)) from None
        self.codec = codec
        while not self.at_end():
            self.block(sync)
        return self.spans

    def metadata(self) -> dict:
        meta = {}
        for _ in self.blocks("", "metadata", "entries", 0, Text("fmt.avro.metadata")):
            key = self.text("", "name", Text("fmt.avro.metadata"))
            where = Text("fmt.avro.metadata_entry", key=repr(key))
            n = self.length("", "entry", where)
            raw = self.data[self.pos:self.pos + n]
            try:
                raw.decode("utf-8")
                scalar = "utf-8"
            except UnicodeDecodeError:
                scalar = "bytes"
            label = {"avro.schema": Text("fmt.avro.schema_entry", n=n),
                     "avro.codec": Text("fmt.avro.codec_entry", codec=preview(raw.decode('utf-8', 'replace')))
                     }.get(key, Text("fmt.bytes", n=n))
            what = {"avro.schema": "schema_note", "avro.codec": "codec_note"}.get(key, "own_note")
            self.take(n, "value", label, "", Text("fmt.at", where=where, note=Text(f"fmt.avro.{what}")), scalar=scalar)
            meta[key] = bytes(raw)
        return meta

    def block(self, sync: bytes) -> None:
        count = self.long("count", lambda v: Text("fmt.avro.records_block", n=v), "", Text("fmt.avro.records_block_note"),
                          check=lambda v: None if 0 <= v <= self.items_left else
                          Text("err.walk.avro.records", n=v))
        self.items_left -= count
        size = self.long("length", lambda v: Text("fmt.avro.block_size", n=v), "",
                         Text("fmt.avro.records_size_note") if self.codec == "null" else
                         Text("fmt.avro.compressed_size_note", codec=self.codec),
                         check=lambda v: Text("err.walk.avro.negative_size", n=v) if v < 0 else None)
        start, end = self.pos, self.pos + size
        with self.within(size, Text("err.walk.avro.a_block", n=size), Text("err.walk.avro.its_block")):
            if self.codec != "null":
                self.compressed(count, size)
            # a file of one record (one block of one, then the end) has the plain field paths of an
            # Avro encoding; with more, each record's paths start with its index: `[1].userName`
            single = self.count == 0 and count == 1 and end + SYNC_SIZE == len(self.data)
            for _ in range(count if self.codec == "null" else 0):
                if self.first is None:
                    self.first = self.pos
                self.record("" if single else paths.index("", self.count))
                self.count += 1
        if self.pos != end:
            raise self.fail(Text("err.walk.avro.records_end", pos=self.pos, end=end), start)
        if self.peek(SYNC_SIZE) != sync:
            raise self.fail(Text("err.walk.avro.sync"))
        self.take(SYNC_SIZE, "header", Text("fmt.avro.sync"), "", Text("fmt.avro.sync_again"))

    def compressed(self, count: int, size: int) -> None:
        """A compressed block: its bytes are one span (no byte of it is a record's byte); the
        records are walked once inflated, where the standard library can inflate them."""
        raw = self.data[self.pos:self.pos + size]
        records = f"{count} record{'s' * (count != 1)}"
        inflate = CODECS.get(self.codec)
        if inflate is None:   # snappy, zstandard: fastavro needs a package this lab does not install
            self.take(size, "value", f"{self.codec}-compressed block: {records}", "",
                      f"the block's {records}, compressed with {self.codec}; this lab cannot inflate "
                      f"{self.codec}, so their bytes stay unlabelled", scalar="bytes")
            self.count += count
            return
        try:
            plain = inflate(raw, MAX_INFLATED)
        except (ValueError, OSError, EOFError, zlib.error, lzma.LZMAError) as e:
            raise self.fail(Text("err.walk.avro.inflate", size=size, codec=self.codec, message=str(e))) from None
        inner = AvroWalk(plain, self.schema)
        try:
            for _ in range(count):
                inner.record(paths.index("", self.count))
                self.count += 1
            inner.finish()
        except FormatError as e:
            inner_message = e.message
            if isinstance(inner_message, Text) and inner_message.key == "fmt.error.at_byte":
                inner_message = inner_message.values["message"]
            raise self.fail(Text("err.walk.avro.inflated", size=len(plain), offset=e.offset,
                                 message=inner_message)) from None
        if self.first is None:
            self.inflated = plain
        self.take(size, "value", f"{self.codec}-compressed block: {records}, {len(plain):,} bytes inflated", "",
                  f"the block's {records} compressed with {self.codec}: fastavro inflates these {size} bytes "
                  f"to {len(plain):,} bytes of plain Avro, then reads the records from them", scalar="bytes")
