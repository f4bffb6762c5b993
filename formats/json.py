"""JSON: the standard library writes it compactly; a small tokenizer labels every byte.

Compact separators (",", ":") give the book's 81 bytes for the Person record; the
default separators add a space after each comma and colon (87 bytes).
"""
import json

from formats import paths
from formats.base import Format
from formats.errors import FormatError
from formats.facts.numbers import JS_SAFE_INTEGER
from formats.record import MAX_DEPTH, parse_record
from formats.spans import Decoded, Span
from formats.wire import Walker, preview
from i18n import Text

_WHITESPACE = b" \t\r\n"
_NUMBER_BYTES = b"-+.eE0123456789"


class JSONFormat(
        Format, id="json", title="JSON", is_text=True,
        spends=Text("fmt.spends.json")):
    def write(self, record, schema_text=None):
        try:
            return json.dumps(record, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False).encode("utf-8")
        except ValueError as e:
            raise FormatError(Text("err.lib.write", format="JSON", message=str(e))) from None

    def annotate(self, data, schema_text=None):
        return _Walk(data).document()

    def read(self, data, schema_text=None, writer_schema_text=None):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise FormatError(Text("err.walk.json.utf8", offset=e.start), offset=e.start) from None
        if text.lstrip()[:1] == "{":
            return Decoded(parse_record(text))
        self.annotate(data)   # any other top-level value ([1, 2], "text", 7): the walk checks it first
        return Decoded(json.loads(text))


def _number_note(where: str, text: str, value) -> str:
    digits = sum(ch.isdigit() for ch in text)
    # a tuple of Texts, not one joined str: each part stays translatable (the message lists them)
    parts = (Text("fmt.json.digits", n=digits), *(Text(f"fmt.json.{word}") for word, there in (
        ("minus", text.startswith("-")), ("point", "." in text), ("exponent", "e" in text.lower())) if there))
    note = Text("fmt.json.number", where=where, parts=parts)
    if isinstance(value, int) and abs(value) > JS_SAFE_INTEGER:
        try:
            rounded = int(float(value))
        except OverflowError:
            rounded = "Infinity"
        note = Text("fmt.json.beyond_2_53", note=note, rounded=rounded)
    return note


class _Walk(Walker):
    """A JSON tokenizer over bytes (hand-written: the json module reports no byte positions)."""

    def space(self):
        end = self.pos
        while end < len(self.data) and self.data[end] in _WHITESPACE:
            end += 1
        if end > self.pos:
            self.span(end, "punctuation", Text("fmt.json.whitespace"), explanation=Text("fmt.json.whitespace_note"))

    def punct(self, char: bytes, label: str, path: str, explanation: str = ""):
        self.space()
        if self.data[self.pos:self.pos + 1] != char:
            found = self.data[self.pos:self.pos + 1]
            raise self.fail(Text("err.walk.json.expected", char=repr(char.decode()), found=repr(found.decode("latin-1")))
                            if found else Text("err.walk.json.expected_end", char=repr(char.decode())))
        self.span(self.pos + 1, "punctuation", label, path, explanation)

    def document(self) -> list[Span]:
        if not self.data:
            raise self.fail(Text("err.walk.json.nothing"))
        self.value("", 0)
        self.space()
        if self.pos != len(self.data):
            raise self.fail(Text("err.walk.json.extra"))
        return self.spans

    def string_end(self) -> int:
        end = self.pos + 1
        while True:
            if end >= len(self.data):
                raise self.fail(Text("err.walk.json.unclosed"))
            b = self.data[end]
            if b == 0x5C:   # backslash
                end += 2
            elif b == 0x22:
                return end + 1
            else:
                end += 1

    def value(self, path: str, depth: int):
        if depth > MAX_DEPTH:
            raise self.fail(Text("err.walk.too_deep", limit=MAX_DEPTH))
        self.space()
        if self.pos >= len(self.data):
            raise self.fail(Text("fmt.error.ends_before", what=Text("fmt.error.a_value")))
        head = self.data[self.pos]
        where = path or Text("fmt.json.the_record")
        if head in b"{[":
            self.container(path, depth, head == ord("{"))
            return
        if head == ord('"'):
            end = self.string_end()
            text = self._decode(self.data[self.pos:end])
            self.span(end, "value", Text("fmt.json.string", text=preview(text)), path,
                      Text("fmt.json.string_note", where=where), text, "json")
            return
        end = self.pos
        while end < len(self.data) and (self.data[end] in _NUMBER_BYTES or 0x61 <= self.data[end] <= 0x7A):
            end += 1
        raw = self.data[self.pos:end]
        try:
            value = json.loads(raw)
        except ValueError:
            raise self.fail(Text("err.walk.json.not_value", text=raw.decode("latin-1")[:20] or repr(chr(head)))) from None
        if isinstance(value, bool) or value is None:
            label = Text("fmt.json.literal", text=raw.decode())
            note = Text("fmt.json.literal_note", where=where, text=raw.decode())
        else:
            label = Text("fmt.json.number_label", text=raw.decode())
            note = _number_note(where, raw.decode(), value)
        self.span(end, "value", label, path, note, value, "json")

    def container(self, path: str, depth: int, is_object: bool):
        """An object's fields or an array's items, between their brackets, separated by commas."""
        noun, opening, closing = ("object", "{", "}") if is_object else ("array", "[", "]")
        self.span(self.pos + 1, "punctuation", Text(f"fmt.json.starts.{noun}"), path,
                  Text(f"fmt.json.an.{noun}", where=path or Text("fmt.json.the_record")))
        self.space()
        if self.data[self.pos:self.pos + 1] == closing.encode():
            self.span(self.pos + 1, "punctuation", Text(f"fmt.json.ends.{noun}"), path)
            return
        i = 0
        while True:
            if is_object:
                self.field(path, depth)
            else:
                self.value(paths.index(path, i), depth + 1)
            self.space()
            if self.data[self.pos:self.pos + 1] != b",":
                self.punct(closing.encode(), Text(f"fmt.json.ends.{noun}"), path)
                return
            self.span(self.pos + 1, "punctuation", ",", path)
            i += 1

    def field(self, path: str, depth: int):
        """`"name": value` inside an object."""
        self.space()
        if self.data[self.pos:self.pos + 1] != b'"':
            raise self.fail(Text("err.json.field_name"))
        end = self.string_end()
        name = self._decode(self.data[self.pos:end])
        child = paths.key(path, name)
        self.span(end, "name", Text("fmt.field_name", name=preview(name)), child,
                  Text("fmt.json.name_note", name=repr(name), n=end - self.pos))
        self.punct(b":", ":", child)
        self.value(child, depth + 1)

    def _decode(self, raw: bytes) -> str:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self.fail(Text("err.walk.json.bad_string")) from None


FORMAT = JSONFormat()
