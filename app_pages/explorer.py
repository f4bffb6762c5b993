"""Encoding Explorer: edit a record and its schemas; every format's bytes side by side, labelled."""
import streamlit as st

import formats
import sample_data
from course import questions
from ui import cache, course, explorer, hexview, lecture, plots, show, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("ex.title"))
course.path_nav("explorer")
st.caption(t("ex.caption"))
explorer.init()
record, record_text, record_error = explorer.valid_record()
derive_errors = explorer.derive(record_text)

# in lecture mode a book figure comes first, full width, one card a row; the editors fold away below it
figure_first = explorer.figure_first()
if figure_first:
    show.html(CSS)
    output = st.container()
    inputs = st.expander(t("lecture.inputs"))
    with inputs:
        st.segmented_control(t("ex.view"), explorer.VIEWS, key="ex.view", format_func=explorer.view_name)
else:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        preset = st.selectbox(t("ex.preset"), sample_data.names(), key="ex.preset",
                              format_func=explorer.preset_title)
        st.button(t("ex.load"), on_click=explorer.load_preset, args=(preset,), help=t("ex.load_help"))
        st.segmented_control(t("ex.view"), explorer.VIEWS, key="ex.view", format_func=explorer.view_name)
        st.toggle(t("ex.large"), key="ex.large")
    show.html(CSS + ("<style>:root{--el-font:1.15rem}</style>" if st.session_state.get("ex.large") else ""))
    inputs, output = st.columns([1, 2], gap="medium")
chosen = [f for f in formats.FORMATS if f in st.session_state.get("ex.formats", formats.FORMATS)]
results = explorer.results(record_text, chosen) if record_text else {}
errors = explorer.schema_errors(results, derive_errors)

with inputs:
    problems = ([t("ex.record_error", error=tr(record_error.message))] if record_error else []) \
        + explorer.language_of_errors(errors)
    if problems:
        st.warning("  \n".join(problems), icon="⚠️")
        if any(errors.values()):
            st.button(t("ex.derive_all"), on_click=explorer.derive_all, key="ex.derive_all")
    tabs = st.tabs(explorer.TABS, key="ex.tab", on_change="rerun")   # keyed: a rerun keeps the open tab
    with tabs[0]:
        st.text_area(t("ex.record_label"), key="ex.record", height=300, label_visibility="collapsed")
        if record_error:
            st.error(tr(record_error.message), icon="⚠️")
            if record_text:
                st.caption(t("ex.last_valid"))
    for tab, lang in zip(tabs[1:], explorer.LANGUAGES):
        with tab:
            explorer.schema_editor(lang, errors[lang])
    st.multiselect(t("ex.formats"), formats.FORMATS, key="ex.formats",
                   format_func=widgets.labels(formats.FORMATS, lambda f: formats.get(f).title))
    highlight = explorer.field_picker(record)

with output:
    costs = st.empty()
    show.html(hexview.legend_html())
    per_row = 1 if figure_first else st.session_state["ex.columns"]
    columns = st.container(key="ex-cards").columns(per_row)   # a strip on a phone
    if not results:
        st.info(t("ex.nothing"))
    encoded = explorer.format_cards(results, columns, st.session_state.get("ex.view") or "compact", highlight)
    if highlight and encoded:
        costs.markdown(t("ex.costs", field=highlight, costs=" · ".join(
            t("ex.cost", format=formats.get(f).title, n=e.bytes_for(highlight)) for f, e in encoded.items())))
    if not figure_first:
        st.slider(t("ex.columns"), 1, 3, key="ex.columns")

if not figure_first:   # one figure at a time: the size and growth plots are the lecture's first step
    st.divider()
    # on_change="rerun": only the open tab's code runs (the growth figures re-encode up to 200 copies)
    sizes_tab, growth_tab = st.tabs([t("ex.chart.sizes"), t("ex.chart.growth")], key="ex.chart", on_change="rerun")
    with sizes_tab:
        if encoded and sizes_tab.open:
            st.plotly_chart(lecture.sized(plots.sizes_by_kind(encoded)), width="stretch", key="ex-sizes", config=plots.CONFIG)
            st.caption(t("ex.chart.sizes_caption"))
    with growth_tab:
        biggest = max((e.size for e in encoded.values()), default=0)
        if biggest > explorer.WALK_ALL_BYTES:
            st.caption(t("ex.chart.too_large"))
        elif encoded and record_text and growth_tab.open:
            counts = explorer.growth_counts(biggest)
            rows = cache.growth(record_text, explorer.schemas_tuple(), tuple(encoded), counts)
            figure = plots.growth(rows)
            st.plotly_chart(lecture.sized(figure), width="stretch", key="ex-growth", config=plots.CONFIG)
            show.html(plots.legend_html(figure.meta["order"]))
            st.caption(t("ex.chart.growth_caption"))

course.footer("explorer", questions.encoding(record, dict(explorer.schemas_tuple())) if record else [])
