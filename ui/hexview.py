"""HTML for the annotated hex view, the book-figure view and the text view.

The builders are pure functions of an `Encoded` and a byte window, so a page sends
the browser one page of bytes at a time however large the data is.
"""
import bisect
import html

from formats import paths
from formats.spans import Encoded, Span, groups
from ui.theme import KIND_STYLE

BYTES_PER_ROW = 16


def tooltip(span: Span) -> str:
    where = f" · {span.path}" if span.path else ""
    at = f"byte {span.start}" if span.size == 1 else f"bytes {span.start}–{span.end - 1} ({span.size} B)"
    text = f"{at} · {span.kind}{where}\n{span.label}"
    if span.explanation:
        text += "\n" + span.explanation
    return html.escape(text, quote=True)


def spans_in(encoded: Encoded, start: int, end: int) -> list[Span]:
    """The spans that overlap bytes [start, end), found by bisection (spans tile the data in order)."""
    first = max(0, bisect.bisect_right(encoded.spans, start, key=lambda s: s.start) - 1)
    out = []
    for span in encoded.spans[first:]:
        if span.start >= end:
            break
        if span.end > start:
            out.append(span)
    return out


def _style(span: Span, highlight) -> tuple[str, str]:
    """`highlight`: a record path (that field and everything in it), or a collection of spans."""
    bg, fg, _ = KIND_STYLE.get(span.kind, ("#eee", "#000", ""))
    cls = "sp"
    if isinstance(highlight, str) and highlight:
        cls += " hl" if span.path and paths.within(span.path, highlight) else " dim"
    elif highlight:
        cls += " hl" if span in highlight else ""
    return cls, f"background:{bg};color:{fg}"


def hex_html(encoded: Encoded, start: int = 0, end: int | None = None,
             highlight=None, per_row: int = BYTES_PER_ROW, ascii_column: bool | None = None,
             failure: tuple[int, str] | None = None) -> str:
    """Rows of `per_row` bytes: offset, bytes coloured by span kind (tooltip: label + explanation), and
    the bytes as ASCII (by default only in full 16-byte rows: narrow cards have no room for it).
    Bytes past the spans (a walk that failed) are shown plain; `failure` (offset, message) marks the
    byte the walk failed at, or the end of the data if it failed there."""
    data = encoded.data
    ascii_column = per_row >= BYTES_PER_ROW if ascii_column is None else ascii_column
    digits = max(4, len(f"{len(data):x}"))
    end = len(data) if end is None else min(end, len(data))
    spans = spans_in(encoded, start, end)
    rows = []
    row_start = start - start % per_row
    si = 0
    while row_start < end:
        row_end = min(row_start + per_row, end)
        cells = []
        pos = max(row_start, start)
        if pos > row_start:
            cells.append("<span class='gap'></span>" + "&nbsp;" * (3 * (pos - row_start) - 1))
        while pos < row_end:
            while si < len(spans) and spans[si].end <= pos:
                si += 1
            span = spans[si] if si < len(spans) else None
            piece_end = min(span.end if span else row_end, row_end)
            if failure and pos <= failure[0] < piece_end:   # the failing byte is a piece of its own
                piece_end = pos + 1 if pos == failure[0] else failure[0]
            cls, style = _style(span, highlight) if span else ("raw", "")
            title = tooltip(span) if span else "not labelled: the walk stopped before this byte"
            if failure and pos == failure[0]:
                cls += " fail"
                title = html.escape(f"byte {pos}: the walk failed here\n{failure[1]}", quote=True)
            text = " ".join(f"{b:02x}" for b in data[pos:piece_end])
            cells.append(f"<span class='{cls}' style='{style}' title='{title}'>{text}</span>")
            pos = piece_end
        if failure and failure[0] >= len(data) and row_end == len(data) == end:
            cells.append("<span class='sp fail' title='the data ended here'>⟂ end of data</span>")
        tail = ""
        if ascii_column:
            text = "".join(chr(b) if 32 <= b < 127 else "·" for b in data[max(row_start, start):row_end])
            tail = f"<span class='asc'>{html.escape(text)}</span>"
        rows.append(f"<div class='row'><span class='off'>{row_start:0{digits}x}</span>{''.join(cells)}{tail}</div>")
        row_start += per_row
    return f"<div class='el-hex'>{''.join(rows)}</div>"


def text_html(encoded: Encoded, start: int = 0, end: int | None = None,
              highlight=None) -> str:
    """A text format (JSON, XML, CSV) as its own text, coloured by span, with byte offsets per line."""
    data = encoded.data
    end = len(data) if end is None else min(end, len(data))
    parts = [f"<span class='off'>{start:06x} </span>"]
    for span in spans_in(encoded, start, end):
        raw = data[max(span.start, start):min(span.end, end)]
        text = html.escape(raw.decode("utf-8", errors="replace"))
        text = text.replace("\n", "\n<span class='off'>······ </span>")
        cls, style = _style(span, highlight)
        parts.append(f"<span class='{cls}' style='{style}' title='{tooltip(span)}'>{text}</span>")
    return f"<div class='el-text'>{''.join(parts)}</div>"


def figure_html(encoded: Encoded, max_groups: int = 80, highlight=None) -> str:
    """The book's figures 4-2 to 4-5: bytes in labelled groups (tag/type, length, value) per field."""
    boxes = []
    all_groups = groups(encoded.spans)
    for group in all_groups[:max_groups]:
        inner = []
        for span in group:
            cls, style = _style(span, highlight)
            raw = encoded.data[span.start:span.end]
            shown = " ".join(f"{b:02x}" for b in raw[:12]) + (" …" if len(raw) > 12 else "")
            inner.append(f"<div class='box'><span class='bytes {cls}' style='{style}' "
                         f"title='{tooltip(span)}'>{shown}</span>"
                         f"<span class='lab'>{html.escape(span.label)}</span></div>")
        boxes.append(f"<div class='grp'>{''.join(inner)}</div>")
    more = len(all_groups) - max_groups
    tail = f"<div class='lab'>… and {more} more groups (see the hex view)</div>" if more > 0 else ""
    return f"<div class='el-fig'>{''.join(boxes)}{tail}</div>"


def legend_html(kinds=None) -> str:
    items = []
    for kind, (bg, fg, text) in KIND_STYLE.items():
        if kinds is None or kind in kinds:
            items.append(f"<span style='background:{bg};color:{fg}'>{html.escape(text)}</span>")
    return f"<div class='el-legend'>{''.join(items)}</div>"
