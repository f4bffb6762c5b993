"""Shared Streamlit widgets: the annotated hex view, editors, pickers and URL state."""
