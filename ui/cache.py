"""The core behind Streamlit's caches: identical inputs across reruns and sessions are encoded once.

cache_resource, not cache_data: an annotated 1 MB record has ~10^5 spans, and cache_data would
unpickle a copy on every rerun. Encoded results are never mutated, so sharing them is safe.
"""
import streamlit as st

import formats
from formats import compare


def parsed(record_text: str) -> dict:
    """The parsed record, shared: the encoders only read it (a 1 MB record parses in ~0.2 s)."""
    try:
        return _parsed(record_text)
    except UnicodeEncodeError:   # Streamlit's hash encodes the text: parse_record says where it cannot
        return formats.parse_record(record_text)


@st.cache_resource(max_entries=16, show_spinner=False)
def _parsed(record_text: str) -> dict:
    return formats.parse_record(record_text)


@st.cache_resource(max_entries=256, show_spinner=False)
def written(format_id: str, record_text: str, schema_text: str | None) -> tuple[bytes, str | None]:
    """The library's bytes for a record given as text (hashable), and the schema used (inferred if
    None). FormatError propagates (not cached)."""
    return formats.write(format_id, parsed(record_text), schema_text)


@st.cache_resource(max_entries=256, show_spinner=False)
def annotate(format_id: str, data: bytes, schema_text: str | None, until: int | None = None):
    return formats.annotate(format_id, data, schema_text, until=until)


@st.cache_resource(max_entries=64, show_spinner=False)
def recognise(format_id: str, data: bytes, schema_text: str | None):
    return formats.recognise(format_id, data, schema_text)


def encode(format_id: str, record_text: str, schema_text: str | None, until: int | None = None):
    """formats.encode, in two cached steps: a page of a large encoding walks only up to that page."""
    data, schema_text = written(format_id, record_text, schema_text)
    return annotate(format_id, data, schema_text, until)


@st.cache_resource(max_entries=64, show_spinner=False)
def derive_schema(language: str, record_text: str) -> str:
    return compare.derive_schema(language, parsed(record_text))


@st.cache_data(max_entries=32, show_spinner=False)
def growth(record_text: str, schemas: tuple, format_ids: tuple, counts: tuple):
    return compare.growth(parsed(record_text), dict(schemas), format_ids, counts)
