"""AppTest helpers shared by the page tests."""
import html
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def page(name: str, timeout: float = 90) -> AppTest:
    return AppTest.from_file(str(ROOT / name), default_timeout=timeout)


def html_bodies(at: AppTest) -> list[str]:
    """Every st.html's body; a column of Explorer cards (one element: ui.explorer.format_cards) as one
    body per card."""
    return [card for h in at.get("html") for card in _cards(h.proto.body)]


def _cards(body: str) -> list[str]:
    if not body.startswith("<div class='el-card "):
        return [body]
    out, depth, start = [], 0, 0
    for tag in re.finditer(r"<div\b|</div>", body):
        depth += 1 if tag.group() != "</div>" else -1
        if depth == 0:
            out.append(body[start:tag.end()])
            start = tag.end()
    assert start == len(body), "cards are whole divs, one after another"
    return out


CARD_TEXT = re.compile(r"<div class='el-card-(?:head|note)'>(.*?)</div>")


def card_texts(at: AppTest) -> list[str]:
    """The Explorer cards' headings and notes, which go out as HTML with the bytes
    (ui.hexview.card_head_html), read back as the catalogue's markdown ("**JSON** — 81 bytes")."""
    out = []
    for body in html_bodies(at):
        for part in CARD_TEXT.findall(body):
            part = re.sub(r"</?b>", "**", re.sub(r"</?code>", "`", part))
            out.append(html.unescape(part))
    return out


TABLE = re.compile(r"<table class='el-table'>(.*?)</table>", re.S)
CELL = re.compile(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", re.S)


def tables(at: AppTest) -> list[list[dict]]:
    """The small tables (ui.show.table) on the page, each as its rows: column -> cell text, read back as
    the catalogue's markdown (as card_texts)."""
    def text(cell: str) -> str:
        return html.unescape(re.sub(r"</?b>", "**", re.sub(r"</?code>", "`", cell)))
    out = []
    for body in html_bodies(at):
        for table in TABLE.findall(body):
            head, _, body_rows = table.partition("</thead>")
            columns = [text(c) for c in CELL.findall(head)]
            out.append([dict(zip(columns, map(text, CELL.findall(row))))
                        for row in body_rows.split("</tr>") if "<td>" in row])
    return out


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption, error, warning and info text on the page, and the cards' headings and notes."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success"):
        out += [e.value for e in getattr(at, kind)]
    return out + card_texts(at)


def open_questions(at: AppTest) -> AppTest:
    """Open the course footer's folded questions (ui/course.footer draws them only when open; a view
    with none, such as a schema error's, has no fold) and run."""
    for key in [e.key for e in at.expander if e.key and e.key.startswith("course.open.")]:
        at.session_state[key] = True
    return at.run()


def shared_link(at: AppTest) -> str:
    """The link "Share this view" offers, as a student gets it: open the sidebar's box (a rerun), read it."""
    from ui.state import SHARE_KEY
    at.session_state[SHARE_KEY] = True
    at.run()
    return next(c.value for c in at.sidebar.code if "?s=" in c.value)
