"""Schema registry modes: a version history checked as a registry would, in every mode."""
import streamlit as st

import evolution
import formats
from course import questions
from evolution import lookup
from evolution.registry import EXAMPLE_HISTORIES, EXAMPLE_STORIES
from ui import course, lookup as lookup_view, registry, state

st.title("Schema registry")
course.path_nav("registry")
st.markdown("A schema registry (Confluent's, for Kafka) keeps every version of a topic's schema and "
            "accepts a new version only if it passes the topic's compatibility mode. The mode decides "
            "which side may be upgraded first: consumers (readers) or producers (writers).")

state.declare("rg", {"language": "avsc", "mode": "BACKWARD", "count": 1,
                     **{f"v{i}": "" for i in range(1, registry.MAX_VERSIONS + 1)}},
              allowed={"language": EXAMPLE_HISTORIES, "mode": evolution.MODES,
                       "count": state.between(1, registry.MAX_VERSIONS)},
              derived=registry.example, note="the versions you edited included")

with st.container(horizontal=True, vertical_alignment="bottom"):
    st.selectbox("Schema language", list(EXAMPLE_HISTORIES), key="rg.language",
                 format_func=formats.SCHEMA_LANGUAGES.get, on_change=registry.load_example)
    st.selectbox("Compatibility mode", list(evolution.MODES), key="rg.mode")
    st.button("Add a version", on_click=registry.add_version,
              disabled=st.session_state["rg.count"] >= registry.MAX_VERSIONS)
    st.button("Remove the last version", on_click=registry.remove_version,
              disabled=st.session_state["rg.count"] <= 1)
    st.button("Load the example history", on_click=registry.load_example)
st.caption(f"The example: {EXAMPLE_STORIES[st.session_state['rg.language']]}")

count = st.session_state["rg.count"]
editors, results = st.columns([1, 1], gap="large")
with editors:
    st.subheader("The versions, oldest first")
    tabs = st.tabs([f"v{i}" for i in range(1, count + 1)])
    for i, tab in enumerate(tabs, 1):
        with tab:
            st.text_area(f"Version {i}", key=f"rg.v{i}", height=360, label_visibility="collapsed")

history = [st.session_state[f"rg.v{i}"] for i in range(1, count + 1)]
with results:
    try:
        every_mode = evolution.register_all_modes(st.session_state["rg.language"], history)
    except formats.FormatError as e:
        st.error(str(e), icon="⚠️")
        st.stop()
    chosen = every_mode[st.session_state["rg.mode"]]
    st.subheader(f"Registering v1 … v{count} under {chosen.mode}")
    st.info(chosen.upgrade_advice, icon=":material/upgrade:")
    registry.candidates(chosen)
st.subheader("The same history under every mode")
st.dataframe(registry.modes_table(every_mode), hide_index=True, width="stretch")

st.subheader("How a consumer finds the writer's schema")
if st.session_state["rg.language"] == "avsc":
    lookup_view.writer_schema_lookup(lookup.SchemaStore.registered(history, chosen.registered), lookup.SAMPLE, "rg.find")
else:
    st.caption("Protocol Buffers and Thrift readers read by field tag, so they need no writer's schema; an Avro "
               "reader does. Pick the Avro schema language to see how it gets one.")

course.footer("registry", questions.registry(st.session_state["rg.language"], history, st.session_state["rg.mode"]))
