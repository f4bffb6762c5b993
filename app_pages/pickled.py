"""Language-specific formats: Python's pickle, its class paths, a rename that breaks old bytes, and the
security problem; a paragraph on Java's Serializable and Ruby's Marshal."""
import streamlit as st

import formats
import sample_data
from course import questions
from evolution import pickled
from ui import cache, course, hexview, show, state, widgets
from ui.language import t, tr
from ui.theme import CSS

st.title(t("pk.title"))
st.markdown(t("pk.intro"))
show.html(CSS)
state.declare("pk", {"reader": "v2"}, allowed={"reader": pickled.READERS})
BOOK = sample_data.load("person").record_text

st.subheader(t("pk.book"))
plain = cache.encode("pickle", BOOK, None)
st.markdown(t("pk.book_size", size=t("unit.bytes", n=plain.size), json=cache.encode("json", BOOK, None).size))
show.html(hexview.legend_html() + hexview.hex_html(plain))

st.subheader(t("pk.object"))
data = pickled.write(cache.parsed(BOOK))
walked = cache.annotate("pickle", data, None)
class_path = [s for s in walked.spans if s.kind == "name" and s.label.startswith(("module", "name"))]
st.markdown(t("pk.object_size", size=t("unit.bytes", n=len(data)), path=" ".join(tr(s.label) for s in class_path)))
show.html(hexview.hex_html(walked, highlight=set(class_path)))
reader = st.segmented_control(t("pk.read_by"), list(pickled.READERS), key="pk.reader", required=True,
                              format_func=widgets.labels(pickled.READERS,
                                                         lambda r: f"{r}: {tr(pickled.READERS[r][0])}"))
outcome = pickled.read(data, reader)
(st.success if outcome.ok else st.error)(tr(outcome.text), icon="✅" if outcome.ok else "⚠️")
st.caption(t("pk.restricted"))

st.subheader(t("pk.runs_code"))
payload = pickled.payload()
danger = cache.annotate("pickle", payload, None)
st.markdown(t("pk.payload", size=t("unit.bytes", n=len(payload))))
calls = {s for s in danger.spans if s.kind == "name" or s.kind == "type" and "GLOBAL" in s.label or "REDUCE" in s.label}
show.html(hexview.hex_html(danger, highlight=calls))
st.dataframe([{t("pk.col.byte"): s.start, t("pk.col.opcode"): tr(s.label)} for s in danger.spans if s.kind == "type"],
             hide_index=True, width="stretch")
try:
    formats.decode("pickle", payload)
except formats.FormatError as e:
    st.warning(t("pk.stops", error=tr(e.message)), icon="🛑")
if st.button(t("pk.to_decode")):
    st.session_state.update({"dec.format": "pickle", "dec.data": payload.hex(" "), "dec.schema": ""})
    st.switch_page("app_pages/decode.py")

st.subheader(t("pk.java_ruby"))
st.markdown(t("pk.java_ruby_text"))

course.footer("pickled", questions.pickled(cache.parsed(BOOK)))
