"""BSON (MongoDB's binary JSON): pymongo's `bson` writes and reads; a hand-written walk labels each byte.

A document is an int32 total length (little-endian), its elements, and a 0x00. An
element is a type byte, the field name as a NUL-terminated string, and the value.
An array is a document whose field names are the indexes "0", "1", … spelled out.
pymongo writes a Python int as int32 when it fits in 32 bits and as int64
otherwise, so the book's 1337 costs 4 bytes and the record 96 bytes in all.

Pasted data may hold types a JSON record never produces (ObjectId, datetime,
binary, regex, timestamp, decimal128, …). `read` gives them back as plain values
the walk's value spans also show: an ObjectId as its 24 hex digits, a datetime as
milliseconds since 1970, a timestamp as {"t": seconds, "i": increment}, a regex as
{"pattern", "options"}, binary data as bytes.
"""
import datetime
import re

import bson
from bson.codec_options import CodecOptions, DatetimeConversion
from bson.errors import BSONError

from formats import paths, scalars
from formats.base import Format
from formats.errors import FormatError
from formats.facts import numbers
from formats.facts.bson import BINARY_SUBTYPES, MIN_DOCUMENT, REGEX_OPTIONS, TYPES
from formats.record import MAX_DEPTH, check_record
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text

# datetimes as milliseconds: Python's datetime cannot hold every BSON datetime
_OPTIONS = CodecOptions(datetime_conversion=DatetimeConversion.DATETIME_MS)
# the Python flags pymongo gives the regex option letters i, l, m, s, u, x (REGEX_OPTIONS)
_REGEX_FLAGS = (re.IGNORECASE, re.LOCALE, re.MULTILINE, re.DOTALL, re.UNICODE, re.VERBOSE)


