"""The hex, text, figure and span-table HTML (ui.hexview) and the format colours (ui.theme, ui.plots).

How the rows are laid out is the browser's job (tests/test_browser_layout.py measures it); here: every
byte is sent exactly once, in order, inside the quad whose offset numbers it, each labelled piece is
focusable with its explanation right after it, and a format keeps one colour wherever it is drawn.
"""
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

import formats
import i18n
from formats.spans import Encoded, Span
from tests.support import BOOK_RECORD_TEXT
from ui import hexview, plots
from ui.theme import CSS, FORMAT_COLOR, FORMAT_MARKER, KIND_STYLE


class Quads(HTMLParser):
    """(offset, [byte texts]) per quad, and the explanation text that follows each focusable piece."""

    def __init__(self):
        super().__init__()
        self.quads, self.explained, self.stack = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "").split()
        self.stack.append((tag, cls, a))
        if "q" in cls:
            self.quads.append([None, []])

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        _, cls, attrs = self.stack[-1]
        if "off" in cls:
            self.quads[-1][0] = int(data, 16)
        elif "sp" in cls:
            self.quads[-1][1] += data.split()
            self.explained.append(attrs.get("tabindex") == "0")
        elif "ex" in cls:
            self.explained[-1] = data


@st.composite
def tiled(draw):
    data = draw(st.binary(min_size=1, max_size=90))
    cuts = sorted(draw(st.sets(st.integers(1, len(data) - 1), max_size=20))) if len(data) > 1 else []
    edges = [0] + cuts + [len(data)]
    spans = [Span(a, b, draw(st.sampled_from(list(KIND_STYLE))), f"piece {a}") for a, b in zip(edges, edges[1:])]
    start = draw(st.integers(0, len(data) - 1))
    return Encoded("protobuf", data, spans), start


@given(tiled())
def test_every_byte_once_in_order_under_its_quads_offset(case):
    encoded, start = case
    parsed = Quads()
    parsed.feed(hexview.hex_html(encoded, start))
    shown = []
    for offset, cells in parsed.quads:
        assert offset % 4 == 0
        first = max(offset, start)
        assert cells == [f"{b:02x}" for b in encoded.data[first:offset + 4]]
        shown += cells
    assert shown == [f"{b:02x}" for b in encoded.data[start:]]
    # every piece is focusable and followed by the explanation of its span
    assert parsed.explained and all(isinstance(e, str) and e.startswith("byte") for e in parsed.explained)


def test_the_book_record_rows_and_their_explanations():
    encoded = formats.encode("protobuf", formats.parse_record(BOOK_RECORD_TEXT))
    body = hexview.hex_html(encoded)
    assert body.startswith("<div class='el-hex d4 w16'>")        # 4 offset digits, up to 16 a row
    assert body.count("class='r'") == 3 and body.count("class='q'") == 9    # 33 bytes: 16 + 16 + 1
    # "Martin" crosses the quad boundary at byte 4: two pieces that join, each explained
    assert "<span class='sp k-value o' tabindex='0'>4d 61</span><span class='ex'>bytes 2–7 (6 B)" in body
    assert "<span class='sp k-value c' tabindex='0'>72 74 69 6e</span>" in body
    assert hexview.hex_html(encoded, per_row=8).startswith("<div class='el-hex d4'>")
    assert "class='asc'" not in hexview.hex_html(encoded, ascii_column=False)


def test_text_figure_and_table_views_explain_every_piece_escaped():
    record = formats.parse_record('{"userName": "<b>&\'x"}')
    text = hexview.text_html(formats.encode("json", record))
    assert "<b>" not in text and "&lt;b&gt;&amp;" in text
    assert text.count("tabindex='0'") == text.count("class='ex'") > 0
    figure = hexview.figure_html(formats.encode("protobuf", record))
    assert figure.count("tabindex='0'") == figure.count("class='ex'") == 3     # tag+wire type, length, value
    table = hexview.span_table_html(formats.encode("protobuf", record), 0, 100)
    assert table.count("<tr tabindex='0'>") == table.count("<tr class='ex'>") == 3
    assert "&lt;b&gt;" in table and "<b>" not in table


def test_a_failed_walk_shows_its_labelled_prefix_the_failing_byte_and_the_rest_plain():
    data = bytes(range(40))
    prefix = Encoded("protobuf", data, [Span(0, 10, "header", "ten labelled bytes")])
    body = hexview.hex_html(prefix, failure=(21, "no such wire type"))
    assert "<span class='sp fail raw' tabindex='0'>15</span><span class='ex'>byte 21: the walk failed here\n" \
           "no such wire type</span>" in body
    assert body.count(i18n.t("bytes.unwalked")) == body.count("class='sp raw") >= 2     # before and after byte 21
    parsed = Quads()
    parsed.feed(body)
    assert [c for _, cells in parsed.quads for c in cells] == [f"{b:02x}" for b in data]
    ended = hexview.hex_html(prefix, failure=(40, "a length runs past the end"))
    assert ended.endswith("<span class='off'>0028</span><span class='sp fail' tabindex='0'>⟂ end of data</span>"
                          "<span class='ex'>the data ended here, at byte 40\na length runs past the end</span>"
                          "</div></div></div></div>")


