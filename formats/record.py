"""A record from the text a user typed: JSON, within limits, with errors that point at the spot."""
import json
import math

from formats import paths
from formats.errors import FormatError

MAX_TEXT_BYTES = 4 * 1024 * 1024   # a ~1 MB record with room to spare
MAX_DEPTH = 32                     # nesting of objects and lists


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> tuple[int, int]:
    """Deepest bracket nesting outside strings, and the offset where it first passes `limit`.

    Checked before json.loads so that '[[[[…' cannot exhaust the recursion limit.
    """
    depth = deepest = 0
    at = 0
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == limit + 1:
                    at = i
        elif ch in "]}":
            depth -= 1
    return deepest, at


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class _NotJSON(ValueError):
    pass


# the json module's messages, in words a student reads at once
_JSON_MESSAGES = {
    "Unterminated string starting at": "a string that starts here is never closed by a double quote",
    "Expecting property name enclosed in double quotes":
        "expected a field name in double quotes (a trailing comma, or single quotes?)",
    "Expecting ',' delimiter": "expected a comma between two values",
    "Expecting ':' delimiter": "expected a colon after the field name",
    "Expecting value": "expected a value: a string, number, true, false, null, object or array",
    "Extra data": "there is more text after the record's closing }",
    "Invalid control character at": "a raw control character (a line break or tab?) inside a string: "
                                    "write it as \\n or \\t",
    "Invalid \\escape": "a backslash escape JSON does not have (\\n, \\t, \\\" and \\uXXXX are)",
}


def json_error(e: json.JSONDecodeError, text: str, what_text: str) -> FormatError:
    """A FormatError for JSON that does not parse (a record, an Avro schema): line, column, and why."""
    why = _JSON_MESSAGES.get(e.msg, e.msg)
    if e.pos >= len(text.rstrip()) and e.msg != "Unterminated string starting at":
        why = "the text ends too early: a closing } or ], a quote or a value is missing"
    return FormatError(f"line {e.lineno}, column {e.colno}: {why} ({what_text})", line=e.lineno, column=e.colno)


def _reject_constant(name: str):
    raise _NotJSON(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotJSON(f"the number {text[:40]} is too large for a 64-bit float")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 40:
        raise _NotJSON(f"the number {text[:20]}… has {len(text)} digits; no format here holds that")
    return int(text)


def parse_record(text: str) -> dict:
    """JSON text -> a record (a JSON object). FormatError says what and where."""
    if not isinstance(text, str):
        raise FormatError("the record must be JSON text")
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise FormatError(f"the record is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,} bytes")
    if not text.strip():
        raise FormatError("the record is empty: type a JSON object such as {\"userName\": \"Martin\"}")
    depth, at = nesting_depth(text)
    if depth > MAX_DEPTH:
        line, col = line_col(text, at)
        raise FormatError(f"line {line}, column {col}: the record nests {depth} levels deep; "
                          f"the limit is {MAX_DEPTH}", line=line, column=col)
    try:
        record = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                            parse_int=_bounded_int)
    except json.JSONDecodeError as e:
        raise json_error(e, text, "the record is not valid JSON") from None
    except _NotJSON as e:   # NaN, Infinity, 1e400, a 5000-digit integer
        raise FormatError(f"the record is not valid JSON: {e}") from None
    if not isinstance(record, dict):
        kind = type(record).__name__.replace("dict", "object").replace("list", "array")
        raise FormatError(f"the record must be a JSON object {{…}}, not a{'n' if kind[0] in 'aeiou' else ''} "
                          f"{kind}")
    return record


def check_record(record: dict, allow_bytes: bool = False) -> None:
    """FormatError at the first place a record (typed, decoded or built in code) breaks what every
    encoder here assumes: nesting deeper than MAX_DEPTH, a field name that is not text, text UTF-8
    cannot encode (a lone surrogate from a "\\ud800" escape), or a value that is not JSON
    (raw bytes are allowed when `allow_bytes`: the binary formats have a bytes type)."""
    _check_value(record, "", 1, allow_bytes)


def _check_value(value, path: str, level: int, allow_bytes: bool) -> None:
    where = path or "the record"
    if isinstance(value, (dict, list)) and level > MAX_DEPTH:
        raise FormatError(f"{where}: the record nests more than {MAX_DEPTH} levels deep", path=path)
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise FormatError(f"{where}: the field name {name!r} is not text", path=path)
            _check_text(name, f"{where}: the field name {ascii(name)}")
            _check_value(item, paths.key(path, name), level + 1, allow_bytes)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_value(item, paths.index(path, i), level + 1, allow_bytes)
    elif isinstance(value, str):
        _check_text(value, f"{where}: the text")
    elif not (value is None or isinstance(value, (bool, int, float))
              or allow_bytes and isinstance(value, (bytes, bytearray))):
        raise FormatError(f"{where}: a Python {type(value).__name__} is not a JSON value", path=path)


def _check_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise FormatError(f"{what} holds a lone surrogate (U+{ord(text[e.start]):04X}), "
                          f"which UTF-8 cannot encode") from None
