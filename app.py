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
}

st.navigation(PAGES).run()
