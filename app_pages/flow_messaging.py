"""Message-passing dataflow: a broker between producer and consumers, in four scenarios."""
import streamlit as st

import evolution
from course import questions
from dataflow import adapters, messaging
from ui import course, flow, flow_plots, hexview, lookup, state
from ui.theme import CSS

st.title("Message-passing dataflow")
course.path_nav("flow_messaging")
st.html(CSS + flow.CSS)
v = flow.init("mq", {"scenario": flow.SCENARIOS, "rate": state.between(0.1, 20.0), "window": state.between(0, 60),
                    "crash": state.between(0.0, 0.9), "writer": (1, 2), "reader": (1, 2)},
              scenario="outage", rate=2.0, window=(15, 30), crash=0.05, consumers=3, seed=1, writer=2, reader=2,
              format="avro", change=flow.DEFAULT_CHANGE)
TEACHES = {
    "outage": "The consumer is down for a while. Through a broker the messages wait in its queue; sent as direct "
              "calls to the consumer's address (fire-and-forget here), the same messages reach no one: a real "
              "caller gets an error or a timeout and may retry, but must keep the message itself meanwhile.",
    "redelivery": "A consumer crashes while handling a message, before acknowledging it: the broker hands the "
                  "message to a consumer again. Nothing is lost, but a message whose side effect already "
                  "happened is handled twice (at-least-once delivery).",
    "fan-out": "One topic with several subscriber groups: each group gets every message (fan-out). One queue "
               "shared by several consumers: each message goes to one of them (competing consumers, as on a "
               "RabbitMQ or ActiveMQ work queue; Kafka shares a topic's partitions among a group's consumers).",
    "request-reply": "Messages are one-way. For an answer the requester names a reply queue and a correlation id; "
                     "replies come back in whatever order the responders finish.",
}
CONSUMERS = {
    "outage": "", "redelivery": "Consumers sharing one queue",
    "fan-out": "Subscriber groups on the topic (fan-out), and as many consumers sharing one queue",
    "request-reply": "Competing responders on the request queue",
}

scenario = st.segmented_control("Scenario", list(flow.SCENARIOS), key="mq.scenario", required=True,
                                format_func=lambda s: flow.SCENARIOS[s][0])
controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.markdown(TEACHES[scenario])
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.slider("Messages per tick", 0.1, 20.0, step=0.1, format="%.1f", key="mq.rate")
        if scenario == "outage":
            st.slider("Consumer down (ticks)", 0, 60, key="mq.window")
        elif scenario == "redelivery":
            st.slider("Crash probability", 0.0, 0.9, step=0.01, key="mq.crash",
                      help="Chance that a consumer crashes while handling a message")
        if scenario != "outage":
            st.number_input("Responders" if scenario == "request-reply" else "Consumers", 1,
                            len(messaging.GROUP_NAMES), key="mq.consumers", help=CONSUMERS[scenario])
        st.number_input("Seed", 0, 2 ** 32, key="mq.seed")
    with st.expander("The messages' encoding: format, schema change, producer and consumer versions"):
        with st.container(horizontal=True, vertical_alignment="bottom"):
            fid, change_id = flow.format_change("mq")
            st.segmented_control("Producer writes", [1, 2], key="mq.writer", required=True, format_func="v{}".format)
            st.segmented_control("Consumer reads as", [1, 2], key="mq.reader", required=True,
                                 format_func="v{}".format)
        st.caption("A message the consumer's code cannot read goes to the dead-letter queue.")
with idea:
    flow.concept(
        "With **asynchronous message passing** a producer sends a message to a named queue or topic on a "
        "**message broker**, never to a consumer's address, and does not wait for an answer. The broker buffers "
        "messages while consumers are down or slow, redelivers what a crashed consumer never acknowledged, and "
        "can deliver one message to many consumers.")

params = messaging.Params(messages_per_tick=v["rate"], down_from=v["window"][0], down_until=v["window"][1],
                          crash=v["crash"], consumers=v["consumers"], seed=v["seed"], writer_version=v["writer"],
                          reader_version=v["reader"])
run = flow.run_or_explain(flow.scenario, scenario, fid, change_id, params)
c = run.counters
dead = c.get("broker: dead-lettered", c.get("dead-lettered", 0))
lossy = c.get("broker: read lossy", c.get("read lossy", 0))
unreadable = ([("Dead letters", dead, "Messages the consumer's code could not read")] if dead else []) + (
    [("Read lossy", lossy, "Decoded, but a value of a field the consumer has was lost or changed")] if lossy else [])
