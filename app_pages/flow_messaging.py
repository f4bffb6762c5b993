"""Message-passing dataflow: a broker between producer and consumers, in four scenarios."""
import streamlit as st

import evolution
from course import questions
from dataflow import adapters, messaging
from ui import course, flow, flow_plots, hexview, lookup, show, state, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("fl.mq.title"))
course.path_nav("flow_messaging")
show.html(CSS + flow.CSS)
v = flow.init("mq", {"scenario": flow.SCENARIOS, "rate": state.between(0.1, 20.0), "window": state.between(0, 60),
                    "crash": state.between(0.0, 0.9), "writer": (1, 2), "reader": (1, 2), "step": flow.any_step},
              scenario="outage", rate=2.0, window=(15, 30), crash=0.05, consumers=3, seed=1, writer=2, reader=2,
              format="avro", change=flow.DEFAULT_CHANGE, step=1)
scenario = st.segmented_control(t("fl.mq.scenario_label"), list(flow.SCENARIOS), key="mq.scenario", required=True,
                                format_func=widgets.labels(flow.SCENARIOS, lambda s: t(flow.SCENARIOS[s][0])))
slug = scenario.replace("-", "_")
controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.markdown(t(f"fl.mq.teaches.{slug}"))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.slider(t("fl.messages_per_tick"), 0.1, 20.0, step=0.1, format="%.1f", key="mq.rate")
        if scenario == "outage":
            st.slider(t("fl.mq.window"), 0, 60, key="mq.window")
        elif scenario == "redelivery":
            st.slider(t("fl.mq.crash"), 0.0, 0.9, step=0.01, key="mq.crash", help=t("fl.mq.crash_help"))
        if scenario != "outage":
            st.number_input(t("fl.mq.responders" if scenario == "request-reply" else "fl.mq.consumers"), 1,
                            len(messaging.GROUP_NAMES), key="mq.consumers", help=t(f"fl.mq.consumers_help.{slug}"))
        flow.seed_input("mq.seed")
    with st.expander(t("fl.mq.encoding")):
        with st.container(horizontal=True, vertical_alignment="bottom"):
            fid, change_id = flow.format_change("mq")
            st.segmented_control(t("fl.mq.writer"), [1, 2], key="mq.writer", required=True, format_func="v{}".format)
            st.segmented_control(t("fl.mq.reader"), [1, 2], key="mq.reader", required=True, format_func="v{}".format)
        st.caption(t("fl.mq.dead_letter"))
with idea:
    flow.concept(t("fl.mq.concept"))

params = messaging.Params(messages_per_tick=v["rate"], down_from=v["window"][0], down_until=v["window"][1],
                          crash=v["crash"], consumers=v["consumers"], seed=v["seed"], writer_version=v["writer"],
                          reader_version=v["reader"])
run = flow.run_or_explain(flow.scenario, scenario, fid, change_id, params)
c = run.counters
dead = c.get("broker: dead-lettered", c.get("dead-lettered", 0))
lossy = c.get("broker: read lossy", c.get("read lossy", 0))
unreadable = ([(t("fl.mq.m.dead"), dead, t("fl.mq.m.dead_help"))] if dead else []) + (
    [(t("fl.mq.m.lossy"), lossy, t("fl.mq.m.lossy_help"))] if lossy else [])
M = "fl.mq.m."
if scenario == "outage":
    flow.metrics([
        (t(M + "lost_broker"), c["broker: lost"], t(M + "lost_broker_help")),
        (t(M + "lost_direct"), c["direct: lost"], t(M + "lost_direct_help")),
        (t(M + "peak"), c["broker: peak queue"], t(M + "peak_help")),
        (t(M + "handled"), c["broker: handled"], t(M + "handled_help", n=c["sent"]))] + unreadable)
    figure = flow_plots.outage(run.series, params.down_from, params.down_until)
