"""HTML for the annotated hex view, the book-figure view and the text view.

The builders are pure functions of an `Encoded` and a byte window, so a page sends
the browser one page of bytes at a time however large the data is.

How many bytes a hex row holds is the browser's choice, not ours: the server cannot know how wide a
card is (a phone, a half-width card, a projector's large text). Every 16-byte row is sent as two
8-byte halves of two 4-byte quads, each quad with its own offset, and CSS container queries
(ui.theme.hex_css) lay the row out as one line of 16, two lines of 8 or four lines of 4, whichever
fits, showing only the offsets that begin a line: a visible offset is always the first byte after it.

Explanations show on hover and, for touch screens, projectors and keyboards, on focus: every labelled
piece is focusable (tabindex), and st.html runs no JavaScript, so `.sp:focus + .ex` in CSS puts the
explanation on its own line right under the bytes tapped, clicked or tabbed to.
"""
import bisect
import html

import i18n
from formats import paths
from formats.spans import Encoded, Span, groups
from ui import language
from ui.language import t
from ui.theme import KIND_STYLE

BYTES_PER_ROW = 16
QUAD = 4
PRINTABLE = {b: "·" for b in (*range(32), *range(127, 256))}   # the ASCII column: a byte outside 32-126 is a dot


def describe(span: Span, lang: str | None = None) -> str:
    """Where the span is, what it is, and why: the text shown under a byte that is tapped or hovered,
    in `lang` (the session's language: callers that describe many spans look it up once)."""
    lang = lang or language.current()
    where = f" · {span.path}" if span.path else ""
    text = f"{_at(span, lang)} · {i18n.t(f'kind.{span.kind}', lang)}{where}\n{i18n.render(span.label, lang)}"
    if span.explanation:
        text += "\n" + i18n.render(span.explanation, lang)
    return text


def _at(span: Span, lang: str) -> str:
    if span.size == 1:
        return i18n.t("bytes.byte", lang, n=span.start)
    return i18n.t("bytes.range", lang, start=span.start, last=span.end - 1, n=span.size)


def inline(markdown: str) -> str:
    """The catalogue's inline markdown (**bold**, `code`) as HTML, everything else escaped. Written here:
    the card's heading and notes, and a small table's cells (ui.show.table), are two marks, and a markdown
    library per card would cost more than the element it saves."""
    out = []
    for i, part in enumerate(html.escape(markdown).split("`")):
        if i % 2:
            out.append(f"<code>{part}</code>")
        else:
            bold = part.split("**")
            out.append("".join(f"<b>{b}</b>" if j % 2 else b for j, b in enumerate(bold)))
    return "".join(out)


def card_head_html(head: str, notes: list[str]) -> str:
    """A card's heading ("**JSON** — 81 bytes", inline markdown) and its notes (caption size), as HTML
    that goes out in the same element as the card's bytes: Streamlit sends, hashes and wakes its event
    loop once per element, a quarter of a busy server's time (py-spy, bench/bench_load.py)."""
    return (f"<div class='el-card-head'>{inline(head)}</div>"
            + "".join(f"<div class='el-card-note'>{inline(note)}</div>" for note in notes))


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


def _classes(span: Span, highlight) -> str:
    """`highlight`: a record path (that field and everything in it), or a collection of spans."""
    cls = f"sp k-{span.kind}"
    if isinstance(highlight, str) and highlight:
        cls += " hl" if span.path and paths.within(span.path, highlight) else " dim"
    elif highlight:
        cls += " hl" if span in highlight else ""
    return cls


def _piece(text: str, cls: str, explanation: str | None) -> str:
    """A focusable run of bytes and, right after it, its explanation (hidden until hover or focus)."""
    if explanation is None:
        return f"<span class='{cls}'>{text}</span>"
    return (f"<span class='{cls}' tabindex='0'>{text}</span>"
            f"<span class='ex'>{html.escape(explanation)}</span>")


