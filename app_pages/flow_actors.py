"""Distributed actors: mailboxes, one message at a time, location transparency, an upgrade across nodes."""
import streamlit as st

from course import questions
from dataflow import actors, adapters
from dataflow.erlang_terms import TermCodec
from ui import course, flow, flow_plots
from ui.theme import CSS

st.title("Distributed actors")
course.path_nav("flow_actors")
st.html(CSS + flow.CSS)
v = flow.init("ac", {"framework": actors.FRAMEWORKS}, framework="any", nodes=3, actors=9, rate=12.0, loss=0.02,
              upgrade_at=10, seed=1, format="avro", change=flow.DEFAULT_CHANGE)
_, source, caveat = actors.FRAMEWORKS[v["framework"]]
erlang = v["framework"].startswith("erlang")

controls, idea = st.columns([3, 2], gap="large")
with controls:
    st.selectbox("Framework and its encoding", list(actors.FRAMEWORKS), key="ac.framework",
                 format_func=lambda f: actors.FRAMEWORKS[f][0])
    if not erlang:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            fid, change_id = flow.format_change("ac", fixed=source)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("Nodes", 1, 10, key="ac.nodes")
        st.number_input("Actors", 2, 100, key="ac.actors")
        st.number_input("Messages per tick", 0.1, 50.0, step=1.0, format="%.1f", key="ac.rate")
        st.number_input("Message loss", 0.0, 0.9, step=0.01, key="ac.loss", help="Probability a message between "
                        "nodes is lost")
        st.number_input("Upgrade starts (tick)", 0, 60, key="ac.upgrade_at", help="Nodes restart onto the new "
                        "code one at a time from this tick")
        st.number_input("Seed", 0, 2 ** 32, key="ac.seed")
    if erlang:
        st.markdown("**The change:** v2 adds an `email` field; messages are Erlang terms (term_to_binary).")
    else:
        flow.change_verdicts(fid, change_id)
    if caveat:
        st.caption(caveat)
with idea:
    flow.concept(
        "In the **actor model** each actor has private state and a mailbox, and handles **one message at a "
        "time**, so it needs no locks; messages may be lost. **Distributed actor frameworks** (Akka, Orleans, "
        "Erlang/OTP) spread actors over nodes with **location transparency**: a sender names an actor, and a "
        "message to another node is encoded, sent and decoded. Upgrading node by node (a rolling upgrade) "
        "puts old and new code on the two ends of the wire, so the encoding must be compatible both ways.")
    st.caption(actors.ORLEANS)

params = actors.Params(nodes=v["nodes"], actors=v["actors"], messages_per_tick=v["rate"], loss=v["loss"],
                       upgrade_at=v["upgrade_at"], seed=v["seed"])
run = (flow.run_or_explain(flow.erlang_actor_system, source, params) if erlang else
       flow.run_or_explain(flow.actor_system, fid, change_id, params))
c = run.counters
flow.metrics([
    ("Max in flight", c["peak in flight"], "The most messages any one actor was handling at once"),
    ("Network loss", c["lost in network"], "Allowed by the actor model; senders that care retry"),
    ("Dead letters", c["dead letters"], "Sent to an actor whose node was restarting"),
    ("Failed decodes", c["unreadable"], "Messages between old and new nodes the receiver's code could not read"),
    ("Lossy decodes", c["lossy"], "Decoded, but a value the receiver's code has a field for was lost or changed"),
    ("Crossed nodes", c["remote"], f"Of {c['sent']:,} messages sent, encoded as {c['remote bytes']:,} bytes"),
])
flow.notice(run.notes)

flow.chart(flow_plots.mailboxes(run.mailboxes), "ac-mailboxes")
left, right = st.columns(2, gap="medium")
with left:
    flow.chart(flow_plots.actor_peaks(run.actors), "ac-peaks")
    flow.chart(flow_plots.node_timeline(run.node_states, "Which code each node runs"), "ac-nodes")
with right:
    flow.chart(flow_plots.actor_series(run.series), "ac-series")
    if run.crossings:
        flow.chart(flow_plots.crossings(run.crossings, "messages", "Messages between nodes, by version"),
                   "ac-crossings")
    else:
        st.caption("No message crossed nodes: with every actor on one node, each message was handed over in "
                   "memory and never encoded.")
with st.expander("Every actor: its node, messages handled, private state"):
    flow.table(run.actors, height=360)
course.footer("flow_actors", questions.actor_system(lambda: TermCodec(source) if erlang else adapters.for_change(fid, change_id), params))
