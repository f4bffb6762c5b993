"""A cursor over bytes that records a Span for everything it reads.

Every annotating walk (one per format) reads through a `Walker`, so running past
the end of the data is always reported the same way: a FormatError naming the
byte offset.
"""
import contextvars
import struct

from formats import scalars
from formats.errors import FormatError
from formats.spans import Span


# Where the walk may stop: the explorer labels a 1 MB encoding one page at a time, so it only
# needs the spans up to the end of the page on screen (formats.annotate(..., until=offset)).
STOP_AFTER: contextvars.ContextVar[int | None] = contextvars.ContextVar("stop_after", default=None)


class WalkStopped(Exception):
    """The walk reached STOP_AFTER: `spans` tile the data from 0 to their last end."""

    def __init__(self, spans: list[Span]):
        super().__init__("walk stopped early")
        self.spans = spans


class Walker:
    def __init__(self, data: bytes):
        self.data = bytes(data)
        self.pos = 0
        self.spans: list[Span] = []
        # only the outermost walker of an annotation stops: walkers it starts inside (probes of
        # nested bytes) see no limit
        self._stop_after = STOP_AFTER.get()
        if self._stop_after is not None:
            STOP_AFTER.set(None)

    @property
    def remaining(self) -> int:
        return len(self.data) - self.pos

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def fail(self, message: str, offset: int | None = None) -> FormatError:
        offset = self.pos if offset is None else offset
        return FormatError(f"byte {offset}: {message}", offset=offset)

    def _need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > len(self.data):
            left = len(self.data) - self.pos
            if left == 0:
                raise self.fail(f"the data ends where {what} should start")
            raise self.fail(f"the data ends inside {what} ({n} byte{'s' * (n != 1)} needed, {left} left)")

    def span(self, end: int, kind: str, label: str, path: str = "", explanation: str = "",
             value=None, scalar: str | None = None) -> Span:
        s = Span(self.pos, end, kind, label, path, explanation, value, scalar)
        if end > self.pos:   # an empty string or list has no bytes of its own: nothing to label
            self.spans.append(s)
        self.pos = end
        if self._stop_after is not None and end >= self._stop_after and end < len(self.data):
            raise WalkStopped(self.spans)
        return s

    def take(self, n: int, kind: str, label: str, path: str = "", explanation: str = "",
             scalar: str | None = None, what: str | None = None):
        """Read n bytes as one span; with `scalar`, decode them and store the value."""
        self._need(n, what or label)
        raw = self.data[self.pos:self.pos + n]
        value = None
        if scalar is not None:
            try:
                value = scalars.read(scalar, raw)
            except UnicodeDecodeError as e:
                raise self.fail(f"{what or label} is not valid UTF-8 text "
                                f"(byte {self.pos + e.start} is 0x{raw[e.start]:02x})",
                                self.pos + e.start) from None
        self.span(self.pos + n, kind, label, path, explanation, value, scalar)
        return value if scalar is not None else raw

    def peek(self, n: int = 1) -> bytes:
        self._need(n, "the next value")
        return self.data[self.pos:self.pos + n]

    def byte(self, what: str = "the next value (or an end marker)") -> int:
        self._need(1, what)
        return self.data[self.pos]

    def varint_end(self) -> int:
        """Where the varint at the cursor ends (without consuming it)."""
        _, end = scalars.varint(self.data, self.pos)
        return end

    def varint(self, kind: str, label, path: str = "", explanation: str = "",
               scalar: str = "varint"):
        """Read one varint as a span. `label` may be a function of the decoded value."""
        end = self.varint_end()
        raw = self.data[self.pos:end]
        value = scalars.read(scalar, raw)
        text = label(value) if callable(label) else label
        note = explanation(value) if callable(explanation) else explanation
        self.span(end, kind, text, path, note, value, scalar)
        return value

    def fixed(self, fmt: str, kind: str, label, path: str = "", explanation: str = ""):
        """Read a fixed-width number with struct format `fmt` (e.g. '<d', '>i')."""
        n = struct.calcsize(fmt)
        self._need(n, label if isinstance(label, str) else f"a {n}-byte number")
        (value,) = struct.unpack(fmt, self.data[self.pos:self.pos + n])
        text = label(value) if callable(label) else label
        note = explanation(value) if callable(explanation) else explanation
        self.span(self.pos + n, kind, text, path, note, value, "struct:" + fmt)
        return value

    def finish(self) -> list[Span]:
        if not self.at_end():
            raise self.fail(f"{self.remaining} bytes are left over after the record ended")
        return self.spans


def preview(text: str, limit: int = 24) -> str:
    """A short quoted form of a string for a label."""
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'
