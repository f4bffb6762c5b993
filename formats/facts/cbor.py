"""CBOR (RFC 8949): the initial byte's major types and arguments, simple values, registered tags, and
the float widths its preferred serialization chooses from.

An item's initial byte holds the major type in its top 3 bits and the "additional information" in its
low 5: a value 0–23 itself, or 24/25/26/27 for a 1/2/4/8-byte argument that follows, 31 for an
indefinite length (ended by a 0xff break), 28–30 reserved. RFC 8949 section 4.1, preferred
serialization: an argument in the shortest form that holds it, and a float in the shortest of 2, 4
and 8 bytes that keeps its value exactly (1.5 is f9 3e 00). cbor2 writes the shortest integers, but
every float as 8 bytes unless asked for canonical output.
"""
from i18n import Text

# each major type's name, in the reader's language (fmt.cbor.major.<n>: "text string")
MAJOR = tuple(Text(f"fmt.cbor.major.{n}") for n in range(8))
ARGUMENT_FORMATS = {24: ">B", 25: ">H", 26: ">I", 27: ">Q"}
FLOATS = {25: ("float 16 (half)", ">e"), 26: ("float 32 (single)", ">f"), 27: ("float 64 (double)", ">d")}
SIMPLE = {20: ("false", "const:false"), 21: ("true", "const:true"), 22: ("null", "const:null"),
         23: ("undefined (read as null)", "const:null")}
TAGS = {0: "date/time text", 1: "epoch date/time", 2: "unsigned bignum", 3: "negative bignum",
        4: "decimal fraction", 5: "bigfloat", 21: "expected base64url", 22: "expected base64",
        23: "expected base16", 24: "embedded CBOR", 25: "string reference", 28: "shareable value",
        29: "shared value reference", 30: "rational number", 32: "URI", 33: "base64url text",
        34: "base64 text", 35: "regular expression", 36: "MIME message", 37: "UUID", 52: "IPv4 address",
        54: "IPv6 address", 100: "days since 1970", 256: "string reference namespace", 258: "set",
        260: "network address", 261: "network prefix", 1004: "full date text", 43000: "complex number",
        55799: "self-described CBOR"}
RESERVED_INFO = (28, 29, 30)
INDEFINITE = 31
BREAK = 0xFF
