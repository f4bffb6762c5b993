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
# the registered tags this lab names (IANA's CBOR tags registry), their names in the catalogues
TAGS = {n: Text(f"fmt.cbor.tag_name.{n}") for n in (0, 1, 2, 3, 4, 5, 21, 22, 23, 24, 25, 28, 29, 30, 32, 33, 34,
                                                     35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 1004, 43000, 55799)}
RESERVED_INFO = (28, 29, 30)
INDEFINITE = 31
BREAK = 0xFF
