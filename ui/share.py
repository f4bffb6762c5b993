"""A page's state in the URL: JSON, deflated, base64url — short enough for a slide's link."""
import base64
import binascii
import json
import zlib

from formats import FormatError
from formats.record import load_json

MAX_PACKED = 6000      # characters; browsers and chat apps cope with links far longer, slides do not
MAX_RAW = 256 * 1024   # JSON bytes; beyond this no state deflates into MAX_PACKED, so none is packed
MAX_INFLATED = 8 * 1024 * 1024
MAX_DEPTH = 4          # a page's state is {key: value}, a value at most a list of lists


def raw(state: dict) -> bytes:
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pack(state: dict) -> str:
    return deflate(raw(state))


def deflate(raw_state: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw_state, 9)).decode("ascii").rstrip("=")


def unpack(text: str) -> dict | None:
    """The state packed into `text`, or None for anything that is not one of our links: bad base64,
    a deflate bomb, text that is not UTF-8, JSON nested past MAX_DEPTH (200,000 `[` fit in a short
    link), NaN, lone surrogates — a crafted link is read as carefully as a typed record."""
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_INFLATED)   # a link cannot inflate without bound
        if inflater.unconsumed_tail:
            return None
        state = load_json(raw.decode("utf-8"), "the link", MAX_DEPTH)
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, FormatError):
        return None
    return state if isinstance(state, dict) else None
