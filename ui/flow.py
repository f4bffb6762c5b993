"""Widgets shared by the Dataflow pages: cached engine runs, pickers, headline metrics, notes.

Engine runs are cached by their parameters (format and change ids, frozen Params): the same
controls give the same seeded run, so a rerun or a second student costs a cache lookup.
Kept within a byte budget and shared, not copied: every session reads the same run (a copy cost
a third of a Dataflow page's rerun), and no page changes one (tests/test_page_dataflow.py checks).
"""
import html
import io
import json
import re

import fastavro
import streamlit as st

import evolution
import formats
import i18n
from dataflow import actors, adapters, databases, durable, events, messaging, rolling_upgrade, services
from dataflow import api as service_api   # ui.flow.api is the API evolution run
from dataflow.engine import key_part
from dataflow.erlang_terms import TermCodec
from formats import paths
from formats.budget import MB, budgeted
from ui import cache, language, lecture, plots, show, state
from ui.evolution import badge_html
from ui.language import t, tr

FORMATS = evolution.FORMATS
DEFAULT_CHANGE = "add-optional-field"
SCENARIOS = {   # id -> (catalogue key of its title, engine function)
    "outage": ("fl.mq.scenario.outage", messaging.outage),
    "redelivery": ("fl.mq.scenario.redelivery", messaging.redelivery),
    "fan-out": ("fl.mq.scenario.fan_out", messaging.fan_out),
    "request-reply": ("fl.mq.scenario.request_reply", messaging.request_reply),
}
CSS = """
<style>
.el-api {border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed; overflow-wrap: anywhere;}
.el-api th, .el-api td {border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top;}
.el-api .why {font-size: 0.82rem; color: #444; margin-top: 4px;}
.el-note {font-size: 0.85rem; color: #555;}   /* a caption beside a badge (lecture mode raises it) */
[data-testid="stMetricValue"] {font-size: 1.9rem;}
/* Russian labels are longer: a metric's label wraps instead of ending in "…", choices wrap on a phone */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {white-space: normal; overflow: visible;
  text-overflow: clip; line-height: 1.25;}
[data-testid="stButtonGroup"], [data-testid="stButtonGroup"] [role="radiogroup"] {max-width: 100%; flex-wrap: wrap;}
</style>
"""


# --- engine runs -------------------------------------------------------------------------------------------

@budgeted(4 * MB)
def upgrade(format_id: str, change_id: str, params: rolling_upgrade.Params):
    return rolling_upgrade.run(adapters.for_change(format_id, change_id), params)


@budgeted(4 * MB)
def database(format_id: str, params: databases.Params):
    return databases.run(adapters.history(format_id), params)


@budgeted(4 * MB)
def payments(params: services.Params):
    return services.run(params)


@budgeted(1 * MB)
def wire():
    return services.wire()


@budgeted(1 * MB)
def api(policy: str):
    return services.api_evolution(policy)


@budgeted(1 * MB)
def copy_demo(change: str, call_again: bool):
    return service_api.reference_vs_copy(change, call_again)


@budgeted(1 * MB)
def soap():
    return service_api.soap_call()


@budgeted(1 * MB)
def versions(client_version: int):
    return service_api.versioned_requests(client_version)


@budgeted(1 * MB)
def responses():
    return service_api.response_reads()


@budgeted(4 * MB)
def scenario(scenario_id: str, format_id: str, change_id: str, params: messaging.Params):
    return SCENARIOS[scenario_id][1](adapters.for_change(format_id, change_id), params)


@budgeted(4 * MB)
def republished(format_id: str, change_id: str):
    return messaging.republish(adapters.for_change(format_id, change_id))


@budgeted(4 * MB)
def actor_system(format_id: str, change_id: str, params: actors.Params):
    return actors.run(adapters.for_change(format_id, change_id), params)


@budgeted(4 * MB)
def workflows(params: durable.Params):
    return durable.run(params)


@budgeted(4 * MB)
def event_log(params: events.Params):
    return events.run(params)


@budgeted(4 * MB)
def erlang_actor_system(shape: str, params: actors.Params):
    return actors.run(TermCodec(shape), params)


def run_or_explain(run, *args):
    """The engine's result, or its FormatError shown in the student's terms (and the page stops there)."""
    try:
        return run(*args)
    except formats.FormatError as e:
        st.error(t("fl.cannot_run", error=tr(e.args[0])), icon="⚠️")
        st.stop()


