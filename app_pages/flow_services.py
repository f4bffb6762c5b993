"""Dataflow through services: a payment over a faulty network, retries, idempotency keys, the bytes on the wire,
a reference that becomes a copy, SOAP, REST and gRPC, API versioning and discovery."""
import streamlit as st

import evolution
from course import questions
from dataflow import api, services
from ui import course, flow, flow_plots, hexview, state
from ui import services as sv_ui
from ui.theme import CSS

st.title("Dataflow through services")
course.path_nav("flow_services")
st.html(CSS + flow.CSS)
FAULTS, MOST_LIKELY = ("request_loss", "response_loss", "slow", "crash"), 0.9   # probabilities per request
v = flow.init("sv", {**{f: state.between(0.0, MOST_LIKELY) for f in FAULTS}, "policy": evolution.POLICIES,
                     "copy_change": api.SERVER_CHANGES, "api_client": (1, 2)},
              request_loss=0.05, response_loss=0.10, slow=0.05, crash=0.005, timeout=400.0, retries=3,
              keys=True, seed=1, policy="ignore", copy_change="ship", call_again=False, api_client=1)

controls, idea = st.columns([3, 2], gap="large")
with controls:
    faults = st.columns(2) * 2
    for col, (key, label, step) in zip(faults, (("request_loss", "Request lost", 0.01),
                                                 ("response_loss", "Response lost", 0.01),
                                                 ("slow", "Server slow (800 ms)", 0.01),
                                                 ("crash", "Server crashes", 0.005))):
        col.slider(label, 0.0, MOST_LIKELY, step=step, key=f"sv.{key}", format="%.3f" if step < 0.01 else "%.2f",
                   help="Probability per request")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("Timeout (ms)", 1.0, 60_000.0, step=50.0, format="%.0f", key="sv.timeout")
        st.number_input("Retries", 0, 10, key="sv.retries")
        st.number_input("Seed", 0, 2 ** 32, key="sv.seed")
        st.toggle("Idempotency keys", key="sv.keys", help="Every retry of a payment carries the same key; the "
                  "server stores it with the charge and answers a repeated key with the stored result")
with idea:
    flow.concept(
        "A **remote procedure call** looks like a function call but is not one. A request or its response can be "
        "lost, the server can be slow or crash, and after a **timeout** the client cannot tell whether the "
        "charge happened. Retrying is the only way on, and without an **idempotency key** a retry can charge "
        "the card twice. A local call returns or raises, in microseconds.")

params = services.Params(request_loss=v["request_loss"], response_loss=v["response_loss"], slow=v["slow"],
                         crash=v["crash"], timeout_ms=v["timeout"], max_retries=v["retries"],
                         idempotency_keys=v["keys"], seed=v["seed"])
run = flow.run_or_explain(flow.payments, params)
c = run.counters
flow.metrics([
    ("Double charges", c["double charges"], "Payments whose card was charged more than once"),
    ("Failed", f"{c['failed']:,} of {c['payments']:,}", "The client gave up after its retries"),
    ("Charged anyway", c["failed but charged"], "The client gave up, but the server had charged the card"),
    ("Retries", c["retries"], None),
    ("Local failures", f"{run.local_counters['failed']:,} of {run.local_counters['payments']:,}",
     "The same payments as a function call in one process: it returns or raises, and never charges twice"),
])
flow.notice(run.notes)
copy = flow.copy_demo(v["copy_change"], v["call_again"])
st.markdown("**The five problems of RPC the chapter lists, where you touch each, what this run shows**")
st.table(api.rpc_problems(run, copy))

left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.charges_per_payment(run.payments), "sv-charges")
with right:
    flow.chart(flow_plots.latency_histogram(run.payments), "sv-latency")
flow.chart(flow_plots.service_timeline(run.series, services.SERIES_MS), "sv-timeline")
with st.expander("The event log (client, network, server)"):
    flow.table(run.event_rows(), height=360)