def _rows(data: bytes, start: int, end: int, tiles: list, per_row: int, ascii_column: bool,
          end_marker: str | None, lang: str) -> str:
    """Rows of up to `per_row` (16 or 8) bytes, laid out by the browser to fit (see the module doc).

    `tiles`: (first, end, css classes, explanation) in byte order, covering [start, end);
    `end_marker`: the explanation of a last line that marks where the data ended.
    """
    digits = max(4, len(f"{len(data):x}"))
    ti = 0
    rows = []
    for row in range(start - start % BYTES_PER_ROW, end, BYTES_PER_ROW):
        halves = []
        for half in (row, row + BYTES_PER_ROW // 2):
            quads = []
            for quad in range(half, min(half + 2 * QUAD, end), QUAD):
                quad_end = min(quad + QUAD, end)
                pos = max(quad, start)
                cells = [f"<span class='off'>{quad:0{digits}x}</span>"]
                if pos > quad:   # a window that starts inside a row keeps its bytes in their columns
                    cells.append(f"<span class='pad' style='width:{3 * (pos - quad)}ch'></span>")
                while pos < quad_end:
                    while tiles[ti][1] <= pos:
                        ti += 1
                    first, last, cls, explanation = tiles[ti]
                    piece_end = min(last, quad_end)
                    text = data[pos:piece_end].hex(" ")
                    # a span cut at a quad boundary: the two pieces join (square corners, no gap)
                    cls += (" c" if pos > first else "") + (" o" if last > piece_end else "")
                    cells.append(_piece(text, cls, explanation))
                    pos = piece_end
                quads.append(f"<div class='q'>{''.join(cells)}</div>")
            if quads:
                halves.append(f"<div class='h'>{''.join(quads)}</div>")
        tail = ""
        if ascii_column and per_row >= BYTES_PER_ROW:
            text = data[max(row, start):min(row + 16, end)].decode("latin-1").translate(PRINTABLE)
            tail = f"<span class='asc'><code>{html.escape(text)}</code></span>"   # the bytes as text: data, not words
        rows.append(f"<div class='r'>{''.join(halves)}{tail}</div>")
    if end_marker:
        rows.append(f"<div class='r'><div class='h'><div class='q'><span class='off'>{len(data):0{digits}x}</span>"
                    f"{_piece(i18n.t('bytes.end_of_data', lang), 'sp fail', end_marker)}</div></div></div>")
    wide = " w16" if per_row >= BYTES_PER_ROW else ""
    return f"<div class='el-hex d{digits}{wide}'>{''.join(rows)}</div>"


def _tiles(encoded: Encoded, start: int, end: int, highlight, failure, lang: str) -> list:
    """The spans over [start, end), then the bytes the walk never reached; the byte a walk failed at
    is a piece of its own."""
    tiles = [(s.start, s.end, _classes(s, highlight), describe(s, lang)) for s in spans_in(encoded, start, end)]
    walked = tiles[-1][1] if tiles else start
    if walked < end:
        tiles.append((max(walked, start), end, "sp raw", i18n.t("bytes.unwalked", lang)))
    if failure and start <= failure[0] < end:
        at, message = failure
        i = next(i for i, tile in enumerate(tiles) if tile[0] <= at < tile[1])
        first, last, cls, why = tiles[i]
        failed = (at, at + 1, cls.replace("sp", "sp fail", 1),
                  f"{i18n.t('bytes.failed_here', lang, n=at)}\n{i18n.render(message, lang)}")
        tiles[i:i + 1] = [t for t in ((first, at, cls, why), failed, (at + 1, last, cls, why)) if t[0] < t[1]]
    return tiles


def hex_html(encoded: Encoded, start: int = 0, end: int | None = None, highlight=None,
             per_row: int = BYTES_PER_ROW, ascii_column: bool = True,
             failure: tuple[int, str] | None = None) -> str:
    """The bytes coloured by span kind, each piece explained on hover and focus; `per_row` is the
    widest row (16, or 8 where 16 would crowd), the ASCII column shows when the row has room.
    Bytes past the spans (a walk that failed) are shown plain; `failure` (offset, message) marks the
    byte the walk failed at, or the end of the data if it failed there."""
    end = len(encoded.data) if end is None else min(end, len(encoded.data))
    at_end = failure is not None and failure[0] >= len(encoded.data) and end == len(encoded.data)
    lang = language.current()
    marker = (f"{i18n.t('bytes.ended_here', lang, n=len(encoded.data))}\n{i18n.render(failure[1], lang)}"
              if at_end else None)
    return _rows(encoded.data, start, end, _tiles(encoded, start, end, highlight, failure, lang), per_row,
                 ascii_column, marker, lang)


def text_html(encoded: Encoded, start: int = 0, end: int | None = None,
              highlight=None) -> str:
    """A text format (JSON, XML, CSV) as its own text, coloured by span, with byte offsets per line."""
    data = encoded.data
    end = len(data) if end is None else min(end, len(data))
    parts, lang = [f"<span class='off'>{start:06x} </span>"], language.current()
    for span in spans_in(encoded, start, end):
        raw = data[max(span.start, start):min(span.end, end)]
        text = html.escape(raw.decode("utf-8", errors="replace"))
        text = text.replace("\n", "\n<span class='off'>······ </span>")
        parts.append(_piece(f"<code>{text}</code>", _classes(span, highlight), describe(span, lang)))
    return f"<div class='el-text'>{''.join(parts)}</div>"


def figure_html(encoded: Encoded, max_groups: int = 80, highlight=None, max_bytes: int = 12) -> str:
    """The book's figures 4-2 to 4-5: bytes in labelled groups (tag/type, length, value) per field, each
    box's first `max_bytes` bytes shown."""
    boxes, lang = [], language.current()
    all_groups = groups(encoded.spans)
    for group in all_groups[:max_groups]:
        inner = []
        for span in group:
            raw = encoded.data[span.start:span.end]
            shown = raw[:max_bytes].hex(" ") + (" …" if len(raw) > max_bytes else "")
            inner.append(f"<div class='box'><span class='bytes {_classes(span, highlight)}' tabindex='0'>"
                         f"<code>{shown}</code></span><span class='lab'>{html.escape(i18n.render(span.label, lang))}</span></div>"
                         f"<span class='ex'>{html.escape(describe(span, lang))}</span>")
        boxes.append(f"<div class='grp'>{''.join(inner)}</div>")
    more = len(all_groups) - max_groups
    tail = f"<div class='lab'>{html.escape(i18n.t('bytes.more_groups', lang, n=more))}</div>" if more > 0 else ""
    return f"<div class='el-fig'>{''.join(boxes)}{tail}</div>"


def span_table_html(encoded: Encoded, start: int, end: int) -> str:
    """The spans of a byte window as a table; a row tapped, clicked or tabbed to shows its bytes and
    its explanation on a line under it (CSS :focus, like the bytes above)."""
    rows, lang = [], language.current()
    for s in spans_in(encoded, start, end):
        at = f"{s.start}–{s.end - 1}" if s.size > 1 else str(s.start)
        raw = encoded.data[s.start:s.end]
        shown = raw[:16].hex(" ") + (" …" if len(raw) > 16 else "")
        why = "\n" + i18n.render(s.explanation, lang) if s.explanation else ""
        rows.append(f"<tr tabindex='0'><td class='at'>{at}</td><td><span class='k-{s.kind}'>"
                    f"{html.escape(i18n.t(f'kind.{s.kind}', lang))}</span> "
                    f"{html.escape(i18n.render(s.label, lang))}</td><td>{html.escape(s.path)}</td></tr>"
                    f"<tr class='ex'><td colspan='3'><code>{shown}</code>{html.escape(why)}</td></tr>")
    head = "".join(f"<th>{html.escape(i18n.t(f'bytes.col_{c}', lang))}</th>" for c in ("bytes", "what", "field"))
    return (f"<div class='el-spans'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def legend_html(kinds=None) -> str:
    items = []
    for kind, (_, _, key) in KIND_STYLE.items():
        if kinds is None or kind in kinds:
            items.append(f"<span class='k-{kind}'>{html.escape(t(key))}</span>")
    return f"<div class='el-legend'>{''.join(items)}</div>"
