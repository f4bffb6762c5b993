"""Issue 14 item 4: the errors a walk raises over bad bytes read in Russian (no English per the detector,
tests/russian.py), still say where, and are unchanged in English; and no walk raises a plain message
(every FormatError over a corpus of random and mutated bytes is an i18n.Text)."""
import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formats
import i18n
from i18n import Text
from tests.russian import english

PERSON = formats.parse_record('{"userName": "Martin", "favoriteNumber": 1337, "interests": ["daydreaming", "hacking"],'
                              ' "ok": true, "ratio": 1.5, "nothing": null, "nested": {"a": [1, -2]}}')
SCHEMA_OF = {"avro-container": "avro", "avro-single-object": "avro", "avro-confluent": "avro",
             "avro-versioned": "avro"}


def _doc(body: bytes) -> bytes:
    """A BSON document around `body`: its int32 length, the elements, the 0x00 that ends it."""
    return struct.pack("<i", len(body) + 5) + body + b"\0"


# format -> [(bytes, the English message, what the Russian must still say)]: one per distinct error class
CASES = {
    "bson": [
        (b"\x03\0\0\0\0", "byte 0: the document length says 3 bytes; a document needs at least 5", ("байт 0", "3", "5")),
        (b"\x05\0\0\0", "byte 0: the document length says 5 bytes, but only 4 are there", ("байт 0", "4")),
        (_doc(b"\x20a\0"), "byte 4: 0x20 is not a BSON type byte", ("байт 4", "0x20")),
        (_doc(b"\x08a\0\x02"), "byte 7: a boolean must be 0x00 or 0x01, not 0x02", ("байт 7", "0x02")),
        (_doc(b"\x02\xff\0\x01\0\0\0\0"), "byte 5: a field name is not valid UTF-8 text", ("байт 5", "UTF-8")),
        (_doc(b"\x10a\0\x01\0\0\0\x10a\0\x02\0\0\0"), "byte 11: the field name 'a' appears twice in one document",
         ("байт 11", "'a'")),
    ],
    "cbor": [
        (b"\x1c", "byte 0: 0x1c: additional information 28 is reserved in CBOR", ("байт 0", "28")),
        (b"\x1f", "byte 0: 0x1f: an integer cannot have an indefinite length", ("байт 0", "0x1f")),
        (b"\xff", "byte 0: 0xff (break) appears outside an indefinite-length item", ("байт 0", "0xff")),
        (bytes.fromhex("a2616101616102"), 'byte 4: the key "a" appears twice in one map', ("байт 4", '"a"')),
    ],
    "msgpack": [
        (b"\xc1", "byte 0: 0xc1 is not a MessagePack type byte", ("байт 0", "0xc1")),
        (bytes.fromhex("81a1"), "byte 2: the data ends where a string should start", ("байт 2", "строка")),
        (bytes.fromhex("8191"), "byte 1: a map key here is an array: MessagePack allows it, but a key must be one "
                                "value to name a field (Python's msgpack cannot read such a key either)", ("байт 1",)),
    ],
    "ubjson": [
        (b"\x01", "byte 0: 0x01 is not a UBJSON type marker", ("байт 0", "0x01")),
        (b"{Z", "byte 1: a length must be an integer (marker i, U, I, l or L), not 0x5a", ("байт 1", "0x5a")),
        (b"{i", "byte 2: the data ends where a 1-byte number should start", ("байт 2",)),
    ],
    "wbxml": [
        (bytes.fromhex("03010e"), "byte 2: the text is in charset 14; this lab reads UTF-8 (106) only", ("байт 2", "14")),
        (bytes.fromhex("03016a0005"), "byte 4: tag token 0x05 comes from a document type's code page (WML, SyncML…), "
                                      "which this lab does not have: it reads literal tags only", ("байт 4", "0x05")),
        (bytes.fromhex("0381"), "byte 2: the data ends inside a multi-byte integer that began at byte 1",
         ("байт 2", "байте 1")),
    ],
    "xml": [
        (b"<a>", "byte 3: the element <a> (byte 0) is never closed", ("байт 3", "<a>")),
        (b"\xff", "byte 0: not valid UTF-8 text (this lab reads UTF-8 XML)", ("байт 0", "UTF-8")),
        (b"<a></b>", "byte 3: </b> does not close <a> (opened at byte 0)", ("байт 3", "</b>")),
        (b"<!DOCTYPE a><a/>", "byte 0: DOCTYPE and other <! declarations are not read here (they can define entities "
                              "that expand without limit)", ("байт 0", "DOCTYPE")),
    ],
    "json": [
        (b'{"a:', "byte 1: a string is not closed by a quote", ("байт 1",)),
        (b"{}{", "byte 2: extra data after the end of the JSON value", ("байт 2",)),
        (b'{"a":xxx}', "byte 5: xxx is not a JSON value", ("байт 5", "xxx")),
        (b'{"a" 1}', "byte 5: expected ':' but found '1'", ("байт 5", "':'", "'1'")),
    ],
    "csv": [
        (b"a,b\r\n1\r\n", "byte 5: row 2 has 1 cell, but the header names 2 columns", ("байт 5", "2")),
        (b'"a\r\n', 'byte 0: a quoted cell is never closed by a "', ("байт 0",)),
        (b"\xff", "byte 0: not valid UTF-8 text (this lab reads UTF-8 CSV)", ("байт 0", "UTF-8")),
    ],
    "protobuf": [
        (b"\x0f", "byte 0: wire type 7 does not exist (valid: 0, 1, 2, 3, 4, 5)", ("байт 0", "типа передачи 7")),
        (b"\x00", "byte 0: field tag 0 is not valid (field tags run from 1 to 536870911)", ("байт 0", "тег поля 0")),
        (b"\x0c", "byte 0: an end-group tag for field 1, but no such group is open", ("байт 0",)),
        (b"\x08\xff", "byte 2: the data ends inside a varint that began at byte 1", ("байт 2", "байте 1")),
    ],
    "thrift-binary": [
        (b"", "byte 0: there are no bytes: even an empty struct is one stop byte (0x00)", ("байт 0", "0x00")),
        (bytes.fromhex("ff0001"), "byte 0: 0xff is not a Thrift type", ("байт 0", "0xff")),
    ],
    "thrift-compact": [
        (b"\x1d", "byte 0: 13 is not a Thrift compact type", ("байт 0", "13")),
    ],
    "avro": [
        (bytes.fromhex("0c4d61727469"), "byte 1: the data ends inside a string (6 bytes needed, 5 left)",
         ("байт 1", "6 байт", "5")),
        (bytes.fromhex("0b"), "byte 0: a length cannot be negative (-6)", ("байт 0", "-6")),
    ],
    "avro-container": [
        (b"\x00", 'byte 0: this is not an Avro object container file: those start with "Obj" and the byte 1',
         ("байт 0", '"Obj"')),
    ],
    "avro-single-object": [
        (bytes.fromhex("c302"), "byte 0: expected single-object marker C3 01 (C3 01) but found C3 02: these bytes "
                                "are not in this framing", ("байт 0", "C3 02")),
    ],
    "avro-confluent": [
        (b"\x01", "byte 0: expected magic byte 0 (00) but found 01: these bytes are not in this framing",
         ("байт 0", "01")),
    ],
    "pickle": [
        (bytes.fromhex("8005ff"), "byte 2: 0xff is not a pickle opcode", ("байт 2", "0xff")),
        (bytes.fromhex("800561"), "byte 2: APPEND: APPEND needs 1 item on the stack, and there are fewer",
         ("байт 2", "APPEND")),
        (bytes.fromhex("8005"), "byte 2: the data ends before the STOP opcode that ends every pickle",
         ("байт 2", "STOP")),
        (bytes.fromhex("80"), "byte 0: PROTO cannot be read here (not enough data in stream to read uint1)",
         ("байт 0", "`not enough data in stream to read uint1`")),   # pickletools' own words, quoted as code
    ],
}
_SCHEMAS: dict = {}


