"""A cursor over bytes that records a Span for everything it reads.

Every annotating walk (one per format) reads through a `Walker`, so running past
the end of the data is always reported the same way: a FormatError naming the
byte offset.
"""
import contextvars
import struct
from contextlib import contextmanager
from dataclasses import dataclass

from formats import scalars
from formats.errors import FormatError
from formats.spans import Span
from i18n import Text


_A_VALUE, _NEXT_VALUE = Text("fmt.error.a_value"), Text("fmt.error.next_value")   # what a read names when it fails


class WalkStopped(Exception):
    """The walk reached its stop point: `spans` tile the data from 0 to their last end."""

    def __init__(self, spans: list[Span]):
        super().__init__("walk stopped early")
        self.spans = spans


@dataclass
class Annotation:
    """One call of formats.annotate: where its walk may stop, and the walker doing it.

    The explorer labels a 1 MB encoding one page at a time, so it only needs the spans up to the
    end of the page on screen (`stop_after`). The first walker made during the call is the
    outermost one: walkers it starts inside (probes of nested bytes) see no stop point, and when
    the walk fails its spans so far are the labelled prefix the error carries. `written`: the bytes
    are the format's own `write` for a record, not pasted, so the walk may rely on what that writer
    guarantees (formats.pickle labels a page of pickle.dumps output from the opcodes before it).
    """
    stop_after: int | None = None
    walker: "Walker | None" = None
    written: bool = False


_CURRENT: contextvars.ContextVar[Annotation | None] = contextvars.ContextVar("annotation", default=None)


@contextmanager
def annotation(stop_after: int | None, written: bool = False):
    """The context of one annotating walk (formats.annotate and formats.encode open it)."""
    current = Annotation(stop_after, written=written)
    token = _CURRENT.set(current)
    try:
        yield current
    finally:
        _CURRENT.reset(token)


def stop_point() -> int | None:
    """Where the annotating walk under way may stop (None: it labels every byte), for a format that
    reads ahead before its Walker exists (formats.xml scans tokens first)."""
    current = _CURRENT.get()
    return current.stop_after if current is not None and current.walker is None else None


