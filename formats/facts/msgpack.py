"""MessagePack (the msgpack specification): what each type byte says follows."""

# type byte -> (name, fixed-width struct format of the value that follows)
FIXED = {
    0xCA: ("float 32", ">f"), 0xCB: ("float 64", ">d"),
    0xCC: ("uint 8", ">B"), 0xCD: ("uint 16", ">H"), 0xCE: ("uint 32", ">I"), 0xCF: ("uint 64", ">Q"),
    0xD0: ("int 8", ">b"), 0xD1: ("int 16", ">h"), 0xD2: ("int 32", ">i"), 0xD3: ("int 64", ">q"),
}
# type byte -> (name, width of the length field) for str/bin/array/map/ext with a separate length
SIZED = {
    0xD9: ("str 8", ">B"), 0xDA: ("str 16", ">H"), 0xDB: ("str 32", ">I"),
    0xC4: ("bin 8", ">B"), 0xC5: ("bin 16", ">H"), 0xC6: ("bin 32", ">I"),
    0xDC: ("array 16", ">H"), 0xDD: ("array 32", ">I"),
    0xDE: ("map 16", ">H"), 0xDF: ("map 32", ">I"),
    0xC7: ("ext 8", ">B"), 0xC8: ("ext 16", ">H"), 0xC9: ("ext 32", ">I"),
}
FIXEXT = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}   # type byte -> data bytes
CONTAINERS = frozenset(range(0x80, 0xA0)) | {0xDC, 0xDD, 0xDE, 0xDF}   # fixmap, fixarray, array, map
NEVER_USED = 0xC1

# extension type -1, the spec's timestamp: 4 bytes of seconds; 8 bytes of nanoseconds (30 bits) and
# seconds (34 bits); or 12 bytes: nanoseconds (uint32) and seconds (int64)
TIMESTAMP = -1
TIMESTAMP_SIZES = (4, 8, 12)


def timestamp(data: bytes) -> dict:
    """The seconds and nanoseconds a timestamp extension's data holds."""
    if len(data) == 4:
        return {"seconds": int.from_bytes(data, "big"), "nanoseconds": 0}
    if len(data) == 8:
        n = int.from_bytes(data, "big")
        return {"seconds": n & (1 << 34) - 1, "nanoseconds": n >> 34}
    if len(data) == 12:
        return {"seconds": int.from_bytes(data[4:], "big", signed=True),
                "nanoseconds": int.from_bytes(data[:4], "big")}
    raise ValueError(f"a timestamp has 4, 8 or 12 bytes of data, not {len(data)}")