if scenario == "outage":
    flow.metrics([
        ("Lost: broker", c["broker: lost"], "Messages the consumer never got, with a broker in between"),
        ("Lost: direct", c["direct: lost"], "Messages sent while the consumer was down, called directly"),
        ("Peak queue", c["broker: peak queue"], "Most messages waiting in the broker at once"),
        ("Handled", c["broker: handled"], f"Of {c['sent']:,} messages sent")] + unreadable)
    figure = flow_plots.outage(run.series, params.down_from, params.down_until)
elif scenario == "redelivery":
    flow.metrics([
        ("Duplicates", c["duplicates"], "Messages whose side effect happened more than once"),
        ("Crashes", c["crashes"], "A consumer crashed while handling a message"),
        ("Redeliveries", c["redeliveries"], "Messages the broker handed out again: no ack came"),
        ("Dups, no crash", c["duplicates without a crash"], "Duplicates that did not follow a crash: none in this "
         "simulation, which never loses or delays an ack; real brokers also redeliver after a lost or late ack"),
        ("Lost", c["lost"], None)] + unreadable)
    figure = flow_plots.redelivery(run.series, run.deliveries)
elif scenario == "fan-out":
    flow.metrics([
        ("Published", c["sent"], "Messages the producer sent to the topic, once each"),
        ("Fan-out copies", c["fan-out deliveries"], "Every subscriber group gets every message"),
        ("Queue copies", c["competing deliveries"], "Each message to one consumer of the shared queue"),
        ("Seen twice", c["messages seen by two competing consumers"], "Messages two competing consumers both got")]
        + unreadable)
    figure = flow_plots.fan_out(run.series)
else:
    flow.metrics([
        ("Replies matched", c["replies matched"], f"By correlation id, of {c['requests']:,} requests"),
        ("Unanswered", c["unanswered"], None),
        ("Out of order", c["replies out of order"], "Replies that overtook the reply to an earlier request"),
        ("Mean round trip", f"{c['mean round trip']:g} ticks", None)] + unreadable)
    figure = flow_plots.round_trips(run.series)
flow.notice(run.notes)
flow.chart(figure, f"mq-{scenario}")
st.markdown(f"**Queues and logs.** {messaging.queue_versus_log(run)} The [Events in a log](flow_events) page "
            "reads such a log from the start.")

if scenario == "request-reply":
    with st.expander("Replies in the order they arrived, matched by correlation id"):
        flow.table(sorted(run.series, key=lambda r: r["replied"]), height=360)
if scenario == "redelivery":
    st.subheader("Messages delivered more than once")
    again = [d for d in run.deliveries if d["attempt"] > 1]
    if again:
        flow.table(again)
    else:
        st.caption("None: no consumer crashed inside a message.")
with st.expander("Every delivery (time, message, consumer, attempt, how the consumer's code read it)"):
    flow.table(run.deliveries, height=360)

st.subheader("How the consumer finds the writer's schema")
lookup.message_lookup(fid, change_id, v["writer"], v["reader"])

st.subheader("A consumer that republishes")
st.markdown(f"A consumer still on v1 code reads a message v2 code wrote to `orders`, sets one field and publishes "
            f"the result to `orders.enriched`, where a v2 consumer reads it. Does the field v1 does not know "
            f"survive the hop? ({evolution.change(change_id).title}, every format, real bytes.)")
hops = []
for format_id in flow.FORMATS:
    if evolution.change(change_id).applies(format_id):
        hop = flow.republished(format_id, change_id)
        hops.append({"format": flow.title(format_id), "kept": ", ".join(hop.get("kept", [])),
                     "lost": ", ".join(hop.get("lost", [])) or hop.get("error", ""),
                     "bytes received": len(hop.get("before", b"")), "republished": len(hop.get("after", b"")),
                     "the v1 consumer holds": hop["holds"]})
flow.table(hops)
hop = flow.republished(fid, change_id)
if "error" in hop:
    st.error(hop["note"], icon="⚠️")
else:
    before, after, before_marks, after_marks = flow.rewrite_views(fid, hop, adapters.for_change(fid, change_id))
    st.markdown(f"**{flow.title(fid)}:** {hop['note']}")
    st.html(hexview.legend_html())
    for col, (title, shown, marks) in zip(st.columns(2, gap="medium"), (
            (f"Received: v2 wrote {before.size} bytes (outlined: fields v1 does not know)", before, before_marks),
            (f"Republished: v1 wrote {after.size} bytes" + (" (outlined: kept)" if after_marks else ""), after,
             after_marks))):
        with col:
            st.markdown(f"**{title}**")
            st.html(hexview.hex_html(shown, 0, 1024, marks or None, per_row=8))
course.footer("flow_messaging", questions.outage(fid, change_id, params))