class Walker:
    def __init__(self, data: bytes):
        self.data = bytes(data)
        self.pos = 0
        self.limit = len(self.data)   # the end of the length-delimited value being walked (`within`)
        self._enclosure = ""
        self.spans: list[Span] = []
        current = _CURRENT.get()
        outermost = current is not None and current.walker is None
        if outermost:
            current.walker = self
        self._stop_after = current.stop_after if outermost else None
        self._written = outermost and current.written

    @classmethod
    def whole(cls, data: bytes):
        """A walk over all of `data`: its top-level value (`top`), then nothing left over."""
        walk = cls(data)
        walk.top()
        walk.finish()
        return walk

    def top(self) -> None:
        raise NotImplementedError

    @property
    def remaining(self) -> int:
        return len(self.data) - self.pos

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def fail(self, message: str, offset: int | None = None) -> FormatError:
        offset = self.pos if offset is None else offset
        return FormatError(Text("fmt.error.at_byte", offset=offset, message=message), offset=offset)

    def _need(self, n: int, what: str) -> None:
        if 0 <= n and self.pos + n <= self.limit:   # the walks ask a few times a span: the usual case first
            return
        if 0 <= n and self.pos + n <= len(self.data):   # past the limit, not past the data
            raise self.fail(Text("fmt.error.past_enclosure", what=what, size=Text("fmt.bytes", n=n),
                                 enclosure=self._enclosure, limit=self.limit))
        left = len(self.data) - self.pos   # past the data (or a negative length)
        if left == 0:
            raise self.fail(Text("fmt.error.ends_before", what=what))
        raise self.fail(Text("fmt.error.ends_inside", what=what, size=Text("fmt.bytes", n=n), left=left))

    @contextmanager
    def within(self, n: int, what: str, enclosure: str = Text("fmt.error.enclosing_field")):
        """Stay inside the next `n` bytes (a length-delimited value): reading past them is an error
        naming `enclosure`, and `limit` is where they end."""
        self._need(n, what)
        outer = self.limit, self._enclosure
        self.limit, self._enclosure = self.pos + n, enclosure
        try:
            yield
        finally:
            self.limit, self._enclosure = outer

    def span(self, end: int, kind: str, label: str, path: str = "", explanation: str = "",
             value=None, scalar: str | None = None) -> Span:
        """Emit the span of the bytes from the cursor to `end`, with everything it will ever say:
        spans are never changed once emitted, so a walk stopped early is a prefix of the whole."""
        s = Span(self.pos, end, kind, label, path, explanation, value, scalar)
        self.emit(s)
        return s

    def emit(self, s: Span) -> None:
        """Append a finished span at the cursor (one a probe walker made, or `span`'s)."""
        if s.end > s.start:   # an empty string or list has no bytes of its own: nothing to label
            self.spans.append(s)
        self.pos = s.end
        if self._stop_after is not None and s.end >= self._stop_after and s.end < len(self.data):
            raise WalkStopped(self.spans)

    def take(self, n: int, kind: str, label, path: str = "", explanation="",
             scalar: str | None = None, what: str | None = None):
        """Read n bytes as one span; with `scalar`, decode them and store the value. `label` and
        `explanation` may be functions of the value (a string's preview)."""
        if n < 0 or self.pos + n > self.limit:
            self._need(n, what or (label if isinstance(label, str) else _A_VALUE))
        raw = self.data[self.pos:self.pos + n]
        value = None
        if scalar is not None:
            try:
                value = scalars.read(scalar, raw)
            except UnicodeDecodeError as e:
                raise self.fail(Text("fmt.error.not_utf8", what=what or label, offset=self.pos + e.start,
                                     byte=f"0x{raw[e.start]:02x}"), self.pos + e.start) from None
        self.span(self.pos + n, kind, said(label, value), path, said(explanation, value), value, scalar)
        return value if scalar is not None else raw

    def peek(self, n: int = 1) -> bytes:
        self._need(n, _NEXT_VALUE)
        return self.data[self.pos:self.pos + n]

    def byte(self, what: str = Text("fmt.error.next_or_end")) -> int:
        self._need(1, what)
        return self.data[self.pos]

    def varint_end(self) -> int:
        """Where the varint at the cursor ends (without consuming it)."""
        return self.peek_varint()[1]

    def peek_varint(self) -> tuple[int, int]:
        """The unsigned varint at the cursor and where it ends, without consuming it; it must end
        `within` the limit."""
        if self.limit == len(self.data):
            return scalars.varint(self.data, self.pos)
        try:
            return scalars.varint(memoryview(self.data)[:self.limit], self.pos)
        except FormatError as e:
            if e.offset == self.limit:
                raise self.fail(Text("fmt.error.varint_past", enclosure=self._enclosure, limit=self.limit)) from None
            raise

    def varint(self, kind: str, label, path: str = "", explanation: str = "",
               scalar: str = "varint"):
        """Read one varint as a span. `label` may be a function of the decoded value."""
        end = self.varint_end()
        raw = self.data[self.pos:end]
        value = scalars.read(scalar, raw)
        self.span(end, kind, said(label, value), path, said(explanation, value), value, scalar)
        return value

    def fixed(self, fmt: str, kind: str, label, path: str = "", explanation: str = ""):
        """Read a fixed-width number with struct format `fmt` (e.g. '<d', '>i')."""
        n = struct.calcsize(fmt)
        if self.pos + n > self.limit:
            self._need(n, label if isinstance(label, str) else Text("fmt.error.number", n=n))
        (value,) = struct.unpack(fmt, self.data[self.pos:self.pos + n])
        self.span(self.pos + n, kind, said(label, value), path, said(explanation, value), value, "struct:" + fmt)
        return value

    def finish(self) -> list[Span]:
        if not self.at_end():
            raise self.fail(Text("fmt.error.left_over", n=self.remaining))
        return self.spans


def said(text, value) -> str:
    """A label or explanation that may depend on the value read."""
    return text(value) if callable(text) else text


def preview(text: str, limit: int = 24) -> str:
    """A short quoted form of a string for a label."""
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'
