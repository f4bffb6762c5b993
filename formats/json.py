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

_WHITESPACE = b" \t\r\n"
_NUMBER_BYTES = b"-+.eE0123456789"


class JSONFormat(
        Format, id="json", title="JSON", is_text=True,
        spends="field names in quotes in every record, numbers as decimal text, quotes, colons and commas"):
    def write(self, record, schema_text=None):
        try:
            return json.dumps(record, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False).encode("utf-8")
        except ValueError as e:
            raise FormatError(f"JSON cannot hold this record: {e}") from None

    def annotate(self, data, schema_text=None):
        return _Walk(data).document()

    def read(self, data, schema_text=None, writer_schema_text=None):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise FormatError(f"byte {e.start}: not valid UTF-8 text", offset=e.start) from None
        if text.lstrip()[:1] == "{":
            return Decoded(parse_record(text))
        self.annotate(data)   # any other top-level value ([1, 2], "text", 7): the walk checks it first
        return Decoded(json.loads(text))


def _number_note(where: str, text: str, value) -> str:
    digits = sum(ch.isdigit() for ch in text)
    extra = [word for word, there in (("a minus sign", text.startswith("-")), ("a decimal point", "." in text),
                                      ("an exponent", "e" in text.lower())) if there]
    note = (f"{where}: the number written as text: {digits} decimal digit{'s' * (digits != 1)}"
            + "".join(f", {word}" for word in extra) + "; JSON does not say whether it is an integer or a "
            f"float, nor how large it may be")
    if isinstance(value, int) and abs(value) > JS_SAFE_INTEGER:
        try:
            rounded = f"reads it as {int(float(value))}"
        except OverflowError:
            rounded = "reads it as Infinity"
        note += (f". It is beyond 2^53, the largest integer a double holds exactly: a JavaScript reader "
                 f"(JSON.parse) {rounded}")
    return note


class _Walk(Walker):
    """A JSON tokenizer over bytes (hand-written: the json module reports no byte positions)."""

    def space(self):
        end = self.pos
        while end < len(self.data) and self.data[end] in _WHITESPACE:
            end += 1
        if end > self.pos:
            self.span(end, "punctuation", "whitespace", explanation="spaces and newlines that only help humans")

    def punct(self, char: bytes, label: str, path: str, explanation: str = ""):
        self.space()
        if self.data[self.pos:self.pos + 1] != char:
            found = self.data[self.pos:self.pos + 1]
            raise self.fail(f"expected {char.decode()!r} but found "
                            f"{repr(found.decode('latin-1')) if found else 'the end of the data'}")
        self.span(self.pos + 1, "punctuation", label, path, explanation)

    def document(self) -> list[Span]:
        if not self.data:
            raise self.fail("there is no JSON here")
        self.value("", 0)
        self.space()
        if self.pos != len(self.data):
            raise self.fail("extra data after the end of the JSON value")
        return self.spans

    def string_end(self) -> int:
        end = self.pos + 1
        while True:
            if end >= len(self.data):
                raise self.fail("a string is not closed by a quote")
            b = self.data[end]
            if b == 0x5C:   # backslash
                end += 2
            elif b == 0x22:
                return end + 1
            else:
                end += 1

    def value(self, path: str, depth: int):
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        self.space()
        if self.pos >= len(self.data):
            raise self.fail("the data ends where a value should start")
        head = self.data[self.pos]
        where = path or "the record"
        if head in b"{[":
            self.container(path, depth, head == ord("{"))
            return
        if head == ord('"'):
            end = self.string_end()
            text = self._decode(self.data[self.pos:end])
            self.span(end, "value", f"string {preview(text)}", path,
                      f"{where}: a string in double quotes, UTF-8 text", text, "json")
            return
        end = self.pos
        while end < len(self.data) and (self.data[end] in _NUMBER_BYTES or 0x61 <= self.data[end] <= 0x7A):
            end += 1
        raw = self.data[self.pos:end]
        try:
            value = json.loads(raw)
        except ValueError:
            raise self.fail(f"{raw.decode('latin-1')[:20] or repr(chr(head))!s} is not a JSON value") from None
        if isinstance(value, bool) or value is None:
            label = f"literal {raw.decode()}"
            note = f"{where}: {raw.decode()}, spelled out"
        else:
            label = f"number {raw.decode()}"
            note = _number_note(where, raw.decode(), value)
        self.span(end, "value", label, path, note, value, "json")

    def container(self, path: str, depth: int, is_object: bool):
        """An object's fields or an array's items, between their brackets, separated by commas."""
        noun, opening, closing = ("object", "{", "}") if is_object else ("array", "[", "]")
        self.span(self.pos + 1, "punctuation", f"{opening} {noun} starts", path, f"{path or 'the record'}: an {noun}")
        self.space()
        if self.data[self.pos:self.pos + 1] == closing.encode():
            self.span(self.pos + 1, "punctuation", f"{closing} {noun} ends", path)
            return
        i = 0
        while True:
            if is_object:
                self.field(path, depth)
            else:
                self.value(paths.index(path, i), depth + 1)
            self.space()
            if self.data[self.pos:self.pos + 1] != b",":
                self.punct(closing.encode(), f"{closing} {noun} ends", path)
                return
            self.span(self.pos + 1, "punctuation", ",", path)
            i += 1

    def field(self, path: str, depth: int):
        """`"name": value` inside an object."""
        self.space()
        if self.data[self.pos:self.pos + 1] != b'"':
            raise self.fail("expected a field name in double quotes")
        end = self.string_end()
        name = self._decode(self.data[self.pos:end])
        child = paths.key(path, name)
        self.span(end, "name", f"field name {preview(name)}", child,
                  f"JSON spells out the field name {name!r} in every record: {end - self.pos} bytes with its quotes")
        self.punct(b":", ":", child)
        self.value(child, depth + 1)

    def _decode(self, raw: bytes) -> str:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self.fail("a string here is not valid JSON text") from None


FORMAT = JSONFormat()
