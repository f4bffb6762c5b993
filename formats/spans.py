"""What an annotating walk returns: labelled byte ranges that tile the data."""
from dataclasses import dataclass, field, replace
from typing import Any

KINDS = ("tag", "type", "length", "count", "name", "value", "header", "terminator", "punctuation")


@dataclass(frozen=True, slots=True)
class Span:
    """Bytes `[start, end)` of the encoding, and what they mean.

    `kind` is one of KINDS; `label` is short ("field tag 1, wire type 2");
    `path` is the record location the bytes belong to ("" for the whole record).
    Value spans also carry the `value` the walk read from exactly these bytes and
    the `scalar` rule that turns them into it (see formats.scalars).
    """
    start: int
    end: int
    kind: str
    label: str
    path: str = ""
    explanation: str = ""
    value: Any = None
    scalar: str | None = None

    @property
    def size(self) -> int:
        return self.end - self.start


@dataclass
class Encoded:
    """The exact bytes a library wrote (or were pasted) and the walk over them."""
    format_id: str
    data: bytes
    spans: list[Span]
    schema_text: str | None = None
    notes: list[str] = field(default_factory=list)
    complete: bool = True   # False: the walk stopped early and `spans` end at `labelled`

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def labelled(self) -> int:
        """How many bytes, from the start, the spans label (all of them unless the walk stopped early)."""
        return self.spans[-1].end if self.spans else 0

    def spans_for(self, path: str) -> list[Span]:
        """The spans of field `path` and everything inside it."""
        from formats.paths import within
        return [s for s in self.spans if s.path and within(s.path, path)]

    def bytes_for(self, path: str) -> int:
        return sum(s.size for s in self.spans_for(path))

    def bytes_by_kind(self) -> dict[str, int]:
        totals = dict.fromkeys(KINDS, 0)
        for s in self.spans:
            totals[s.kind] += s.size
        return totals


@dataclass
class Decoded:
    """A record read back, and what the reader did on the way. `record` is a dict for every record;
    schemaless formats read any top-level value (MessagePack's `93 01 02 03` is [1, 2, 3]).

    `skipped`: paths the writer wrote that the reader does not know (bytes passed over);
    `defaulted`: paths the reader filled from its schema's defaults;
    `unknown_kept`: paths of unknown fields the reader keeps for re-encoding (protobuf);
    `notes`: anything else worth telling the student.
    """
    record: dict
    skipped: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)
    unknown_kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_tiling(spans: list[Span], size: int) -> None:
    """Raise AssertionError unless the spans tile [0, size) in order with no gap or overlap."""
    at = 0
    for s in spans:
        if s.kind not in KINDS:
            raise AssertionError(f"span {s} has unknown kind {s.kind!r}")
        if s.start != at:
            raise AssertionError(f"span {s} starts at {s.start}, expected {at}")
        if s.end <= s.start:
            raise AssertionError(f"span {s} is empty or reversed")
        at = s.end
    if at != size:
        raise AssertionError(f"spans end at {at}, data has {size} bytes")


def groups(spans: list[Span]) -> list[list[Span]]:
    """Consecutive spans of one path: a field's tag, length and value, as the book's figures group them."""
    out: list[list[Span]] = []
    for s in spans:
        if out and out[-1][-1].path == s.path and s.kind != "header" and out[-1][-1].kind != "value":
            out[-1].append(s)
        else:
            out.append([s])
    return out


def shifted(spans: list[Span], by: int) -> list[Span]:
    """The same spans `by` bytes further on: a body's walk placed after a frame or header around it."""
    return [replace(s, start=s.start + by, end=s.end + by) for s in spans]
