"""Small widgets used by several pages."""
import contextlib
from collections.abc import Callable, Iterable

import streamlit as st

from ui import state
from ui.language import t

PAGE_BYTES = 1024


def labels(options: Iterable, label: Callable) -> Callable:
    """A choice widget's format_func: each option's label, drawn now, as a dict's `get`. A function
    written on a page would do, but Streamlit keeps a widget's format_func (and callbacks) in the
    session until its next run, and a page's function holds the page's whole namespace: every record,
    encoding and run the page computed (an Explorer session on a ~90 KB record: ~20 MB of spans, kept
    for each of a class's students and for two minutes after each left, tests/test_budget.py)."""
    return {option: label(option) for option in options}.get


def byte_window(size: int, key: str, page_bytes: int = PAGE_BYTES) -> tuple[int, int]:
    """A page picker for data larger than one page: the browser only ever gets one page of bytes."""
    pages = max(1, -(-size // page_bytes))
    if pages == 1:
        return 0, size
    state.remember(key)
    n = st.number_input(t("bytes.page", pages=pages, size=page_bytes), 1, pages, key=key)
    return (n - 1) * page_bytes, min(size, n * page_bytes)


@contextlib.contextmanager
def folded(label: str, key: str):
    """An expander whose contents are computed only while it is open: Streamlit reruns the page when the
    student opens or closes it, so a closed one (a long table of every event) costs the server nothing.
    `with folded(...) as open_: if open_: ...`. Kept across page switches like the page's inputs, not
    part of links."""
    state.remember(key)
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)
