"""The book's Person record in every format, with sizes: figures 4-1 to 4-5 of "Encoding and Evolution"
(chapter 4 in the first edition, 5 in the second) in one table."""
import pandas as pd
import streamlit as st

import formats
import sample_data
from course import questions
from formats import javascript
from ui import cache, course, lecture, plots, show, state
from ui.language import t, tr
from ui.theme import CSS

st.title(t("ov.title"))
course.path_nav("overview")
st.markdown(t("ov.intro"))
show.html(CSS)

preset = sample_data.load("person")
left, right = st.columns([2, 3])
with left:
    st.subheader(t("ov.record"))
    st.code(preset.record_text, language="json")
    for language, text in preset.schemas.items():
        with st.expander(t("ov.schema", language=formats.SCHEMA_LANGUAGES[language])):
            st.code(text, language={"avsc": "json", "proto": "protobuf"}.get(language, "c"))

JS_COLUMNS = {"path": "path", "JSON text": "text", "JavaScript reads": "js", "changed": "changed",
              "Python reads": "python", "why": "why"}   # javascript.readings' columns -> catalogue keys
FORMAT, BYTES, SPENDS = t("ov.col.format"), t("ov.col.bytes"), t("ov.col.spends")
encoded, rows = {}, []
for fid in formats.FORMATS:
    fmt = formats.get(fid)
    try:
        enc = cache.encode(fid, preset.record_text, preset.schemas.get(fmt.schema_language))
    except formats.FormatError as e:
        rows.append({FORMAT: fmt.title, BYTES: None, SPENDS: t("ov.could_not", error=tr(e.message))})
        continue
    encoded[fid] = enc
    rows.append({FORMAT: fmt.title, BYTES: enc.size, SPENDS: tr(fmt.spends)})

with right:
    st.subheader(t("ov.per_format"))
    table = pd.DataFrame(rows).sort_values(BYTES, na_position="last")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={BYTES: st.column_config.NumberColumn(format=t("ov.bytes_cell"))})
    if encoded:
        st.plotly_chart(lecture.sized(plots.sizes_by_kind(encoded)), width="stretch", key="overview-sizes", config=plots.CONFIG)
st.caption(t("ov.names_caption"))

st.subheader(t("ov.js.title"))
state.declare("bk", {"js": javascript.EXAMPLE, "bytes": 32}, allowed={"bytes": state.between(1, 4096)},
              note=t("ov.js.note"))
numbers, binary = st.columns(2, gap="large")
with numbers:
    st.text_area(t("ov.js.label"), key="bk.js", height=110)
    try:
        readings = javascript.readings(st.session_state["bk.js"])
    except formats.FormatError as e:
        st.error(tr(e.message), icon="⚠️")
    else:
        st.dataframe([{t(f"ov.js.col.{JS_COLUMNS[c]}"): t("ov.js.python_type", type=v) if c == "Python reads" else tr(v)
                       for c, v in row.items()} for row in readings],
                     hide_index=True, width="stretch")
    st.caption(t("ov.js.caption"))
with binary:
    size = st.slider(t("ov.bin.label"), 1, 4096, key="bk.bytes")
    cost = javascript.base64_cost(size)
    st.dataframe([{FORMAT: f, BYTES: n} for f, n in cost.items() if f not in ("raw bytes", "Base64 characters")],
                 hide_index=True, width="stretch")
    characters = cost["Base64 characters"]
    st.caption(t("ov.bin.caption", size=t("unit.bytes", n=size), n=characters, grown=f"{characters / size - 1:+.0%}"))

course.footer("overview", questions.encoding(formats.parse_record(preset.record_text), preset.schemas))
