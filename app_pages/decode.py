"""Decode bytes: paste hex or base64, pick a format (and schema), see every byte labelled."""
import json

import streamlit as st

import formats
import sample_data
from course import questions
from formats.pasted import ENCODINGS, read_pasted
from ui import cache, course, hexview, show, state, widgets
from ui.language import t, tr
from ui.theme import CSS

BOOK = sample_data.load("person")
EXAMPLES = {   # format -> (hex written by the real library, schema text)
    "protobuf": ("0a 06 4d 61 72 74 69 6e 10 b9 0a 1a 0b 64 61 79 64 72 65 61 6d 69 6e 67 "
                 "1a 07 68 61 63 6b 69 6e 67", None),
}
SCHEMA_NEEDS = {   # what the schema box is for, per view (catalogue keys)
    "avro": "dec.need.avro",
    "avro-single-object": "dec.need.single_object",
    "avro-confluent": "dec.need.confluent",
    "avro-container": "dec.need.container",
}

st.title(t("dec.title"))
course.path_nav("decode")
st.caption(t("dec.caption"))
show.html(CSS)
state.declare("dec", {"format": "protobuf", "data": "", "schema": "", "encoding": "auto"},
              allowed={"format": formats.VIEWS, "encoding": ENCODINGS}, note=t("dec.link_note"))


left, right = st.columns([2, 3], gap="medium")
with left:
    fid = st.selectbox(t("dec.format"), formats.VIEWS, key="dec.format",
                       format_func=widgets.labels(formats.VIEWS, lambda f: tr(formats.get(f).title)))
    fmt = formats.get(fid)
    st.radio(t("dec.encoding"), ENCODINGS, key="dec.encoding", horizontal=True,
             format_func=widgets.labels(ENCODINGS, lambda e: t(f"dec.encoding_{e}")))
    st.text_area(t("dec.data"), key="dec.data", height=160, placeholder=t("dec.placeholder"))
    st.button(t("dec.example"), on_click=state.assign,
              args=({"dec.format": "protobuf", "dec.data": EXAMPLES["protobuf"][0], "dec.schema": ""},))
    if fmt.schema_language:
        need = t(SCHEMA_NEEDS.get(fid, "dec.need.optional"))
        st.text_area(f"{tr(formats.SCHEMA_LANGUAGES[fmt.schema_language])}: {need}", key="dec.schema", height=200)
        st.button(t("dec.book_schema"), on_click=state.assign,   # the editor is already drawn
                  args=({"dec.schema": BOOK.schemas[fmt.schema_language]},))

with right:
    text = st.session_state["dec.data"]
    if not text.strip():
        st.info(t("dec.paste"))
        course.footer("decode")
        st.stop()
    schema = (st.session_state["dec.schema"] or None) if fmt.schema_language else None
    try:
        pasted = read_pasted(text, st.session_state["dec.encoding"])
    except formats.FormatError as e:
        st.error(t("dec.unreadable", error=tr(e.message)), icon="⚠️")
        st.stop()
    data = pasted.data
    st.caption(tr(pasted.summary()))
    view, why = cache.recognise(fid, data, schema)
    if why:
        st.info(tr(why))
        fmt = formats.get(view)
    try:
        walked = cache.annotate(view, data, schema)
    except formats.FormatError as e:
        show.failed_walk(fmt.title, data, e)
        st.stop()
    st.markdown(t("dec.heading", format=fmt.title, size=t("unit.bytes", n=len(data))))
    show.html(hexview.legend_html())
    show.html(hexview.hex_html(walked, *widgets.byte_window(len(data), "dec.page")))
    with st.expander(t("dec.as_the_book"), expanded=True):
        show.html(hexview.figure_html(walked))
    if fmt.schema_language and not schema and view != "avro-container":
        st.caption(t("dec.no_schema"))
        st.stop()
    try:
        decoded = formats.decode(view, data, schema)
    except formats.FormatError as e:
        st.warning(t("dec.refused", error=tr(e.message)), icon="⚠️")
    else:
        st.markdown(t("dec.decoded" if isinstance(decoded.record, dict) else "dec.decoded_value"))
        shown = show.jsonable(decoded.record)
        # st.json takes a str as JSON text: a decoded string goes in quoted
        st.json(json.dumps(shown, ensure_ascii=False) if isinstance(shown, str) else shown)
        for note in decoded.notes:
            st.caption(tr(note))
course.footer("decode", questions.pasted(view, data, schema))
