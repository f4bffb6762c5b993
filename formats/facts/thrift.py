"""Thrift's protocols (the Apache Thrift specs: thrift-binary-protocol.md, thrift-compact-protocol.md):
type ids, the compact protocol's type nibbles, and what is zigzag there and what is not.

Type ids are thriftpy2's TType numbers, which are the binary protocol's type bytes. thriftpy2 gives
binary its own id (18), but writes it with string's (11): on the wire they are one type.

In the compact protocol, i16, i32 and i64 values and long-form field ids are zigzag varints; lengths,
counts and map sizes are plain (unsigned) varints; a double is 8 bytes little-endian (the binary
protocol writes it big-endian); a bool field's value is its header's type nibble (1 true, 2 false)
and a bool inside a list is one byte: 1 true, 2 false, and 0 false as some writers spell it.
"""
from thriftpy2.thrift import TType

# type id -> its name in IDL (binary included)
NAMES = {TType.BOOL: "bool", TType.BYTE: "i8", TType.DOUBLE: "double", TType.I16: "i16", TType.I32: "i32",
         TType.I64: "i64", TType.STRING: "string", TType.STRUCT: "struct", TType.MAP: "map", TType.SET: "set",
         TType.LIST: "list", TType.BINARY: "binary"}
BASE_TYPES = (TType.BOOL, TType.BYTE, TType.I16, TType.I32, TType.I64, TType.DOUBLE, TType.STRING, TType.BINARY)
CONTAINERS = (TType.STRUCT, TType.LIST, TType.SET, TType.MAP)
INT_BITS = {TType.BYTE: 8, TType.I16: 16, TType.I32: 32, TType.I64: 64}
ZIGZAG_INTS = (TType.I16, TType.I32, TType.I64)   # compact: zigzag varints, i8 is one plain byte
# the type bytes a binary protocol field header may hold
BINARY_TYPES = {t: NAMES[t] for t in NAMES if t != TType.BINARY}
# what a reader finds on the wire, as a sentence names it
WIRE_NAMES = {**BINARY_TYPES, TType.STRING: "string or binary", TType.STRUCT: "a struct", TType.MAP: "a map",
              TType.SET: "a set", TType.LIST: "a list"}
# compact type nibble -> (type id, name)
COMPACT_TYPES = {1: (TType.BOOL, "bool true"), 2: (TType.BOOL, "bool false"), 3: (TType.BYTE, "i8"),
                 4: (TType.I16, "i16"), 5: (TType.I32, "i32"), 6: (TType.I64, "i64"),
                 7: (TType.DOUBLE, "double"), 8: (TType.STRING, "binary/string"), 9: (TType.LIST, "list"),
                 10: (TType.SET, "set"), 11: (TType.MAP, "map"), 12: (TType.STRUCT, "struct")}
COMPACT_LIST_BOOLS = {1: True, 2: False, 0: False}   # a bool inside a list or set, one byte


def on_wire(ttype: int) -> int:
    """The type id a value of this type travels with (thriftpy2 writes binary as string)."""
    return TType.STRING if ttype == TType.BINARY else ttype
