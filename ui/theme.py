"""Colours by span kind (Okabe-Ito: readable by colour-blind students and on a projector)."""

KIND_STYLE = {
    # kind: (background, text colour, legend text: a catalogue key)
    "tag": ("#E69F00", "#000", "kind.tag"),
    "type": ("#CC79A7", "#000", "kind.type"),
    "length": ("#56B4E9", "#000", "kind.length"),
    "count": ("#9ad0f0", "#000", "kind.count"),
    "name": ("#D55E00", "#fff", "kind.name"),
    "value": ("#009E73", "#fff", "kind.value"),
    "header": ("#999999", "#000", "kind.header"),
    "terminator": ("#cfcfcf", "#000", "kind.terminator"),
    "punctuation": ("#e9e9e9", "#333", "kind.punctuation"),
}

# One colour per format, wherever a format is drawn (the growth plot's lines, the size plot's labels, the
# Explorer's cards), and a marker per family so colour is never the only cue: text formats circles,
# schemaless binary squares, schema-based binary diamonds. Okabe-Ito where it has a colour, Tol's muted
# palette for the rest; yellow is left out (unreadable as a line on white).
FORMAT_COLOR = {
    "json": "#D55E00", "xml": "#882255", "csv": "#999933",
    "bson": "#AA4499", "msgpack": "#E69F00", "cbor": "#332288",
    "thrift-binary": "#56B4E9", "thrift-compact": "#0072B2", "protobuf": "#009E73", "avro": "#000000",
    "wbxml": "#CC6677", "ubjson": "#44AA99", "pickle": "#661100",
}
FORMAT_MARKER = {"json": "circle", "xml": "circle", "csv": "circle", "bson": "square", "msgpack": "square",
                 "cbor": "square", "thrift-binary": "diamond", "thrift-compact": "diamond", "protobuf": "diamond",
                 "avro": "diamond", "wbxml": "square", "ubjson": "square", "pickle": "square"}

# how the size plot groups the kinds: why binary formats are smaller (groups are catalogue keys)
KIND_GROUP = {
    "name": "bytes.group.names", "tag": "bytes.group.tags", "type": "bytes.group.tags",
    "length": "bytes.group.lengths", "count": "bytes.group.lengths", "value": "bytes.group.values",
    "header": "bytes.group.structure", "terminator": "bytes.group.structure", "punctuation": "bytes.group.structure",
}
GROUP_ORDER = ("bytes.group.values", "bytes.group.names", "bytes.group.tags", "bytes.group.lengths",
               "bytes.group.structure")
GROUP_COLOR = {"bytes.group.values": "#009E73", "bytes.group.names": "#D55E00", "bytes.group.tags": "#E69F00",
               "bytes.group.lengths": "#56B4E9", "bytes.group.structure": "#bbbbbb"}


# Hex rows (ui.hexview): a line of N bytes is `digits + 1 + 3N` ch wide (offset, a 1ch gap, 2ch per byte and
# 1ch between bytes, see .sp below). A line of N is used while the card is at least FIT x that wide, its
# font shrinking by at most that much; the narrowest line (4 bytes) shrinks as far as the card needs.
# CH_PER_EM: the widest common monospace advance (DejaVu Sans Mono 0.602em, Menlo 0.602, Consolas 0.55).
FIT, CH_PER_EM = 0.9, 0.62
OFFSET_DIGITS = range(4, 9)   # up to 4 GB of data


def _line_ch(digits: int, n: int) -> float:
    return digits + 1 + 3 * n + 0.5


def _fitted(width_ch: float) -> str:
    return f"font-size: min(1em, calc(100cqi / {width_ch * CH_PER_EM:.2f}))"


