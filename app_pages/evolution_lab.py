"""Schema evolution lab: writer and reader schemas, real decoding both ways, verdicts."""
import streamlit as st

import evolution
import formats
from course import questions
from ui import course, evolution as ev
from ui import state
from ui.theme import CSS

st.title("Schema evolution lab")
course.path_nav("evolution_lab")
st.markdown("During a rolling upgrade old and new code run side by side, and data in a database "
            "outlives the code that wrote it. So **new code must read old data** (backward "
            "compatibility) and **old code must read new data** (forward compatibility). Pick a change, "
            "or edit either version freely: the real libraries write with one schema and read with the other.")
st.html(CSS)

state.declare("ev", {"format": "avro", "change": "add-optional-field", "v1": "", "v2": "", "rec1": "", "rec2": "",
                     "policy": "ignore", "v1.avdl": "", "v2.avdl": ""},
              allowed={"format": ev.FORMAT_IDS, "change": [c.id for c in evolution.CHANGES],
                       "policy": evolution.POLICIES},
              derived=ev.derived, note="your edits of both versions included")

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox("Format", ev.FORMAT_IDS, key="ev.format", on_change=ev.reload,
                 format_func=lambda f: formats.get(f).title)
    st.selectbox("Change (from v1 to v2)", [c.id for c in evolution.CHANGES], key="ev.change",
                 on_change=ev.reload, format_func=lambda c: evolution.change(c).title)
    st.button("Reset both versions", on_click=ev.reload, help="Undo your edits: back to the change as catalogued")
fid, change = st.session_state["ev.format"], evolution.change(st.session_state["ev.change"])
family = evolution.catalogue.FAMILY_OF_FORMAT[fid]
ev.explain_change(change, fid)
if not change.applies(family):
    st.stop()

ok, errors = ev.checked_inputs(fid)
lang = ev.language(fid)
with st.expander("The two versions (edit freely)", expanded=bool(errors)):
    left, right = st.columns(2)
    for v, col in ((1, left), (2, right)):
        with col:
            if lang:
                ev.schema_editor(v, lang, errors.get(f"ev.v{v}"))
            st.text_area(f"The record v{v} code writes (JSON)", key=f"ev.rec{v}", height=180)
            if f"ev.rec{v}" in errors:
                st.error(f"v{v} record: {errors[f'ev.rec{v}']}", icon="⚠️")
    if not lang:
        st.radio("How the reading code treats keys it does not expect", list(evolution.POLICIES),
                 key="ev.policy", format_func=evolution.POLICIES.get, horizontal=True)
if errors:
    st.warning("Fix the version marked above to read across versions.", icon="⚠️")
    st.stop()

backward, forward = st.columns(2, gap="large")
verdicts = []
for direction, col in (("backward", backward), ("forward", forward)):
    writer, reader = (1, 2) if direction == "backward" else (2, 1)
    record, writer_schema = ok[writer]
    with col:
        st.subheader(f"{direction.title()}: {evolution.DIRECTIONS[direction]}")
        try:
            outcome, verdict = ev.read_both_ways(fid, change, ok, writer, reader)
        except formats.FormatError as e:
            st.error(str(e), icon="⚠️")
            continue
        ev.outcome_panel(outcome, verdict)
        verdicts.append(verdict)
if len(verdicts) == 2:
    ev.buf_report(fid, ok, verdicts)

if fid in evolution.RMW_FORMATS:
    st.divider()
    ev.read_modify_write(fid, ok)
course.footer("evolution_lab", questions.change(fid, change.id))
