"""Pieces of the Through services page: labelled HTTP messages, the history line, the discovery picture,
the table of old clients reading new responses."""
import html

import streamlit as st

from formats.spans import Encoded
from ui import cache, hexview, show
from ui.evolution import badge_html
from ui.flow import why_html
from ui.language import t, tr

HISTORY = ("objects", "soap", "rest", "grpc")   # the eras, each `fl.sv.era.<id>`: its name, technologies, what
CSS = """
<style>
.el-line {display: flex; flex-wrap: wrap; gap: 6px; align-items: stretch;}
.el-line .era {flex: 1 1 12em; border: 1px solid #bbb; border-radius: 6px; padding: 6px 8px; font-size: 0.86rem;}
.el-line .era b {display: block;} .el-line .tech {color: #0072B2;} .el-line .arrow {align-self: center;}
.el-resp {border-collapse: collapse; width: 100%; font-size: 0.9rem;}
.el-resp th, .el-resp td {border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top;}
</style>
"""


def message(title: str, encoded: Encoded, text: bool = True) -> None:
    """One message's bytes, labelled, under its title and size, its notes beneath: one element (see
    hexview.card_head_html), drawn once for every session."""
    show.html(cache.html(message_html, title, encoded, text))


def message_html(title: str, encoded: Encoded, text: bool) -> str:
    head = hexview.card_head_html(t("fl.sv.message", title=title, n=encoded.size), [])
    notes = "".join(f"<div class='el-card-note'>{hexview.inline(tr(note))}</div>" for note in encoded.notes)
    return head + (hexview.text_html(encoded) if text else hexview.hex_html(encoded, per_row=8)) + notes


def history_html() -> str:
    eras = "<span class='arrow'>→</span>".join(
        f"<div class='era'><b>{html.escape(t(f'fl.sv.era.{era}.name'))}</b><span class='tech'>"
        f"{html.escape(t(f'fl.sv.era.{era}.tech'))}</span><br>{html.escape(t(f'fl.sv.era.{era}.what'))}</div>"
        for era in HISTORY)
    return CSS + f"<div class='el-line'>{eras}</div>"


def response_table_html(rows: list[dict]) -> str:
    body = "".join(f"<tr><th>{html.escape(tr(r['api']))}</th><td>{html.escape(tr(r['client']))}</td>"
                   f"<td>{badge_html(r['status'], t('fl.status.' + r['status']))}"
                   f"<div>{why_html(tr(r['why']))}</div></td><td>{r['bytes']}</td></tr>" for r in rows)
    head = "".join(f"<th>{t(f'fl.sv.resp.{c}')}</th>" for c in ("api", "client", "reading", "bytes"))
    return CSS + f"<table class='el-resp'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def discovery_svg() -> str:
    """A client asks the registry for the service's name; instances register and are health-checked.
    (An SVG for st.image: st.html drops SVG.)"""
    boxes = [(10, 70, t("fl.sv.svg.client"), "#E69F00"), (290, 70, t("fl.sv.svg.registry"), "#56B4E9"),
             (580, 10, "payments v1\n10.0.1.7:8443", "#56B4E9"), (580, 70, "payments v2\n10.0.1.9:8443", "#0072B2"),
             (580, 130, "payments v2\n10.0.2.4:8443", "#0072B2")]
    parts = []
    for x, y, label, color in boxes:
        lines = label.split("\n")
        text = "".join(f"<tspan x='{x + 80}' dy='{0 if i == 0 else 15}'>{html.escape(line)}</tspan>"
                       for i, line in enumerate(lines))
        parts.append(f"<rect x='{x}' y='{y}' width='160' height='44' rx='6' fill='{color}'/>"
                     f"<text x='{x + 80}' y='{y + (18 if len(lines) > 1 else 27)}' text-anchor='middle' "
                     f"font-size='12' fill='{'#fff' if color == '#0072B2' else '#000'}'>{text}</text>")
    arrows = [(170, 80, 290, 80, t("fl.sv.svg.where"), -5), (290, 104, 170, 104, t("fl.sv.svg.instances"), 14),
              (580, 32, 450, 80, "", 0), (580, 92, 450, 92, t("fl.sv.svg.register"), -5),
              (580, 152, 450, 104, "", 0), (90, 114, 580, 160, t("fl.sv.svg.call"), 14)]
    for x1, y1, x2, y2, label, dy in arrows:
        parts.append(f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='#555' stroke-width='1.5' "
                     f"marker-end='url(#el-arrow)'/>")
        if label:
            parts.append(f"<text x='{(x1 + x2) / 2}' y='{(y1 + y2) / 2 + dy}' text-anchor='middle' font-size='11' "
                         f"fill='#333'>{html.escape(label)}</text>")
    return ("<svg xmlns='http://www.w3.org/2000/svg' width='750' height='190' viewBox='0 0 750 190' "
            "font-family='sans-serif'><defs><marker id='el-arrow' viewBox='0 0 10 10' refX='9' refY='5' "
            "markerWidth='7' markerHeight='7' orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker>"
            f"</defs>{''.join(parts)}</svg>")
