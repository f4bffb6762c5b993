"""Where a reader finds the writer's schema: one framed Avro message, its header looked up, then resolved
(the Schema registry and Message passing pages)."""
import streamlit as st

from dataflow import adapters
from evolution import lookup
from formats import FormatError
from ui import cache, hexview, show, state
from ui.language import t, tr
from ui.theme import CSS

FRAMINGS = ("avro-confluent", "avro-single-object")   # how a message carries its writer's schema (evolve.lookup.*)


def writer_schema_lookup(store: lookup.SchemaStore, record: dict, key: str,
                         writer: int | None = None, reader: int | None = None) -> None:
    """The record as `writer` code frames it, and what a `reader` does with the bytes; without versions
    given, the student picks both among the store's."""
    keys = [f"{key}.framing", f"{key}.writer", f"{key}.reader"]
    for k in keys:
        state.remember(k)
    st.session_state.setdefault(keys[0], "avro-confluent")
    versions = list(store.schemas)
    for chosen, default in zip(keys[1:], (versions[0], versions[min(1, len(versions) - 1)])):
        if st.session_state.get(chosen) not in versions:   # first run, or a version no longer registered
            st.session_state[chosen] = default
    with st.container(horizontal=True, vertical_alignment="bottom"):
        framing = st.segmented_control(t("evolve.lookup.carries"), list(FRAMINGS), key=keys[0], required=True,
                                       format_func={f: t(f"evolve.lookup.{f}") for f in FRAMINGS}.get,
                                       help=t("evolve.lookup.carries_help"))
        if writer is None:
            writer = st.selectbox(t("evolve.lookup.producer"), versions, key=keys[1], format_func="v{}".format)
            reader = st.selectbox(t("evolve.lookup.consumer"), versions, key=keys[2], format_func="v{}".format)
    try:
        read = cache.schema_lookup(store, framing, writer, reader, record)
    except FormatError as e:
        st.error(t("evolve.lookup.cannot_read", writer=writer, reader=reader, error=tr(e.message)), icon="⚠️")
        return
    bytes_side, record_side = st.columns(2, gap="medium")
    with bytes_side:
        st.markdown(t("evolve.lookup.message", v=writer, n=read.encoded.size))
        show.html(CSS + hexview.legend_html() + cache.html(hexview.hex_html, read.encoded, per_row=8))
    with record_side:
        st.markdown(t("evolve.lookup.reads", v=reader))
        st.json(show.jsonable(read.decoded.record), expanded=True)
    step, result = t("evolve.lookup.step"), t("evolve.lookup.result")
    show.table([{step: tr(row["step"]), result: tr(row["result"])} for row in read.steps])
    st.caption(t("evolve.lookup.why"))


def message_lookup(format_id: str, change_id: str, writer: int, reader: int) -> None:
    """The Message passing page's producer and consumer versions, one message framed as Kafka carries it."""
    if format_id != "avro":
        st.caption(t("evolve.lookup.not_avro"))
        return
    codec = adapters.for_change(format_id, change_id)
    store = lookup.SchemaStore.registered([codec.schema_text(v) for v in codec.versions])
    st.markdown(t("evolve.lookup.in_kafka", writer=writer, reader=reader))
    writer_schema_lookup(store, codec.record(writer), "mq.find", writer, reader)
