"""Plotly figures: sizes stacked by what the bytes are spent on, and size as the data grows.

Built as plain dicts and wrapped without validation: validating a figure costs more than writing
and walking all ten formats (~100 ms per rerun). tests/test_plots.py validates every figure
these functions build, so skipping it here loses nothing.
"""
import functools
import html

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure

import formats
from ui.language import t
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


def figure(spec: dict) -> go.Figure:
    """A Figure from a spec already known to be valid (see the module's docstring)."""
    return go.Figure(spec, _validate=False)


@functools.cache
def _template() -> dict:
    """The default template, as every Figure's to_dict() carries it in its layout (read, never changed)."""
    return go.Figure().to_dict()["layout"]["template"]


def drawn(spec: dict) -> "Drawn":
    """figure(spec) as st.plotly_chart would send it, without building Plotly's objects: the spec and the
    default template. An Explorer edit draws its sizes chart anew, and go.Figure's construction and
    to_dict's deep copy were 5% of it (bench/bench_explorer.py); tests/test_plots.py holds the two equal."""
    return Drawn({**spec, "layout": {**spec.get("layout", {}), "template": _template()}})


class Drawn(BaseFigure):
    """A figure kept as the dict Figure.to_dict() gave (ui/flow_plots caches it), for st.plotly_chart.

    st.plotly_chart asks a Figure for nothing but to_dict() (plotly.tools.return_figure_from_figure_or_data;
    tests/test_plots.py checks that the chart it sends is the Figure's own), and building Plotly's objects
    from the dict on every rerun, for to_dict() to copy them back, was a sixth of a Dataflow page's rerun.
    So BaseFigure.__init__ is left out: the Figure is built only if the page asks for its parts (`data`,
    `layout`: lecture mode resizes its fonts); a marker line (`add_shape`) goes straight into the dict."""

    def __init__(self, spec: dict):   # `spec`: this figure's own copy (it may be changed)
        self._spec, self._built = spec, None

    def built(self) -> go.Figure:
        if self._built is None:
            self._built = figure(self._spec)
        return self._built

    @property
    def meta(self) -> dict:
        return self._built.layout.meta if self._built is not None else self._spec.get("layout", {}).get("meta", {})

    @property
    def data(self):
        return self.built().data

    @property
    def layout(self):
        return self.built().layout

    def add_shape(self, **shape) -> None:
        if self._built is not None:
            self._built.add_shape(**shape)
        else:
            self._spec.setdefault("layout", {}).setdefault("shapes", []).append(shape)

    def for_each_xaxis(self, fn):
        return self.built().for_each_xaxis(fn)

    def for_each_yaxis(self, fn):
        return self.built().for_each_yaxis(fn)

    def to_dict(self) -> dict:
        return self._built.to_dict() if self._built is not None else self._spec


def sizes_by_kind(encoded: dict) -> "Drawn":
    """One horizontal bar per format, smallest first, split into values / field names / tags..."""
    order = sorted(encoded, key=lambda fid: encoded[fid].size)
    names = [title(f) for f in order]
    by_kind = {fid: encoded[fid].bytes_by_kind() for fid in order}
    bars = [dict(type="bar", y=names, x=[sum(n for kind, n in by_kind[fid].items() if KIND_GROUP[kind] == group)
                                         for fid in order],
                 name=t(group), orientation="h", marker=dict(color=GROUP_COLOR[group]),
                 hovertemplate=t("bytes.plot.hover_group", group=t(group))) for group in GROUP_ORDER]
    unlabelled = [encoded[fid].size - encoded[fid].labelled for fid in order]
    if any(unlabelled):
        bars.append(dict(type="bar", y=names, x=unlabelled, name=t("bytes.plot.unwalked"), orientation="h",
                         marker=dict(color="#eeeeee"), hovertemplate=t("bytes.plot.hover_unwalked")))
    notes = [dict(x=encoded[fid].size, y=title(fid), text=t("bytes.plot.size_note", n=encoded[fid].size), showarrow=False,
                  xanchor="left", font=FONT) for fid in order]
    return drawn(dict(data=bars, layout=dict(
        barmode="stack", height=70 + 34 * len(order), margin=dict(l=10, r=60, t=30, b=10),
        xaxis=dict(title=dict(text=t("bytes.plot.axis_bytes"))), legend=dict(orientation="h", y=1.02, yanchor="bottom"),
        yaxis=dict(tickvals=names, ticktext=[swatch(f) for f in order]),
        font=FONT, annotations=notes)))


def growth(rows: list[dict]) -> "Drawn":
    """Bytes per record for 1..N records: as written (left) and gzipped together (right), one colour and
    marker per format (ui.theme), largest format first; the legend is legend_html (order: meta).
    Two panels sharing the y axis, as make_subplots(cols=2, shared_yaxes=True) lays them out."""
    by_format: dict[str, list[dict]] = {}
    for r in rows:
        by_format.setdefault(r["format"], []).append(r)
    order = sorted(by_format, key=lambda fid: -by_format[fid][0]["bytes"] / by_format[fid][0]["records"])
    lines = []
    for fid in order:
        mine = by_format[fid]
        for xaxis, key, hover in (("x", "bytes", "bytes.plot.hover_written"), ("x2", "gzip bytes", "bytes.plot.hover_gzipped")):
            lines.append(dict(type="scatter", x=[r["records"] for r in mine], y=[r[key] / r["records"] for r in mine],
                              name=title(fid), legendgroup=fid, mode="lines+markers", xaxis=xaxis, yaxis="y",
                              line=dict(color=FORMAT_COLOR[fid], width=2.5),
                              marker=dict(symbol=FORMAT_MARKER[fid], size=8),
                              hovertemplate=t(hover, format=title(fid))))
    ticks = sorted({r["records"] for r in rows})
    axis = dict(type="log", title=dict(text=t("bytes.plot.records")), tickvals=ticks, anchor="y")
    panel_titles = [dict(text=text, x=(lo + hi) / 2, y=1.0, xref="paper", yref="paper", xanchor="center",
                         yanchor="bottom", showarrow=False, font=FONT)
                    for text, (lo, hi) in ((t("bytes.plot.written"), (0, 0.475)), (t("bytes.plot.gzipped"), (0.525, 1)))]
    return drawn(dict(data=lines, layout=dict(
        xaxis=dict(axis, domain=[0, 0.475]), xaxis2=dict(axis, domain=[0.525, 1]),
        yaxis=dict(title=dict(text=t("bytes.plot.per_record")), rangemode="tozero", anchor="x"),
        annotations=panel_titles, height=420, font=FONT, margin=dict(l=10, r=10, t=30, b=10),
        showlegend=False, meta={"order": order})))
