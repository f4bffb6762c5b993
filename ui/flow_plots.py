"""Plotly figures of the dataflow simulations: pure functions of a run's plain rows (no st calls).

Each is built once per language and rows for every session (`shared`): Plotly's checks in
update_layout and add_trace cost 5-15 ms a figure, most of a Dataflow page's rerun.

Colours follow ui.theme's Okabe-Ito palette: a code version keeps its colour on every page,
and a read is green (ok), orange (lossy) or vermillion (failed) as on the evolution pages.
"""
import functools
import math
from collections import Counter

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dataflow.engine import key_part
from formats.budget import MB, budgeted
from ui import cache, plots
from ui.evolution import STATUS_STYLE
from ui.language import t
from ui.plots import FONT

VERSION_COLOR = {1: "#56B4E9", 2: "#0072B2", 3: "#CC79A7"}
READ_COLOR = {"ok": STATUS_STYLE["compatible"][0], "lossy": STATUS_STYLE["lossy"][0],
              "failed": STATUS_STYLE["incompatible"][0]}
GREY, VERMILLION, ORANGE, GREEN, BLUE, YELLOW = "#999999", "#D55E00", "#E69F00", "#009E73", "#0072B2", "#F0E442"
STATE_COLOR = {"restarting": GREY, "health check": YELLOW, "failed check": VERMILLION}


@budgeted(8 * MB, copy=True, key=cache.drawing)
def _spec(build, *args, **kwargs) -> dict:
    return build(*args, **kwargs).to_dict()


def shared(build):
    """`build` cached as its figure's dict (see the module's docstring); each call gets a figure of its own,
    unchecked (tests/test_plots.py checks every figure these functions build), which the page may change:
    a plots.Drawn, the dict itself until the page asks for Plotly's objects."""
    @functools.wraps(build)
    def figure(*args, **kwargs) -> plots.Drawn:
        return plots.Drawn(_spec(build, *args, **kwargs))
    return figure


def _layout(fig: go.Figure, title: str, height: int, **kw) -> go.Figure:
    """House style. The title is kept in layout.meta, not drawn: a legend that wraps onto a second row in a
    narrow column would cover it, so the page prints it above the chart (ui.flow.chart)."""
    fig.update_layout(meta={"title": title}, height=height, font=FONT, margin=dict(l=10, r=10, t=10, b=10),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, traceorder="normal"), **kw)
    return fig


def version_color(version: int) -> str:
    return VERSION_COLOR.get(version, BLUE)


# --- nodes and their code versions ------------------------------------------------------------------------

@shared
def node_timeline(node_states: list[dict], title: str | None = None) -> go.Figure:
    """A heatmap: one row per node, one cell per tick, coloured by version (when serving) or state."""
    nodes = list(dict.fromkeys(r["node"] for r in node_states))
    ticks = sorted({r["tick"] for r in node_states})

    def category(row: dict) -> str:
        return t("fl.plot.serving", v=row["version"]) if row["state"] == "up" else t(f"fl.plot.state.{key_part(row['state'])}")

    rows = {(r["node"], r["tick"]): r for r in node_states}
    versions = sorted({r["version"] for r in node_states if r["state"] == "up"})
    states = [s for s in STATE_COLOR if any(r["state"] == s for r in node_states)]
    cats = [t("fl.plot.serving", v=v) for v in versions] + [t(f"fl.plot.state.{key_part(s)}") for s in states]
    colors = [version_color(v) for v in versions] + [STATE_COLOR[s] for s in states]
    index = {c: i for i, c in enumerate(cats)}
    z = [[index.get(category(rows[n, k]), 0) + 0.5 if (n, k) in rows else None for k in ticks] for n in nodes]
    text = [[t("fl.plot.node_at", node=n, tick=k, what=category(rows[n, k])) if (n, k) in rows else "" for k in ticks]
            for n in nodes]
    k = max(1, len(cats))
    scale = [[edge, colors[i]] for i in range(len(cats)) for edge in (i / k, (i + 1) / k)] or [[0, GREY], [1, GREY]]
    fig = go.Figure(go.Heatmap(z=z, x=ticks, y=nodes, colorscale=scale, zmin=0, zmax=k, showscale=False,
                               text=text, hovertemplate="%{text}<extra></extra>", xgap=1, ygap=2))
    for cat, color in zip(cats, colors):   # heatmaps have no legend: one empty trace per colour gives one
        fig.add_scatter(x=[None], y=[None], mode="markers", name=cat,
                        marker=dict(symbol="square", size=14, color=color))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=t("fl.plot.tick"))
    return _layout(fig, title or t("fl.plot.nodes_title"), 140 + 34 * len(nodes), plot_bgcolor="#fff")



