"""CBOR (RFC 8949): cbor2 writes and reads; a hand-written walk labels each byte.

CBOR is MessagePack's idea standardised by the IETF, with its own type-byte layout:
every item starts with an initial byte whose top 3 bits are the major type
(0 unsigned int, 1 negative int, 2 byte string, 3 text string, 4 array, 5 map,
6 tag, 7 floats and simple values) and whose low 5 bits are the "additional
information": a value 0–23 itself, or 24/25/26/27 for a 1/2/4/8-byte argument
that follows (31: indefinite length, ended by a 0xff "break" byte). A negative
integer n is stored as -1 - n. cbor2 writes every float as an 8-byte double
(NaN and infinities as 2-byte halves) by default; RFC 8949's preferred serialization
takes the shortest width that holds the value exactly (1.5 is f9 3e 00), and each
float's explanation gives both. The book's record is 66 bytes, the same as MessagePack.

Tags (major type 6) give the next item a meaning. `read` keeps bignums (tags 2
and 3) as integers and every other tag's content as it is on the wire (a date
tag's text, an epoch tag's number), so the record shows what the bytes hold.
"""
import struct

import cbor2

from formats import paths
from formats.base import Format
from formats.errors import FormatError
from formats.facts.cbor import ARGUMENT_FORMATS, BREAK, FLOATS, INDEFINITE, MAJOR, RESERVED_INFO, SIMPLE, TAGS
from formats.record import MAX_DEPTH, check_record
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text

# tags cbor2 turns into Python objects (datetime, Decimal, UUID, …); the lab keeps their content as
# written instead. Bignums stay integers; 25/28/29/256 are references cbor2 must resolve itself.
_KEEP_CONTENT = {tag: (lambda value, immutable: value)
                 for tag in (0, 1, 4, 5, 30, 35, 36, 37, 52, 54, 100, 258, 260, 261, 1004, 43000)}