def hex_css() -> str:
    """Container queries that pick 16, 8 or 4 bytes a line from the width of each hex view."""
    flex = "display: flex; flex-wrap: wrap; align-items: baseline; position: relative"
    out = []
    for d in OFFSET_DIGITS:
        w4, w8, w16 = (_line_ch(d, n) for n in (4, 8, 16))
        out.append(f".el-hex.d{d} .q {{{_fitted(w4)}}}")
        out.append(f"@container (min-width: {FIT * w8:.2f}ch) {{"
                   f".el-hex.d{d} .h {{{flex}; {_fitted(w8)}}} .el-hex.d{d} .q {{display: contents; font-size: 1em}}"
                   f" .el-hex.d{d} .q + .q > .off {{display: none}}}}")
        out.append(f"@container (min-width: {FIT * w16:.2f}ch) {{"
                   f".el-hex.d{d}.w16 .r {{{flex}; {_fitted(w16)}}}"
                   f" .el-hex.d{d}.w16 .h {{display: contents; font-size: 1em}}"
                   f" .el-hex.d{d}.w16 .h + .h .off {{display: none}}}}")
        out.append(f"@container (min-width: {w16 + 16.5:.2f}ch) {{.el-hex.d{d}.w16 .asc {{display: inline-block}}}}")
    return "\n".join(out)


def kind_css() -> str:
    return "\n".join(f":is(.el-hex, .el-text, .el-fig, .el-legend, .el-spans) .k-{kind} {{background: {bg}; color: {fg}}}"
                     for kind, (bg, fg, _) in KIND_STYLE.items())


def card_css() -> str:
    """The Explorer's cards edged in their format's colour: a card of one page is an st.html
    (`.el-card.el-fmt-<format>`, bordered as Streamlit borders a container), a paged one an st.container
    (key "card-<format>").

    On a phone Streamlit stacks the columns, ten cards one under the other (5,000 px of page): there
    the cards of the grid (key "ex-cards") become one strip to swipe through, in the formats' order
    (the columns, and every wrapper around a card, are unwrapped with display: contents), and the
    cards-per-row slider goes."""
    cards = [(f".el-fmt-{fid}, .st-key-card-{fid}", colour) for fid, colour in FORMAT_COLOR.items()]
    edges = [f"{card} {{border-left: 5px solid {colour} !important;}}" for card, colour in cards]
    order = [f"{card} {{order: {i};}}" for i, (card, _) in enumerate(cards)]   # FORMATS order
    grid = '.st-key-ex-cards [data-testid="stHorizontalBlock"]'
    column = f'{grid} > [data-testid="stColumn"]'
    return "\n".join(edges) + f"""
.el-card {{border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: calc(1rem - 1px);}}
.el-card + .el-card {{margin-top: 1rem;}}   /* a column's cards in one element, a gap as between elements */
@media (max-width: 640px) {{
  {grid} {{flex-wrap: nowrap; overflow-x: auto; scroll-snap-type: x mandatory; align-items: flex-start;
    gap: 0.75rem; padding-bottom: 8px;}}
  {column}, {column} :has([class*="st-key-card-"]), {column} :has(.el-card) {{display: contents;}}
  .st-key-ex-cards :is([class*="st-key-card-"], .el-card) {{flex: 0 0 86%; min-width: 0; scroll-snap-align: start;
    box-sizing: border-box; margin-top: 0;}}
  {" ".join(order)}
  .st-key-ex-columns {{display: none;}}
}}"""


