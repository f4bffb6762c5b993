"""The explorer's figures are built without Plotly's validation (ui/plots.py): here it runs."""
import json

import plotly.graph_objects as go
import pytest

import formats
import sample_data
from formats import compare
from ui import plots


def validated(fig: go.Figure) -> go.Figure:
    """The same figure through Plotly's validation (raises ValueError on any invalid property)."""
    return go.Figure(fig.to_dict())


def test_the_sizes_figure_is_valid_plotly_and_splits_each_format_by_kind():
    record = formats.parse_record(sample_data.load("person").record_text)
    encoded = {fid: formats.encode(fid, record) for fid in formats.FORMATS}
    fig = validated(plots.sizes_by_kind(encoded))
    assert fig.layout.template.layout.font is not None        # the default template, as a validated figure has
    totals = {}
    for bar in fig.data:
        for name, x in zip(bar.y, bar.x):
            totals[name] = totals.get(name, 0) + x
    assert totals == {formats.get(fid).title: e.size for fid, e in encoded.items()}


@pytest.mark.parametrize("chart", ["sizes", "growth"])
def test_the_explorer_charts_send_what_their_figures_would(chart):
    # ui/plots.drawn: the dict st.plotly_chart sends is the Figure's own to_dict(), default template included
    record = formats.parse_record(sample_data.load("person").record_text)
    if chart == "sizes":
        sent = plots.sizes_by_kind({fid: formats.encode(fid, record) for fid in formats.FORMATS}).to_dict()
    else:
        sent = plots.growth(compare.growth(record, {}, ("json", "avro"), (1, 2, 5))).to_dict()
    spec = dict(sent, layout={k: v for k, v in sent["layout"].items() if k != "template"})
    assert plots.figure(spec).to_dict() == sent   # the same JSON value (Plotly orders a trace's keys its own way)


def test_the_growth_figure_is_valid_plotly_two_panels_per_record_as_written_and_gzipped():
    record = formats.parse_record(sample_data.load("person").record_text)
    rows = compare.growth(record, {}, ("json", "avro"), (1, 2, 5))
    fig = validated(plots.growth(rows))
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    assert [(t.name, t.xaxis) for t in fig.data] == [("JSON", "x"), ("JSON", "x2"), ("Avro", "x"), ("Avro", "x2")]
    per_record = {r["records"]: r for r in rows if r["format"] == "json"}
    assert list(fig.data[1].y) == [per_record[n]["gzip bytes"] / n for n in (1, 2, 5)]
    assert [a.text for a in fig.layout.annotations] == ["as written", "gzipped together"]


def test_a_dataflow_figure_is_built_once_per_language_and_rows_and_each_caller_gets_its_own():
    # ui/flow_plots.shared: the cached dict equals a fresh build; a caller's change (the timeline's marker
    # line) stays its own; other rows or another language are another figure
    from dataflow import services
    from ui import flow_plots
    payments = services.run(services.Params()).payments
    first = flow_plots.latency_histogram(payments)
    assert first.to_dict() == flow_plots.latency_histogram.__wrapped__(payments).to_dict()
    first.add_shape(type="line", x0=1.0, x1=1.0, y0=0, y1=1, yref="paper")
    again = flow_plots.latency_histogram(payments)
    assert again.to_dict() == flow_plots.latency_histogram.__wrapped__(payments).to_dict()
    assert not again.layout.shapes and first.layout.shapes
    fewer = flow_plots.latency_histogram(payments[:10])
    assert fewer.to_dict() == flow_plots.latency_histogram.__wrapped__(payments[:10]).to_dict() != again.to_dict()


def test_a_drawn_figure_sends_the_chart_its_figure_would():
    # ui/plots.Drawn hands st.plotly_chart the cached dict without building Plotly's objects: the chart
    # Streamlit sends (spec JSON, and the marker line a timeline adds) must be the real Figure's, byte for
    # byte, and lecture mode's resizing reaches it too
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st
        from dataflow import services
        from ui import flow_plots, plots
        payments = services.run(services.Params()).payments
        for drawn in (flow_plots.latency_histogram(payments), flow_plots.latency_histogram.__wrapped__(payments)):
            drawn.add_shape(type="line", xref="x", yref="paper", x0=1.0, x1=1.0, y0=0, y1=1)
            st.plotly_chart(drawn, key=f"c{isinstance(drawn, plots.Drawn)}")

    at = AppTest.from_function(page).run()
    assert not at.exception
    drawn, built = (at.get("plotly_chart")[i].proto.spec for i in (0, 1))
    assert json.loads(drawn) == json.loads(built) and "shapes" in json.loads(drawn)["layout"]
    from ui import flow_plots, plots
    from dataflow import services
    payments = services.run(services.Params()).payments
    fig = flow_plots.latency_histogram(payments)
    assert isinstance(fig, plots.Drawn)
    fig.layout.font.size = 31   # what lecture.sized does: the Figure is built, and its change is sent
    assert fig.to_dict()["layout"]["font"]["size"] == 31
