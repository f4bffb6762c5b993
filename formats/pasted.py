"""Bytes a user pasted: hex (any spacing, 0x prefixes, colons) or base64."""
import base64
import binascii
import re

from formats.errors import FormatError

_HEX_NOISE = re.compile(r"0x|\\x|[\s:,]", re.IGNORECASE)
_HEX = re.compile(r"[0-9a-fA-F]*\Z")
# "0a 06 zz": spaced pairs are meant as hex even with a typo in them (base64 has no spaces)
_SPACED_PAIRS = re.compile(r"\s*(?:(?:0x)?\w\w[\s:,]+)+(?:0x)?\w\w\s*\Z", re.IGNORECASE)
MAX_PASTED_CHARS = 4 * 1024 * 1024


def parse_pasted(text: str, encoding: str = "auto") -> bytes:
    """`encoding` is "hex", "base64" or "auto" (hex when the text is only hex digits)."""
    if len(text) > MAX_PASTED_CHARS:
        raise FormatError(f"the pasted text has {len(text):,} characters; the limit is {MAX_PASTED_CHARS:,}")
    compact = _HEX_NOISE.sub("", text)
    if not compact:
        raise FormatError("nothing to decode: paste hex such as 0a 06 4d 61 or base64 such as CgZN")
    if encoding == "hex" or (encoding == "auto" and (_HEX.match(compact) or _SPACED_PAIRS.match(text))):
        bad = next((i for i, ch in enumerate(compact) if ch not in "0123456789abcdefABCDEF"), None)
        if bad is not None:
            raise FormatError(f"hex digit {bad + 1} is {compact[bad]!r}, which is not 0-9 or a-f")
        if len(compact) % 2:
            raise FormatError(f"an odd number of hex digits ({len(compact)}): the last byte is missing a digit")
        return bytes.fromhex(compact)
    cleaned = re.sub(r"\s", "", text)
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), altchars=b"-_" if
                                ("-" in cleaned or "_" in cleaned) else None, validate=True)
    except (binascii.Error, ValueError):
        bad = next((i for i, ch in enumerate(cleaned) if not (ch.isalnum() or ch in "+/=-_")), None)
        where = f": character {bad + 1} is {cleaned[bad]!r}" if bad is not None else ""
        raise FormatError(f"this is neither hex nor valid base64{where}") from None