CSS = """
<style>
.el-hex, .el-fig, .el-text {font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: var(--el-font, 0.86rem); line-height: 1.55;}
.el-hex {container-type: inline-size;}
.el-hex .r, .el-hex .h {display: block;}
.el-hex .q {display: flex; flex-wrap: wrap; align-items: baseline; position: relative;}
.el-hex .off {color: #888; margin-right: 1ch; user-select: none; flex: none;}
.el-hex .sp {padding: 0 0.25ch; margin-right: 0.5ch; border-radius: 3px; white-space: pre; flex: none;}
.el-hex .pad {display: inline-block; flex: none;}
.el-hex .sp.o {margin-right: 0; padding-right: 0.75ch; border-top-right-radius: 0; border-bottom-right-radius: 0;}
.el-hex .sp.c {border-top-left-radius: 0; border-bottom-left-radius: 0;}
/* bytes shown as text are code elements (data, not words): none of the page's code styling */
:is(.el-hex, .el-text, .el-fig, .el-spans) code {font: inherit; color: inherit; background: none; padding: 0; margin: 0; border: 0;
  border-radius: 0; white-space: inherit;}
.el-hex .asc {display: none; color: #555; margin-left: 0.5ch; white-space: pre; flex: none;}
.el-hex .raw {color: #666;}
.el-hex .fail {outline: 3px solid #D55E00; outline-offset: 1px; font-weight: bold;}
.el-text .sp {border-radius: 3px; padding: 0 1px;}
.el-hex .hl, .el-text .hl, .el-fig .hl {outline: 3px solid #0072B2; outline-offset: 1px;}
.el-hex .dim, .el-text .dim, .el-fig .dim {opacity: 0.28;}
.el-text {white-space: pre-wrap; word-break: break-all; position: relative;}
.el-text .off {color: #888; user-select: none;}
.el-fig {display: flex; flex-wrap: wrap; gap: 10px 6px; align-items: flex-start;}
.el-fig .grp {border: 1px solid #bbb; border-radius: 6px; padding: 4px; display: flex; flex-wrap: wrap;
  gap: 3px; max-width: 100%; min-width: 0; box-sizing: border-box; position: relative;}
.el-fig .box {display: flex; flex-direction: column; align-items: center; max-width: 100%; min-width: 0;}
.el-fig .bytes {border-radius: 4px; padding: 1px 4px; max-width: 100%; box-sizing: border-box;
  overflow-wrap: anywhere;}
.el-fig .lab {font-family: sans-serif; font-size: 0.72em; color: #333; text-align: center;
  margin-top: 2px; max-width: min(14em, 100%); overflow-wrap: anywhere;}
/* explanations: a tooltip by the line on hover (the figure's boxes carry labels instead); on focus
   (tap, click, Tab) a line of its own under the bytes */
.el-hex .ex, .el-text .ex, .el-fig .ex {display: none; white-space: pre-line; word-break: normal;
  overflow-wrap: anywhere; font-family: sans-serif; font-size: calc(var(--el-font, 0.86rem) * 0.95);
  line-height: 1.4; color: #222; background: #fff8dc; border: 1px solid #d9b44a; border-radius: 4px;
  padding: 4px 8px; margin: 2px 0 6px; box-sizing: border-box; text-align: left;}
.el-hex .sp[tabindex], .el-text .sp[tabindex], .el-fig .bytes {cursor: pointer;}
.el-hex .sp:focus, .el-text .sp:focus, .el-fig .bytes:focus {outline: 2px solid #000; outline-offset: 1px;}
.el-hex .sp:hover + .ex, .el-text .sp:hover + .ex {display: block; position: absolute; left: 0; right: 0;
  z-index: 3; pointer-events: none; box-shadow: 0 2px 6px #0003;}
.el-hex .sp:hover + .ex {top: 100%;}
.el-hex .r:last-child .sp:hover + .ex {top: auto; bottom: 100%;}
.el-hex .sp:focus + .ex, .el-text .sp:focus + .ex, .el-fig .box:focus-within + .ex {display: block;
  position: static; order: 1; flex-basis: 100%; box-shadow: none;}
.el-spans {max-height: 26em; overflow-y: auto; margin-top: 6px; font-family: sans-serif;
  font-size: calc(var(--el-font, 0.86rem) * 0.95); line-height: 1.4;}
.el-spans table {width: 100%; border-collapse: collapse; table-layout: fixed;}
.el-spans th, .el-spans td {border-bottom: 1px solid #eee; padding: 2px 4px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere;}
.el-spans th {position: sticky; top: 0; background: #f6f6f6; font-weight: 600;}
.el-spans th:first-child {width: 4.2em;} .el-spans th:last-child {width: 32%;}
.el-spans .at {font-family: ui-monospace, Menlo, Consolas, monospace;}
.el-spans span {border-radius: 3px; padding: 0 4px;}
.el-spans tr[tabindex] {cursor: pointer;}
.el-spans tr[tabindex]:focus {outline: 2px solid #000; outline-offset: -2px;}
.el-spans tr.ex {display: none;}
.el-spans tr:focus + tr.ex {display: table-row;}
.el-spans tr.ex td {background: #fff8dc; white-space: pre-line;}
.el-legend {font-family: sans-serif; font-size: 0.8rem;}
/* a card's heading and notes, sent with its bytes (ui.hexview.card_head_html): Streamlit's paragraph and caption */
.el-card-head {font-size: 1rem; margin-bottom: 0.35rem;}
.el-card-note {font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin-bottom: 0.6rem; overflow-wrap: anywhere;}
.el-legend span {border-radius: 3px; padding: 1px 6px; margin-right: 6px; display: inline-block;}
""" + "\n".join((kind_css(), card_css(), hex_css())) + """
</style>
"""
