"""Encoding Lab: chapter 4 of *Designing Data-Intensive Applications*, hands on.

The entry script only registers the pages (grouped as the chapter goes) and runs the chosen one.
The page files live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the entry
script as its older multipage mode, and a fresh server's first visitor arriving by a deep link
(say /explorer, from a link on a slide) would get that page without this script.
"""
import streamlit as st

st.set_page_config(page_title="Encoding Lab", page_icon=":material/memory:", layout="wide")

PAGES = {
    "Encode": [
        st.Page("app_pages/overview.py", title="The book's record", icon=":material/menu_book:", default=True),
        st.Page("app_pages/explorer.py", title="Explorer", icon=":material/biotech:"),
        st.Page("app_pages/decode.py", title="Decode bytes", icon=":material/hexagon:"),
    ],
    "Evolve": [
        st.Page("app_pages/evolution_lab.py", title="Evolution lab", icon=":material/swap_horiz:"),
        st.Page("app_pages/matrix.py", title="Compatibility matrix", icon=":material/grid_on:"),
        st.Page("app_pages/registry.py", title="Schema registry", icon=":material/inventory_2:"),
    ],
    "Dataflow": [
        st.Page("app_pages/flow_upgrade.py", title="Rolling upgrade", icon=":material/published_with_changes:"),
        st.Page("app_pages/flow_databases.py", title="Through databases", icon=":material/database:"),
        st.Page("app_pages/flow_services.py", title="Through services", icon=":material/lan:"),
        st.Page("app_pages/flow_messaging.py", title="Message passing", icon=":material/mail:"),
        st.Page("app_pages/flow_actors.py", title="Actors", icon=":material/groups:"),
        st.Page("app_pages/flow_events.py", title="Events in a log", icon=":material/receipt_long:"),
        st.Page("app_pages/flow_durable.py", title="Durable execution", icon=":material/replay:"),
    ],
    "About": [
        st.Page("app_pages/about.py", title="About the lab", icon=":material/info:"),
    ],
}

st.navigation(PAGES).run()