class BSONFormat(
        Format, id="bson", title="BSON",
        spends=Text("fmt.spends.bson")):
    def write(self, record, schema_text=None):
        check_record(record, allow_bytes=True)
        _check_bson(record)
        try:
            return bson.encode(record)
        except (BSONError, OverflowError, ValueError) as e:   # reworded, in case the checks above miss one
            raise FormatError(Text("err.lib.write", format="BSON", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        walk = _Walk(data)
        walk.document("", 0, array=False)
        return walk.finish()

    def read(self, data, schema_text=None, writer_schema_text=None):
        self.annotate(data)   # reports a bad byte by its offset, which bson.decode cannot
        try:
            document = bson.decode(bytes(data), codec_options=_OPTIONS)
        except (BSONError, ValueError, OverflowError) as e:
            raise FormatError(Text("err.lib.read", library="BSON", message=str(e))) from None
        notes: dict[str, str] = {}
        return Decoded(_plain(document, "", notes), notes=list(notes.values()))

    def comparable(self, record):
        """A sub-document with "$ref" and "$id" comes back as a database reference (DBRef), which
        drops "$db": null; everything else survives as written."""
        return _without_null_db(record)


def _check_bson(value, steps: tuple = ()) -> None:
    """Every integer fits BSON's int64 and no field name holds NUL, else a FormatError saying where. The
    path is kept as steps and spelt (paths.join) only for an error: a 1 MB record has ~66,000 values."""
    if isinstance(value, int) and not isinstance(value, bool) and not numbers.fits(value, numbers.INT64):
        where = paths.join("", steps) or Text("err.the_record")
        raise FormatError(Text("err.lib.bson_range", where=where, value=value), path=where)
    if isinstance(value, dict):
        for name in value:
            if "\x00" in name:
                where = paths.join("", steps) or Text("err.the_record")
                raise FormatError(Text("err.lib.bson_nul", where=where, name=repr(name)), path=where)
        for name, item in value.items():
            _check_bson(item, steps + (name,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_bson(item, steps + (i,))


def _without_null_db(value):
    if isinstance(value, list):
        return [_without_null_db(v) for v in value]
    if not isinstance(value, dict):
        return value
    is_dbref = isinstance(value.get("$ref"), str) and "$id" in value and value.get("$db", "") is None
    return {k: _without_null_db(v) for k, v in value.items() if not (is_dbref and k == "$db")}


def _plain(value, path: str, notes: dict[str, str]):
    """pymongo's types as plain Python values, the same ones the walk's value spans show.
    `notes` gets one sentence per BSON type that needed explaining, naming its first place."""
    where = path or "the record"
    if isinstance(value, bson.DBRef):   # pymongo reads {"$ref", "$id"} sub-documents as references
        value = value.as_doc()
    if isinstance(value, dict):
        return {k: _plain(v, paths.key(path, k), notes) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, paths.index(path, i), notes) for i, v in enumerate(value)]
    if isinstance(value, bson.Code):   # a str subclass with an optional scope document
        if value.scope is None:
            return str(value)
        return {"code": str(value), "scope": _plain(value.scope, paths.key(path, "scope"), notes)}
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return int(value)   # bson.Int64 is an int subclass
    if isinstance(value, bson.DatetimeMS):
        _note(notes, where, "a BSON datetime, given as milliseconds since 1970-01-01 UTC")
        return int(value)
    if isinstance(value, bson.ObjectId):
        _note(notes, where, "an ObjectId (the 12 bytes MongoDB adds as _id), given as 24 hex digits")
        return str(value)
    if isinstance(value, bson.Timestamp):
        _note(notes, where, "a BSON timestamp (MongoDB's replication clock): seconds and an increment")
        return {"t": value.time, "i": value.inc}
    if isinstance(value, bson.Regex):
        options = "".join(letter for letter, flag in zip(REGEX_OPTIONS, _REGEX_FLAGS) if value.flags & flag)
        return {"pattern": value.pattern, "options": options}
    if isinstance(value, bson.Decimal128):
        _note(notes, where, "a decimal128, given as its decimal text")
        return str(value)
    if isinstance(value, bytes):   # bson.Binary is a bytes subclass
        return bytes(value)
    if isinstance(value, bson.MinKey):
        return {"$minKey": 1}
    if isinstance(value, bson.MaxKey):
        return {"$maxKey": 1}
    raise FormatError(Text("err.lib.bson_kind", where=where, kind=type(value).__name__))


def _note(notes: dict[str, str], where: str, what: str) -> None:
    notes.setdefault(what, f"{where}: {what} (here and wherever else one appears)")


def _datetime_text(ms: int) -> str:
    try:
        moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)
    except OverflowError:
        return "outside the years 1-9999"
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Walk(Walker):
    """BSON's grammar, byte by byte (hand-written: pymongo reports no byte positions)."""

    def document(self, path: str, depth: int, array: bool):
        """A document (or an array, a document keyed "0", "1", …) that must end by the limit."""
        if depth >= MAX_DEPTH:
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        start = self.pos
        what = "array" if array else "document"
        where = path or Text("fmt.bson.the_record")
        self._need(4, Text(f"err.walk.bson.length.{what}"))
        size = self.fixed("<i", "length", lambda n: Text(f"fmt.bson.length.{what}", n=n), path,
                          Text(f"fmt.bson.length_note.{what}", where=where))
        if size < MIN_DOCUMENT:
            raise self.fail(Text(f"err.walk.bson.too_short.{what}", size=size, least=MIN_DOCUMENT), start)
        if start + size > self.limit:
            raise self.fail(Text(f"err.walk.bson.too_long.{what}", size=size, left=self.limit - start), start)
        end = start + size
        names: set[str] = set()
        with self.within(size - MIN_DOCUMENT, Text(f"err.walk.bson.elements.{what}"), Text(f"err.walk.bson.its.{what}")):   # the 0x00 is not theirs
            while self.pos < self.limit and self.data[self.pos] != 0:
                self.element(path, depth, len(names) if array else None, names)
        if self.pos != end - 1 or self.data[self.pos] != 0:
            raise self.fail(Text(f"err.walk.bson.no_end.{what}", end=end - 1, size=size),
                            self.pos if self.pos < end - 1 else end - 1)
        self.take(1, "terminator", Text(f"fmt.bson.end.{what}"), path, Text(f"fmt.bson.end_note.{what}", where=where))

    def cstring(self, start: int, what: str) -> int:
        """Where the NUL that ends the C string starting at `start` is."""
        nul = self.data.find(b"\x00", start, self.limit)
        if nul < 0:
            raise self.fail(Text("err.walk.bson.cstring", what=what, limit=self.limit), start)
        return nul

    def element(self, parent: str, depth: int, index: int | None, names: set[str]) -> None:
        t = self.data[self.pos]
        nul = self.cstring(self.pos + 1, Text("err.walk.bson.a_name"))
        raw_name = self.data[self.pos + 1:nul]
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.fail(Text("err.walk.bson.name_utf8"), self.pos + 1 + e.start) from None
        if index is None and name in names:
            raise self.fail(Text("err.walk.bson.name_twice", name=repr(name)))
        names.add(name if index is None else str(index))
        path = paths.key(parent, name) if index is None else paths.index(parent, index)
        type_name = TYPES.get(t)
        if type_name is None:
            raise self.fail(Text("err.walk.bson.type", byte=f"0x{t:02x}"))
        self.take(1, "type", f"0x{t:02x} {type_name}", path,
                  Text("fmt.bson.type_byte", path=path, byte=f"0x{t:02x}", note=Text(f"fmt.bson.type_note.{t:02x}")))
        if index is None:
            self.take(len(raw_name), "name", Text("fmt.field_name", name=preview(name)), path,
                      Text("fmt.bson.name_note", n=len(raw_name)))
        else:
            self.take(len(raw_name), "name", Text("fmt.bson.index", name=preview(name)), path,
                      Text("fmt.bson.index_note"))
        self.take(1, "terminator", Text("fmt.bson.name_end"), path, Text("fmt.bson.name_end_note"))
        self.value(t, path, depth)

    def value(self, t: int, path: str, depth: int):
        if t == 0x01:
            self.fixed("<d", "value", lambda v: f"double {v!r}", path, Text("fmt.bson.double", path=path))
        elif t in (0x02, 0x0D, 0x0E):
            self.string(path)
        elif t in (0x03, 0x04):
            self.document(path, depth + 1, array=t == 0x04)
        elif t == 0x05:
            self.binary(path)
        elif t == 0x07:
            self.object_id(path)
        elif t == 0x08:
            if self.byte() > 1:
                raise self.fail(Text("err.walk.bson.boolean", byte=f"0x{self.byte():02x}"))
            self.take(1, "value", "true" if self.byte() else "false", path, Text("fmt.bson.boolean", path=path),
                      scalar="bool")
        elif t == 0x09:
            self.fixed("<q", "value", lambda v: f"datetime {_datetime_text(v)}", path, Text("fmt.bson.datetime", path=path))
        elif t == 0x0B:
            self.regex(path)
        elif t == 0x0C:   # DBPointer: a collection name and an ObjectId
            self.string(paths.key(path, "$ref"))
            self.object_id(paths.key(path, "$id"))
        elif t == 0x0F:
            self.code_with_scope(path, depth)
        elif t == 0x10:
            self.fixed("<i", "value", lambda v: f"int32 {v}", path, Text("fmt.bson.int32", path=path))
        elif t == 0x11:
            self.fixed("<I", "value", lambda v: Text("fmt.bson.increment", value=v), paths.key(path, "i"),
                       Text("fmt.bson.increment_note", path=path))
            self.fixed("<I", "value", lambda v: Text("fmt.bson.time", value=v), paths.key(path, "t"),
                       Text("fmt.bson.time_note", path=path))
        elif t == 0x12:
            self.fixed("<q", "value", lambda v: f"int64 {v}", path, Text("fmt.bson.int64", path=path))
        elif t == 0x13:
            self.take(16, "value", lambda v: f"decimal128 {v}", path, Text("fmt.bson.decimal128", path=path),
                      scalar="bson-decimal128")
        # 0x06 undefined, 0x0A null, 0x7F max key, 0xFF min key: the type byte says it all

    def string(self, path: str):
        size = self.fixed("<i", "length", lambda n: Text("fmt.bson.string_length", n=n, size=n - 1) if n > 0
                          else Text("fmt.bson.string_length_only", n=n), path, Text("fmt.bson.string_length_note", path=path))
        if size < 1 or self.pos + size > self.limit:
            raise self.fail(Text("err.walk.bson.string_length", size=size, limit=self.limit), self.pos - 4)
        self.take(size - 1, "value", preview, path, Text("fmt.utf8_text", path=path, size=Text("fmt.bytes", n=size - 1)),
                  what=Text("fmt.a_string"),
                  scalar="utf-8")
        if self.byte() != 0:
            raise self.fail(Text("err.walk.bson.string_end"))
        self.take(1, "terminator", Text("fmt.bson.string_end"), path, Text("fmt.bson.string_end_note"))

    def binary(self, path: str):
        size = self.fixed("<i", "length", lambda n: Text("fmt.bson.binary_length", n=n), path,
                          Text("fmt.bson.binary_length_note", path=path))
        subtype = self.byte()
        self.take(1, "type", Text("fmt.bson.subtype", n=subtype, name=BINARY_SUBTYPES.get(subtype) or
                                  Text("fmt.bson.reserved")), path, Text("fmt.bson.subtype_note", path=path))
        if subtype == 2:   # the old binary subtype repeats the length inside the data
            inner = self.fixed("<i", "length", lambda n: f"inner length {n}", path,
                               f"{path}: the old binary subtype 2 repeats the length")
            if inner != size - 4:
                raise self.fail(Text("err.walk.bson.inner_length", inner=inner, size=size - 4), self.pos - 4)
            size = inner
        if size < 0:
            raise self.fail(Text("err.walk.bson.binary_negative", size=size), self.pos - 5)
        self.take(size, "value", Text("fmt.bson.binary", n=size), path, Text("fmt.bson.raw_bytes", path=path),
                  scalar="bytes")

    def object_id(self, path: str):
        self.take(12, "value", lambda oid: f"ObjectId {oid}", path, Text("fmt.bson.object_id", path=path), scalar="hex")

    def regex(self, path: str):
        end = self.cstring(self.pos, Text("err.walk.bson.pattern"))
        here = paths.key(path, "pattern")
        self.take(end - self.pos, "value", lambda text: f"regex pattern {preview(text)}", here,
                  f"{path}: the pattern, a C string", what=Text("err.walk.bson.pattern"), scalar="utf-8")
        self.take(1, "terminator", "end of regex pattern", here)
        end = self.cstring(self.pos, Text("err.walk.bson.options"))
        here = paths.key(path, "options")
        written = self.data[self.pos:end].decode("utf-8", "replace")
        read = scalars.read("bson-regex-options", written.encode("utf-8"))
        note = f"{path}: option letters, a C string" + (
            "" if read == written else f"; pymongo reads the letters it knows ({REGEX_OPTIONS}) in any "
                                       f"order and ignores the others, so {written!r} reads as {read!r}")
        self.take(end - self.pos, "value", f"regex options {preview(written)}", here, note, what=Text("err.walk.bson.options"),
                  scalar="bson-regex-options")
        self.take(1, "terminator", "end of regex options", here)

    def code_with_scope(self, path: str, depth: int):
        start = self.pos
        size = self.fixed("<i", "length", lambda n: f"code with scope, {n} bytes", path,
                          f"{path}: an int32 giving the size of the code and its scope document")
        if size < 14 or start + size > self.limit:
            raise self.fail(Text("err.walk.bson.scope_length", size=size), start)
        with self.within(size - 4, Text("err.walk.bson.code_and_scope"), Text("err.walk.bson.its_code")):
            self.string(paths.key(path, "code"))
            self.document(paths.key(path, "scope"), depth + 1, array=False)
            if self.pos != self.limit:
                raise self.fail(Text("err.walk.bson.scope_end", end=start + size), self.pos)


FORMAT = BSONFormat()
