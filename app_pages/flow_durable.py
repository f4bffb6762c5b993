"""Durable execution (second edition): a payment workflow, a worker crash, replay from the event log,
a code change while workflows are in flight, and versioning with a patch marker."""
import streamlit as st

from course import questions
from dataflow import durable
from ui import cache, course, flow, flow_plots, hexview
from ui.theme import CSS

st.title("Durable execution")
course.path_nav("flow_durable")
st.html(CSS + flow.CSS)
v = flow.init("du", {"change": durable.CHANGES, "log": durable.LOG_FORMATS}, change="none", workflows=8, crash=True,
              crash_at=5.0, deploy_at=8.0, keys=True, log="protobuf", seed=1, workflow="payment-2")

controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.selectbox("Code deployed while workflows run", list(durable.CHANGES), key="du.change",
                 format_func=durable.CHANGES.get)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("Workflows", 1, 60, key="du.workflows", help="One payment starts every 1.5 ticks")
        st.number_input("Deploy at tick", 0.0, 200.0, step=0.5, format="%.1f", key="du.deploy_at")
        st.number_input("Crash at tick", 0.0, 200.0, step=0.5, format="%.1f", key="du.crash_at",
                        disabled=not v["crash"])
        st.number_input("Seed", 0, 2 ** 32, key="du.seed")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.toggle("Crash the worker", key="du.crash")
        st.toggle("Idempotency key on the charge", key="du.keys", help="The charge sends the payment provider "
                  "the workflow id and the step's event id; a repeated key gets the stored charge back")
        st.segmented_control("Event log written as", list(durable.LOG_FORMATS), key="du.log", required=True,
                             format_func=flow.title)
with idea:
    flow.concept(
        "**Durable execution** (Temporal, Restate, AWS Step Functions): a workflow engine records each step's "
        "result in an **event log**. After a crash it runs the workflow's code again from the start and "
        "**replays** it against the log: a step already recorded is answered from the log, not executed again. "
        "So the code must be **deterministic**: asked the same steps in the same order, it must ask them again. "
        "Changing the code while workflows are in flight breaks replay, unless the change is **versioned**.")

params = durable.Params(workflows=v["workflows"], crash_at=v["crash_at"] if v["crash"] else None,
                        change=v["change"], deploy_at=v["deploy_at"], idempotency_keys=v["keys"],
                        log_format=v["log"], seed=v["seed"])
run = flow.run_or_explain(flow.workflows, params)
c = run.counters
flow.metrics([
    ("Completed", f"{c['completed']:,} of {c['workflows']:,}", "Workflows that ran to their end"),
    ("Blocked", c["stuck"], "Workflows whose replay on the new code failed with a "
     "non-determinism error: blocked until code matching their history is deployed"),
    ("From the log", c["results from the log"], "Step results replay read from recorded events instead of "
     "running the step again"),
    ("Ran twice", c["activity executions"] - c["steps scheduled"], "Steps the crash killed in flight, run again "
     "because their result was never recorded"),
    ("Double charges", c["double charges"], "Workflows whose card was charged more than once"),
])
flow.notice(run.notes)
flow.chart(flow_plots.workflow_steps(run.executions, run.replays, params.crash_at, params.deploy_at), "du-steps")

code_v1, code_v2 = st.columns(2, gap="medium")
with code_v1:
    st.markdown("**The code the workflows start with (v1)**")
    st.code(durable.code_text("none"), language="python", wrap_lines=True)
with code_v2:
    st.markdown(f"**The code deployed at tick {params.deploy_at:g}**")
    st.code(durable.code_text(params.change), language="python", wrap_lines=True)
    if params.change == "patched":
        st.caption("The marker is itself an event in the history. Once no workflow without it is left, Temporal's "
                   "`workflow.deprecate_patch` and then plain code remove the branch.")

st.subheader("One workflow's history, as the engine stored it")
ids = [w["workflow"] for w in run.workflows]
if st.session_state["du.workflow"] not in ids:
    st.session_state["du.workflow"] = ids[0]
chosen = st.selectbox("Workflow", ids, key="du.workflow")
row = next(w for w in run.workflows if w["workflow"] == chosen)
st.markdown(f"Started under **{row['started under']}**, **{row['status']}**: steps {row['steps'] or 'none'}; "
            f"{row['events']} events, {row['bytes']:,} bytes." + (f" {row['error']}." if row["error"] else ""))
events = [e for e in run.log if e["workflow"] == chosen]
flow.table([{k: e[k] for k in ("event", "type", "name", "payload", "bytes")} | {"hex": e["data"].hex(" ")}
            for e in events], height=420)
shown = next((e for e in events if e["type"] == "ActivityTaskCompleted" and e["name"] == "charge_card"), events[-1])
st.markdown(f"Event {shown['event']} ({shown['type']} {shown['name']}) byte by byte: replay decodes these bytes "
            f"and hands the payload to the code instead of running the step. "
            f"{durable.LOG_FORMATS[params.log_format]}.")
st.html(hexview.legend_html())
st.html(hexview.hex_html(cache.annotate(params.log_format, shown["data"], durable.event_schema(params.log_format)),
                         per_row=8))
with st.expander("Every replay"):
    flow.table(run.replays or [{"replay": "none: the worker never restarted"}])
with st.expander("Every workflow"):
    flow.table(run.workflows, height=360)
course.footer("flow_durable", questions.workflows(params))
