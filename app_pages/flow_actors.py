"""Distributed actors: mailboxes, one message at a time, location transparency, an upgrade across nodes."""
import streamlit as st

from course import questions
from dataflow import actors, adapters
from dataflow.erlang_terms import TermCodec
from ui import course, flow, flow_plots, show, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("fl.ac.title"))
course.path_nav("flow_actors")
show.html(CSS + flow.CSS)
v = flow.init("ac", {"framework": actors.FRAMEWORKS, "step": flow.any_step}, framework="any", nodes=3, actors=9,
              rate=12.0, loss=0.02, upgrade_at=10, seed=1, format="avro", change=flow.DEFAULT_CHANGE, step=1)
_, source, caveat = actors.FRAMEWORKS[v["framework"]]
erlang = v["framework"].startswith("erlang")

controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.selectbox(t("fl.ac.framework"), list(actors.FRAMEWORKS), key="ac.framework",
                 format_func=widgets.labels(actors.FRAMEWORKS,
                                             lambda f: tr(actors.FRAMEWORKS[f][0])))
    if not erlang:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            fid, change_id = flow.format_change("ac", fixed=source)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(t("fl.nodes"), 1, 10, key="ac.nodes")
        st.number_input(t("fl.ac.actors"), 2, 100, key="ac.actors")
        st.number_input(t("fl.messages_per_tick"), 0.1, 50.0, step=1.0, format="%.1f", key="ac.rate")
        st.number_input(t("fl.ac.loss"), 0.0, 0.9, step=0.01, key="ac.loss", help=t("fl.ac.loss_help"))
        st.number_input(t("fl.ac.upgrade_at"), 0, 60, key="ac.upgrade_at", help=t("fl.ac.upgrade_at_help"))
        flow.seed_input("ac.seed")
    if erlang:
        st.markdown(t("fl.ac.erlang_change"))
    else:
        flow.change_verdicts(fid, change_id)
    if caveat:
        st.caption(tr(caveat))
with idea:
    flow.concept(t("fl.ac.concept"))
    st.caption(tr(actors.ORLEANS))

params = actors.Params(nodes=v["nodes"], actors=v["actors"], messages_per_tick=v["rate"], loss=v["loss"],
                       upgrade_at=v["upgrade_at"], seed=v["seed"])
run = (flow.run_or_explain(flow.erlang_actor_system, source, params) if erlang else
       flow.run_or_explain(flow.actor_system, fid, change_id, params))
c = run.counters
flow.metrics([
    (t("fl.ac.m.in_flight"), c["peak in flight"], t("fl.ac.m.in_flight_help")),
    (t("fl.ac.m.loss"), c["lost in network"], t("fl.ac.m.loss_help")),
    (t("fl.ac.m.dead"), c["dead letters"], t("fl.ac.m.dead_help")),
    (t("fl.ac.m.failed"), c["unreadable"], t("fl.ac.m.failed_help")),
    (t("fl.ac.m.lossy"), c["lossy"], t("fl.ac.m.lossy_help")),
    (t("fl.ac.m.crossed"), c["remote"], t("fl.ac.m.crossed_help", n=c["sent"], bytes=c["remote bytes"])),
])
flow.notice(run.notes)

flow.timeline("ac", run.events, flow_plots.mailboxes(run.mailboxes), "ac-mailboxes", routine=("handled",))
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.actor_peaks(run.actors), "ac-peaks")
    flow.chart(flow_plots.node_timeline(run.node_states, t("fl.ac.nodes_title")), "ac-nodes")
with right:
    flow.chart(flow_plots.actor_series(run.series), "ac-series")
    if run.crossings:
        flow.chart(flow_plots.crossings(run.crossings, "messages", t("fl.ac.crossings_title")), "ac-crossings")
    else:
        st.caption(t("fl.ac.no_crossings"))
with widgets.folded(t("fl.ac.every_actor"), "ac.every_actor") as open_:
    if open_:
        flow.table(run.actors, height=360)
course.footer("flow_actors", questions.actor_system(lambda: TermCodec(source) if erlang else adapters.for_change(fid, change_id), params))
