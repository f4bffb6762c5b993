"""Encoding Lab: "Encoding and Evolution" of *Designing Data-Intensive Applications* (chapter 4 in the
first edition, chapter 5 in the second), hands on.

The entry script only registers the pages (grouped as the chapter goes), in the student's language,
and runs the chosen one.
The page files live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the entry
script as its older multipage mode, and a fresh server's first visitor arriving by a deep link
(say /explorer, from a link on a slide) would get that page without this script.
"""
import pandas  # noqa: F401  (see below)
from pathlib import Path

import streamlit as st

from ui import language, lecture, state, turns
from ui.language import t

# pandas is imported here, whole, before any page runs: Plotly looks it up in sys.modules without
# importing it, and a session's first run importing it in another thread (an aborted run, a second
# student) hands Plotly a half-initialised module ("partially initialized module 'pandas'").

# The favicon is a file: a ":material/…" page icon makes every browser fetch it from Google's font host,
# which an offline laptop in a lecture hall cannot reach. (Page icons in the sidebar are drawn with
# the icon font Streamlit serves itself.)
st.set_page_config(page_title="Encoding Lab", page_icon=Path(__file__).parent / "assets" / "icon.svg",
                   layout="wide")

SECTIONS = {   # section -> (page file, icon); titles come from the catalogue (page.<file name>)
    "course": [("start", ":material/route:")],
    "encode": [("overview", ":material/menu_book:"), ("explorer", ":material/biotech:"),
               ("decode", ":material/hexagon:"), ("pickled", ":material/code:")],
    "evolve": [("evolution_lab", ":material/swap_horiz:"), ("matrix", ":material/grid_on:"),
               ("registry", ":material/inventory_2:"), ("generated", ":material/table_view:")],
    "dataflow": [("flow_upgrade", ":material/published_with_changes:"), ("flow_databases", ":material/database:"),
                 ("flow_services", ":material/lan:"), ("flow_messaging", ":material/mail:"),
                 ("flow_actors", ":material/groups:"), ("flow_events", ":material/receipt_long:"),
                 ("flow_durable", ":material/replay:")],
    "about": [("about", ":material/info:"), ("glossary", ":material/translate:")],
}


def pages() -> dict:
    """section title -> its st.Page objects, built once per session and language: st.Page resolves and
    checks its file on every call (18 pages, each run: 7 % of a busy server's time with 30 students,
    py-spy). Not shared between sessions: st.navigation marks the page a run may call on the object."""
    key = f"_nav.{language.current()}"
    if key not in st.session_state:
        st.session_state[key] = {
            t(f"nav.{section}"): [st.Page(f"app_pages/{name}.py", title=t(f"page.{name}"), icon=icon,
                                          default=name == "start") for name, icon in entries]
            for section, entries in SECTIONS.items()}
    return st.session_state[key]


language.switch()
language.keep_in_url()
# expanded: every page listed (the chapter's map), and no "View 8 more" link, a word of Streamlit's frontend
# that no catalogue reaches (it stayed English on a Russian page)
page = st.navigation(pages(), expanded=True)
state.keep()   # before the page runs: what other pages' widgets hold survives this run (ui/state.py)
lecture.switch()   # the sidebar's lecture toggle; on, its large type on this page
with turns.turn():   # a class's reruns one or two at a time, not all at once (ui/turns.py)
    page.run()
