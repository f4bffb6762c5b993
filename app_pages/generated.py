"""Generated schemas: a table's columns become an Avro and a Protobuf schema; old rows read after a change."""
import json

import streamlit as st

import formats
from evolution import generated
from ui import cache, hexview, show, state
from ui.theme import CSS

st.title("Generated schemas")
st.markdown(
    "A schema is often **generated** from something else, such as a database table dumped to files: after every "
    "change to the table the generator simply runs again. **Avro** matches a writer's fields to a reader's **by "
    "name**, so rows written under the old generated schema are read under the new one. **Protocol Buffers** goes "
    "by **field tag**, and a naive generator numbers the fields by column position: drop, insert or reorder a "
    "column and the tags shift, so old rows put their values into other columns, **silently** whenever the wire "
    "types agree. That is a tag reused for another field, which Protobuf's rules forbid.")
st.html(CSS)
state.declare("gen", {"before": generated.V1, "after": generated.V2, "reader": "protobuf"},
              allowed={"reader": generated.READERS}, note="the table's columns before and after the change")


def _preset(text: str) -> None:
    st.session_state["gen.after"] = text


before, after = st.columns(2, gap="medium")
before.text_area("The table's columns (rows written)", key="gen.before", height=150,
                 help="One column per line: name and SQL type (bigint, text, double, boolean…)")
after.text_area("After the change (rows read)", key="gen.after", height=150)
try:
    readings = generated.read_after_change(st.session_state["gen.before"], st.session_state["gen.after"])
    changes = generated.presets(st.session_state["gen.before"])
except formats.FormatError as e:
    st.error(str(e), icon="⚠️")
    st.stop()
with st.container(horizontal=True):
    for label, text in changes.items():
        st.button(label, on_click=_preset, args=(text,), key=f"gen.{label}")

for tab, reading in zip(st.tabs(list(generated.READERS.values())), readings.values()):
    with tab:
        was, now = st.columns(2)
        language = "json" if reading.reader == "avro" else "protobuf"
        was.code(reading.schema_before, language=language)
        now.code(reading.schema_after, language=language)

st.subheader("The old rows, read with the schema generated after the change")
st.dataframe([{"reader": generated.READERS[r], **reading.counts} for r, reading in readings.items()],
             hide_index=True, width="stretch")
reader = st.segmented_control("Show the cells of", list(generated.READERS), key="gen.reader", required=True,
                              format_func=generated.READERS.get)
shown = readings[reader]
cells, wire = st.columns([3, 2], gap="medium")
with cells:
    st.dataframe([{**c, "holds": json.dumps(show.jsonable(c["holds"]))} for c in shown.cells], hide_index=True,
                 width="stretch", height=320)
with wire:
    fid = "avro" if reader == "avro" else "protobuf"
    labelled = cache.annotate(fid, shown.data[0], shown.schema_before if fid == "avro" else shown.schema_after)
    st.markdown(f"**Row 1's {len(shown.data[0])} bytes**, labelled as the reader sees them (hover a byte)")
    st.html(hexview.legend_html() + hexview.hex_html(labelled, per_row=8))
st.caption("Avro reads a renamed column as a new one (null) unless the generator writes the old name as an alias: "
           "a generator that only sees the new table cannot tell a rename from a drop and an add. A Protobuf "
           "generator must keep every column's tag for ever and reserve the tags of dropped columns (the third "
           "reader): then old rows read as with Avro. The Evolution lab's \"Reuse a removed field's tag\" is the "
           "same mistake made by hand.")