@shared
def upgrade_requests(series: list[dict]) -> go.Figure:
    """Per tick: requests served (cleanly or after a lossy read), failed on a read, or with no healthy node."""
    x = [r["tick"] for r in series]
    parts = [(t("fl.plot.served"), [r["served"] - r["lossy reads"] for r in series], GREEN),
             (t("fl.plot.served_lossy"), [r["lossy reads"] for r in series], ORANGE),
             (t("fl.plot.failed_read"), [r["failed reads"] for r in series], VERMILLION),
             (t("fl.plot.no_healthy_node"), [r["unavailable"] for r in series], GREY)]
    fig = go.Figure()
    for name, y, color in parts:
        fig.add_bar(x=x, y=y, name=name, marker_color=color,
                    hovertemplate=t("fl.plot.tick_hover", what=name) + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.tick"))
    fig.update_yaxes(title=t("fl.plot.requests"))
    return _layout(fig, t("fl.plot.requests_title"), 380, barmode="stack", bargap=0.1)


@shared
def crossings(rows: list[dict], count: str = "reads", title: str | None = None) -> go.Figure:
    """Reads (or messages) per writer version -> reader version, stacked by how they read."""
    pairs = sorted({(r["writer_version"], r["reader_version"]) for r in rows},
                   key=lambda p: (p[0] != p[1], p[1] < p[0], p))

    def label(w: int, v: int) -> str:
        return f"v{w} → v{v}<br>" + t("fl.plot.same_version" if w == v else "fl.direction.backward" if v > w
                                        else "fl.direction.forward")

    fig = go.Figure()
    for status, color in READ_COLOR.items():
        counts = Counter({(r["writer_version"], r["reader_version"]): r[count] for r in rows if r["status"] == status})
        if counts:
            name = t(f"fl.read.{status}")
            fig.add_bar(x=[label(*p) for p in pairs], y=[counts[p] for p in pairs], name=name, marker_color=color,
                        hovertemplate="%{x}: %{y} " + name + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.writer_reader"))
    fig.update_yaxes(title=t(f"fl.plot.{count}"))
    return _layout(fig, title or t("fl.plot.crossings_title"), 380, barmode="stack")


# --- databases ----------------------------------------------------------------------------------------------

@shared
def rows_over_time(series: list[dict], title: str | None = None, what: str = "rows") -> go.Figure:
    """Rows in the table (or events in a log) by the version that wrote them, month by month (stacked area)."""
    fig = go.Figure()
    for version in dict.fromkeys(r["version"] for r in series):
        mine = [r for r in series if r["version"] == version]
        fig.add_scatter(x=[r["month"] for r in mine], y=[r["rows"] for r in mine],
                        name=t("fl.plot.written_by", version=version), stackgroup="rows", mode="lines",
                        line=dict(width=0.5, color=version_color(int(version[1:]))),
                        hovertemplate=t(f"fl.plot.{what}_by_month", version=version) + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.month"))
    fig.update_yaxes(title=t(f"fl.plot.{what}_stored"))
    return _layout(fig, title or t("fl.plot.rows_title"), 380)


@shared
def read_status(rows: list[dict], title: str | None = None, what: str = "rows") -> go.Figure:
    """How today's code read each row (or event), per writer version."""
    def how(row: dict) -> str:
        return "defaulted" if row["status"] == "ok" and row["defaulted"] else row["status"]

    colors = {"ok": GREEN, "defaulted": "#7fcdb8", "lossy": ORANGE, "failed": VERMILLION}
    counts = Counter((r["writer_version"], how(r)) for r in rows)
    versions = sorted({r["writer_version"] for r in rows})
    fig = go.Figure()
    for status, color in colors.items():
        if any(counts[v, status] for v in versions):
            name = t(f"fl.read.{status}")
            fig.add_bar(x=[t("fl.plot.written_by", version=f"v{v}") for v in versions],
                        y=[counts[v, status] for v in versions], name=name, marker_color=color,
                        hovertemplate="%{x}: %{y} " + t(f"fl.plot.{what}") + ", " + name + "<extra></extra>")
    fig.update_yaxes(title=t(f"fl.plot.{what}"))
    return _layout(fig, title or t("fl.plot.read_status_title"), 380, barmode="stack")


@shared
def migration_costs(costs: list[dict]) -> go.Figure:
    """Rewriting every old row (once, grows with the table) vs resolving old rows on read (per day, flat)."""
    x = [c["rows"] for c in costs]
    fig = go.Figure()
    fig.add_scatter(x=x, y=[c["migration seconds"] for c in costs], name=t("fl.plot.migrate"),
                    mode="lines+markers", line=dict(color=VERMILLION),
                    hovertemplate=t("fl.plot.migrate_hover") + "<extra></extra>")
    fig.add_scatter(x=x, y=[c["resolution seconds per day"] for c in costs], mode="lines+markers",
                    name=t("fl.plot.resolve"), line=dict(color=BLUE, dash="dash"),
                    hovertemplate=t("fl.plot.resolve_hover") + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.rows_stored"), type="log")
    fig.update_yaxes(title=t("fl.plot.seconds"), type="log")
    return _layout(fig, t("fl.plot.migration_title"), 400)


# --- services -----------------------------------------------------------------------------------------------

LATENCY_TICKS = [(10.0 ** k, n, unit) for k, (n, unit) in zip(range(-3, 5), (
    (1, "us"), (10, "us"), (100, "us"), (1, "ms"), (10, "ms"), (100, "ms"), (1, "s"), (10, "s")))]


@shared
def latency_histogram(payments: list[dict]) -> go.Figure:
    """Latency of every payment, remote and local, on a log scale (log10 bins: 8 decades on one axis)."""
    fig = go.Figure()
    for mode, color, name in (("local", GREEN, t("fl.plot.local_call")), ("remote", BLUE, t("fl.plot.remote_call"))):
        values = [math.log10(max(r["latency_ms"], 1e-4)) for r in payments if r["mode"] == mode]
        fig.add_histogram(x=values, name=name, marker_color=color, xbins=dict(size=0.1), opacity=0.85,
                          hovertemplate="%{y} " + t("fl.plot.payments") + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.latency_axis"), tickvals=[math.log10(v) for v, _, _ in LATENCY_TICKS],
                     ticktext=[f"{n} {t(f'fl.unit.{unit}')}" for _, n, unit in LATENCY_TICKS])
    fig.update_yaxes(title=t("fl.plot.payments"))
    return _layout(fig, t("fl.plot.latency_title"), 380, barmode="overlay")


@shared
def charges_per_payment(payments: list[dict]) -> go.Figure:
    """How many times each remote payment charged the card: 0 (failed), 1, or more (double charges)."""
    counts = Counter(r["charges"] for r in payments if r["mode"] == "remote")
    xs = list(range(0, max(2, max(counts, default=0)) + 1))
    colors = [GREY if n == 0 else GREEN if n == 1 else VERMILLION for n in xs]
    fig = go.Figure(go.Bar(x=[str(n) for n in xs], y=[counts[n] for n in xs], marker_color=colors,
                           text=[counts[n] for n in xs], textposition="outside",
                           hovertemplate=t("fl.plot.charged_hover") + "<extra></extra>"))
    fig.update_xaxes(title=t("fl.plot.charged_axis"), type="category")
    fig.update_yaxes(title=t("fl.plot.payments"), rangemode="tozero")
    return _layout(fig, t("fl.plot.charges_title"), 380, showlegend=False)


@shared
def service_timeline(series: list[dict], width_ms: float) -> go.Figure:
    """What happened on the wire, per time window."""
    x = [r["time"] / 1000 for r in series]
    styles = {"requests sent": BLUE, "requests lost": VERMILLION, "responses lost": ORANGE, "charges": GREEN,
              "retries": "#CC79A7", "gave up": GREY}
    fig = go.Figure()
    for column, color in styles.items():
        name = t(f"fl.plot.wire.{key_part(column)}")
        fig.add_scatter(x=x, y=[r[column] for r in series], name=name, mode="lines", line=dict(color=color, width=2),
                        line_shape="hv", hovertemplate=t("fl.plot.seconds_hover", what=name) + "<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.simulated_time"))
    fig.update_yaxes(title=t("fl.plot.per_ms", n=width_ms))
    return _layout(fig, t("fl.plot.wire_title"), 380)


# --- messaging ------------------------------------------------------------------------------------------------

@shared
def outage(series: list[dict], down_from: float, down_until: float) -> go.Figure:
    """Queue depth in the broker while the consumer is down, against messages lost by direct calls."""
    x = [r["tick"] for r in series]
    fig = go.Figure()
    fig.add_vrect(x0=down_from, x1=down_until, fillcolor=GREY, opacity=0.18, line_width=0,
                  annotation_text=t("fl.plot.consumer_down"), annotation_position="top left")
    fig.add_scatter(x=x, y=[r["broker: queued"] for r in series], name=t("fl.plot.broker_queued"), fill="tozeroy",
                    mode="lines", line=dict(color=BLUE, width=2))
    fig.add_scatter(x=x, y=[r["direct: lost"] for r in series], name=t("fl.plot.direct_lost"), mode="lines",
                    line=dict(color=VERMILLION, width=3, dash="dot"))
    fig.update_xaxes(title=t("fl.plot.tick"))
    fig.update_yaxes(title=t("fl.plot.messages"), rangemode="tozero")
    return _layout(fig, t("fl.plot.outage_title"), 400)


@shared
def redelivery(series: list[dict], deliveries: list[dict]) -> go.Figure:
    """Crashes inside a message and the redeliveries they cause, counted up over time; the queue beneath."""
    x = [r["tick"] for r in series]
    fig = go.Figure()
    fig.add_bar(x=x, y=[r["queued"] for r in series], name=t("fl.plot.queued"), marker_color="#9ad0f0")
    fig.add_scatter(x=x, y=[r["crashes"] for r in series], name=t("fl.plot.crashed"),
                    mode="lines", line=dict(color=VERMILLION, width=3, shape="hv"))
    again = sorted(d["time"] for d in deliveries if d["attempt"] > 1)
    fig.add_scatter(x=[0.0] + again, y=list(range(len(again) + 1)), name=t("fl.plot.redelivered"),
                    mode="lines+markers", line=dict(color=BLUE, width=2, shape="hv"), marker=dict(size=7))
    fig.update_xaxes(title=t("fl.plot.tick"))
    fig.update_yaxes(title=t("fl.plot.messages"), rangemode="tozero")
    return _layout(fig, t("fl.plot.redelivery_title"), 380)


@shared
def fan_out(series: list[dict]) -> go.Figure:
    """Messages each consumer received: all of them (fan-out) or a share (competing consumers)."""
    topologies = ("fan-out", "competing consumers")
    fig = make_subplots(1, 2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=(t("fl.plot.fan_out_left"), t("fl.plot.fan_out_right")))
    for col, (topology, color) in enumerate(zip(topologies, (BLUE, "#CC79A7")), 1):
        mine = [r for r in series if r["topology"] == topology]
        fig.add_bar(x=[r["consumer"] for r in mine], y=[r["messages"] for r in mine], marker_color=color,
                    name=t(f"fl.plot.topology.{key_part(topology)}"), text=[r["messages"] for r in mine],
                    textposition="outside", row=1, col=col,
                    hovertemplate="%{x}: %{y} " + t("fl.plot.messages") + "<extra></extra>")
    fig.update_yaxes(title=t("fl.plot.messages_received"), row=1, col=1)
    fig.update_annotations(font=FONT)
    _layout(fig, t("fl.plot.fan_out_title"), 400, showlegend=False)
    fig.update_layout(margin=dict(t=40))
    return fig


@shared
def round_trips(rows: list[dict], first: int = 30) -> go.Figure:
    """The first requests, each from when it was sent to when its reply was matched (orange: a later
    request's reply came back first). Only `first` of them, so each bar is long enough to see."""
    rows = sorted(rows, key=lambda r: int(r["correlation_id"][2:]))
    overtaken, first_later = set(), math.inf
    for r in reversed(rows):
        if first_later < r["replied"]:
            overtaken.add(r["correlation_id"])
        first_later = min(first_later, r["replied"])
    fig = go.Figure()
    shown = rows[:first]
    for name, late, color in ((t("fl.plot.in_order"), False, BLUE), (t("fl.plot.overtaken"), True, ORANGE)):
        x, y = [], []
        for r in shown:
            if (r["correlation_id"] in overtaken) == late:
                x += [r["sent"], r["replied"], None]
                y += [int(r["correlation_id"][2:])] * 2 + [None]
        fig.add_scatter(x=x, y=y, mode="lines+markers", name=name, line=dict(color=color, width=4),
                        marker=dict(size=6), hovertemplate="q-%{y}: %{x:.2f}<extra></extra>")
    fig.update_xaxes(title=t("fl.plot.round_trip_axis"))
    fig.update_yaxes(title=t("fl.plot.request_axis"), autorange="reversed")
    return _layout(fig, t("fl.plot.round_trips_title", n=len(shown)), 460)


# --- actors ---------------------------------------------------------------------------------------------------

@shared
def mailboxes(rows: list[dict]) -> go.Figure:
    """Messages waiting in each actor's mailbox, tick by tick."""
    actors = list(dict.fromkeys(r["actor"] for r in rows))
    ticks = sorted({r["tick"] for r in rows})
    depth = {(r["actor"], r["tick"]): r["waiting"] for r in rows}
    nodes = {r["actor"]: r["node"] for r in rows}
    fig = go.Figure(go.Heatmap(z=[[depth.get((a, k), 0) for k in ticks] for a in actors], x=ticks,
                               y=[f"{a} ({nodes[a]})" for a in actors], colorscale="Blues", zmin=0, xgap=1, ygap=1,
                               colorbar=dict(title=t("fl.plot.waiting"), thickness=12),
                               hovertemplate=t("fl.plot.waiting_hover") + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t("fl.plot.tick"))
    return _layout(fig, t("fl.plot.mailboxes_title"), 140 + 24 * len(actors))


@shared
def actor_peaks(rows: list[dict]) -> go.Figure:
    """Per actor: most messages ever in flight (1: one at a time) and most ever waiting in its mailbox."""
    names = [r["actor"] for r in rows]
    fig = go.Figure()
    fig.add_bar(x=names, y=[r["peak mailbox"] for r in rows], name=t("fl.plot.most_waiting"), marker_color="#9ad0f0")
    fig.add_bar(x=names, y=[r["peak in flight"] for r in rows], name=t("fl.plot.most_in_flight"), marker_color=BLUE,
                text=[r["peak in flight"] for r in rows], textposition="outside")
    fig.update_yaxes(title=t("fl.plot.messages"), rangemode="tozero")
    return _layout(fig, t("fl.plot.peaks_title"), 380, barmode="group")


@shared
def actor_series(series: list[dict]) -> go.Figure:
    """Per tick: messages handled (top), and those that never reached an actor (bottom)."""
    x = [r["time"] for r in series]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.45, 0.55])
    fig.add_scatter(x=x, y=[r["handled"] for r in series], name=t("fl.plot.handled"), mode="lines",
                    line=dict(color=BLUE, width=2), row=1, col=1)
    for column, color in (("lost in network", ORANGE), ("dead letters", GREY), ("unreadable", VERMILLION)):
        fig.add_bar(x=x, y=[r[column] for r in series], name=t(f"fl.plot.{key_part(column)}"), marker_color=color,
                    row=2, col=1)
    fig.update_xaxes(title=t("fl.plot.tick"), row=2, col=1)
    fig.update_yaxes(title=t("fl.plot.handled"), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title=t("fl.plot.never_arrived"), rangemode="tozero", row=2, col=1)
    return _layout(fig, t("fl.plot.messages_title"), 420, barmode="stack")


# --- durable execution ----------------------------------------------------------------------------------------

STEP_COLOR = {"reserve_inventory": "#56B4E9", "fraud_check": YELLOW, "charge_card": GREEN, "ship_order": BLUE,
              "send_receipt": "#CC79A7"}


@shared
def workflow_steps(executions: list[dict], replays: list[dict], crash_at: float | None,
                   deploy_at: float | None) -> go.Figure:
    """One row per workflow: each activity execution as a bar (grey: killed by the crash), each replay as a
    mark (a cross: non-determinism error), and the crash and the deploy as vertical lines."""
    workflows = list(dict.fromkeys(e["workflow"] for e in executions)) or [t("fl.plot.no_workflow")]
    fig = go.Figure()
    for step, color in {**STEP_COLOR, "lost in the crash": GREY}.items():
        mine = [e for e in executions if (e["outcome"] == step if step == "lost in the crash"
                                          else e["step"] == step and e["outcome"] != "lost in the crash")]
        if mine:
            fig.add_bar(y=[e["workflow"] for e in mine], x=[max(e["end"] - e["start"], 0.02) for e in mine],
                        base=[e["start"] for e in mine], orientation="h",
                        name=t(f"fl.plot.step.{key_part(step)}"),
                        marker_color=color, customdata=[[e["step"], e["attempt"], e["start"], e["end"]] for e in mine],
                        hovertemplate=t("fl.plot.step_hover") + "<extra></extra>")
    for outcome, symbol, color in (("replayed", "circle-open", "#000"), ("non-determinism", "x", VERMILLION)):
        mine = [r for r in replays if r["outcome"] == outcome]
        if mine:
            fig.add_scatter(x=[r["time"] for r in mine], y=[r["workflow"] for r in mine], mode="markers",
                            name=t("fl.plot.replay" if outcome == "replayed" else "fl.plot.non_determinism"),
                            marker=dict(symbol=symbol, size=12, color=color, line=dict(width=2, color=color)),
                            customdata=[[r["results from the log"], r["error"]] for r in mine],
                            hovertemplate=t("fl.plot.replay_hover") + "<extra></extra>")
    for at, label, color, side in ((crash_at, t("fl.plot.crashes"), VERMILLION, "top left"),
                                   (deploy_at, t("fl.plot.deployed"), BLUE, "top right")):
        if at is not None:   # the crash's label left of its line, the deploy's right: close lines keep both legible
            fig.add_vline(x=at, line=dict(color=color, dash="dash", width=2), annotation_text=label,
                          annotation_position=side)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=workflows)
    fig.update_xaxes(title=t("fl.plot.tick"))
    return _layout(fig, t("fl.plot.workflows_title"), 160 + 30 * len(workflows),
                   barmode="overlay", bargap=0.35)
