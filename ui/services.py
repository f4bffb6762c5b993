"""Pieces of the Through services page: labelled HTTP messages, the history line, the discovery picture,
the table of old clients reading new responses."""
import html

import streamlit as st

from formats.spans import Encoded
from ui import hexview
from ui.evolution import badge_html
from ui.flow import why_html

HISTORY = (   # (era, technologies, what it was)
    ("1990s: remote objects", "CORBA (1991) · DCOM (1996) · Java RMI (1997) · EJB (1998)",
     "calls dressed as local method calls, on remote object references; tied to a language or a vendor"),
    ("around 2000: SOAP", "SOAP and WSDL · the WS-* standards",
     "XML envelopes over HTTP, described by WSDL, used through generated code"),
    ("2000s and on: REST", "JSON over plain HTTP · OpenAPI",
     "resources and HTTP's own verbs; any client with an HTTP library, curl or a browser"),
    ("2015 and on: gRPC", "Protocol Buffers over HTTP/2 (also Thrift, Avro RPC)",
     "generated stubs, compact binary, streaming; mostly between services of one organisation"),
)
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
    """One message's bytes, labelled, under its title and size, its notes beneath."""
    st.markdown(f"**{title}** — {encoded.size} bytes")
    st.html(hexview.text_html(encoded) if text else hexview.hex_html(encoded, per_row=8))
    for note in encoded.notes:
        st.caption(note)


def history_html() -> str:
    eras = "<span class='arrow'>→</span>".join(
        f"<div class='era'><b>{html.escape(era)}</b><span class='tech'>{html.escape(tech)}</span><br>"
        f"{html.escape(what)}</div>" for era, tech, what in HISTORY)
    return CSS + f"<div class='el-line'>{eras}</div>"


def response_table_html(rows: list[dict]) -> str:
    body = "".join(f"<tr><th>{html.escape(r['api'])}</th><td>{html.escape(r['client'])}</td>"
                   f"<td>{badge_html(r['status'])}<div>{why_html(r['why'])}</div></td><td>{r['bytes']}</td></tr>"
                   for r in rows)
    return (CSS + "<table class='el-resp'><thead><tr><th>API</th><th>old client</th><th>reading the v2 response"
            f"</th><th>bytes</th></tr></thead><tbody>{body}</tbody></table>")


def discovery_svg() -> str:
    """A client asks the registry for the service's name; instances register and are health-checked.
    (An SVG for st.image: st.html drops SVG.)"""
    boxes = [(10, 70, "client", "#E69F00"), (290, 70, "registry: DNS, Consul,\netcd, Kubernetes", "#56B4E9"),
             (580, 10, "payments v1\n10.0.1.7:8443", "#56B4E9"), (580, 70, "payments v2\n10.0.1.9:8443", "#0072B2"),
             (580, 130, "payments v2\n10.0.2.4:8443", "#0072B2")]
    parts = []
    for x, y, label, color in boxes:
        lines = label.split("\n")
        text = "".join(f"<tspan x='{x + 80}' dy='{0 if i == 0 else 15}'>{html.escape(t)}</tspan>"
                       for i, t in enumerate(lines))
        parts.append(f"<rect x='{x}' y='{y}' width='160' height='44' rx='6' fill='{color}'/>"
                     f"<text x='{x + 80}' y='{y + (18 if len(lines) > 1 else 27)}' text-anchor='middle' "
                     f"font-size='12' fill='{'#fff' if color == '#0072B2' else '#000'}'>{text}</text>")
    arrows = [(170, 80, 290, 80, "1. where is payments?", -5), (290, 104, 170, 104, "2. its instances", 14),
              (580, 32, 450, 80, "", 0), (580, 92, 450, 92, "register, health checks", -5),
              (580, 152, 450, 104, "", 0), (90, 114, 580, 160, "3. call one of them: v1 or v2", 14)]
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
