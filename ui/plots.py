"""Plotly figures: sizes stacked by what the bytes are spent on, and size as the data grows."""
import plotly.graph_objects as go

import formats
from ui.theme import GROUP_COLOR, GROUP_ORDER, KIND_GROUP

FONT = dict(size=15)


def title(format_id: str) -> str:
    return formats.get(format_id).title


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
    return fig


def growth(rows: list[dict], gzip_too: bool = True) -> go.Figure:
    """Total size for 1..N records per format, raw (solid) and gzipped (dotted)."""
    fig = go.Figure()
    fids = list(dict.fromkeys(r["format"] for r in rows))
    for fid in fids:
        mine = [r for r in rows if r["format"] == fid]
        fig.add_scatter(x=[r["records"] for r in mine], y=[r["bytes"] for r in mine], name=title(fid),
                        mode="lines+markers", legendgroup=fid)
        if gzip_too:
            fig.add_scatter(x=[r["records"] for r in mine], y=[r["gzip bytes"] for r in mine],
                            name=f"{title(fid)} + gzip", mode="lines", line=dict(dash="dot"),
                            legendgroup=fid)
    fig.update_layout(xaxis_title="records", yaxis_title="bytes", height=460, font=FONT,
                      margin=dict(l=10, r=10, t=30, b=10), xaxis_type="log", yaxis_type="log")
    return fig