def _schema(view: str) -> str | None:
    fid = SCHEMA_OF.get(view, view)
    if fid not in _SCHEMAS:
        _SCHEMAS[fid] = formats.encode(fid, PERSON).schema_text if formats.get(fid).schema_language else None
    return _SCHEMAS[fid]


def _walk_error(view: str, data: bytes) -> formats.FormatError | None:
    try:
        formats.annotate(view, data, _schema(view))
    except formats.FormatError as e:
        return e
    return None


def _reads_in_russian(view: str, data: bytes, error: formats.FormatError) -> None:
    message = error.message
    assert isinstance(message, Text), f"{view} {data.hex()}: {message!r} is plain English"
    russian = i18n.render(message, "ru")
    assert english(russian) is None, (view, data.hex(), russian)
    assert russian != str(message), (view, russian)


@pytest.mark.parametrize("view,data,message,where",
                         [(view, *case) for view, cases in CASES.items() for case in cases],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None)
def test_each_kind_of_bad_bytes_reads_in_russian_and_says_where(view, data, message, where):
    error = _walk_error(view, data)
    assert error is not None, f"{view} walked {data.hex()} without an error"
    assert str(error.message) == message   # English unchanged
    _reads_in_russian(view, data, error)
    russian = i18n.render(error.message, "ru")
    for part in where:
        assert part in russian, (view, russian)


def _mutations(data: bytes, rng: random.Random, n: int) -> list[bytes]:
    out = []
    for _ in range(n):
        b = bytearray(data)
        for _ in range(rng.randrange(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out += [bytes(b), data[:rng.randrange(len(data))]]
    return out


def _written(view: str) -> bytes:
    fid = SCHEMA_OF.get(view, view)
    if view in SCHEMA_OF:
        return formats.get(view).write(PERSON, _schema(view))
    return formats.encode(fid, PERSON).data


@pytest.mark.parametrize("view", formats.VIEWS)
def test_every_error_over_mutated_and_cut_bytes_is_a_text_that_reads_in_russian(view):
    """The book's record written by the library, then bytes flipped and cut: whatever the walk refuses,
    it refuses with a catalogue message, and that message has a Russian rendering free of English."""
    rng = random.Random(f"{view}-14")
    corpus = _mutations(_written(view), rng, 150) + [rng.randbytes(rng.randrange(40)) for _ in range(100)]
    errors = 0
    for data in corpus:
        error = _walk_error(view, data)
        if error is not None:
            errors += 1
            _reads_in_russian(view, data, error)
    assert errors > 50, f"{view}: the corpus found only {errors} errors"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(formats.VIEWS), st.binary(max_size=48))
def test_random_bytes_fail_with_a_catalogue_message(view, data):
    error = _walk_error(view, data)
    if error is not None:
        _reads_in_russian(view, data, error)