class CBORFormat(
        Format, id="cbor", title="CBOR",
        spends=Text("fmt.spends.cbor")):
    def write(self, record, schema_text=None):
        check_record(record, allow_bytes=True)
        try:
            return cbor2.dumps(record)
        except cbor2.CBOREncodeError as e:   # reworded, in case check_record misses one
            raise FormatError(Text("err.lib.write", format="CBOR", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        return _Walk.whole(data).spans

    def read(self, data, schema_text=None, writer_schema_text=None):
        walk = _Walk.whole(data)   # reports a bad byte by its offset, which cbor2 cannot
        try:
            value = cbor2.loads(data, semantic_decoders=_KEEP_CONTENT, tag_hook=lambda tag, immutable: tag.value)
        except (cbor2.CBORDecodeError, ValueError, OverflowError) as e:
            raise FormatError(Text("err.lib.read", library="CBOR", message=str(e))) from None
        return Decoded(_plain(value, "", 0), notes=walk.notes)   # any top-level value, a record or not


def _key_text(key) -> str:
    """A map key as the record names it (a JSON object's keys are text)."""
    return paths.key_text(_plain_scalar(key))


def _plain_scalar(value):
    """undefined reads as None, a simple value as its number."""
    if value is cbor2.undefined:
        return None
    if isinstance(value, cbor2.CBORSimpleValue):
        return value.value
    return value


def _plain(value, path: str, depth: int):
    """cbor2's values as plain Python, map keys as text."""
    if depth > MAX_DEPTH:   # shared references (tags 28/29) can make a value contain itself
        raise FormatError(Text("err.lib.cbor_deep", where=path, limit=MAX_DEPTH),
                          path=path)
    if isinstance(value, dict):
        return {_key_text(k): _plain(v, paths.key(path, _key_text(k)), depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, paths.index(path, i), depth + 1) for i, v in enumerate(value)]
    return _plain_scalar(value)


def _preferred(value: float, size: int) -> str:
    """This float's two spellings: as written here, and in RFC 8949's preferred serialization."""
    shortest = cbor2.dumps(value, canonical=True)   # cbor2's canonical mode picks the shortest exact float
    if len(shortest) == size:
        return Text("fmt.cbor.preferred_short" if size < 9 else "fmt.cbor.preferred", value=repr(value))
    return Text("fmt.cbor.not_preferred", hex=shortest.hex(" "), n=len(shortest))


class _Walk(Walker):
    """RFC 8949's grammar, byte by byte (hand-written: cbor2 reports no byte positions)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.notes: list[str] = []
        self._noted: set[int] = set()   # one note per tag number, at its first place

    def top(self):
        self.item("", 0)

    def item(self, path: str, depth: int, role: str = "value"):
        """One data item; returns its value when it is a number, string or simple value (map keys)."""
        where = path or Text("fmt.cbor.the_record")
        tags = []
        while self.byte() >> 5 == 6:   # tags form a chain in front of the item they describe
            tags.append(self.tag(path))
        head = self.byte()
        major, info = head >> 5, head & 0x1F
        if info in RESERVED_INFO:
            raise self.fail(Text("err.walk.cbor.reserved", byte=f"0x{head:02x}", info=info))
        if info == INDEFINITE and major in (0, 1):
            raise self.fail(Text("err.walk.cbor.indefinite_int", byte=f"0x{head:02x}"))
        if major in (0, 1):
            return self.integer(major, info, path, role)
        if major in (2, 3):
            bignum = tags[-1] if tags and tags[-1] in (2, 3) else None
            if bignum and major != 2:
                raise self.fail(Text("err.walk.cbor.bignum", tag=bignum))
            return self.string(major, info, path, role, bignum)
        if major in (4, 5):
            if depth >= MAX_DEPTH:
                raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
            self.container(major == 5, info, path, depth)
            return None
        return self.simple(info, path, role, where)

    def tag(self, path: str) -> int:
        head = self.byte()
        info = head & 0x1F
        if info < 24:
            number = info
            self.take(1, "tag", Text("fmt.cbor.tag", n=number, name=TAGS.get(number) or Text("fmt.cbor.unassigned")),
                      path, Text("fmt.cbor.tag_note", n=number,
                                 name=TAGS.get(number) or Text("fmt.cbor.unregistered")))
        elif info in ARGUMENT_FORMATS:
            self.take(1, "tag", Text("fmt.cbor.long_tag", k=2 ** (info - 24)), path, Text("fmt.cbor.long_tag_note"))
            number = self.argument(info, "tag", lambda n: Text("fmt.cbor.tag", n=n, name=TAGS.get(n) or
                                                               Text("fmt.cbor.unassigned")), path,
                                   Text("fmt.cbor.tag_number"), Text("err.walk.cbor.a_tag_number"))
        else:
            raise self.fail(Text("err.walk.cbor.bad_tag", byte=f"0x{head:02x}"))
        if number not in (2, 3, 55799) and number not in self._noted:
            self._noted.add(number)
            self.notes.append(Text("fmt.cbor.tag_kept", where=path or Text("fmt.cbor.the_record"), n=number,
                                   name=TAGS.get(number) or Text("fmt.cbor.unassigned")))
        return number

    def head(self, major: int, info: int, path: str, label: str, explanation: str):
        self.take(1, "type", label, path, Text("fmt.cbor.head", byte=f"0x{self.byte():02x}", major=major,
                                               name=MAJOR[major], info=info, note=explanation))

    def argument(self, info: int, kind: str, label, path: str, explanation: str, what: str,
                 scalar: str | None = None):
        """The 1/2/4/8-byte argument after the initial byte (additional information 24–27)."""
        fmt = ARGUMENT_FORMATS[info]
        self._need(struct.calcsize(fmt), what)
        if scalar is None:
            return self.fixed(fmt, kind, label, path, explanation)
        return self.take(struct.calcsize(fmt), kind, label, path, explanation, scalar=scalar)

    def integer(self, major: int, info: int, path: str, role: str) -> int:
        sign = "negative" if major else "unsigned"
        if info < 24:
            value = info if major == 0 else -1 - info
            self.take(1, role, Text("fmt.cbor.value", name=MAJOR[major], value=value), path,
                      Text(f"fmt.cbor.small_int.{sign}", byte=f"0x{self.byte():02x}", major=major, name=MAJOR[major],
                           info=info), scalar="cbor")
            return value
        self.head(major, info, path, Text("fmt.cbor.int_head", name=MAJOR[major], k=2 ** (info - 24)),
                  Text(f"fmt.cbor.number_follows.{sign}"))
        scalar = f"cbor-negative:struct:{ARGUMENT_FORMATS[info]}" if major else None
        return self.argument(info, role, lambda v: Text("fmt.cbor.value", name=MAJOR[major], value=v), path,
                             Text(f"fmt.cbor.integer.{sign}"), Text("err.walk.cbor.an_integer"), scalar)

    def length(self, major: int, info: int, path: str, small: str, noun: str, intro: str = "") -> int:
        """The initial byte and, for 24–27, the length or count that follows it."""
        kind = "count" if major in (4, 5) else "length"
        if info < 24:
            self.head(major, info, path, small, Text(f"fmt.cbor.small_count.{noun}", n=info, intro=intro))
            return info
        self.head(major, info, path, Text(f"fmt.cbor.long_head.{kind}", name=MAJOR[major], k=2 ** (info - 24)),
                  Text(f"fmt.cbor.in_next.{noun}", k=2 ** (info - 24), intro=intro))
        return self.argument(info, kind, lambda n: Text(f"fmt.cbor.{kind}", n=n), path,
                             Text(f"fmt.cbor.how_many.{noun}"), Text(f"err.walk.cbor.a_{kind}"))

    def string(self, major: int, info: int, path: str, role: str, bignum: int | None = None):
        text = major == 3
        if info == INDEFINITE:
            self.take(1, "type", f"{MAJOR[major]}, indefinite length", path,
                      f"initial byte 0x{self.byte():02x}: a {MAJOR[major]} sent in chunks until a 0xff break")
            pieces = []
            while self.byte() != BREAK:
                chunk = self.byte()
                if chunk >> 5 != major or chunk & 0x1F >= 28:
                    raise self.fail(Text(f"err.walk.cbor.chunk.{major}", byte=f"0x{chunk:02x}"))
                pieces.append(self.string(major, chunk & 0x1F, path, role))
            self.take(1, "terminator", "break", path, "0xff ends the indefinite-length item")
            return "".join(pieces) if text else b"".join(pieces)
        n = self.length(major, info, path, Text("fmt.cbor.string_head", name=MAJOR[major], n=info), "bytes")
        if bignum:
            return self.take(n, role, lambda value: f"bignum {value}", path,
                             f"{path}: a big-endian integer of {n} bytes"
                             + (", stored as -1 - n" if bignum == 3 else ""),
                             what=Text("err.walk.cbor.a_bignum"), scalar="bignum" if bignum == 2 else "cbor-negative:bignum")
        if role == "name":
            label = (lambda value: Text("fmt.field_name", name=preview(value))) if text else (
                lambda value: Text("fmt.cbor.key_bytes", hex=value.hex()[:24]))
            note = Text("fmt.spelled_out", n=n)
        elif text:
            label, note = preview, Text("fmt.utf8_text", path=path, size=Text("fmt.bytes", n=n))
        else:
            label, note = Text("fmt.bytes", n=n), Text("fmt.cbor.raw_bytes", where=path)
        return self.take(n, role, label, path, note, what=Text(f"err.walk.cbor.a_major.{major}"), scalar="utf-8" if text else "bytes")

    def container(self, is_map: bool, info: int, path: str, depth: int):
        major = 5 if is_map else 4
        noun = "pairs" if is_map else "items"
        intro = "" if path else Text("fmt.cbor.intro")   # the record's first byte introduces the format
        if info == INDEFINITE:
            self.take(1, "type", f"{MAJOR[major]}, indefinite length", path,
                      f"initial byte 0x{self.byte():02x}: {noun} follow until a 0xff break{intro}")
            count = None
        else:
            count = self.length(major, info, path, Text(f"fmt.cbor.container.{noun}", name=MAJOR[major], n=info),
                                noun, intro)
        names: set[str] = set()
        i = 0
        while (self.byte() != BREAK) if count is None else i < count:
            if is_map:
                name = self.key(path, depth)
                if name in names:
                    raise self.fail(Text("err.walk.cbor.key_twice", key=preview(name)))
                names.add(name)
                child = paths.key(path, name)
                self.item(child, depth + 1, role="name")   # the key's spans belong to the field they name
                self.item(child, depth + 1)
            else:
                self.item(paths.index(path, i), depth + 1)
            i += 1
        if count is None:
            self.take(1, "terminator", "break", path, f"0xff ends the indefinite-length {MAJOR[major]}")

    def key(self, path: str, depth: int) -> str:
        """The map key at the cursor as text, read ahead by a second walker (a key is one value,
        never a container: this costs the key's bytes once more)."""
        if self.byte() >> 5 not in (0, 1, 2, 3, 7):
            raise self.fail(Text("err.walk.cbor.key_kind", name=MAJOR[self.byte() >> 5]))
        probe = _Walk(self.data)
        probe.pos = self.pos
        return _key_text(probe.item(path, depth + 1, role="name"))

    def simple(self, info: int, path: str, role: str, where: str):
        head = self.byte()
        if info in SIMPLE:
            label, scalar = SIMPLE[info]
            self.take(1, role, label, path, Text("fmt.cbor.simple", where=where, byte=f"0x{head:02x}", info=info,
                                                 label=label), scalar=scalar)
            return {20: False, 21: True}.get(info)
        if info < 20:
            self.take(1, role, f"simple value {info}", path, f"{where}: an unassigned simple value in one byte",
                      scalar="cbor")
            return info
        if info == 24:
            self.take(1, "type", "simple value, 1 byte follows", path,
                      f"{where}: major type 7, additional information 24")
            if self.byte() < 32:
                raise self.fail(Text("err.walk.cbor.simple", n=self.byte()))
            return self.fixed(">B", role, lambda v: f"simple value {v}", path, f"{where}: an unassigned simple value")
        if info in FLOATS:
            name, fmt = FLOATS[info]
            self.take(1, "type", name, path, Text("fmt.cbor.float_head", where=where, byte=f"0x{head:02x}", info=info,
                                                  name=name))
            self._need(struct.calcsize(fmt), Text("err.walk.cbor.a_float"))
            return self.fixed(fmt, role, lambda v: f"{name.split()[0]} {v!r}", path,
                              lambda v: Text("fmt.cbor.float_note", where=where,
                                             preferred=_preferred(v, 1 + struct.calcsize(fmt))))
        raise self.fail(Text("err.walk.cbor.break"))


FORMAT = CBORFormat()
