"""Avro (specification 1.12): types, promotions, and the bytes around a record in the wild.

Plain Avro binary has no header at all. Three framings add one, each recognisable by its first
bytes: the object container file (`Obj` 1, the writer's schema in the header), the single-object
encoding (C3 01, then the 8-byte little-endian CRC-64-AVRO fingerprint of the writer's schema)
and Confluent's wire format for Kafka (a 0 byte, then the 4-byte big-endian schema id a schema
registry hands out).
"""
import bz2
import lzma
import zlib

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
NAMED = ("record", "enum", "fixed")
# writer type -> reader types it may be read as (the specification's "Schema Resolution")
PROMOTIONS = {"int": ("long", "float", "double"), "long": ("float", "double"), "float": ("double",),
              "string": ("bytes",), "bytes": ("string",)}

CONTAINER_MAGIC = b"Obj\x01"
SYNC_SIZE = 16
SINGLE_OBJECT_MAGIC = b"\xc3\x01"
FINGERPRINT_SIZE = 8
CONFLUENT_MAGIC = b"\x00"
SCHEMA_ID_SIZE = 4


def _inflate(decompressor):
    def inflate(data: bytes, limit: int) -> bytes:
        """The block's bytes inflated, at most `limit` of them (a small block can inflate to
        gigabytes); ValueError (or the codec's own error) if they are not a whole stream."""
        stream = decompressor()
        out = stream.decompress(data, limit + 1)
        if len(out) > limit:
            raise ValueError(f"it inflates to more than {limit:,} bytes")
        if not stream.eof:
            raise ValueError("the compressed stream ends early")
        return out
    return inflate


# container codecs the standard library can inflate, as fastavro reads them: deflate is raw
# (RFC 1951, no zlib header); bzip2 and xz are whole streams. snappy and zstandard need packages.
CODECS = {
    "deflate": _inflate(lambda: zlib.decompressobj(-15)),
    "bzip2": _inflate(bz2.BZ2Decompressor),
    "xz": _inflate(lzma.LZMADecompressor),
}
KNOWN_CODECS = ("null", *CODECS, "snappy", "zstandard")
