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
NOTES = {
    0x01: "a 64-bit float follows", 0x02: "a UTF-8 string follows (int32 length, bytes, 0x00)",
    0x03: "an embedded document follows", 0x04: "an array follows (a document keyed \"0\", \"1\", …)",
    0x05: "binary data follows (length, subtype, bytes)", 0x06: "undefined (deprecated): no value bytes",
    0x07: "a 12-byte ObjectId follows", 0x08: "a one-byte boolean follows",
    0x09: "a UTC datetime (int64 milliseconds) follows", 0x0A: "null: the type byte is the whole value",
    0x0B: "a regular expression follows (pattern and options as C strings)",
    0x0C: "a DBPointer (deprecated): a collection name and an ObjectId",
    0x0D: "JavaScript code follows, stored like a string", 0x0E: "a symbol (deprecated), stored like a string",
    0x0F: "JavaScript code with a scope document (deprecated)", 0x10: "a 4-byte integer follows",
    0x11: "a MongoDB timestamp follows (increment, seconds)", 0x12: "an 8-byte integer follows",
    0x13: "a 16-byte decimal follows", 0x7F: "max key: compares above every value, no value bytes",
    0xFF: "min key: compares below every value, no value bytes",
}