def test_css_has_a_line_rule_for_every_offset_width():
    for digits in range(4, 9):
        assert f".el-hex.d{digits} .q {{font-size" in CSS and f".el-hex.d{digits}.w16 .r" in CSS
    big = Encoded("avro", bytes(0x10000), [Span(0, 0x10000, "value", "v")])
    assert hexview.hex_html(big, 0xfff0).startswith("<div class='el-hex d5 w16'><div class='r'><div class='h'>"
                                                    "<div class='q'><span class='off'>0fff0</span>")
    for kind in KIND_STYLE:
        assert f".k-{kind} {{background" in CSS


def test_one_colour_and_marker_per_format_the_same_in_both_growth_panels():
    assert set(FORMAT_COLOR) == set(FORMAT_MARKER) == set(formats.FORMATS)
    assert len(set(FORMAT_COLOR.values())) == len(FORMAT_COLOR)
    rows = [{"format": fid, "records": n, "bytes": size * n, "gzip bytes": size * n // (1 + n // 10)}
            for fid, size in (("json", 81), ("cbor", 66), ("avro", 32)) for n in (1, 10, 100)]
    fig = plots.growth(rows)
    lines = {}
    for trace in fig.data:
        lines.setdefault(trace.legendgroup, set()).add((trace.line.color, trace.marker.symbol))
    assert lines == {fid: {(FORMAT_COLOR[fid], FORMAT_MARKER[fid])} for fid in ("json", "cbor", "avro")}
    assert list(fig.layout.meta["order"]) == ["json", "cbor", "avro"]               # largest first
    legend = plots.legend_html(fig.layout.meta["order"])
    assert legend.index("JSON") < legend.index("CBOR") < legend.index("Avro")
    assert f"color:{FORMAT_COLOR['cbor']}'>■</span> CBOR" in legend and "◆</span> Avro" in legend
    assert [round(y) for y in fig.data[0].y] == [81, 81, 81]                        # per record, as written
    sizes = plots.sizes_by_kind({"avro": formats.encode("avro", formats.parse_record(BOOK_RECORD_TEXT))})
    assert FORMAT_COLOR["avro"] in sizes.layout.yaxis.ticktext[0]


def test_a_cards_heading_is_the_catalogues_markdown_as_html_with_the_users_text_escaped():
    # a field name is the student's own text: it reaches the card's heading inside backticks
    head = hexview.card_head_html("**JSON** — 81 bytes · `<img src=x onerror=alert(1)>**`: **8 B**",
                                  ["Spends bytes on: `<item>` tags & names"])
    assert head == ("<div class='el-card-head'><b>JSON</b> — 81 bytes · "
                    "<code>&lt;img src=x onerror=alert(1)&gt;**</code>: <b>8 B</b></div>"
                    "<div class='el-card-note'>Spends bytes on: <code>&lt;item&gt;</code> tags &amp; names</div>")


def test_the_apps_html_reaches_the_browser_as_written():
    # ui.show.html skips st.html's dedent (Streamlit takes `_repr_html_()` as it is): an explanation's
    # indented second line keeps its spaces (dedent would take four from each line)
    from streamlit.testing.v1 import AppTest

    def page():
        from ui import show
        show.html("<style>.x{color:red}</style>")
        show.html("  <div><span class='ex'>line one\n    line two</span></div>\n  <p>after</p>")

    at = AppTest.from_function(page).run()
    bodies = [e.proto.body for e in at.get("html")]
    assert sorted(bodies) == ["  <div><span class='ex'>line one\n    line two</span></div>\n  <p>after</p>",
                              "<style>.x{color:red}</style>"]


def test_a_small_table_escapes_its_cells_and_reads_back_as_it_was_given():
    """ui.show.table: a cell's markup is text (a record's field may be named <script>), **bold** and `code` are
    the catalogue's marks, a yes/no is a tick, and tests.pages.tables reads the rows back."""
    from types import SimpleNamespace

    from tests.pages import tables
    from ui import show
    rows = [{"field": "<script>alert(1)</script>", "kept": True, "note": "**bold** and `code`"},
            {"field": "a & b", "kept": False, "note": "a sentence long enough to be a column of sentences"}]
    body = show.table_html(rows)
    assert "<script>" not in body and "&lt;script&gt;" in body and "<b>bold</b>" in body
    assert "<th class='long'>note</th>" in body and "<th>field</th>" in body
    at = SimpleNamespace(get=lambda kind: [SimpleNamespace(proto=SimpleNamespace(body=body))])
    assert tables(at) == [[{"field": "<script>alert(1)</script>", "kept": "✓", "note": "**bold** and `code`"},
                           {"field": "a & b", "kept": "✗", "note": rows[1]["note"]}]]
