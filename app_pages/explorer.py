"""Encoding Explorer: edit a record and its schemas; every format's bytes side by side, labelled."""
import streamlit as st

import formats
import sample_data
from course import questions
from ui import cache, course, explorer, hexview, lecture, plots
from ui.theme import CSS

st.title("Encoding Explorer")
course.path_nav("explorer")
st.caption("Edit the record or a schema: the real libraries re-encode it and every byte is labelled. "
           "Tap, click or hover a byte for what it means. Figures 4-1 to 4-5 of the book, live.")
explorer.init()
record, record_text, record_error = explorer.valid_record()
derive_errors = explorer.derive(record_text)

with st.container(horizontal=True, vertical_alignment="bottom"):
    preset = st.selectbox("Preset", sample_data.names(), key="ex.preset",
                          format_func=lambda n: sample_data.load(n).title)
    st.button("Load preset", on_click=explorer.load_preset, args=(preset,),
              help="Replace the record and schemas with the preset's")
    st.segmented_control("View", explorer.VIEWS, key="ex.view")
    st.toggle("Large text (projector)", key="ex.large")
st.html(CSS + ("<style>:root{--el-font:1.15rem}</style>" if st.session_state.get("ex.large") else ""))

inputs, output = st.columns([1, 2], gap="medium")
chosen = [f for f in formats.FORMATS if f in st.session_state.get("ex.formats", formats.FORMATS)]
results = explorer.results(record_text, chosen) if record_text else {}
errors = explorer.schema_errors(results, derive_errors)

with inputs:
    problems = ([f"Record: {record_error}"] if record_error else []) + explorer.language_of_errors(errors)
    if problems:
        st.warning("  \n".join(problems), icon="⚠️")
        if any(errors.values()):
            st.button("Derive all schemas from the record", on_click=explorer.derive_all, key="ex.derive_all")
    tabs = st.tabs(explorer.TABS, key="ex.tab", on_change="rerun")   # keyed: a rerun keeps the open tab
    with tabs[0]:
        st.text_area("Record (JSON)", key="ex.record", height=300, label_visibility="collapsed")
        if record_error:
            st.error(f"{record_error}", icon="⚠️")
            if record_text:
                st.caption("The formats show the last valid record until this is fixed.")
    for tab, lang in zip(tabs[1:], explorer.LANGUAGES):
        with tab:
            explorer.schema_editor(lang, errors[lang])
    st.multiselect("Formats to compare", formats.FORMATS, key="ex.formats",
                   format_func=lambda f: formats.get(f).title)
    highlight = explorer.field_picker(record)

with output:
    costs = st.empty()
    st.html(hexview.legend_html())
    columns = st.container(key="ex-cards").columns(st.session_state["ex.columns"])   # a strip on a phone
    encoded = {}
    if not results:
        st.info("Nothing to encode until the record is valid JSON: see the message under the editor.")
    for i, fid in enumerate(results):
        with columns[i % len(columns)]:
            shown = explorer.format_card(fid, results[fid], st.session_state.get("ex.view") or "compact",
                                         highlight)
        if shown is not None:
            encoded[fid] = shown
    if highlight and encoded:
        costs.markdown(f"**`{highlight}` costs:** " + " · ".join(
            f"{formats.get(f).title} {e.bytes_for(highlight)} B" for f, e in encoded.items()))
    st.slider("Cards per row", 1, 3, key="ex.columns")

st.divider()
# on_change="rerun": only the open tab's code runs (the growth figures re-encode up to 200 copies)
sizes_tab, growth_tab = st.tabs(["Why binary is smaller", "As the data grows"], key="ex.chart", on_change="rerun")
with sizes_tab:
    if encoded and sizes_tab.open:
        st.plotly_chart(lecture.sized(plots.sizes_by_kind(encoded)), width="stretch", key="ex-sizes", config=plots.CONFIG)
        st.caption("Each bar splits a format's bytes by what they carry. Field names dominate JSON, "
                   "XML, BSON and MessagePack; Thrift and Protocol Buffers replace them by small tags; "
                   "Avro drops tags and types as well.")
with growth_tab:
    biggest = max((e.size for e in encoded.values()), default=0)
    if biggest > explorer.WALK_ALL_BYTES:
        st.caption("This record is already large: the growth plot is about small records (the chapter's "
                   "point that binary encodings gain little on small data). Try the book's Person.")
    elif encoded and record_text and growth_tab.open:
        counts = explorer.growth_counts(biggest)
        rows = cache.growth(record_text, explorer.schemas_tuple(), tuple(encoded), counts)
        figure = plots.growth(rows)
        st.plotly_chart(lecture.sized(figure), width="stretch", key="ex-growth", config=plots.CONFIG)
        st.html(plots.legend_html(figure.layout.meta["order"]))
        st.caption("n records encoded one by one and concatenated (their integers varied so the "
                   "copies differ), per record as written and gzipped together. Written, each record "
                   "costs the same however many there are; gzipped, JSON's repeated field names "
                   "shrink as the data grows, and the binary gain of a few dozen bytes shrinks with them.")

course.footer("explorer", questions.encoding(record, dict(explorer.schemas_tuple())) if record else [])
