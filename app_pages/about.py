"""About: the chapter's ideas, and where in the lab a student touches each one (a link to the page)."""
import streamlit as st

import i18n
from ui.language import t
from ui.links import with_pages

# the ideas in the catalogue's order (the chapter's)
IDEAS = list(dict.fromkeys(key.split(".")[2] for key in i18n.catalogue(i18n.DEFAULT) if key.startswith("about.ideas.")))

st.title(t("about.title"))
st.markdown(t("about.intro"))

st.subheader(t("about.map_title"))
st.table([{t("about.idea"): t(f"about.ideas.{idea}.idea"), t("about.where"): with_pages(f"about.ideas.{idea}.where")}
          for idea in IDEAS])
st.markdown(with_pages("about.glossary"))

st.subheader(t("about.how_title"))
st.markdown(t("about.how"))
