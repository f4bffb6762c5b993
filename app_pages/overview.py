"""The book's Person record in every format, with sizes: figures 4-1 to 4-5 of "Encoding and Evolution"
(chapter 4 in the first edition, 5 in the second) in one table."""
import pandas as pd
import streamlit as st

import formats
import sample_data
from course import questions
from formats import javascript
from ui import cache, course, lecture, plots, state
from ui.theme import CSS

st.title("The book's record in every format")
course.path_nav("overview")
st.markdown(
    "The chapter *Encoding and Evolution* of *Designing Data-Intensive Applications* (chapter 4 in the "
    "first edition, chapter 5 in the second) encodes one small record in JSON, "
    "MessagePack, Thrift, Protocol Buffers and Avro and compares the bytes. Here it is in every "
    "format of this lab, written by the real libraries. Open **Explorer** to see every byte labelled.")
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
        st.plotly_chart(lecture.sized(plots.sizes_by_kind(encoded)), width="stretch", key="overview-sizes", config=plots.CONFIG)
st.caption("Field names (orange-red) are what the schema-based formats stop sending: Thrift and "
           "Protocol Buffers send a small numeric field tag instead, and Avro sends neither tag nor "
           "type: the reader must have the writer's schema.")

st.subheader("JSON's numbers and binary strings, as a JavaScript reader sees them")
state.declare("bk", {"js": javascript.EXAMPLE, "bytes": 32}, allowed={"bytes": state.between(1, 4096)},
              note="the JSON a JavaScript reader reads and the binary field's size")
numbers, binary = st.columns(2, gap="large")
with numbers:
    st.text_area("JSON a JavaScript program reads (JSON.parse)", key="bk.js", height=110)
    try:
        readings = javascript.readings(st.session_state["bk.js"])
    except formats.FormatError as e:
        st.error(str(e), icon="⚠️")
    else:
        st.dataframe(readings, hide_index=True, width="stretch")
    st.caption("JSON says nothing about a number's size or type; JavaScript reads every number as a 64-bit "
               "float (computed here with the same IEEE 754 doubles). Integers above 2^53 come back rounded, "
               "which is why Twitter's API sends every id a second time as text (`id_str`); 1.0 comes back as "
               "1, an integer to the next reader.")
with binary:
    size = st.slider("A binary field (a photo's thumbnail) of this many bytes", 1, 4096, key="bk.bytes")
    cost = javascript.base64_cost(size)
    st.dataframe([{"format": f, "bytes": n} for f, n in cost.items() if f not in ("raw bytes", "Base64 characters")],
                 hide_index=True, width="stretch")
    st.caption(f"JSON has no binary type: the {size:,} bytes travel as {cost['Base64 characters']:,} characters "
               f"of Base64 text ({cost['Base64 characters'] / size - 1:+.0%}), and the reader must know from "
               f"somewhere else that this string is bytes. MessagePack, CBOR and BSON write them raw.")

course.footer("overview", questions.encoding(formats.parse_record(preset.record_text), preset.schemas))
