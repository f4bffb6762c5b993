"""Page state that survives reruns, page switches and errors, and travels in the URL.

Streamlit forgets a widget's value when the widget is not drawn in a run (another page was
open); `keep` re-asserts the keys so nothing a student typed is lost.
"""
import streamlit as st

from ui import share

URL_KEY = "s"


def keep(*keys: str) -> None:
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def from_url() -> dict | None:
    """The state packed into this page's link, if the link has one."""
    packed = st.query_params.get(URL_KEY)
    return share.unpack(packed) if packed else None


def to_url(state: dict) -> str | None:
    """Write the state into the address bar; returns the shareable link (None if too big)."""
    packed = share.pack(state)
    if len(packed) > share.MAX_PACKED:
        st.query_params.pop(URL_KEY, None)
        return None
    if st.query_params.get(URL_KEY) != packed:
        st.query_params[URL_KEY] = packed
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{URL_KEY}={packed}"
