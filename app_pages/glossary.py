"""Glossary: the chapter's terms, English beside Russian, each linked to the page where it can be touched."""
import streamlit as st

from course import glossary
from ui import state
from ui.language import current, t
from ui.links import to_page

values = state.declare("gl", {"query": ""}, {"query": lambda q: isinstance(q, str) and len(q) <= 80})

st.title(t("page.glossary"))
st.markdown(t("glossary.intro"))
query = st.text_input(t("glossary.search"), key="gl.query", help=t("glossary.search_help"),
                      placeholder=t("glossary.placeholder"), max_chars=80)
everything = glossary.terms(current())
shown = glossary.matching(everything, query)
if not shown:
    st.info(t("glossary.none", query=query))
else:
    st.caption(t("glossary.shown", n=len(shown), total=len(everything)))
    rows = [f"| {t('glossary.english')} | {t('glossary.russian')} | {t('glossary.meaning')} | {t('glossary.where')} |",
            "|---|---|---|---|"]
    rows += [f"| **{term.names['en']}** | **{term.names['ru']}** | {term.definition} | "
             f"{to_page(term.page)} |" for term in shown]
    st.markdown("\n".join(rows))
