"""Universal Binary JSON, Draft 12 (ubjson.org): one-byte ASCII type markers, big-endian numbers."""
# marker -> (name, struct format of the value that follows, or None)
NUMBERS = {b"i": ("int8", ">b"), b"U": ("uint8", ">B"), b"I": ("int16", ">h"), b"l": ("int32", ">i"),
           b"L": ("int64", ">q"), b"d": ("float32", ">f"), b"D": ("float64", ">d")}
LENGTHS = (b"i", b"U", b"I", b"l", b"L")   # the integer markers a length or count may use
CONSTANTS = {b"Z": ("null", "const:null"), b"T": ("true", "const:true"), b"F": ("false", "const:false")}
NOOP, HIGH_PRECISION, CHAR, STRING = b"N", b"H", b"C", b"S"
ARRAY, ARRAY_END, OBJECT, OBJECT_END = b"[", b"]", b"{", b"}"
TYPE, COUNT = b"$", b"#"   # an optimized container: one type for every item, and/or the item count up front
