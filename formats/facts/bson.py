"""BSON (bsonspec.org, version 1.1): type bytes, binary subtypes, regex option letters.

A document is an int32 total length (little-endian, these 4 bytes and the closing 0x00
included), its elements, and a 0x00. An element is a type byte, the field name as a
NUL-terminated string, and the value. An array is a document keyed "0", "1", ….
"""

BINARY_SUBTYPES = {0: "generic", 1: "function", 2: "binary (old)", 3: "UUID (old)", 4: "UUID", 5: "MD5",
                   6: "encrypted", 7: "compressed column", 8: "sensitive", 9: "vector", 0x80: "user-defined"}
REGEX_OPTIONS = "ilmsux"   # the regex option letters pymongo knows, in the order BSON writes them
MIN_DOCUMENT = 5           # an empty document: its length and the closing 0x00

TYPES = {
    0x01: "double", 0x02: "string", 0x03: "document", 0x04: "array", 0x05: "binary", 0x06: "undefined",
    0x07: "ObjectId", 0x08: "boolean", 0x09: "datetime", 0x0A: "null", 0x0B: "regex", 0x0C: "DBPointer",
    0x0D: "JavaScript code", 0x0E: "symbol", 0x0F: "code with scope", 0x10: "int32", 0x11: "timestamp",
    0x12: "int64", 0x13: "decimal128", 0x7F: "max key", 0xFF: "min key",
}
# what follows each type byte: the catalogue's fmt.bson.type_note.<hex>
