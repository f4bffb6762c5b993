"""The compatibility matrix: every catalogue change x format x direction, read for real."""
import pandas as pd
import streamlit as st

import evolution
from course import questions
from ui import course, matrix, state
from ui.evolution import STATUS_STYLE, badge_html
from ui.theme import CSS

st.title("Compatibility matrix")
course.path_nav("matrix")
st.markdown("Every change in the catalogue, written by one version and read by the other, with the real "
            "libraries. **Backward**: new code reads old data. **Forward**: old code reads new data. A "
            "rolling upgrade needs both. Hover a cell for what happened; click or tap it for the live demo.")
st.html(CSS + matrix.CSS)
policy = state.declare("mx", {"policy": next(iter(evolution.POLICIES))}, allowed={"policy": evolution.POLICIES})["policy"]
st.radio("JSON's reading code", list(evolution.POLICIES), key="mx.policy", horizontal=True,
         format_func=evolution.POLICIES.get)
cells = evolution.matrix(policy)
st.html(" ".join(badge_html(s) for s in STATUS_STYLE))
st.html(matrix.matrix_html(cells, policy))
st.caption("Where the decode and the static check disagree the cell says what the static check thinks: it "
           "judges every record a schema allows, a decode reads one record.")

with st.expander("Cells in a table (to sort and filter)"):
    st.dataframe(pd.DataFrame([{"change": evolution.change(c.change_id).title, "format": c.format_id,
                                "direction": c.direction, "decode": c.status, "static check": c.static,
                                "what happened": c.reason, "why they differ": c.difference} for c in cells]),
                 hide_index=True, width="stretch")
course.footer("matrix", questions.matrix(st.session_state["mx.policy"]))
