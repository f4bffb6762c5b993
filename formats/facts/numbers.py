"""Integer and float ranges, by width: (lowest, highest), both included."""
import sys

INT8 = (-(1 << 7), (1 << 7) - 1)
INT16 = (-(1 << 15), (1 << 15) - 1)
INT32 = (-(1 << 31), (1 << 31) - 1)
INT64 = (-(1 << 63), (1 << 63) - 1)
UINT32 = (0, (1 << 32) - 1)
UINT64 = (0, (1 << 64) - 1)
SIGNED = {8: INT8, 16: INT16, 32: INT32, 64: INT64}

FLOAT32_MAX = 3.4028234663852886e38   # the largest finite IEEE 754 single
DOUBLE_MAX = sys.float_info.max
# the largest integer every IEEE 754 double holds exactly: a JavaScript reader of JSON (JSON.parse)
# rounds larger ones to the nearest double
JS_SAFE_INTEGER = (1 << 53) - 1


def fits(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]
