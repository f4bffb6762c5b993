"""A page's state in the URL: JSON, deflated, base64url — short enough for a slide's link."""
import base64
import binascii
import json
import zlib

MAX_PACKED = 6000   # characters; browsers and chat apps cope with links far longer, slides do not


def pack(state: dict) -> str:
    raw = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def unpack(text: str) -> dict | None:
    """The state packed into `text`, or None for anything that is not one of our links."""
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, 8 * 1024 * 1024)   # a link cannot inflate without bound
        if inflater.unconsumed_tail:
            return None
        state = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        return None
    return state if isinstance(state, dict) else None
