"""Durable execution (second edition): a payment workflow, a worker crash, replay from the event log,
a code change while workflows are in flight, and versioning with a patch marker."""
import streamlit as st

from course import questions
from dataflow import durable
from ui import cache, course, flow, flow_plots, hexview, show, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("page.flow_durable"))
course.path_nav("flow_durable")
show.html(CSS + flow.CSS)
v = flow.init("du", {"change": durable.CHANGES, "log": durable.LOG_FORMATS, "step": flow.any_step}, change="none",
              workflows=8, crash=True, crash_at=5.0, deploy_at=8.0, keys=True, log="protobuf", seed=1,
              workflow="payment-2", step=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.selectbox(t("fl.du.change"), list(durable.CHANGES), key="du.change",
                 format_func=widgets.labels(durable.CHANGES, lambda c: tr(durable.CHANGES[c])))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(t("fl.du.workflows"), 1, 60, key="du.workflows", help=t("fl.du.workflows_help"))
        st.number_input(t("fl.du.deploy_at"), 0.0, 200.0, step=0.5, format="%.1f", key="du.deploy_at")
        st.number_input(t("fl.du.crash_at"), 0.0, 200.0, step=0.5, format="%.1f", key="du.crash_at",
                        disabled=not v["crash"])
        flow.seed_input("du.seed")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.toggle(t("fl.du.crash"), key="du.crash")
        st.toggle(t("fl.du.keys"), key="du.keys", help=t("fl.du.keys_help"))
        st.segmented_control(t("fl.du.log"), list(durable.LOG_FORMATS), key="du.log", required=True,
                             format_func=flow.title)
with idea:
    flow.concept(t("fl.du.concept"))

params = durable.Params(workflows=v["workflows"], crash_at=v["crash_at"] if v["crash"] else None,
                        change=v["change"], deploy_at=v["deploy_at"], idempotency_keys=v["keys"],
                        log_format=v["log"], seed=v["seed"])
run = flow.run_or_explain(flow.workflows, params)
c = run.counters
flow.metrics([
    (t("fl.du.m.completed"), t("fl.of", n=c["completed"], total=c["workflows"]), t("fl.du.m.completed_help")),
    (t("fl.du.m.blocked"), c["stuck"], t("fl.du.m.blocked_help")),
    (t("fl.du.m.from_log"), c["results from the log"], t("fl.du.m.from_log_help")),
    (t("fl.du.m.twice"), c["activity executions"] - c["steps scheduled"], t("fl.du.m.twice_help")),
    (t("fl.du.m.double"), c["double charges"], t("fl.du.m.double_help")),
])
flow.notice(run.notes)
flow.timeline("du", run.events, flow_plots.workflow_steps(run.executions, run.replays, params.crash_at,
                                                          params.deploy_at), "du-steps")

code_v1, code_v2 = st.columns(2, gap="medium")
with code_v1:
    st.markdown(t("fl.du.code_v1"))
    st.code(durable.code_text("none"), language="python", wrap_lines=True)
with code_v2:
    st.markdown(t("fl.du.code_v2", tick=params.deploy_at))
    st.code(durable.code_text(params.change), language="python", wrap_lines=True)
    if params.change == "patched":
        st.caption(t("fl.du.marker"))

st.subheader(t("fl.du.history_title"))
ids = [w["workflow"] for w in run.workflows]
if st.session_state["du.workflow"] not in ids:
    st.session_state["du.workflow"] = ids[0]
chosen = st.selectbox(t("fl.du.workflow"), ids, key="du.workflow")
row = next(w for w in run.workflows if w["workflow"] == chosen)
st.markdown(t("fl.du.row", code=tr(row["started under"]), status=t(f"fl.du.status.{row['status']}"),
              steps=row["steps"] or t("fl.du.no_steps"), events=row["events"], n=row["bytes"])
            + (f" {tr(row['error'])}." if row["error"] else ""))
events = [e for e in run.log if e["workflow"] == chosen]
flow.table([{k: e[k] for k in ("event", "type", "name", "payload", "bytes")} | {"hex": e["data"].hex(" ")}
            for e in events], height=420)
shown = next((e for e in events if e["type"] == "ActivityTaskCompleted" and e["name"] == "charge_card"), events[-1])
st.markdown(t("fl.du.event", event=shown["event"], type=shown["type"], name=shown["name"],
              who=tr(durable.LOG_FORMATS[params.log_format])))
show.html(hexview.legend_html())
show.html(hexview.hex_html(cache.annotate(params.log_format, shown["data"], durable.event_schema(params.log_format)),
                           per_row=8))
with widgets.folded(t("fl.du.every_replay"), "du.every_replay") as open_:
    if open_:
        flow.table(run.replays or [{t("fl.du.replay"): t("fl.du.no_replay")}])
with widgets.folded(t("fl.du.every_workflow"), "du.every_workflow") as open_:
    if open_:
        flow.table(run.workflows, height=360)
course.footer("flow_durable", questions.workflows(params))
