"""Dataflow through services: a payment over a faulty network, retries, idempotency keys, the bytes on the wire,
a reference that becomes a copy, SOAP, REST and gRPC, API versioning and discovery."""
import streamlit as st

import evolution
from course import questions
from dataflow import api, services
from dataflow.engine import key_part
from ui import course, flow, flow_plots, hexview, show, state, widgets
from ui import services as sv_ui
from ui.language import t, tr
from ui.theme import CSS

st.title(t("fl.sv.title"))
course.path_nav("flow_services")
show.html(CSS + flow.CSS)
FAULTS, MOST_LIKELY = ("request_loss", "response_loss", "slow", "crash"), 0.9   # probabilities per request
v = flow.init("sv", {**{f: state.between(0.0, MOST_LIKELY) for f in FAULTS}, "policy": evolution.POLICIES,
                     "copy_change": api.SERVER_CHANGES, "api_client": (1, 2),
                     "step": flow.any_step},
              request_loss=0.05, response_loss=0.10, slow=0.05, crash=0.005, timeout=400.0, retries=3,
              keys=True, seed=1, policy="ignore", copy_change="ship", call_again=False, api_client=1, step=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    faults = st.columns(2) * 2
    for col, (key, step) in zip(faults, (("request_loss", 0.01), ("response_loss", 0.01), ("slow", 0.01),
                                          ("crash", 0.005))):
        col.slider(t(f"fl.sv.fault.{key}"), 0.0, MOST_LIKELY, step=step, key=f"sv.{key}",
                   format="%.3f" if step < 0.01 else "%.2f", help=t("fl.sv.fault_help"))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(t("fl.sv.timeout"), 1.0, 60_000.0, step=50.0, format="%.0f", key="sv.timeout")
        st.number_input(t("fl.sv.retries"), 0, 10, key="sv.retries")
        flow.seed_input("sv.seed")
        st.toggle(t("fl.sv.keys"), key="sv.keys", help=t("fl.sv.keys_help"))
with idea:
    flow.concept(t("fl.sv.concept"))

params = services.Params(request_loss=v["request_loss"], response_loss=v["response_loss"], slow=v["slow"],
                         crash=v["crash"], timeout_ms=v["timeout"], max_retries=v["retries"],
                         idempotency_keys=v["keys"], seed=v["seed"])
run = flow.run_or_explain(flow.payments, params)
c = run.counters
flow.metrics([
    (t("fl.sv.m.double"), c["double charges"], t("fl.sv.m.double_help")),
    (t("fl.sv.m.failed"), t("fl.of", n=c["failed"], total=c["payments"]), t("fl.sv.m.failed_help")),
    (t("fl.sv.m.charged"), c["failed but charged"], t("fl.sv.m.charged_help")),
    (t("fl.sv.m.retries"), c["retries"], None),
    (t("fl.sv.m.local"), t("fl.of", n=run.local_counters["failed"], total=run.local_counters["payments"]),
     t("fl.sv.m.local_help")),
])
flow.notice(run.notes)
copy = flow.copy_demo(v["copy_change"], v["call_again"])
st.markdown(f"**{t('fl.sv.problems')}**")
show.table([{t(f"fl.sv.col.{key_part(k)}"): tr(v) for k, v in row.items()} for row in api.rpc_problems(run, copy)])

left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.charges_per_payment(run.payments), "sv-charges")
with right:
    flow.chart(flow_plots.latency_histogram(run.payments), "sv-latency")
flow.timeline("sv", run.events, flow_plots.service_timeline(run.series, services.SERIES_MS), "sv-timeline",
              routine=("request sent", "charging", "response: ok"), unit="ms", scale=1000)
with widgets.folded(t("fl.sv.event_log"), "sv.event_log") as open_:
    if open_:
        flow.table(run.event_rows(), height=360)

st.subheader(t("fl.sv.copy_title"))
st.markdown(t("fl.sv.copy"))
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(t("fl.sv.then"), list(api.SERVER_CHANGES), key="sv.copy_change",
                 format_func=widgets.labels(api.SERVER_CHANGES, lambda k: tr(api.SERVER_CHANGES[k][0])))
    st.toggle(t("fl.sv.call_again"), key="sv.call_again")
copy_left, copy_right = st.columns([3, 2], gap="medium")
with copy_left:
    flow.few_rows(copy.rows)
    flow.notice(copy.notes)
with copy_right:
    sv_ui.message(t("fl.sv.decoded"), copy.response, text=False)

st.subheader(t("fl.sv.wire_title"))
st.markdown(t("fl.sv.wire"))
show.html(hexview.legend_html())
wires = flow.wire()
for col, (name, encoded) in zip(st.columns(2, gap="medium"), wires.items()):
    with col:
        sv_ui.message(t(f"fl.sv.wire_name.{encoded.format_id}"), encoded, text=encoded.format_id == "json")
call = flow.soap()
soap_left, soap_right = st.columns(2, gap="medium")
with soap_left:
    sv_ui.message(t("fl.sv.soap"), call.request)
    st.caption(t("fl.sv.soap_read", result=call.result))
with soap_right:
    st.markdown(t("fl.sv.wsdl"))
    st.code(call.wsdl_excerpt, language="xml", wrap_lines=True)
show.html(sv_ui.history_html())
sizes = {encoded.format_id: encoded.size for encoded in wires.values()}
st.markdown(t("fl.sv.rest_vs_rpc", rest=sizes["json"], grpc=sizes["protobuf"]))

st.subheader(t("fl.sv.evolve_title"))
st.markdown(t("fl.sv.evolve"))
st.radio(t("fl.sv.policy"), list(evolution.POLICIES), key="sv.policy",
         format_func=widgets.labels(evolution.POLICIES, lambda p: tr(evolution.POLICIES[p])), horizontal=True)
evolution_run = flow.api(v["policy"])
show.html(flow.api_table_html(evolution_run.rows))
flow.notice(evolution_run.notes)
st.markdown(t("fl.sv.responses"))
show.html(sv_ui.response_table_html(flow.responses()))

st.markdown(t("fl.sv.versions"))
st.segmented_control(t("fl.sv.written_against"), [1, 2], key="sv.api_client", required=True,
                     format_func="v{}".format)
for col, row in zip(st.columns(3, gap="medium"), flow.versions(v["api_client"])):
    with col:
        sv_ui.message(tr(row["title"]), row["request"])
        st.markdown(t("fl.sv.answers", v=row["version"], why=tr(row["why"]), trade_off=tr(row["trade-off"])))
        sv_ui.message(t("fl.sv.response_of", v=row["version"]), row["response"])

st.subheader(t("fl.sv.discovery_title"))
st.markdown(t("fl.sv.discovery"))
st.image(sv_ui.discovery_svg())
course.footer("flow_services", questions.payments(params))