# --- controls ---------------------------------------------------------------------------------------------

def init(prefix: str, allowed: dict | None = None, **defaults) -> dict:
    """A page's parameters (ui/state.declare): kept across page switches, in the page's link, defaulted
    on a first visit; a linked `format` and `change` are checked against the catalogue unless `allowed`
    says otherwise."""
    checks = {"format": FORMATS, "change": [c.id for c in evolution.CHANGES], **(allowed or {})}
    return state.declare(prefix, defaults, {name: checks[name] for name in defaults if name in checks},
                         note=t("fl.link_note"))


def title(format_id: str) -> str:
    return formats.get(format_id).title


def format_change(prefix: str, change_label: str | None = None, fixed: str | None = None) -> tuple[str, str]:
    """A format picker and, beside it, the catalogue changes that apply to that format. `fixed`: the format
    is chosen for the student (shown, disabled)."""
    format_key, change_key = f"{prefix}.format", f"{prefix}.change"
    if fixed:
        st.session_state[format_key] = fixed
    format_id = st.selectbox(t("fl.format"), FORMATS, key=format_key, format_func=title, disabled=bool(fixed))
    options = [c.id for c in evolution.CHANGES if c.applies(format_id)]
    if st.session_state.get(change_key) not in options:   # picked for another format, or first visit
        st.session_state[change_key] = DEFAULT_CHANGE
    change_id = st.selectbox(change_label or t("fl.change"), options, key=change_key,
                             format_func=lambda c: tr(evolution.change(c).title))
    return format_id, change_id


def seed_input(key: str) -> None:
    st.number_input(t("fl.seed"), 0, 2 ** 32, key=key, help=t("fl.seed_help"))


def concept(text: str) -> None:
    """The chapter's idea behind the page, beside its controls."""
    st.info(text, icon=":material/school:")


def change_verdicts(format_id: str, change_id: str) -> None:
    """The change's two directions as the evolution lab reads them on real bytes: what this run will meet."""
    change = evolution.change(change_id)
    badges = []
    for direction, words in evolution.DIRECTIONS.items():
        status = evolution.run(format_id, change_id, direction).status
        label = t("fl.verdict_badge", direction=t(f"fl.direction.{direction}"), status=t(f"fl.word.{status}"))
        badges.append(f"<span style='display:inline-block;margin:2px 1em 2px 0'>"
                      f"{badge_html(status, label)} "
                      f"<span class='el-note'>{html.escape(tr(words))}</span></span>")
    head = t("fl.change_in", change=tr(change.title), format=title(format_id))
    show.html(f"<div>{html.escape(head)}:<br>{''.join(badges)}</div>")


# --- results ----------------------------------------------------------------------------------------------

def metrics(items: list[tuple]) -> None:
    """Headline figures in one row: (label, value, help)."""
    for col, (label, value, help_text) in zip(st.columns(len(items)), items):
        col.metric(label, f"{value:,}" if isinstance(value, int) else value, help=help_text, border=True)


def chart(fig, key: str) -> None:
    """A figure from ui.flow_plots under its title (kept in layout.meta so a wrapping legend cannot cover it)."""
    st.markdown(f"**{fig.meta['title']}**")
    st.plotly_chart(lecture.sized(fig), width="stretch", key=key, config=plots.CONFIG)


def any_step(value) -> bool:
    """A timeline step from a link: any event number from 1 (the page clamps it to its run)."""
    return isinstance(value, int) and value >= 1


# ◀ / ▶ on the keyboard: with Shift, so that a focused slider's own arrow keys and the path's Previous /
# Next (Left / Right, ui/course.py) keep theirs
TIMELINE_KEYS = ("Shift+Left", "Shift+Right")


