"""Bytes a user pasted, in whatever form a tool printed them, and which reading was used.

Hex comes in many dresses: pairs separated by spaces, colons or dashes (msgpack-test-suite,
.NET's BitConverter), `0x0a` values and C arrays `{0x0a, 0x06}`, `\\x0a` escapes, Python's
`b'\\n\\x06'` literals, `xxd` and `hexdump -C` dumps and Wireshark's "Copy as Hex Dump" (the
offset and text columns are dropped), and hex streams with no separator at all. Text made of
hex pairs and separators is always read as hex, never as base64 (`81-a1-61-01` is also valid
base64url, and would give other bytes); base64 is for everything else. `Pasted.reading` says
which reading was used, so the page can tell the student.
"""
import ast
import base64
import binascii
import re
from dataclasses import dataclass

from formats.errors import FormatError
from i18n import Text, chain

MAX_PASTED_CHARS = 4 * 1024 * 1024
ENCODINGS = ("auto", "hex", "base64")

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_PY_LITERAL = r"""[bB](?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_PYTHON_BYTES = re.compile(rf"\s*{_PY_LITERAL}(?:\s*{_PY_LITERAL})*\s*\Z")
# a dump line: an offset of 4 to 8 hex digits, then ": " (xxd) or two spaces or more (hexdump -C,
# Wireshark), then the bytes; hexdump -C ends with a line holding only the total length
_DUMP_LINE = re.compile(r"\s*(?P<offset>[0-9a-fA-F]{4,8})(?:(?P<colon>:)[ \t]|[ \t]{2,}|\s*\Z)(?P<rest>.*)\Z")
# `{0x0a, 0x06}` with or without a declaration before it (`uint8_t data[] = {…};`), or `[0x0a, 0x06]`
_C_ARRAY = re.compile(r"[^{]*\{(?P<body>[^{}]*)\}[\s;]*\Z|\s*\[(?P<list>[^\[\]]*)\][\s;]*\Z", re.S)
_SEPARATORS = {" ": "spaces", ":": "colons", "-": "dashes", ",": "commas"}
_HEX_SHAPED = re.compile(r"(?:0x|\\x|[0-9a-fA-F\s:,;{}\[\]-])*\Z", re.IGNORECASE)
# "0a 06 zz": spaced pairs are meant as hex even with a typo in them (base64 has no spaces)
_SPACED_PAIRS = re.compile(r"\s*(?:(?:0x)?\w\w[\s:,-]+)+(?:0x)?\w\w\s*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Pasted:
    data: bytes
    reading: str   # "hex separated by dashes", "an xxd dump (offsets and text column dropped)", "base64", … (a Text)

    def summary(self) -> Text:
        return Text("fmt.pasted.summary", reading=self.reading, n=len(self.data))


def parse_pasted(text: str, encoding: str = "auto") -> bytes:
    """The bytes of pasted text; `encoding` is "hex", "base64" or "auto" (see `read_pasted`)."""
    return read_pasted(text, encoding).data


def read_pasted(text: str, encoding: str = "auto") -> Pasted:
    """Read pasted text as bytes. "auto": hex in any of the forms above when the text is made of
    hex digits and separators (or is a dump, a C array or a Python literal), else base64."""
    if encoding not in ENCODINGS:
        raise FormatError(Text("err.pasted.reading", encoding=repr(encoding), choices=", ".join(ENCODINGS)))
    if len(text) > MAX_PASTED_CHARS:
        raise FormatError(Text("err.pasted.too_long", n=len(text), limit=MAX_PASTED_CHARS))
    if not text.strip():
        raise FormatError(Text("err.pasted.empty"))
    if encoding == "base64":
        return _base64(text)
    if _PYTHON_BYTES.match(text):
        try:
            return Pasted(ast.literal_eval(text.strip()), Text("fmt.pasted.python"))
        except (ValueError, SyntaxError):
            raise FormatError(Text("err.pasted.literal")) from None
    array = _C_ARRAY.match(text)
    body = array and (array["body"] if array["body"] is not None else array["list"])
    if body is not None and body.strip() and _HEX_SHAPED.match(body):
        return Pasted(_hex(body), Text("fmt.pasted.c_array"))
    dump = _dump(text)
    if dump is not None:
        return dump
    if encoding == "hex" or _HEX_SHAPED.match(text) or _SPACED_PAIRS.match(text):
        return Pasted(_hex(text), _hex_reading(text))
    return _base64(text)


def _hex_reading(text: str) -> Text:
    if re.search(r"\\x", text, re.IGNORECASE):
        return Text("fmt.pasted.escapes")
    if re.search(r"0x", text, re.IGNORECASE):
        return Text("fmt.pasted.prefixed")
    used = [Text(f"fmt.pasted.sep.{name}") for sep, name in _SEPARATORS.items()
            if re.search(r"\s" if sep == " " else sep, text.strip())]
    return Text("fmt.pasted.separated", by=chain("fmt.pasted.and", used)) if used else Text("fmt.pasted.one_string")


def _hex(text: str) -> bytes:
    """Hex pairs with any separators, `0x` and `\\x` prefixes."""
    tokens = [t for t in re.split(r"[\s:,;-]+|\\(?=[xX])", text.strip()) if t]
    digits = [re.sub(r"\A0?[xX]", "", t) for t in tokens]
    prefixed = [d != t for d, t in zip(digits, tokens)]
    return _pairs(digits, prefixed=True) if all(prefixed) else _pairs(tokens)


def _pairs(tokens: list[str], prefixed: bool = False) -> bytes:
    """Hex tokens to bytes. With a prefix (0x6, \\x6) a token is one byte of one or two digits;
    without one, a token is a whole number of pairs (xxd groups them in fours)."""
    digits = 0
    out = bytearray()
    for token in tokens:
        bad = next((i for i, ch in enumerate(token) if ch not in _HEX_DIGITS), None)
        if bad is not None:
            raise FormatError(Text("err.pasted.digit", n=digits + bad + 1, char=repr(token[bad])))
        if prefixed and not 1 <= len(token) <= 2:
            raise FormatError(Text("err.pasted.byte_digits", token=token[:12], n=len(token)))
        if len(token) % 2 and not prefixed:
            raise FormatError(Text("err.pasted.odd", n=digits + len(token), end=repr(token[-12:])))
        out += bytes.fromhex(token.rjust(2, "0"))
        digits += len(token)
    return bytes(out)


def _dump(text: str) -> Pasted | None:
    """An xxd, hexdump -C or Wireshark hex dump: each line an offset, the bytes, perhaps their text.
    None if the text is not a dump: its first line has no offset followed by bytes (an offset that
    is not 0 needs xxd's colon, so plain hex in groups of four is not taken for one)."""
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = [_DUMP_LINE.match(line) for line in lines]
    head = parsed[0]
    if not head or not head["rest"].strip() or (int(head["offset"], 16) and not head["colon"]):
        return None
    tool = Text("fmt.pasted.xxd" if head["colon"] else "fmt.pasted.hexdump" if "|" in lines[0] else "fmt.pasted.dump")
    out = bytearray()
    hex_end = None   # the column where the first full line's bytes end: later lines are aligned to it
    for number, (line, m) in enumerate(zip(lines, parsed), 1):
        if not m:
            raise FormatError(Text("err.pasted.no_offset", line=number, text=repr(line.strip()[:40])))
        following = parsed[number] if number < len(lines) else None
        expected = int(following["offset"], 16) - int(m["offset"], 16) if following else None
        if expected is not None and expected <= 0:
            raise FormatError(Text("err.pasted.offset_order", line=number + 1, before=number))
        rest = m["rest"] if hex_end is None else line[m.start("rest"):hex_end]
        data, end = _dump_bytes(rest, expected, number)
        if hex_end is None and expected is not None:
            hex_end = m.start("rest") + end
        out += data
    return Pasted(bytes(out), Text("fmt.pasted.dropped", tool=tool))


def _dump_bytes(rest: str, expected: int | None, number: int) -> tuple[bytes, int]:
    """The bytes of one dump line after its offset, and where in `rest` they end. `expected`: how
    many the next line's offset says it holds (None on the last line of a one-line dump: then a
    final column exactly as long as the bytes is their text, as in "6162  ab")."""
    rest = re.sub(r"\s*\|.*\|\s*\Z", "", rest)   # hexdump -C's |text| column
    data = bytearray()
    end = 0
    groups = list(re.finditer(r"\S+(?: \S+)*", rest))   # runs split by two spaces or more
    for i, group in enumerate(groups):
        tokens = group[0].split()
        if not all(len(t) % 2 == 0 and set(t) <= _HEX_DIGITS for t in tokens):
            break   # the text column
        if expected is None and i and i == len(groups) - 1 and len(group[0]) == len(data):
            break   # this "hex" is the text of the bytes before it (e.g. "cafe")
        for token in tokens:
            if expected is not None and len(data) >= expected:
                break
            data += bytes.fromhex(token)
        end = group.end()
        if expected is not None and len(data) >= expected:
            break
    if expected is not None and len(data) != expected:
        raise FormatError(Text("err.pasted.line_bytes", line=number, n=len(data), expected=expected))
    return bytes(data), end


def _base64(text: str) -> Pasted:
    cleaned = re.sub(r"\s", "", text)
    url = "-" in cleaned or "_" in cleaned
    try:
        data = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), altchars=b"-_" if url else None,
                                validate=True)
    except (binascii.Error, ValueError):
        bad = next((i for i, ch in enumerate(cleaned) if not (ch.isalnum() or ch in "+/=-_")), None)
        raise FormatError(Text("err.pasted.neither") if bad is None else
                          Text("err.pasted.neither_at", n=bad + 1, char=repr(cleaned[bad]))) from None
    return Pasted(data, "base64url" if url else "base64")
