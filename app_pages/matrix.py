"""The compatibility matrix: every catalogue change x format x direction, read for real."""
import pandas as pd
import streamlit as st

import evolution
import formats
from course import questions
from ui import course, matrix, show, state, widgets
from ui import evolution as ev
from ui.evolution import STATUS_STYLE, badge_html, status_name
from ui.language import t, tr
from ui.theme import CSS

st.title(t("evolve.mx.title"))
course.path_nav("matrix")
st.markdown(t("evolve.mx.intro"))
show.html(CSS + matrix.CSS)
policy = state.declare("mx", {"policy": next(iter(evolution.POLICIES))}, allowed={"policy": evolution.POLICIES})["policy"]
st.radio(t("evolve.mx.policy"), list(evolution.POLICIES), key="mx.policy", horizontal=True,
         format_func=ev.policy_labels().get)
cells = evolution.matrix(policy)
show.html(" ".join(badge_html(s) for s in STATUS_STYLE))
show.html(matrix.matrix_html(cells, policy))
st.caption(t("evolve.mx.disagree"))

with widgets.folded(t("evolve.mx.table"), "mx.table") as open_:
    if open_:
        column = {name: t(f"evolve.mx.column.{name}") for name in ("change", "format", "direction", "decode", "static",
                                                                    "happened", "differ")}
        st.dataframe(pd.DataFrame([{column["change"]: tr(evolution.change(c.change_id).title), column["format"]: formats.get(c.format_id).title,
                                    column["direction"]: t(f"evolve.mx.{c.direction}"),
                                    column["decode"]: status_name(c.status),
                                    column["static"]: status_name(c.static) if c.static else None,
                                    column["happened"]: tr(c.reason), column["differ"]: tr(c.difference)}
                                   for c in cells]),
                     hide_index=True, width="stretch")
course.footer("matrix", questions.matrix(st.session_state["mx.policy"]))
