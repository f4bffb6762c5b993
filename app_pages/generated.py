"""Generated schemas: a table's columns become an Avro and a Protobuf schema; old rows read after a change."""
import json

import streamlit as st

import evolution
import formats
from course import questions
from evolution import generated
from ui import cache, course, hexview, show, state
from ui.language import t, tr
from ui.theme import CSS

st.title(t("evolve.gen.title"))
course.path_nav("generated")
st.markdown(t("evolve.gen.intro"))
show.html(CSS)
state.declare("gen", {"before": generated.V1, "after": generated.V2, "reader": "protobuf"},
              allowed={"reader": generated.READERS}, note=t("evolve.gen.link_note"))


before, after = st.columns(2, gap="medium")
before.text_area(t("evolve.gen.before"), key="gen.before", height=150, help=t("evolve.gen.before_help"))
after.text_area(t("evolve.gen.after"), key="gen.after", height=150)
try:
    readings = generated.read_after_change(st.session_state["gen.before"], st.session_state["gen.after"])
    changes = generated.presets(st.session_state["gen.before"])
except formats.FormatError as e:
    st.error(tr(e.message), icon="⚠️")
    st.stop()
with st.container(horizontal=True):
    for label, text in changes.items():   # the key keeps the English label: a link or test finds it in any language
        st.button(tr(label), on_click=state.assign, args=({"gen.after": text},), key=f"gen.{label}")

for tab, reading in zip(st.tabs([tr(r) for r in generated.READERS.values()]), readings.values()):
    with tab:
        was, now = st.columns(2)
        language = "json" if reading.reader == "avro" else "protobuf"
        was.code(reading.schema_before, language=language)
        now.code(reading.schema_after, language=language)

st.subheader(t("evolve.gen.old_rows"))
column = {name: t(f"evolve.gen.column.{name}") for name in ("reader", "row", "column", "holds", "status", "why")}
st.dataframe([{column["reader"]: tr(generated.READERS[r]), **{tr(s): n for s, n in reading.counts.items()}}
              for r, reading in readings.items()], hide_index=True, width="stretch")
reader = st.segmented_control(t("evolve.gen.show"), list(generated.READERS), key="gen.reader", required=True,
                              format_func={r: tr(label) for r, label in generated.READERS.items()}.get)
shown = readings[reader]
cells, wire = st.columns([3, 2], gap="medium")
with cells:
    st.dataframe([{column["row"]: c["row"], column["column"]: c["column"],
                   column["holds"]: json.dumps(show.jsonable(c["holds"])), column["status"]: tr(c["status"]),
                   column["why"]: tr(c["why"])} for c in shown.cells], hide_index=True, width="stretch", height=320)
with wire:
    fid = "avro" if reader == "avro" else "protobuf"
    labelled = cache.annotate(fid, shown.data[0], shown.schema_before if fid == "avro" else shown.schema_after)
    st.markdown(t("evolve.gen.row_bytes", n=len(shown.data[0])))
    show.html(hexview.legend_html() + hexview.hex_html(labelled, per_row=8))
st.caption(t("evolve.gen.closing", reuse=tr(evolution.change("reuse-tag").title)))
course.footer("generated", questions.generated(st.session_state["gen.before"], st.session_state["gen.after"]))