def timeline(prefix: str, events: list, fig, key: str, routine: tuple = (), unit: str = "tick",
             scale: float = 1.0) -> None:
    """The run step by step: ◀ / ▶ and a slider over its events (all but the `routine` kinds, which happen
    on every tick), `fig` drawn with a line at the chosen event's time (in the run's `unit`; the figure's x
    axis counts `scale` of them a step), the event and those just before it beneath. The step (from 1) is page state, `{prefix}.step`, declared by the page with `any_step`: a link
    restores it."""
    shown = [e for e in events if e.kind not in routine]
    if len(shown) < 2:
        chart(fig, key)
        return
    step, ss = f"{prefix}.step", st.session_state
    ss[step] = min(max(ss.get(step, 1), 1), len(shown))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.button("◀", key=f"{prefix}.step_back", help=t("fl.timeline.back"), on_click=_move, args=(step, -1, 1),
                  disabled=ss[step] == 1, shortcut=TIMELINE_KEYS[0])
        st.slider(t("fl.timeline.label", n=len(shown)), 1, len(shown), key=step, width="stretch")
        st.button("▶", key=f"{prefix}.step_next", help=t("fl.timeline.next"), on_click=_move,
                  args=(step, 1, len(shown)), disabled=ss[step] == len(shown), shortcut=TIMELINE_KEYS[1])
    at = shown[ss[step] - 1]
    # the marker: a line from the top of the plotting area to its bottom, through every panel sharing the
    # time axis (add_vline works this out per subplot, and costs a Dataflow page a tenth of its rerun)
    fig.add_shape(type="line", xref="x", yref="paper", x0=at.time / scale, x1=at.time / scale, y0=0, y1=1,
                  line=dict(color="#000", width=2))
    chart(fig, key)
    st.markdown(f"**{t('fl.timeline.now', k=ss[step], n=len(shown))}** {_escape(event_text(at, unit))}")
    before = shown[max(0, ss[step] - 6):ss[step] - 1]
    if before:
        st.caption(t("fl.timeline.before") + " " + _escape("; ".join(event_text(e, unit) for e in before)))


def _move(key: str, by: int, bound: int) -> None:
    """◀ / ▶: one event back or on, never past the first (`bound` 1) or the last."""
    st.session_state[key] = max(bound, st.session_state[key] + by) if by < 0 else \
        min(bound, st.session_state[key] + by)


def event_text(e, unit: str = "tick") -> str:
    """One engine event as a sentence fragment: when, who (and on which code), what, and its detail."""
    who = e.node + (f" (v{e.version})" if e.version is not None else "")
    what = t(f"fl.event.{key_part(e.kind)}")
    detail = tr(e.detail)
    return t(f"fl.timeline.at_{unit}", time=e.time, who=who, what=what) + (f" — {detail}" if detail else "") + \
        (f" ({t('fl.timeline.peer', peer=e.peer)})" if e.peer else "")


def notice(notes: list[str]) -> None:
    """The run's own "what to notice" sentences (computed by the engine from this run)."""
    with st.container(border=True):
        st.markdown(f"**{t('fl.notice')}**\n\n" + "\n".join(f"- {_escape(tr(n))}" for n in notes))


def _escape(text: str) -> str:
    """Engine sentences as plain text in markdown: no accidental LaTeX or emphasis."""
    return text.replace("$", r"\$").replace("*", r"\*").replace("_", r"\_")


def table(rows: list[dict], height: int = 280) -> None:
    """Rows as a table in the student's language: column names from the catalogue's `fl.col.*` (a name
    it lacks, a record's field, stays as it is), the core's Texts rendered."""
    rows = uniform(translated(rows))
    st.dataframe(rows, hide_index=True, width="stretch", height=min(height, 38 + 35 * max(1, len(rows))))


def few_rows(rows: list[dict]) -> None:
    """A handful of rows as `table` words them, shown whole as HTML (ui.show.table)."""
    show.table(translated(rows))


def translated(rows: list[dict]) -> list[dict]:
    words = i18n.catalogue(language.current())
    return [{words.get(f"fl.col.{key_part(k)}", k): _cell(k, v, words) for k, v in r.items()} for r in rows]


CELL_WORDS = {"status": "fl.read", "topology": "fl.plot.topology", "kind": "fl.event",   # a column's words
              "node": "fl.who", "who": "fl.who", "consumer": "fl.group", "group": "fl.group",
              "code": "fl.code", "outcome": "fl.outcome"}


def _cell(column: str, value, words: dict):
    """A value in the student's language: a Text from the core, or a read's status."""
    if column in CELL_WORDS and isinstance(value, str) and not isinstance(value, i18n.Text):
        return words.get(f"{CELL_WORDS[column]}.{key_part(value)}", value)
    return tr(value) if isinstance(value, i18n.Text) else value