elif scenario == "redelivery":
    flow.metrics([
        (t(M + "duplicates"), c["duplicates"], t(M + "duplicates_help")),
        (t(M + "crashes"), c["crashes"], t(M + "crashes_help")),
        (t(M + "redeliveries"), c["redeliveries"], t(M + "redeliveries_help")),
        (t(M + "dups_no_crash"), c["duplicates without a crash"], t(M + "dups_no_crash_help")),
        (t(M + "lost"), c["lost"], None)] + unreadable)
    figure = flow_plots.redelivery(run.series, run.deliveries)
elif scenario == "fan-out":
    flow.metrics([
        (t(M + "published"), c["sent"], t(M + "published_help")),
        (t(M + "fan_out"), c["fan-out deliveries"], t(M + "fan_out_help")),
        (t(M + "queue_copies"), c["competing deliveries"], t(M + "queue_copies_help")),
        (t(M + "seen_twice"), c["messages seen by two competing consumers"], t(M + "seen_twice_help"))]
        + unreadable)
    figure = flow_plots.fan_out(run.series)
else:
    flow.metrics([
        (t(M + "matched"), c["replies matched"], t(M + "matched_help", n=c["requests"])),
        (t(M + "unanswered"), c["unanswered"], None),
        (t(M + "out_of_order"), c["replies out of order"], t(M + "out_of_order_help")),
        (t(M + "round_trip"), t("fl.ticks", n=c["mean round trip"]), None)] + unreadable)
    figure = flow_plots.round_trips(run.series)
flow.notice(run.notes)
if scenario in ("outage", "redelivery"):
    flow.timeline("mq", run.events, figure, f"mq-{scenario}", routine=("published", "delivered", "acked",
                                                                      "called directly"))
else:
    flow.chart(figure, f"mq-{scenario}")
st.markdown(t("fl.mq.queues_and_logs", text=tr(messaging.queue_versus_log(run))))

if scenario == "request-reply":
    with widgets.folded(t("fl.mq.replies"), "mq.replies") as open_:
        if open_:
            flow.table(sorted(run.series, key=lambda r: r["replied"]), height=360)
if scenario == "redelivery":
    st.subheader(t("fl.mq.again_title"))
    again = [d for d in run.deliveries if d["attempt"] > 1]
    if again:
        flow.table(again)
    else:
        st.caption(t("fl.mq.no_again"))
with widgets.folded(t("fl.mq.every_delivery"), "mq.every_delivery") as open_:
    if open_:
        flow.table(run.deliveries, height=360)

st.subheader(t("fl.mq.lookup_title"))
lookup.message_lookup(fid, change_id, v["writer"], v["reader"])

st.subheader(t("fl.mq.republish_title"))
st.markdown(t("fl.mq.republish", change=tr(evolution.change(change_id).title)))
hops = []
for format_id in flow.FORMATS:
    if evolution.change(change_id).applies(format_id):
        hop = flow.republished(format_id, change_id)
        hops.append({"format": flow.title(format_id), "kept": ", ".join(hop.get("kept", [])),
                     "lost": ", ".join(hop.get("lost", [])) or tr(hop.get("error", "")),
                     "bytes received": len(hop.get("before", b"")), "republished": len(hop.get("after", b"")),
                     "the v1 consumer holds": tr(hop["holds"])})
flow.table(hops)
hop = flow.republished(fid, change_id)
if "error" in hop:
    st.error(tr(hop["note"]), icon="⚠️")
else:
    before, after, before_marks, after_marks = flow.rewrite_views(fid, hop, adapters.for_change(fid, change_id))
    st.markdown(f"**{flow.title(fid)}:** {tr(hop['note'])}")
    show.html(hexview.legend_html())
    for col, (title, shown, marks) in zip(st.columns(2, gap="medium"), (
            (t("fl.mq.received", n=before.size), before, before_marks),
            (t("fl.mq.republished_kept" if after_marks else "fl.mq.republished", n=after.size), after, after_marks))):
        with col:
            st.markdown(f"**{title}**")
            show.html(hexview.hex_html(shown, 0, 1024, marks or None, per_row=8))
course.footer("flow_messaging", questions.outage(fid, change_id, params))
