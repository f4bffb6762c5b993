"""Turn the bytes of one value span back into its value, with no context.

Each value span names its `scalar` rule; tests re-decode every value span with
`read` to check that the walk put its boundaries in the right place. The rules
are the wire's primitive encodings (hand-written: they are a few lines each).
"""
import csv
import io
import json
import re
import struct

from formats.errors import FormatError
from i18n import Text


def varint(data: bytes, pos: int = 0) -> tuple[int, int]:
    """Unsigned LEB128 (protobuf, Avro, Thrift compact): 7 bits a byte, low first."""
    result = shift = 0
    start = pos
    while True:
        if pos >= len(data):
            raise FormatError(Text("fmt.error.varint_ends", offset=pos, start=start), offset=pos)
        b = data[pos]
        result |= (b & 0x7F) << shift
        pos += 1
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise FormatError(Text("fmt.error.varint_long", offset=start), offset=start)


def mb_u_int32(data: bytes, pos: int = 0) -> tuple[int, int]:
    """WBXML's multi-byte integer: 7 bits a byte like a varint, but the most significant group first."""
    result, start = 0, pos
    while True:
        if pos >= len(data):
            raise FormatError(Text("err.walk.wbxml.mb_ends", offset=pos, start=start),
                              offset=pos)
        b = data[pos]
        result = result << 7 | b & 0x7F
        pos += 1
        if not b & 0x80:
            return result, pos
        if pos - start >= 5:
            raise FormatError(Text("err.walk.wbxml.mb_long", offset=start), offset=start)


def unzigzag(n: int) -> int:
    """Zigzag: 0, -1, 1, -2, 2 ... are stored as 0, 1, 2, 3, 4 ... so small negatives stay short."""
    return (n >> 1) ^ -(n & 1)


def signed64(n: int) -> int:
    """A varint read as a two's complement 64-bit number (protobuf int32/int64 negatives take 10 bytes)."""
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def signed32(n: int) -> int:
    n &= (1 << 32) - 1
    return n - (1 << 32) if n >= 1 << 31 else n


_ENUM = re.compile(r"enum\((?P<base>[^)]+)\):(?P<table>.*)\Z")