def uniform(rows: list[dict]) -> list[dict]:
    """Rows whose columns hold one type each: a column mixing numbers and text (message 7, "reply to 7")
    becomes text, which Arrow can carry as it is."""
    mixed = {k for k in dict.fromkeys(k for r in rows for k in r)
             if len({type(r[k]) for r in rows if r.get(k) is not None}) > 1}
    return [{k: str(v) if k in mixed and v is not None else v for k, v in r.items()} for r in rows] if mixed else rows


def read_rows(reads: list[dict]) -> list[dict]:
    """The engine's failed and lossy reads as a table a student reads: who wrote, who read, what happened."""
    return [{"tick": round(r["time"], 2), "written by": f"{r['writer']} (v{r['writer_version']})",
             "read by": f"{r['reader']} (v{r['reader_version']})", "direction": r["direction"], "status": r["status"],
             "what happened": tr(r["error"]) or t("fl.dropped", fields=r["lost"])} for r in reads]


def duration(seconds: float) -> str:
    """Simulated seconds the way a person says them."""
    for unit, size in (("days", 86_400), ("h", 3600), ("min", 60), ("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= size or unit == "us":
            return t("fl.duration", n=seconds / size, unit=t(f"fl.unit.{unit}"))


def cost_rows(costs: list[dict]) -> list[dict]:
    return [{"rows": t("fl.number", n=c["rows"]), "migration": duration(c["migration seconds"]),
             "resolution a day": duration(c["resolution seconds per day"]),
             "pays off after": t("fl.never") if c["days until migration pays off"] is None else
             duration(c["days until migration pays off"] * 86_400)} for c in costs]


def embedded_schema(container: bytes) -> str:
    """The writer schema as the Avro library finds it in the container file's own header."""
    metadata = fastavro.reader(io.BytesIO(container)).metadata
    return json.dumps(json.loads(metadata["avro.schema"]), indent=2)


def rewrite_views(format_id: str, update: dict, codec=None):
    """The row (or message) before and after old code's read-modify-write, annotated with each writer's
    schema; outlined: the fields the old code does not know (before) and those that survived (after).
    `codec`: whose schemas (default: the Person table's history)."""
    codec = codec or adapters.history(format_id)
    view = update.get("view", format_id)   # a database's Avro rows start with their schema version
    before = cache.annotate(view, update["before"], codec.schema_text(update["writer_version"]))
    after = cache.annotate(view, update["after"], codec.schema_text(update["editor_version"]))
    unknown, kept = update["unknown_to_editor"], update["kept"]
    before_marks = {s for s in before.spans if s.path and any(paths.within(s.path, p) for p in unknown)}
    # a field the old schema does not know is labelled by its tag alone (`#4`) when its bytes survive
    after_marks = {s for s in after.spans if s.path and (s.path.startswith("#") or any(
        paths.within(s.path, p) for p in kept))} if kept else set()
    return before, after, before_marks, after_marks


def why_html(text: str) -> str:
    """An engine's reason as HTML: escaped, `names` in code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def api_table_html(rows: list[dict]) -> str:
    """The API evolution rows: one line per change and API, a verdict per caller with its reason."""
    callers = list(dict.fromkeys(r["caller"] for r in rows))
    head = "".join(f"<th>{html.escape(tr(c))}</th>" for c in callers)
    lines = []
    for change, api in dict.fromkeys((r["change"], r["api"]) for r in rows):
        cells = []
        for caller in callers:
            r = next(r for r in rows if (r["change"], r["api"], r["caller"]) == (change, api, caller))
            why = why_html(tr(r["why"]))
            verdict = badge_html(r["status"], t(f"fl.status.{r['status']}"))
            cells.append(f"<td>{verdict}<div class='why'>{t('fl.bytes_why', n=r['bytes'], why=why)}</div></td>")
        lines.append(f"<tr><th>{html.escape(tr(change))}</th><th>{html.escape(tr(api))}</th>{''.join(cells)}</tr>")
    return (f"<table class='el-api'><thead><tr><th>{t('fl.col.change')}</th><th>{t('fl.col.api')}</th>{head}</tr></thead>"
            f"<tbody>{''.join(lines)}</tbody></table>")
