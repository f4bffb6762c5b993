"""UBJSON (Universal Binary JSON, Draft 12): py-ubjson writes and reads; a hand-written walk labels each byte.

The library: py-ubjson, the implementation the UBJSON site lists for Python. Its last release is from
2020, but the format's draft has not changed since, and it writes UBJSON exactly. bjdata, its
maintained fork, writes Binary JData instead: little-endian numbers and markers UBJSON does not have
(`u` uint16, `m` uint32), so its bytes are not UBJSON.

Like MessagePack and CBOR, UBJSON keeps JSON's shape and sends every field name in every record; a
value is a one-byte ASCII marker (`S` string, `U` uint8, `I` int16, `D` float64, `{` object…) and its
big-endian bytes. Object keys are strings without the `S` marker.
"""
from decimal import Decimal

import ubjson

from formats import paths
from formats.base import Format
from formats.errors import FormatError
from formats.facts.ubjson import (ARRAY, ARRAY_END, CHAR, CONSTANTS, COUNT, HIGH_PRECISION, LENGTHS, NOOP,
                                  NUMBERS, OBJECT, OBJECT_END, STRING, TYPE)
from formats.record import MAX_DEPTH
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text


class UBJSONFormat(
        Format, id="ubjson", title="UBJSON",
        spends=Text("fmt.spends.ubjson")):

    def write(self, record, schema_text=None):
        try:
            return ubjson.dumpb(record)
        except (ubjson.EncoderException, TypeError, ValueError) as e:
            raise FormatError(Text("err.lib.ubjson_write", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        walk = _Walk(data)
        walk.value("", 0)
        return walk.finish()

    def read(self, data, schema_text=None, writer_schema_text=None):
        self.annotate(data)   # a bad byte is reported by its offset, as py-ubjson's messages do not always
        try:
            value = ubjson.loadb(data)   # any top-level value, as for MessagePack and CBOR
        except (ubjson.DecoderException, ValueError, TypeError) as e:
            raise FormatError(Text("err.lib.ubjson_read", message=str(e))) from None
        return Decoded(_numbers(value))


def _numbers(value):
    """py-ubjson reads a high-precision number (H) as a Decimal (it writes integers past int64 and floats
    below the smallest normal double that way): the integer or the double it spells exactly, else its text."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value) if Decimal(float(value)) == value else str(value)
    return value


class _Walk(Walker):
    def value(self, path: str, depth: int, marker: bytes | None = None, role: str = "value") -> None:
        """One value; `marker` is given when an optimized container declared every item's type."""
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        where = path or Text("fmt.ubjson.the_record")
        if marker is None:
            while self.peek() == NOOP:
                self.take(1, "punctuation", Text("fmt.ubjson.noop"), path, Text("fmt.ubjson.noop_note"))
            marker = self.peek()
            if marker in CONSTANTS:
                name, scalar = CONSTANTS[marker]
                self.take(1, role, name, path, Text("fmt.ubjson.constant", where=where, name=name), scalar=scalar)
                return
            if marker not in NUMBERS and marker not in (HIGH_PRECISION, CHAR, STRING, ARRAY, OBJECT):
                raise self.fail(Text("err.walk.ubjson.marker", byte=f"0x{marker[0]:02x}"))
            if marker not in (ARRAY, OBJECT):
                self.take(1, "type", Text("fmt.ubjson.marker", marker=marker.decode(), name=_name(marker)), path,
                          Text("fmt.ubjson.marker_note", where=where, name=_name(marker)))
        elif marker in CONSTANTS:   # a container of one constant: the items have no bytes at all
            return
        if marker in NUMBERS:
            name, fmt = NUMBERS[marker]
            self.fixed(fmt, role, lambda v: f"{name} {v}", path, Text("fmt.msgpack.big_endian", where=where))
        elif marker == CHAR:
            self.take(1, role, preview, path, Text("fmt.ubjson.char", where=where), scalar="utf-8")
        elif marker in (STRING, HIGH_PRECISION):
            n = self.length(path, "length", "bytes")
            self.take(n, role, preview, path, Text("fmt.ubjson.string" if marker == STRING else "fmt.ubjson.high",
                                                   where=where), scalar="utf-8", what=Text("fmt.a_string"))
        elif marker == ARRAY:
            self.container(path, depth, is_object=False)
        elif marker == OBJECT:
            self.container(path, depth, is_object=True)
        else:
            raise self.fail(Text("err.walk.ubjson.marker", byte=f"0x{marker[0]:02x}"))

    def length(self, path: str, kind: str, what: str) -> int:
        """A length or count: an integer with its own marker."""
        marker = self.peek()
        if marker not in LENGTHS:
            raise self.fail(Text(f"err.walk.ubjson.not_integer.{kind}", byte=f"0x{marker[0]:02x}"))
        self.take(1, "type", Text(f"fmt.ubjson.{kind}_marker", marker=marker.decode()), path,
                  Text(f"fmt.ubjson.{kind}_is", name=_name(marker)))
        n = self.fixed(NUMBERS[marker][1], kind, lambda v: Text(f"fmt.cbor.{kind}", n=v), path,
                       Text(f"fmt.ubjson.how_many.{what}"))
        if n < 0:
            raise self.fail(Text(f"err.walk.ubjson.negative.{kind}", n=n), self.pos - 1)
        return n

    def container(self, path: str, depth: int, is_object: bool) -> None:
        where, kind = path or Text("fmt.ubjson.the_record"), "object" if is_object else "array"
        self.take(1, "punctuation", Text(f"fmt.ubjson.starts.{kind}"), path, Text(f"fmt.ubjson.an.{kind}", where=where))
        item_type = count = None
        if self.peek() == TYPE:
            self.take(1, "punctuation", Text("fmt.ubjson.item_type"), path, Text("fmt.ubjson.item_type_note"))
            item_type = self.peek()
            self.take(1, "type", Text("fmt.ubjson.items_are", name=_name(item_type)), path,
                      Text("fmt.ubjson.items_are_note"))
            if self.peek() != COUNT:
                raise self.fail(Text("err.walk.ubjson.type_then_count"))
        if self.peek() == COUNT:
            self.take(1, "punctuation", Text("fmt.ubjson.item_count"), path, Text("fmt.ubjson.item_count_note"))
            count = self.length(path, "count", "entries" if is_object else "items")
        if item_type == b"U" and not is_object:   # py-ubjson writes (and reads) bytes as an array of uint8
            self.take(count, "value", Text("fmt.bytes", n=count), path, Text("fmt.ubjson.raw_bytes", where=where),
                      scalar="bytes")
            return
        end = OBJECT_END if is_object else ARRAY_END
        i = 0
        while count is None and self.peek() != end or count is not None and i < count:
            if count is None and self.peek() == NOOP:
                self.take(1, "punctuation", Text("fmt.ubjson.noop"), path, Text("fmt.ubjson.noop_note"))
                continue
            if is_object:
                name = self.key(path)
                self.value(paths.key(path, name), depth + 1, item_type)
            else:
                self.value(paths.index(path, i), depth + 1, item_type)
            i += 1
        if count is None:
            self.take(1, "punctuation", Text(f"fmt.ubjson.ends.{kind}"), path,
                      Text("fmt.ubjson.end_marker", where=where, marker=end.decode()))

    def key(self, path: str) -> str:
        """An object key: a string without the S marker, labelled as the field it names."""
        probe = _Walk(self.data)
        probe.pos = self.pos
        n = probe.length(path, "length", "bytes")
        try:
            name = self.data[probe.pos:probe.pos + n].decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail(Text("err.walk.ubjson.name_utf8")) from None
        child = paths.key(path, name)
        self.length(child, "length", "name")
        self.take(n, "name", lambda text: Text("fmt.field_name", name=preview(text)), child,
                  Text("fmt.ubjson.name_note", n=n), scalar="utf-8", what=Text("fmt.ubjson.a_field_name"))
        return name


def _name(marker: bytes) -> str:
    if marker in NUMBERS:
        return NUMBERS[marker][0]
    return {b"S": "string", b"H": "high-precision number", b"C": "char", b"[": "array", b"{": "object",
            **{m: v[0] for m, v in CONSTANTS.items()}}.get(marker, f"0x{marker[0]:02x}")


FORMAT = UBJSONFormat()
