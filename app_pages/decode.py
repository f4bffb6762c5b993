"""Decode bytes: paste hex or base64, pick a format (and schema), see every byte labelled."""
import json

import streamlit as st

import formats
import sample_data
from course import questions
from formats.pasted import ENCODINGS, read_pasted
from ui import cache, course, hexview, show, state, widgets
from ui.theme import CSS

BOOK = sample_data.load("person")
EXAMPLES = {   # format -> (hex written by the real library, schema text)
    "protobuf": ("0a 06 4d 61 72 74 69 6e 10 b9 0a 1a 0b 64 61 79 64 72 65 61 6d 69 6e 67 "
                 "1a 07 68 61 63 6b 69 6e 67", None),
}
SCHEMA_NEEDS = {   # what the schema box is for, per view
    "avro": "the writer's schema (required)",
    "avro-single-object": "the writer's schema (required; its fingerprint is in the data)",
    "avro-confluent": "the writer's schema (required; a registry would give it by its id)",
    "avro-container": "the reader's schema (optional: the file's header holds the writer's)",
}

st.title("Decode bytes")
course.path_nav("decode")
st.caption("Paste bytes from anywhere — a log, a packet capture, a hex dump, a test suite, another tab of "
           "this app — and walk them byte by byte. Protocol Buffers and Thrift can be walked without a "
           "schema (field numbers and wire types only); Avro cannot: its bytes carry no tags at all.")
st.html(CSS)
state.declare("dec", {"format": "protobuf", "data": "", "schema": "", "encoding": "auto"},
              allowed={"format": formats.VIEWS, "encoding": ENCODINGS}, note="the pasted bytes and schema included")


def _example() -> None:
    st.session_state.update({"dec.format": "protobuf", "dec.data": EXAMPLES["protobuf"][0], "dec.schema": ""})


def _book_schema(language: str) -> None:   # a callback: the editor is already drawn when the button is
    st.session_state["dec.schema"] = BOOK.schemas[language]


left, right = st.columns([2, 3], gap="medium")
with left:
    fid = st.selectbox("Format", formats.VIEWS, key="dec.format", format_func=lambda f: formats.get(f).title)
    fmt = formats.get(fid)
    st.radio("The text is", ENCODINGS, key="dec.encoding", horizontal=True)
    st.text_area("Bytes (hex in any form, or base64)", key="dec.data", height=160,
                 placeholder="0a 06 4d 61 …, 0a:06:4d:61, 81-a1-61-01, {0x0a, 0x06}, b'\\n\\x06', an xxd dump…")
    st.button("Example: the book's Protocol Buffers bytes (figure 4-4)", on_click=_example)
    if fmt.schema_language:
        need = SCHEMA_NEEDS.get(fid, "schema (optional: empty walks without one)")
        st.text_area(f"{formats.SCHEMA_LANGUAGES[fmt.schema_language]}: {need}", key="dec.schema", height=200)
        st.button("Use the book's schema", on_click=_book_schema, args=(fmt.schema_language,))

with right:
    text = st.session_state["dec.data"]
    if not text.strip():
        st.info("Paste some bytes on the left, or load the example.")
        course.footer("decode")
        st.stop()
    schema = (st.session_state["dec.schema"] or None) if fmt.schema_language else None
    try:
        pasted = read_pasted(text, st.session_state["dec.encoding"])
    except formats.FormatError as e:
        st.error(f"Could not read the pasted text: {e}", icon="⚠️")
        st.stop()
    data = pasted.data
    st.caption(pasted.summary())
    view, why = cache.recognise(fid, data, schema)
    if why:
        st.info(why)
        fmt = formats.get(view)
    try:
        walked = cache.annotate(view, data, schema)
    except formats.FormatError as e:
        show.failed_walk(fmt.title, data, e)
        st.stop()
    st.markdown(f"**{fmt.title}** — {len(data):,} bytes, every one labelled (tap or hover a byte for details)")
    st.html(hexview.legend_html())
    st.html(hexview.hex_html(walked, *widgets.byte_window(len(data), "dec.page")))
    with st.expander("As the book draws it", expanded=True):
        st.html(hexview.figure_html(walked))
    if fmt.schema_language and not schema and view != "avro-container":
        st.caption("Without a schema no library can build a record from these bytes: the walk above "
                   "is all there is — field numbers and wire types, as protoscope shows them.")
        st.stop()
    try:
        decoded = formats.decode(view, data, schema)
    except formats.FormatError as e:
        st.warning(f"The walk read every byte, but the library refuses the record: {e}", icon="⚠️")
    else:
        st.markdown("**Decoded by the library**" + ("" if isinstance(decoded.record, dict) else
                                                   " — a single top-level value, not a record"))
        shown = show.jsonable(decoded.record)
        # st.json takes a str as JSON text: a decoded string goes in quoted
        st.json(json.dumps(shown, ensure_ascii=False) if isinstance(shown, str) else shown)
        for note in decoded.notes:
            st.caption(note)
course.footer("decode", questions.pasted(view, data, schema))
