"""Encoding Lab: chapter 4 of *Designing Data-Intensive Applications*, hands on.

The entry script only registers the pages (grouped as the chapter goes) and runs the chosen one.
"""
import streamlit as st

st.set_page_config(page_title="Encoding Lab", page_icon=":material/memory:", layout="wide")

PAGES = {
    "Encode": [
        st.Page("pages/overview.py", title="The book's record", icon=":material/menu_book:", default=True),
        st.Page("pages/explorer.py", title="Explorer", icon=":material/biotech:"),
        st.Page("pages/decode.py", title="Decode bytes", icon=":material/hexagon:"),
    ],
    "Evolve": [
        st.Page("pages/evolution_lab.py", title="Evolution lab", icon=":material/swap_horiz:"),
        st.Page("pages/matrix.py", title="Compatibility matrix", icon=":material/grid_on:"),
        st.Page("pages/registry.py", title="Schema registry", icon=":material/inventory_2:"),
    ],
    "Dataflow": [
        st.Page("pages/flow_upgrade.py", title="Rolling upgrade", icon=":material/published_with_changes:"),
        st.Page("pages/flow_databases.py", title="Through databases", icon=":material/database:"),
        st.Page("pages/flow_services.py", title="Through services", icon=":material/lan:"),
        st.Page("pages/flow_messaging.py", title="Message passing", icon=":material/mail:"),
        st.Page("pages/flow_actors.py", title="Actors", icon=":material/groups:"),
    ],
}

st.navigation(PAGES).run()
