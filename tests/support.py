"""Checks every format's walk must pass: tiling, and value spans that re-decode to the record."""
import math
import re

import formats
from formats import paths, scalars
from formats.spans import check_tiling

BOOK_RECORD_TEXT = ('{"userName": "Martin", "favoriteNumber": 1337, '
                    '"interests": ["daydreaming", "hacking"]}')


def same_value(expected, got) -> bool:
    """Equal as the format can hold it: float32 rounding, str written as bytes, text for text formats."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got and type(expected) is type(got) or (
            isinstance(got, str) and str(expected).lower() == got.lower())
    if isinstance(expected, float) or isinstance(got, float):
        try:
            if math.isnan(float(expected)) and math.isnan(float(got)):   # pasted floats may be NaN
                return True
            return math.isclose(float(expected), float(got), rel_tol=1e-6, abs_tol=1e-30)
        except (TypeError, ValueError):
            return False
    if isinstance(got, (bytes, bytearray)) and isinstance(expected, str):
        return got == expected.encode("utf-8")
    if isinstance(got, str) and not isinstance(expected, str) and expected is not None:
        return got == str(expected)
    return expected == got


def check_walk(encoded, record=None) -> int:
    """Tiling, then every value span: its bytes re-decode (formats.scalars) to the value the walk
    reported, and that value is the record's value at the span's path. Returns the number checked."""
    check_tiling(encoded.spans, len(encoded.data))
    checked = 0
    for span in encoded.spans:
        if span.kind != "value":
            continue
        assert span.scalar, f"value span without a scalar rule: {span}"
        raw = encoded.data[span.start:span.end]
        again = scalars.read(span.scalar, raw)
        assert again == span.value or same_value(span.value, again), (span, again)
        if record is not None and span.path:   # path "" is the file or message around the record
            expected = paths.value_at(record, span.path)
            assert same_value(expected, span.value), (
                f"{encoded.format_id}: span {span.label!r} at {span.path!r} holds {span.value!r}, "
                f"record has {expected!r}")
        checked += 1
    return checked


def round_trip(format_id: str, record: dict, schema_text: str | None = None) -> dict:
    """Encode with the library, check the walk, decode with the library: what came back, which must
    be what the format can hold of the record (`comparable`)."""
    fmt = formats.get(format_id)
    encoded = formats.encode(format_id, record, schema_text)
    check_walk(encoded, fmt.comparable(record))
    back = formats.decode(format_id, encoded.data, encoded.schema_text).record
    assert back == fmt.comparable(record)
    return back


def nested(levels: int, leaf=1) -> dict:
    """{"a": {"a": … {"leaf": leaf}}}: `levels` objects deep."""
    record = {"leaf": leaf}
    for _ in range(levels - 1):
        record = {"a": record}
    return record


def book_record() -> dict:
    return formats.parse_record(BOOK_RECORD_TEXT)


_INTERNALS = re.compile(r"/tmp|Traceback|object at 0x|<class '|<module '|File \"")


def format_error(call, *args):
    """`call(*args)` must raise a FormatError whose message shows no internals (a temp path, a
    traceback, a library repr); returns the error for further checks."""
    try:
        call(*args)
    except formats.FormatError as e:
        assert not _INTERNALS.search(str(e)), f"message shows internals: {e}"
        return e
    raise AssertionError(f"{call.__name__}{args!r:.200} raised no FormatError")
