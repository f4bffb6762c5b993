"""A record from the text a user typed: JSON, within limits, with errors that point at the spot."""
import json
import math
import re

from formats import paths
from formats.errors import FormatError
from i18n import Text, chain

MAX_TEXT_BYTES = 4 * 1024 * 1024   # a ~1 MB record with room to spare
MAX_DEPTH = 32                     # nesting of objects and lists

# JSON text as tokens: a string (closed, or open to the end), a bracket or separator, a bare word
_TOKENS = re.compile(r'(?P<open>"(?:[^"\\]|\\.)*\\?\Z)|"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
_SURROGATE_ESCAPE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})")
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)   # a string, or a bracket outside one


def json_text(value) -> str:
    """A scalar of a record as JSON spells it (`1337`, `1.5`, `true`): json.dumps, whose call costs a
    text format's writer a few microseconds a value, taken only where repr is not already its answer."""
    kind = type(value)
    if kind is int or kind is float and math.isfinite(value):
        return repr(value)
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value)


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> tuple[int, int]:
    """Deepest bracket nesting outside strings, and the offset where it first passes `limit`.

    Checked before json.loads so that '[[[[…' cannot exhaust the recursion limit. The regular
    expression steps over each string whole (one open to the end included), as json reads it.
    """
    depth = deepest = 0
    at = 0
    for token in _NESTING.finditer(text):
        ch = token[0][0]
        if ch == '"':
            continue
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == limit + 1:
                    at = token.start()
        else:
            depth -= 1
    return deepest, at


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def at(text: str, offset: int, why: str) -> FormatError:
    """A FormatError that starts with the line and column of `offset` in `text`."""
    line, column = line_col(text, offset)
    return FormatError(Text("err.line_col", line=line, column=column, message=why), line=line, column=column)