def read(scalar: str, raw: bytes):
    """The value encoded by `raw` under rule `scalar`."""
    m = _ENUM.match(scalar)
    if m:
        number = read(m["base"], raw)
        table = dict(item.split("=", 1) for item in m["table"].split(",") if item)
        return table.get(str(number), number)
    if scalar == "varint":
        return _whole(varint, raw)
    if scalar == "mb-u-int32":
        return _whole(mb_u_int32, raw)
    if scalar == "zigzag":
        return unzigzag(_whole(varint, raw))
    if scalar == "varint-int64":
        return signed64(_whole(varint, raw))
    if scalar == "varint-int32":
        return signed32(_whole(varint, raw))
    if scalar == "varint-uint32":   # a 32-bit reader keeps the low 32 bits of a longer varint
        return _whole(varint, raw) & 0xFFFFFFFF
    if scalar == "zigzag32":
        return unzigzag(_whole(varint, raw) & 0xFFFFFFFF)
    if scalar == "varint-bool":
        return bool(_whole(varint, raw))
    if scalar == "bool":
        if len(raw) != 1:
            raise ValueError("a bool is one byte")
        return raw[0] != 0
    if scalar == "compact-bool":   # Thrift compact: a type of 1 is true, 2 false (low 4 bits)
        if len(raw) != 1 or raw[0] & 0x0F not in (1, 2):
            raise ValueError("a compact bool is one byte whose low 4 bits are 1 (true) or 2 (false)")
        return raw[0] & 0x0F == 1
    if scalar == "compact-list-bool":   # Thrift compact, a bool inside a list: 1 true; 2, or 0, false
        from formats.facts.thrift import COMPACT_LIST_BOOLS
        if len(raw) != 1 or raw[0] not in COMPACT_LIST_BOOLS:
            raise ValueError("a compact bool in a list is one byte: 1 (true), 2 or 0 (false)")
        return COMPACT_LIST_BOOLS[raw[0]]
    if scalar == "utf-8":
        return raw.decode("utf-8")
    if scalar == "bytes":
        return bytes(raw)
    if scalar == "hex":   # a BSON ObjectId, shown as its 24 hex digits
        return raw.hex()
    if scalar == "bignum":   # CBOR tags 2 and 3: an unsigned big-endian integer of any length
        return int.from_bytes(raw, "big")
    if scalar.startswith("cbor-negative:"):   # CBOR major type 1 stores -1 - n
        return -1 - read(scalar[len("cbor-negative:"):], raw)
    if scalar == "cbor":   # a whole one-byte CBOR item: a small integer or a simple value
        import cbor2   # imported here: pages that never show CBOR need not load it
        return cbor2.loads(raw)
    if scalar == "msgpack-timestamp":
        from formats.facts.msgpack import timestamp
        return timestamp(raw)
    if scalar == "bson-regex-options":   # as pymongo reads them: known letters, any order, others ignored
        from formats.facts.bson import REGEX_OPTIONS
        text = raw.decode("utf-8")
        return "".join(letter for letter in REGEX_OPTIONS if letter in text)
    if scalar == "bson-decimal128":
        from bson.decimal128 import Decimal128
        return str(Decimal128.from_bid(raw))
    if scalar == "json":
        return json.loads(raw.decode("utf-8"))
    if scalar in ("xml-text", "xml-attribute"):
        return _xml_characters(scalar, raw)
    if scalar == "csv-cell":
        return next(csv.reader(io.StringIO(raw.decode("utf-8"))))[0] if raw else ""
    if scalar == "signed-le":   # pickle's LONG1/LONG4: two's complement, little-endian, any length
        return int.from_bytes(raw, "little", signed=True)
    if scalar.startswith("pickle:"):   # a pickle opcode's text argument, read by pickletools' own reader
        import pickletools   # imported here: pages that never show pickle need not load it
        opcode = next(op for op in pickletools.opcodes if op.name == scalar[len("pickle:"):])
        return opcode.arg.reader(io.BytesIO(raw))
    if scalar.startswith("struct:"):
        (value,) = struct.unpack(scalar[len("struct:"):], raw)
        return value
    if scalar.startswith("const:"):
        return json.loads(scalar[len("const:"):])
    raise ValueError(f"unknown scalar rule {scalar!r}")


_XML_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# markup inside an element's text: CDATA is taken literally, comments and processing instructions drop out
_XML_MARKUP = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>)", re.S)
_XML_AS_IS = {"xml-text": re.compile(r"[&<\r]"), "xml-attribute": re.compile(r"[&\r\t\n]")}   # none: as written


def _xml_characters(rule: str, raw: bytes) -> str:
    """XML character data as a parser reports it: line ends become \n (XML 1.0 section 2.11) and
    references are expanded; in an element's text CDATA sections are literal and comments and
    processing instructions drop out; in an attribute value tabs and line ends become spaces
    (section 3.3.3)."""
    text = raw.decode("utf-8")
    if not _XML_AS_IS[rule].search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if rule == "xml-attribute":
        return _XML_REFERENCE.sub(_xml_reference, text.replace("\t", " ").replace("\n", " "))
    pieces = _XML_MARKUP.split(text)   # text, markup, text, markup, …
    return "".join(_XML_REFERENCE.sub(_xml_reference, piece) if i % 2 == 0 else
                   piece[9:-3] if piece.startswith("<![CDATA[") else "" for i, piece in enumerate(pieces))


def _xml_reference(m: re.Match) -> str:
    ref = m[1]
    if ref.startswith("#x"):
        return chr(int(ref[2:], 16))
    if ref.startswith("#"):
        return chr(int(ref[1:]))
    return _XML_ENTITIES[ref]


def _whole(reader, raw: bytes) -> int:
    value, end = reader(raw, 0)
    if end != len(raw):
        raise ValueError(f"{len(raw) - end} bytes left after the value")
    return value
