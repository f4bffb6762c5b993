"""UBJSON Draft 12 through py-ubjson: the walk labels every marker, length and value (ubjson.org's
type reference: one-byte markers, big-endian numbers, object keys without the S marker)."""
import ubjson

import formats
from tests.support import book_record, check_walk, format_error


def test_the_book_record_in_ubjson():
    enc = formats.encode("ubjson", book_record())
    assert enc.size == 77 and enc.data.startswith(b"{U\x08userNameSU\x06Martin")
    check_walk(enc, book_record())
    assert [s.label for s in enc.spans if s.path == "favoriteNumber" and s.kind == "value"] == ["int16 1337"]


def test_every_marker_py_ubjson_writes_is_walked_and_read_back():
    record = {"n": None, "t": True, "f": False, "i8": -5, "u8": 200, "i16": -300, "i32": 70000, "i64": 2 ** 40,
              "big": 2 ** 64, "x": 1.5, "tiny": 5e-324, "c": "y", "s": "ünï", "e": [], "o": {}}
    data = ubjson.dumpb(record)
    check_walk(formats.annotate("ubjson", data), record)
    assert formats.decode("ubjson", data).record == record   # 2^64 and 5e-324 travel as high precision (H)


def test_optimized_containers_with_counts_and_types():
    data = ubjson.dumpb({"a": [1, 2, 3], "b": b"\x00\x01"}, container_count=True)
    enc = formats.annotate("ubjson", data)
    check_walk(enc)
    labels = [s.label for s in enc.spans]
    assert "# item count" in labels and "2 bytes" in labels and "object ends" not in labels
    assert formats.decode("ubjson", data).record == {"a": [1, 2, 3], "b": b"\x00\x01"}


def test_bad_bytes_name_their_offset():
    assert "byte 0: 0x01 is not a UBJSON type marker" in format_error(formats.annotate, "ubjson", b"\x01").message
    assert "byte 4" in format_error(formats.annotate, "ubjson", b"{U\x01a").message
    assert "a length must be an integer" in format_error(formats.annotate, "ubjson", b"SD").message
