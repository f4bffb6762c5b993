"""Event-driven architectures (second edition): months of events in a log, written under several schema
versions, read today by a new consumer that gets each writer schema from the registry by id."""
import streamlit as st

import evolution
from course import questions
from dataflow import events
from ui import course, flow, flow_plots, hexview, show, widgets
from ui.language import t
from ui.theme import CSS

st.title(t("page.flow_events"))
course.path_nav("flow_events")
show.html(CSS + flow.CSS)
RETENTION = (1, 3, 6, 9, 0)   # months the log keeps events; 0: forever
READERS = [0, 1, 2, 3]
v = flow.init("ev", {"mode": evolution.MODES, "reader": READERS, "retention": RETENTION},
              mode="BACKWARD", reader=0, retention=0, per_month=30, seed=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(t("fl.ev.mode"), list(evolution.MODES), key="ev.mode", help=t("fl.ev.mode_help"))
        st.segmented_control(t("fl.ev.reader"), READERS, key="ev.reader", required=True,
                             format_func=widgets.labels(READERS, lambda r: f"v{r}" if r else t("fl.ev.latest")))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.select_slider(t("fl.ev.retention"), list(RETENTION), key="ev.retention",
                         format_func=widgets.labels(RETENTION,
                                                    lambda m: t("fl.ev.months", n=m) if m else t("fl.ev.forever")))
        st.number_input(t("fl.ev.per_month"), 1, 200, key="ev.per_month")
        flow.seed_input("ev.seed")
    st.caption(t("fl.ev.history"))
with idea:
    flow.concept(t("fl.ev.concept"))

params = events.Params(mode=v["mode"], reader_version=v["reader"] or None, retention_months=v["retention"] or None,
                       events_per_month=v["per_month"], seed=v["seed"])
run = flow.run_or_explain(flow.event_log, params)
c = run.counters
flow.metrics([
    (t("fl.ev.m.events"), c["events"], t("fl.ev.m.events_help", n=c["log bytes"])),
    (t("fl.ev.m.read"), c["read"], t("fl.ev.m.read_help", v=c["reader version"])),
    (t("fl.ev.m.lossy"), c["lossy"], t("fl.ev.m.lossy_help")),
    (t("fl.ev.m.failed"), c["failed"], t("fl.ev.m.failed_help")),
    (t("fl.ev.m.defaults"), c["defaults filled"], t("fl.ev.m.defaults_help")),
    (t("fl.ev.m.lookups"), c["registry lookups"], t("fl.ev.m.lookups_help")),
])
flow.notice(run.notes)

st.markdown(f"**{t('fl.ev.registry')}**")
flow.table(run.registry)
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.rows_over_time(run.series, t("fl.ev.written_title"), "events"), "ev-written")
with right:
    flow.chart(flow_plots.read_status(run.events, t("fl.ev.read_title", v=c["reader version"]), "events"), "ev-read")

st.subheader(t("fl.ev.wire_title"))
st.markdown(t("fl.ev.wire"))
show.html(hexview.legend_html())
for col, (version, sample) in zip(st.columns(max(1, len(run.samples)), gap="medium"), sorted(run.samples.items())):
    with col:
        st.markdown(t("fl.ev.first_event", v=version, n=sample.size))
        show.html(hexview.hex_html(sample, per_row=8))
with widgets.folded(t("fl.ev.every_event"), "ev.every_event") as open_:
    if open_:
        flow.table(run.events, height=360)
course.footer("flow_events", questions.event_log(params))
