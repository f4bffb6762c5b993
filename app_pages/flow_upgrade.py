"""Rolling upgrade: old and new code side by side behind a load balancer, reading each other's data."""
import streamlit as st

from course import questions
from dataflow import rolling_upgrade
from ui import course, flow, flow_plots, show, widgets
from ui.language import t
from ui.theme import CSS

st.title(t("page.flow_upgrade"))
course.path_nav("flow_upgrade")
show.html(CSS + flow.CSS)
v = flow.init("up", {"strategy": rolling_upgrade.STRATEGIES, "step": flow.any_step}, strategy="rolling", nodes=4,
              batch=1, seed=1, format="avro", change=flow.DEFAULT_CHANGE, step=-1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        fid, change_id = flow.format_change("up")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(t("fl.up.deploy"), rolling_upgrade.STRATEGIES, key="up.strategy", required=True,
                             format_func=widgets.labels(rolling_upgrade.STRATEGIES,
                                                        lambda s: t(f"fl.up.strategy.{s.replace('-', '_')}")))
        st.number_input(t("fl.nodes"), 1, 20, key="up.nodes")
        st.number_input(t("fl.up.batch"), 1, 20, key="up.batch", disabled=v["strategy"] == "all-at-once",
                        help=t("fl.up.batch_help"))
        flow.seed_input("up.seed")
    flow.change_verdicts(fid, change_id)
with idea:
    flow.concept(t("fl.up.concept"))

params = rolling_upgrade.Params(nodes=v["nodes"], strategy=v["strategy"], batch_size=v["batch"], seed=v["seed"])
run = flow.run_or_explain(flow.upgrade, fid, change_id, params)
c = run.counters
flow.metrics([
    (t("fl.up.m.downtime"), t("fl.ticks", n=c["downtime ticks"]), t("fl.up.m.downtime_help")),
    (t("fl.up.m.failed"), c["failed reads"], t("fl.up.m.failed_help")),
    (t("fl.up.m.lossy"), c["lossy reads"], t("fl.up.m.lossy_help")),
    (t("fl.up.m.checks"), c["failed health checks"], t("fl.up.m.checks_help")),
    (t("fl.up.m.upgraded"), t("fl.of", n=c["nodes upgraded"], total=v["nodes"]), t("fl.up.m.upgraded_help")),
])
flow.notice(run.notes)

flow.timeline("up", run.events, flow_plots.node_timeline(run.node_states), "up-nodes", routine=("served",))
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.upgrade_requests(run.series), "up-requests")
with right:
    flow.chart(flow_plots.crossings(run.crossings), "up-crossings")
    st.caption(t("fl.up.directions"))

st.subheader(t("fl.up.reads_title"))
if run.reads:
    flow.table(flow.read_rows(run.reads), height=320)
else:
    st.caption(t("fl.up.no_reads"))
course.footer("flow_upgrade", questions.upgrade(fid, change_id, params))
