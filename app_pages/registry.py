"""Schema registry modes: a version history checked as a registry would, in every mode."""
import streamlit as st

import evolution
import formats
from course import questions
from evolution import lookup
from evolution.registry import EXAMPLE_HISTORIES, EXAMPLE_STORIES
from ui import cache, course, lookup as lookup_view, registry, show, state
from ui.language import t, tr

st.title(t("evolve.rg.title"))
course.path_nav("registry")
st.markdown(t("evolve.rg.intro"))

state.declare("rg", {"language": "avsc", "mode": "BACKWARD", "count": 1,
                     **{f"v{i}": "" for i in range(1, registry.MAX_VERSIONS + 1)}},
              allowed={"language": EXAMPLE_HISTORIES, "mode": evolution.MODES,
                       "count": state.between(1, registry.MAX_VERSIONS)},
              derived=registry.example, note=t("evolve.rg.link_note"))

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox(t("evolve.rg.language"), list(EXAMPLE_HISTORIES), key="rg.language",
                 format_func={k: tr(v) for k, v in formats.SCHEMA_LANGUAGES.items()}.get, on_change=registry.load_example)
    st.selectbox(t("evolve.rg.mode"), list(evolution.MODES), key="rg.mode")
    st.button(t("evolve.rg.add"), on_click=registry.add_version,
              disabled=st.session_state["rg.count"] >= registry.MAX_VERSIONS)
    st.button(t("evolve.rg.remove"), on_click=registry.remove_version,
              disabled=st.session_state["rg.count"] <= 1)
    st.button(t("evolve.rg.load"), on_click=registry.load_example)
st.caption(t("evolve.rg.example", story=tr(EXAMPLE_STORIES[st.session_state["rg.language"]])))

count = st.session_state["rg.count"]
editors, results = st.columns([1, 1], gap="large")
with editors:
    st.subheader(t("evolve.rg.versions"))
    tabs = st.tabs([f"v{i}" for i in range(1, count + 1)])
    for i, tab in enumerate(tabs, 1):
        with tab:
            st.text_area(t("evolve.rg.version", v=i), key=f"rg.v{i}", height=360, label_visibility="collapsed")

history = [st.session_state[f"rg.v{i}"] for i in range(1, count + 1)]
with results:
    try:
        every_mode = cache.registrations(st.session_state["rg.language"], tuple(history))
    except formats.FormatError as e:
        st.error(tr(e.message), icon="⚠️")
        st.stop()
    chosen = every_mode[st.session_state["rg.mode"]]
    st.subheader(t("evolve.rg.registering", n=count, mode=chosen.mode))
    st.info(tr(chosen.upgrade_advice), icon=":material/upgrade:")
    registry.candidates(chosen)
st.subheader(t("evolve.rg.every_mode"))
show.table(registry.modes_table(every_mode))

st.subheader(t("evolve.rg.lookup"))
if st.session_state["rg.language"] == "avsc":
    lookup_view.writer_schema_lookup(lookup.SchemaStore.registered(history, chosen.registered), lookup.SAMPLE, "rg.find")
else:
    st.caption(t("evolve.rg.no_lookup"))

course.footer("registry", questions.registry(st.session_state["rg.language"], history, st.session_state["rg.mode"]))
