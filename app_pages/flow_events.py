"""Event-driven architectures (second edition): months of events in a log, written under several schema
versions, read today by a new consumer that gets each writer schema from the registry by id."""
import streamlit as st

import evolution
from course import questions
from dataflow import events
from ui import course, flow, flow_plots, hexview
from ui.theme import CSS

st.title("Events in a log")
course.path_nav("flow_events")
st.html(CSS + flow.CSS)
RETENTION = {1: "1 month", 3: "3 months", 6: "6 months", 9: "9 months", 0: "forever"}
READERS = [0, 1, 2, 3]
v = flow.init("ev", {"mode": evolution.MODES, "reader": READERS, "retention": RETENTION},
              mode="BACKWARD", reader=0, retention=0, per_month=30, seed=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Compatibility mode", list(evolution.MODES), key="ev.mode",
                     help="What the registry checks before it gives a new schema version an id")
        st.segmented_control("The consumer reads with", READERS, key="ev.reader", required=True,
                             format_func=lambda r: f"v{r}" if r else "the latest registered")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.select_slider("The log keeps events", list(RETENTION), key="ev.retention", format_func=RETENTION.get)
        st.number_input("Events per month", 1, 200, key="ev.per_month")
        st.number_input("Seed", 0, 2 ** 32, key="ev.seed")
    st.caption("Producers write v1 from month 0, move to v2 in month 4 and to v3 in month 8, each only if the "
               "registry accepted it. The three versions are the example of the [Schema registry](registry) page, "
               "which checks them under every mode.")
with idea:
    flow.concept(
        "In an **event-driven architecture** services publish **events**, facts about what happened, to a "
        "**log** (Kafka's topics). The log keeps them for months or forever, so a new consumer, or a new view "
        "rebuilt from scratch, reads from the first offset and meets every schema the events were ever written "
        "with. Each event carries its writer schema's **registry id**; the consumer fetches that schema once "
        "and resolves it against its own reader schema.")

params = events.Params(mode=v["mode"], reader_version=v["reader"] or None, retention_months=v["retention"] or None,
                       events_per_month=v["per_month"], seed=v["seed"])
run = flow.run_or_explain(flow.event_log, params)
c = run.counters
flow.metrics([
    ("Events", c["events"], f"Kept in the log: {c['log bytes']:,} bytes"),
    ("Read", c["read"], f"Read by the consumer's v{c['reader version']} schema"),
    ("Failed", c["failed"], "Events the consumer's schema could not resolve against their writer's"),
    ("Defaults filled", c["defaults filled"], "Events missing a field the reader has: its default was used"),
    ("Registry lookups", c["registry lookups"], "Writer schemas fetched by id: once per id, not per event"),
])
flow.notice(run.notes)

st.markdown("**The subject's versions in the registry**")
flow.table(run.registry)
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.rows_over_time(run.series, "Events written, by the schema that wrote them",
                                         "events written"), "ev-written")
with right:
    flow.chart(flow_plots.read_status(run.events, f"How the new consumer (v{c['reader version']}) read them",
                                      "events"), "ev-read")

st.subheader("An event on the wire")
st.markdown("Confluent's framing: a magic byte 0 and the 4-byte id of the writer's schema, then the Avro "
            "body, which has no field names or tags and cannot be read without that schema.")
st.html(hexview.legend_html())
for col, (version, sample) in zip(st.columns(max(1, len(run.samples)), gap="medium"), sorted(run.samples.items())):
    with col:
        st.markdown(f"**The first v{version} event** — {sample.size} bytes")
        st.html(hexview.hex_html(sample, per_row=8))
with st.expander("Every event the consumer read (offset, month, schema id, how it read)"):
    flow.table(run.events, height=360)
course.footer("flow_events", questions.event_log(params))
