"""Dataflow through services: a payment over a faulty network, retries, idempotency keys, the bytes on the wire."""
import streamlit as st

import evolution
from dataflow import services
from ui import flow, flow_plots, hexview
from ui.theme import CSS

st.title("Dataflow through services")
st.html(CSS + flow.CSS)
v = flow.init("sv", request_loss=0.05, response_loss=0.10, slow=0.05, crash=0.005, timeout=400.0, retries=3,
              keys=True, seed=1, policy="ignore")

controls, idea = st.columns([3, 2], gap="large")
with controls:
    faults = st.columns(2) * 2
    for col, (key, label, step) in zip(faults, (("request_loss", "Request lost", 0.01),
                                                 ("response_loss", "Response lost", 0.01),
                                                 ("slow", "Server slow (800 ms)", 0.01),
                                                 ("crash", "Server crashes", 0.005))):
        col.slider(label, 0.0, 0.9, step=step, key=f"sv.{key}", format="%.3f" if step < 0.01 else "%.2f",
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

left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.charges_per_payment(run.payments), "sv-charges")
with right:
    flow.chart(flow_plots.latency_histogram(run.payments), "sv-latency")
flow.chart(flow_plots.service_timeline(run.series, services.SERIES_MS), "sv-timeline")
with st.expander("The event log (client, network, server)"):
    flow.table(run.event_rows(), height=360)

st.subheader("The same request on the wire: REST and gRPC")
st.markdown("One charge request, written by the real libraries: as **REST** sends it (an HTTP/1.1 request whose "
            "body is JSON) and as **gRPC** sends it (a 5-byte prefix, then the Protocol Buffers message). "
            "Hover a byte for what it is.")
st.html(hexview.legend_html())
wires = flow.wire()
for col, (name, encoded) in zip(st.columns(2, gap="medium"), wires.items()):
    with col:
        st.markdown(f"**{name}** — {encoded.size} bytes")
        st.html(hexview.text_html(encoded) if encoded.format_id == "json" else hexview.hex_html(encoded, per_row=8))
        for note in encoded.notes:
            st.caption(note)

st.subheader("Evolving the API: what an old client meets")
st.markdown("Servers are upgraded first, so an old client keeps sending v1 requests to a v2 server; a new client "
            "may still reach a server that is not upgraded yet. Each request is written by one version and read "
            "by the other, with the real libraries.")
st.radio("The REST server's code", list(evolution.POLICIES), key="sv.policy", format_func=evolution.POLICIES.get,
         horizontal=True)
evolution_run = flow.api(v["policy"])
st.html(flow.api_table_html(evolution_run.rows))
flow.notice(evolution_run.notes)
