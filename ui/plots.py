"""Plotly figures: sizes stacked by what the bytes are spent on, and size as the data grows."""
import html

import plotly.graph_objects as go
from plotly.subplots import make_subplots

import formats
from ui.theme import FORMAT_COLOR, FORMAT_MARKER, GROUP_COLOR, GROUP_ORDER, KIND_GROUP

FONT = dict(size=15)
# st.plotly_chart(config=CONFIG) everywhere: Plotly's toolbar would cover the legends (on a phone a tap
# brings it up); dragging still zooms, a double click resets, Streamlit's own toolbar gives full screen.
CONFIG = {"displayModeBar": False}


def title(format_id: str) -> str:
    return formats.get(format_id).title


GLYPH = {"circle": "●", "square": "■", "diamond": "◆"}   # the markers of FORMAT_MARKER, as text


def swatch(format_id: str) -> str:
    """A format's name after its marker in its colour (HTML: Plotly's text and st.html both take it)."""
    return (f"<span style='color:{FORMAT_COLOR[format_id]}'>{GLYPH[FORMAT_MARKER[format_id]]}</span> "
            f"{html.escape(title(format_id))}")


def legend_html(format_ids) -> str:
    """The formats' colours as wrapping HTML under a chart: it fits a phone, where a Plotly legend of ten
    long names takes a column of its own and squeezes the plot."""
    return f"<div class='el-legend'>{''.join(f'<span>{swatch(fid)}</span>' for fid in format_ids)}</div>"


def sizes_by_kind(encoded: dict) -> go.Figure:
    """One horizontal bar per format, smallest first, split into values / field names / tags..."""
    order = sorted(encoded, key=lambda fid: encoded[fid].size)
    fig = go.Figure()
    for group in GROUP_ORDER:
        counts = []
        for fid in order:
            counts.append(sum(n for kind, n in encoded[fid].bytes_by_kind().items()
                              if KIND_GROUP[kind] == group))
        fig.add_bar(y=[title(f) for f in order], x=counts, name=group, orientation="h",
                    marker_color=GROUP_COLOR[group],
                    hovertemplate="%{y}: %{x} bytes of " + group + "<extra></extra>")
    unlabelled = [encoded[fid].size - encoded[fid].labelled for fid in order]
    if any(unlabelled):
        fig.add_bar(y=[title(f) for f in order], x=unlabelled, name="not walked yet (large data)",
                    orientation="h", marker_color="#eeeeee",
                    hovertemplate="%{y}: %{x} bytes not labelled yet<extra></extra>")
    for fid in order:
        fig.add_annotation(x=encoded[fid].size, y=title(fid), text=f" {encoded[fid].size} B",
                           showarrow=False, xanchor="left", font=FONT)
    fig.update_layout(barmode="stack", height=70 + 34 * len(order), margin=dict(l=10, r=60, t=30, b=10),
                      xaxis_title="bytes", legend=dict(orientation="h", y=1.02, yanchor="bottom"),
                      font=FONT)
    fig.update_yaxes(tickvals=[title(f) for f in order], ticktext=[swatch(f) for f in order])
    return fig


def growth(rows: list[dict]) -> go.Figure:
    """Bytes per record for 1..N records: as written (left) and gzipped together (right), one colour and
    marker per format (ui.theme), largest format first; the legend is legend_html (order: meta)."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=("as written", "gzipped together"))
    by_format: dict[str, list[dict]] = {}
    for r in rows:
        by_format.setdefault(r["format"], []).append(r)
    order = sorted(by_format, key=lambda fid: -by_format[fid][0]["bytes"] / by_format[fid][0]["records"])
    for fid in order:
        mine = by_format[fid]
        for col, key, how in ((1, "bytes", ""), (2, "gzip bytes", " + gzip")):
            fig.add_scatter(x=[r["records"] for r in mine], y=[r[key] / r["records"] for r in mine],
                            name=title(fid), legendgroup=fid, mode="lines+markers",
                            line=dict(color=FORMAT_COLOR[fid], width=2.5),
                            marker=dict(symbol=FORMAT_MARKER[fid], size=8),
                            hovertemplate=f"{title(fid)}{how}: %{{y:.1f}} bytes a record (%{{x}} records)"
                                          "<extra></extra>", row=1, col=col)
    fig.update_xaxes(type="log", title_text="records", tickvals=sorted({r["records"] for r in rows}))
    fig.update_yaxes(title_text="bytes per record", rangemode="tozero", row=1, col=1)
    fig.update_annotations(font=FONT)
    fig.update_layout(height=420, font=FONT, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
                      meta={"order": order})
    return fig
