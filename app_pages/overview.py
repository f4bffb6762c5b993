"""The book's Person record in every format, with sizes: figures 4-1 to 4-5 of "Encoding and Evolution"
(chapter 4 in the first edition, 5 in the second) in one table."""
import pandas as pd
import streamlit as st

import formats
import sample_data
from ui import cache, plots
from ui.theme import CSS

st.title("The book's record, ten ways")
st.markdown(
    "The chapter *Encoding and Evolution* of *Designing Data-Intensive Applications* (chapter 4 in the "
    "first edition, chapter 5 in the second) encodes one small record in JSON, "
    "MessagePack, Thrift, Protocol Buffers and Avro and compares the bytes. Here it is in ten "
    "formats, written by the real libraries. Open **Explorer** to see every byte labelled.")
st.html(CSS)

preset = sample_data.load("person")
left, right = st.columns([2, 3])
with left:
    st.subheader("The record")
    st.code(preset.record_text, language="json")
    for language, text in preset.schemas.items():
        with st.expander(f"Its schema: {formats.SCHEMA_LANGUAGES[language]}"):
            st.code(text, language={"avsc": "json", "proto": "protobuf"}.get(language, "c"))

encoded, rows = {}, []
for fid in formats.FORMATS:
    fmt = formats.get(fid)
    try:
        enc = cache.encode(fid, preset.record_text, preset.schemas.get(fmt.schema_language))
    except formats.FormatError as e:
        rows.append({"format": fmt.title, "bytes": None, "spends bytes on": f"could not encode: {e}"})
        continue
    encoded[fid] = enc
    rows.append({"format": fmt.title, "bytes": enc.size, "spends bytes on": fmt.spends})

with right:
    st.subheader("Bytes per format")
    table = pd.DataFrame(rows).sort_values("bytes", na_position="last")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"bytes": st.column_config.NumberColumn(format="%d B")})
    if encoded:
        st.plotly_chart(plots.sizes_by_kind(encoded), width="stretch", key="overview-sizes", config=plots.CONFIG)
st.caption("Field names (orange-red) are what the schema-based formats stop sending: Thrift and "
           "Protocol Buffers send a small numeric field tag instead, and Avro sends neither tag nor "
           "type: the reader must have the writer's schema.")
