"""Rolling upgrade: old and new code side by side behind a load balancer, reading each other's data."""
import streamlit as st

from course import questions
from dataflow import rolling_upgrade
from ui import course, flow, flow_plots
from ui.theme import CSS

st.title("Rolling upgrade")
course.path_nav("flow_upgrade")
st.html(CSS + flow.CSS)
v = flow.init("up", {"strategy": rolling_upgrade.STRATEGIES}, strategy="rolling", nodes=4, batch=1, seed=1,
              format="avro", change=flow.DEFAULT_CHANGE)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        fid, change_id = flow.format_change("up")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control("Deploy", rolling_upgrade.STRATEGIES, key="up.strategy", required=True,
                             format_func={"rolling": "rolling, a batch at a time", "all-at-once": "all at once"}.get)
        st.number_input("Nodes", 1, 20, key="up.nodes")
        st.number_input("Batch size", 1, 20, key="up.batch", disabled=v["strategy"] == "all-at-once",
                        help="Nodes restarted together in a rolling upgrade")
        st.number_input("Seed", 0, 2 ** 32, key="up.seed", help="The same seed gives the same run")
    flow.change_verdicts(fid, change_id)
with idea:
    flow.concept(
        "A **rolling upgrade** restarts a few nodes at a time, so the service never goes dark, but for a while "
        "old and new code run side by side and share one store. New code reads old data (**backward "
        "compatibility**) *and* old code reads new data (**forward compatibility**): a rolling upgrade needs "
        "both. Upgrading **all at once** pays with downtime and avoids old code reading new data, until a "
        "**rollback** puts old code on what new code wrote: it needs forward compatibility too. Each "
        "restarted node must pass a health check (read the newest record) before it gets traffic.")

params = rolling_upgrade.Params(nodes=v["nodes"], strategy=v["strategy"], batch_size=v["batch"], seed=v["seed"])
run = flow.run_or_explain(flow.upgrade, fid, change_id, params)
c = run.counters
flow.metrics([
    ("Downtime", f"{c['downtime ticks']:g} ticks", "Ticks with no healthy node: requests had nowhere to go"),
    ("Failed reads", c["failed reads"], "Requests that failed because their code could not read a record"),
    ("Lossy reads", c["lossy reads"], "Reads that succeeded but dropped fields the reader does not know"),
    ("Failed checks", c["failed health checks"], "Health checks failed: a node whose new code cannot read the "
     "store stops the rollout"),
    ("Upgraded nodes", f"{c['nodes upgraded']} of {v['nodes']}", "Running the new code and serving when the run ended"),
])
flow.notice(run.notes)

flow.chart(flow_plots.node_timeline(run.node_states), "up-nodes")
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.upgrade_requests(run.series), "up-requests")
with right:
    flow.chart(flow_plots.crossings(run.crossings), "up-crossings")
    st.caption("Backward: new code reads data old code wrote. Forward: old code reads data new code wrote.")

st.subheader("Every failed or lossy read: who wrote, who read")
if run.reads:
    flow.table(flow.read_rows(run.reads), height=320)
else:
    st.caption("None: every read across versions read everything the writer wrote.")
course.footer("flow_upgrade", questions.upgrade(fid, change_id, params))
