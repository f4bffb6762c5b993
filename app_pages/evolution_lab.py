"""Schema evolution lab: writer and reader schemas, real decoding both ways, verdicts."""
import streamlit as st

import evolution
import formats
from course import questions
from ui import course, evolution as ev, show, widgets
from ui import state
from ui.language import t, tr
from ui.theme import CSS

st.title(t("evolve.lab.title"))
course.path_nav("evolution_lab")
st.markdown(t("evolve.lab.intro"))
show.html(CSS)

state.declare("ev", {"format": "avro", "change": "add-optional-field", "v1": "", "v2": "", "rec1": "", "rec2": "",
                     "policy": "ignore", "v1.avdl": "", "v2.avdl": ""},
              allowed={"format": ev.FORMAT_IDS, "change": [c.id for c in evolution.CHANGES],
                       "policy": evolution.POLICIES},
              derived=ev.derived, note=t("evolve.lab.link_note"))

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(t("evolve.lab.format"), ev.FORMAT_IDS, key="ev.format", on_change=ev.reload,
                 format_func=widgets.labels(ev.FORMAT_IDS, lambda f: formats.get(f).title))
    st.selectbox(t("evolve.lab.change"), [c.id for c in evolution.CHANGES], key="ev.change",
                 on_change=ev.reload, format_func={c.id: tr(c.title) for c in evolution.CHANGES}.get)
    st.button(t("evolve.lab.reset"), on_click=ev.reload, help=t("evolve.lab.reset_help"))
fid, change = st.session_state["ev.format"], evolution.change(st.session_state["ev.change"])
family = evolution.catalogue.FAMILY_OF_FORMAT[fid]
ev.explain_change(change, fid)
if not change.applies(family):
    st.stop()

ok, errors = ev.checked_inputs(fid)
lang = ev.language(fid)
with st.expander(t("evolve.lab.versions"), expanded=bool(errors)):
    left, right = st.columns(2)
    for v, col in ((1, left), (2, right)):
        with col:
            if lang:
                ev.schema_editor(v, lang, errors.get(f"ev.v{v}"))
            st.text_area(t("evolve.lab.record", v=v), key=f"ev.rec{v}", height=180)
            if f"ev.rec{v}" in errors:
                st.error(t("evolve.lab.record_error", v=v, error=errors[f"ev.rec{v}"]), icon="⚠️")
    if not lang:
        st.radio(t("evolve.lab.policy"), list(evolution.POLICIES),
                 key="ev.policy", format_func=ev.policy_labels().get, horizontal=True)
if errors:
    st.warning(t("evolve.lab.fix"), icon="⚠️")
    st.stop()

backward, forward = st.columns(2, gap="large")
verdicts = []
for direction, col in (("backward", backward), ("forward", forward)):
    writer, reader = (1, 2) if direction == "backward" else (2, 1)
    record, writer_schema = ok[writer]
    with col:
        st.subheader(t(f"evolve.lab.{direction}", means=tr(evolution.DIRECTIONS[direction])))
        try:
            outcome, verdict = ev.read_both_ways(fid, change, ok, writer, reader)
        except formats.FormatError as e:
            st.error(tr(e.message), icon="⚠️")
            continue
        ev.outcome_panel(outcome, verdict)
        verdicts.append(verdict)
if len(verdicts) == 2:
    ev.buf_report(fid, ok, verdicts)

if fid in evolution.RMW_FORMATS:
    st.divider()
    ev.read_modify_write(fid, ok)
course.footer("evolution_lab", questions.change(fid, change.id))
