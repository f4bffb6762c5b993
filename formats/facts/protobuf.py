"""Protocol Buffers ("Encoding" in the protobuf docs; protobuf's own internal/wire_format.py): wire
types, field types, their ranges, and which fields refuse text that is not UTF-8.

Every field on the wire is a tag varint, `field_tag << 3 | wire_type`, then the value: a varint (0),
8 bytes (1), a length and that many bytes (2: strings, bytes, nested messages, packed lists), or
4 bytes (5); wire types 3 and 4 open and close a group (proto2's deprecated nesting).
"""
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FieldDescriptor as FD

from formats.facts.numbers import INT32, INT64, UINT32, UINT64
from i18n import Text

VARINT, I64, LEN, START_GROUP, END_GROUP, I32 = 0, 1, 2, 3, 4, 5
# each wire type's name, in the reader's language (fmt.protobuf.wire.<n>: "length-delimited")
WIRE_NAMES = {n: Text(f"fmt.protobuf.wire.{n}") for n in (VARINT, I64, LEN, START_GROUP, END_GROUP, I32)}
FIXED_SIZE = {I32: 4, I64: 8}
MAX_FIELD_TAG = (1 << 29) - 1

# field type -> (name in .proto, wire type, scalar rule for its value bytes: formats.scalars)
TYPES = {
    FD.TYPE_INT32: ("int32", VARINT, "varint-int32"),
    FD.TYPE_INT64: ("int64", VARINT, "varint-int64"),
    FD.TYPE_UINT32: ("uint32", VARINT, "varint-uint32"),
    FD.TYPE_UINT64: ("uint64", VARINT, "varint"),
    FD.TYPE_SINT32: ("sint32", VARINT, "zigzag32"),
    FD.TYPE_SINT64: ("sint64", VARINT, "zigzag"),
    FD.TYPE_BOOL: ("bool", VARINT, "varint-bool"),
    FD.TYPE_ENUM: ("enum", VARINT, "varint-int32"),
    FD.TYPE_FIXED32: ("fixed32", I32, "struct:<I"),
    FD.TYPE_SFIXED32: ("sfixed32", I32, "struct:<i"),
    FD.TYPE_FLOAT: ("float", I32, "struct:<f"),
    FD.TYPE_FIXED64: ("fixed64", I64, "struct:<Q"),
    FD.TYPE_SFIXED64: ("sfixed64", I64, "struct:<q"),
    FD.TYPE_DOUBLE: ("double", I64, "struct:<d"),
    FD.TYPE_STRING: ("string", LEN, "utf-8"),
    FD.TYPE_BYTES: ("bytes", LEN, "bytes"),
    FD.TYPE_MESSAGE: ("message", LEN, None),
    FD.TYPE_GROUP: ("group", START_GROUP, None),
}
NAMES = {t: name for t, (name, _, _) in TYPES.items()}
WIRE_TYPE_OF = {name: wire for name, wire, _ in TYPES.values()}   # "sfixed32" -> I32

# the integer types, by name: the values each holds
RANGES = {"int32": INT32, "sint32": INT32, "sfixed32": INT32, "uint32": UINT32, "fixed32": UINT32,
          "int64": INT64, "sint64": INT64, "sfixed64": INT64, "uint64": UINT64, "fixed64": UINT64}
VARINT_RANGES = {"bool": (0, 1), **{name: RANGES[name] for name in
                                     ("int32", "int64", "uint32", "uint64", "sint32", "sint64")}}


def checks_utf8(field) -> bool:
    """The one decision whether a string field refuses bytes that are not UTF-8: proto3 (and
    editions, by default) reject them; proto2 hands back the bytes. protobuf exposes the resolved
    feature only as FieldDescriptor._GetFeatures()."""
    return field._GetFeatures().utf8_validation != descriptor_pb2.FeatureSet.NONE


def accepts(field, wire_type: int) -> bool:
    """Does the library read this wire type into this field? A repeated number accepts both
    forms, one tag per value and packed; anything else is kept as an unknown field."""
    native = TYPES[field.type][1]
    return wire_type == native or (field.is_repeated and wire_type == LEN and native in (VARINT, I32, I64))
