"""Where a reader finds the writer's schema: one framed Avro message, its header looked up, then resolved
(the Schema registry and Message passing pages)."""
import streamlit as st

from dataflow import adapters
from evolution import lookup
from formats import FormatError
from ui import hexview, show, state
from ui.theme import CSS

FRAMINGS = {"avro-confluent": "Confluent wire format: a registry id",
            "avro-single-object": "Avro single object: a fingerprint"}


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
        framing = st.segmented_control("The message carries", list(FRAMINGS), key=keys[0], required=True,
                                       format_func=FRAMINGS.get)
        if writer is None:
            writer = st.selectbox("Producer writes with", versions, key=keys[1], format_func="v{}".format)
            reader = st.selectbox("Consumer reads with", versions, key=keys[2], format_func="v{}".format)
    try:
        read = lookup.read(store, framing, lookup.write(store, framing, writer, record), reader)
    except FormatError as e:
        st.error(f"v{writer}'s message cannot be read by v{reader}: {e}", icon="⚠️")
        return
    bytes_side, record_side = st.columns(2, gap="medium")
    with bytes_side:
        st.markdown(f"**v{writer}'s message** — {read.encoded.size} bytes (hover for what each is)")
        st.html(CSS + hexview.legend_html() + hexview.hex_html(read.encoded, per_row=8))
    with record_side:
        st.markdown(f"**What the v{reader} consumer reads**")
        st.json(show.jsonable(read.decoded.record), expanded=True)
    st.dataframe(read.steps, hide_index=True, width="stretch")
    st.caption("Avro bytes hold no tags or names: without the writer's exact schema nobody can read them. "
               "So the producer writes where that schema is before the record, and the consumer looks it up: "
               "a registry hands out ids (Confluent), or every reader keeps the fingerprints of the schemas it "
               "knows (the Avro specification's single-object encoding). Then schema resolution matches the "
               "writer's fields to the reader's by name.")


def message_lookup(format_id: str, change_id: str, writer: int, reader: int) -> None:
    """The Message passing page's producer and consumer versions, one message framed as Kafka carries it."""
    if format_id != "avro":
        st.caption("Protocol Buffers, Thrift, JSON and MessagePack readers go by field tags or names, so they can "
                   "read without the writer's schema. Pick Avro, whose bytes hold neither, to see how a consumer "
                   "gets it.")
        return
    codec = adapters.for_change(format_id, change_id)
    store = lookup.SchemaStore.registered([codec.schema_text(v) for v in codec.versions])
    st.markdown(f"The simulation above hands each message's writer version to the consumer beside its bytes; "
                f"through Kafka and a schema registry it travels inside them. A message v{writer} code writes, as "
                f"the v{reader} consumer meets it:")
    writer_schema_lookup(store, codec.record(writer), "mq.find", writer, reader)
