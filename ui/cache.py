"""The core behind Streamlit's caches: identical inputs across reruns and sessions are encoded once.

cache_resource, not cache_data: an annotated 1 MB record has ~10^5 spans, and cache_data would
unpickle a copy on every rerun. Encoded results are never mutated, so sharing them is safe.
"""
import streamlit as st

import formats
from formats import compare


@st.cache_resource(max_entries=256, show_spinner=False)
def encode(format_id: str, record_text: str, schema_text: str | None):
    """formats.encode on a record given as text (hashable); FormatError propagates (not cached)."""
    return formats.encode(format_id, formats.parse_record(record_text), schema_text)


@st.cache_resource(max_entries=64, show_spinner=False)
def annotate(format_id: str, data: bytes, schema_text: str | None):
    return formats.annotate(format_id, data, schema_text)


@st.cache_resource(max_entries=64, show_spinner=False)
def derive_schema(language: str, record_text: str) -> str:
    return compare.derive_schema(language, formats.parse_record(record_text))


@st.cache_data(max_entries=32, show_spinner=False)
def growth(record_text: str, schemas: tuple, format_ids: tuple, counts: tuple):
    return compare.growth(formats.parse_record(record_text), dict(schemas), format_ids, counts)