def load_json(text: str, name: str, max_depth: int = MAX_DEPTH):
    """JSON text a user typed (a record, an Avro schema) -> its value. Every refusal is a FormatError
    with the line and column: nesting past `max_depth` (before json.loads can exhaust the recursion
    limit), text UTF-8 cannot encode, a lone surrogate escape, NaN/Infinity, a float too large for
    64 bits, an integer with more than 40 digits, and JSON syntax. `name` says what the text is
    ("the record", "the schema")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise at(text, e.start, Text("err.json.lone_surrogate", code=f"U+{ord(text[e.start]):04X}")) from None
    depth, deep_at = nesting_depth(text, max_depth)
    if depth > max_depth:
        raise at(text, deep_at, Text("err.json.too_deep", what=name, depth=depth, limit=max_depth))
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                           parse_int=_bounded_int)
    except json.JSONDecodeError as e:
        offset, why = _syntax_problem(text, e.pos)
        raise at(text, offset, Text("err.json.syntax", why=why, what=name)) from None
    except _NotJSON as e:   # NaN, Infinity, 1e400, a 5000-digit integer: found by its token
        raise at(text, _token_offset(text, e.token), e.why) from None
    if _SURROGATE_ESCAPE.search(text):
        lone = _lone_surrogate_escape(text)
        if lone is not None:
            raise at(text, lone, Text("err.json.half_pair", escape=text[lone:lone + 6]))
    return value


class _NotJSON(ValueError):
    def __init__(self, token: str, why: str):
        super().__init__(why)
        self.token, self.why = token, why


def _reject_constant(name: str):
    raise _NotJSON(name, Text("err.json.constant", name=name))


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotJSON(text, Text("err.json.float_large", number=text[:40]))
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 40:
        raise _NotJSON(text, Text("err.json.digits", number=text[:20], n=len(text)))
    return int(text)


def _token_offset(text: str, token: str) -> int:
    """Where the first bare word `token` stands outside strings (json.loads stops at the first)."""
    return next((m.start() for m in _TOKENS.finditer(text) if m.group() == token), 0)


def _lone_surrogate_escape(text: str) -> int | None:
    """The offset of the first \\uD800-\\uDFFF escape without its other half, in JSON text json.loads
    has read: every backslash in it is inside a string, so a surrogate escape is judged where it stands
    (a 1 MB record of emoji escapes has thousands; scanning its every token took 0.2 s an edit). An
    escape is one if an even number of backslashes comes before it (`\\\\ud800` is a backslash, then
    text); a high half must be followed by a low one, a low half preceded by a high one."""
    for m in _SURROGATE_ESCAPE.finditer(text):
        at = m.start()
        if _backslashes_before(text, at) % 2:
            continue
        unit = int(m.group(1), 16)
        if unit >= 0xDC00:
            high = _SURROGATE_ESCAPE.match(text, at - 6) if at >= 6 else None
            if not (high and int(high.group(1), 16) < 0xDC00 and _backslashes_before(text, at - 6) % 2 == 0):
                return at
        else:
            low = _SURROGATE_ESCAPE.match(text, at + 6)
            if not (low and int(low.group(1), 16) >= 0xDC00):
                return at
    return None


def _backslashes_before(text: str, at: int) -> int:
    start = at
    while start and text[start - 1] == "\\":
        start -= 1
    return at - start


def _syntax_problem(text: str, pos: int) -> tuple[int, str]:
    """Where JSON text stops parsing and why, read from the text: the json module's messages and
    positions differ between Python versions (for '{"a": 1,}' 3.11 says "Expecting property name"
    after the comma, 3.13 "Illegal trailing comma" at it), so only its position is used, and only
    to know how far the text is valid."""
    stack, expect, last, last_token = [], "value", None, ""
    for token in _TOKENS.finditer(text, 0, pos):
        t = token.group()
        last, last_token = token.start(), t
        if token.group("open") is not None:
            return _inside_string(text, token.start(), pos)
        if t in "{[":
            stack.append(t)
            expect = "key" if t == "{" else "value"
        elif t == ":":
            expect = "value"
        elif t == ",":
            expect = "key" if stack[-1:] == ["{"] else "value"
        elif t[0] == '"' and expect == "key":
            expect = "colon"
        else:   # a value ends: a string, a number or word, a closing bracket
            if t in "}]":
                stack.pop()
            expect = "comma" if stack else "end"
    rest = text[pos:].lstrip()
    here = len(text) - len(rest)
    if not rest:
        return len(text.rstrip()), Text("err.json.ends_early")
    ch = rest[0]
    if expect in ("key", "value") and ch in "}]" and last_token == ",":
        return last, Text("err.json.trailing_comma", bracket=ch)
    if expect == "comma" and ch == "," and rest[1:].lstrip()[:1] in ("}", "]"):
        return here, Text("err.json.trailing_comma", bracket=rest[1:].lstrip()[0])
    if ch == '"' and expect in ("key", "value"):
        return here, Text("err.json.unclosed_string")
    if expect == "end":
        return here, Text("err.json.more_text")
    if expect == "colon":
        return here, Text("err.json.colon")
    if ch == "'":
        return here, Text("err.json.single_quotes")
    if expect == "key":
        return here, Text("err.json.field_name")
    if expect == "comma":
        if last_token in ("0", "-0") and ch.isdigit():
            return last, Text("err.json.leading_zero")
        return here, Text("err.json.comma", bracket="}" if stack[-1:] == ["{"] else "]")
    word = re.match(r"[^\s{}\[\]:,\"]+", rest)
    if word and word.group()[0].isalpha():
        return here, Text("err.json.bare_word", word=word.group()[:30])
    return here, Text("err.json.value")


def _inside_string(text: str, start: int, pos: int) -> tuple[int, str]:
    """The text stops parsing inside the string that opens at `start`."""
    ch = text[pos] if pos < len(text) else ""
    if ch and ord(ch) < 0x20:
        return pos, Text("err.json.control")
    if text[pos - 1:pos + 1] == "\\u" or text[pos:pos + 2] == "\\u":   # json points at either
        return text.rfind("\\", 0, pos + 1), Text("err.json.u_escape")
    if ch == "\\":
        return pos, Text("err.json.escape")
    return start, Text("err.json.unclosed_string")


def parse_record(text: str) -> dict:
    """JSON text -> a record (a JSON object). FormatError says what and where."""
    if not isinstance(text, str):
        raise FormatError(Text("err.record.not_text"))
    size = len(text.encode("utf-8", "surrogatepass"))   # a lone surrogate is refused below, with its place
    if size > MAX_TEXT_BYTES:
        raise FormatError(Text("err.too_large", what=Text("err.the_record"), size=size, limit=MAX_TEXT_BYTES))
    if not text.strip():
        raise FormatError(Text("err.record.empty"))
    record = load_json(text, Text("err.the_record"))
    if not isinstance(record, dict):
        kind = type(record).__name__.replace("dict", "object").replace("list", "array")
        raise FormatError(Text(f"err.record.not_object_{kind}"))
    return record


def integer_type(values: list, path: str, language: str, types: tuple) -> str:
    """The first of a schema language's integer `types` ((name, lowest, highest), smallest first) that
    holds every integer in `values`: what a schema inferred from the record declares. A FormatError
    names the value that fits none, or the two that need different types."""
    low, high = min(values), max(values)
    for name, lowest, highest in types:
        if lowest <= low and high <= highest:
            return name
    ranges = chain("err.record.ranges", [Text("err.record.holds", name=name, low=_power(lowest), high=_power(highest))
                                        for name, lowest, highest in types])
    where = path or Text("err.the_record")
    outside = [v for v in values if not any(lowest <= v <= highest for _, lowest, highest in types)]
    if outside:
        signed = "" if any(lowest == 0 for _, lowest, _ in types) else "_signed"
        raise FormatError(Text(f"err.record.fits_no{signed}", where=where, value=outside[0], language=language,
                               ranges=ranges), path=path or None)
    raise FormatError(Text("err.record.one_type", where=where, low=low, high=high, language=language, ranges=ranges),
                      path=path or None)


def _power(n: int) -> str:
    """-9223372036854775808 -> −2^63, 18446744073709551615 -> 2^64−1 (the bounds of integer types)."""
    for bits in (8, 16, 31, 32, 63, 64):
        if n == 2 ** bits - 1:
            return f"2^{bits}−1"
        if n == -(2 ** bits):
            return f"−2^{bits}"
    return str(n)


def check_record(record: dict, allow_bytes: bool = False) -> None:
    """FormatError at the first place a record (typed, decoded or built in code) breaks what every
    encoder here assumes: nesting deeper than MAX_DEPTH, a field name that is not text, text UTF-8
    cannot encode (a lone surrogate from a "\\ud800" escape), or a value that is not JSON
    (raw bytes are allowed when `allow_bytes`: the binary formats have a bytes type)."""
    if isinstance(record, (dict, list)):
        _check_container(record, (), 1, allow_bytes)
    else:
        _check_scalar(record, (), allow_bytes)


# Every encoder checks the record before writing it: a 1 MB record has ~66,000 values, so the walk
# keeps each value's path as a tuple of steps and spells it (paths.join) only for an error.

def _where(steps: tuple):
    return paths.join("", steps) or Text("err.the_record")


def _check_container(value, steps: tuple, level: int, allow_bytes: bool) -> None:
    if level > MAX_DEPTH:
        raise FormatError(Text("err.record.nests_more", where=_where(steps), limit=MAX_DEPTH),
                          path=paths.join("", steps))
    if isinstance(value, dict):
        items = value.items()
        for name in value:
            if not isinstance(name, str):
                raise FormatError(Text("err.record.name_not_text", where=_where(steps), name=repr(name)),
                                  path=paths.join("", steps))
    else:
        items = enumerate(value)
    for step, item in items:
        if isinstance(step, str) and not step.isascii():
            _check_text(step, lambda: Text("err.record.the_name", where=_where(steps), name=ascii(step)))
        if isinstance(item, str):
            if not item.isascii():
                _check_text(item, lambda: Text("err.record.the_text", where=_where(steps + (step,))))
        elif isinstance(item, (dict, list)):
            _check_container(item, steps + (step,), level + 1, allow_bytes)
        elif not (item is None or isinstance(item, (int, float))):
            _check_scalar(item, steps + (step,), allow_bytes)


def _check_scalar(value, steps: tuple, allow_bytes: bool) -> None:
    if isinstance(value, str):
        _check_text(value, lambda: Text("err.record.the_text", where=_where(steps)))
    elif not (value is None or isinstance(value, (bool, int, float))
              or allow_bytes and isinstance(value, (bytes, bytearray))):
        raise FormatError(Text("err.record.not_json", where=_where(steps), kind=type(value).__name__),
                          path=paths.join("", steps))


def _check_text(text: str, what) -> None:
    """`what`: a function giving the words for where the text is (called only for an error)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise FormatError(Text("err.record.surrogate", what=what(), code=f"U+{ord(text[e.start]):04X}")) from None