st.subheader("A reference or a copy")
st.markdown("Locally, `get_order()` returns the server's object itself. Remotely, the server encodes it, and the "
            "client decodes the bytes into an object of its own: only encoded data travels.")
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox("Then, on the server", list(api.SERVER_CHANGES), key="sv.copy_change",
                 format_func=lambda k: api.SERVER_CHANGES[k][0])
    st.toggle("The client calls again", key="sv.call_again")
copy_left, copy_right = st.columns([3, 2], gap="medium")
with copy_left:
    flow.table(copy.rows)
    flow.notice(copy.notes)
with copy_right:
    sv_ui.message("The response the remote client decoded (protobuf Order)", copy.response, text=False)

st.subheader("The same request on the wire: REST, gRPC and SOAP")
st.markdown("One charge request, written by the real libraries: as **REST** sends it (an HTTP/1.1 request whose "
            "body is JSON), as **gRPC** sends it (a 5-byte prefix, then the Protocol Buffers message) and as "
            "**SOAP** sends it (an XML envelope that zeep builds from the service's WSDL). Tap or hover a byte for what "
            "it is.")
st.html(hexview.legend_html())
wires = flow.wire()
for col, (name, encoded) in zip(st.columns(2, gap="medium"), wires.items()):
    with col:
        sv_ui.message(name, encoded, text=encoded.format_id == "json")
call = flow.soap()
soap_left, soap_right = st.columns(2, gap="medium")
with soap_left:
    sv_ui.message("SOAP: an XML envelope over HTTP/1.1", call.request)
    st.caption(f"zeep read the server's answer back through the same WSDL: {call.result}.")
with soap_right:
    st.markdown("**The WSDL that describes it** (excerpt): types, message, operation, binding")
    st.code(call.wsdl_excerpt, language="xml", wrap_lines=True)
st.html(sv_ui.history_html())
st.markdown(
    f"**REST for public APIs, RPC inside an organisation.** A public API's clients are other people's code in any "
    f"language: REST needs nothing but HTTP, and its {wires['REST: JSON over HTTP/1.1'].size} bytes of text can be "
    f"read with curl and cached by HTTP. Inside one organisation both ends are its own services: RPC frameworks "
    f"(gRPC, Thrift, Avro) generate the client from the schema and send "
    f"{wires['gRPC: protobuf, length-prefixed'].size} bytes, and the organisation decides when each side upgrades.")

st.subheader("Evolving the API: what an old client meets")
st.markdown("Servers are upgraded first, so an old client keeps sending v1 requests to a v2 server; a new client "
            "may still reach a server that is not upgraded yet. Each request is written by one version and read "
            "by the other, with the real libraries.")
st.radio("The REST server's code", list(evolution.POLICIES), key="sv.policy", format_func=evolution.POLICIES.get,
         horizontal=True)
evolution_run = flow.api(v["policy"])
st.html(flow.api_table_html(evolution_run.rows))
flow.notice(evolution_run.notes)
st.markdown("**Responses evolve too.** The v2 server adds `receiptUrl` to its response; clients written for v1 "
            "read it (forward compatibility: old code reads new data):")
st.html(sv_ui.response_table_html(flow.responses()))

st.markdown("**A change old clients cannot read needs a new version of the API.** v2 moves the amount into an "
            "object. Three ways a client says which version it was written against; the server routes by the "
            "request's bytes:")
st.segmented_control("The client was written against", [1, 2], key="sv.api_client", required=True,
                     format_func="v{}".format)
for col, row in zip(st.columns(3, gap="medium"), flow.versions(v["api_client"])):
    with col:
        sv_ui.message(row["title"], row["request"])
        st.markdown(f"→ **v{row['version']}** answers: {row['why']}. {row['trade-off']}")
        sv_ui.message(f"v{row['version']}'s response", row["response"])

st.subheader("Finding the server: service discovery")
st.markdown("A client names a service, not a machine: it asks a registry (DNS, Consul, etcd, ZooKeeper, a "
            "Kubernetes Service) for the instances that registered under that name and pass their health checks. "
            "During a rolling upgrade the registry hands out old and new versions side by side, so a client may "
            "reach either.")
st.image(sv_ui.discovery_svg())
course.footer("flow_services", questions.payments(params))
