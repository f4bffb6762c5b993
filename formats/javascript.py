"""What a JavaScript reader makes of JSON: every number is an IEEE 754 double, bytes travel as Base64.

JSON's grammar allows any number of digits, but `JSON.parse` turns every number into a JavaScript
Number, a 64-bit double: integers above 2^53 (`facts.numbers.JS_SAFE_INTEGER`) are rounded to the
nearest double, and 1.0 and 1 become the same value (JSON.stringify writes both as `1`). That is why
Twitter's API sends every id twice, as a number in `id` and as a string in `id_str`. Python's `float`
is the same double with the same correctly rounded conversion from decimal text, so this module
computes what JavaScript reads without running JavaScript (Community Cloud has no node).
"""
import base64
import json
import math
from decimal import Decimal

import formats
from formats.facts.numbers import JS_SAFE_INTEGER
from i18n import Text

# Twitter's own example ("Twitter IDs" in its API documentation), a number one past 2^53, and a float
EXAMPLE = ('{"id": 10765432100123456789, "id_str": "10765432100123456789", '
           '"next": 9007199254740993, "score": 1.0}')


def number_text(x: float) -> str:
    """`String(x)` for a JavaScript Number (ECMAScript's Number::toString): the shortest digits that
    read back as `x` (Python's repr finds the same ones), placed as JavaScript places them."""
    if math.isnan(x):
        return "NaN"
    if x == 0:
        return "0"   # -0 too: String(-0) and JSON.stringify(-0) are "0"
    if x < 0:
        return "-" + number_text(-x)
    if math.isinf(x):
        return "Infinity"
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    s = "".join(map(str, digits))
    k, n = len(s), exponent + len(digits)   # x = s × 10^(n-k), s has k digits
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + s
    e = f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return s + e if k == 1 else s[0] + "." + s[1:] + e


def readings(json_text: str) -> list[dict]:
    """Every number in a JSON document, as Python's json reads it and as JavaScript does: its path, the
    text written, what JavaScript reads (as String() or JSON.stringify writes it back), whether a reader
    that keeps integers whole gets another value from that, and why. FormatError (line and column) if
    the text is not a JSON object."""
    formats.parse_record(json_text)   # the errors a student reads: line and column
    data = json_text.encode("utf-8")
    rows = []
    for span in formats.annotate("json", data).spans:
        if span.kind != "value" or isinstance(span.value, (bool, str)) or span.value is None:
            continue
        written = data[span.start:span.end].decode()
        double = float(written)   # what JSON.parse does to the digits: the nearest double
        back = number_text(double)
        again = json.loads(back)
        rows.append({"path": span.path, "JSON text": written, "JavaScript reads": back,
                     "changed": type(again) is not type(span.value) or again != span.value,
                     "Python reads": type(span.value).__name__, "why": _why(span.value, double, back)})
    return rows


def _why(value, double: float, back: str) -> str:
    if isinstance(value, int) and int(double) != value:
        return Text("fmt.js.why.rounded", limit=JS_SAFE_INTEGER + 1, off=int(double) - value)
    if isinstance(value, int) and int(back) != value:
        return Text("fmt.js.why.shortest")
    if isinstance(value, float) and value.is_integer() and "e" not in back:
        return Text("fmt.js.why.one_number", back=back)
    return ""


def base64_cost(size: int) -> dict:
    """A bytes field of `size` bytes, as each format carries it: JSON has no binary type, so the bytes
    travel as Base64 text (4 characters per 3 bytes, a third larger); the binary formats write them raw.
    Sizes are of the record {"thumbnail": …}, written by the real libraries."""
    raw = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    text = base64.b64encode(raw).decode("ascii")
    out = {"raw bytes": size, "Base64 characters": len(text)}
    out["JSON"] = len(formats.write("json", {"thumbnail": text})[0])
    for fid in ("msgpack", "cbor", "bson"):
        out[formats.get(fid).title] = len(formats.write(fid, {"thumbnail": raw})[0])
    return out
