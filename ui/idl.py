"""Avro IDL beside Avro's JSON schema: two editors of one schema, kept in step both ways.

Edit the IDL and the translator (formats.avro_idl) rewrites the .avsc; change the .avsc (typed,
derived from the record, a preset, a link) and the printer rewrites the IDL. An IDL error shows
under the IDL editor with its line and column, and the IDL stays as typed.
"""
import json

import streamlit as st

from formats import FormatError, avro_idl
from ui.language import t, tr


def _source_key(idl_key: str) -> str:
    return f"{idl_key}.source"   # the .avsc text the IDL last followed


def _says(idl_text: str, avsc_text: str) -> bool:
    """Does this IDL translate to this .avsc (as JSON, not as text)?"""
    try:
        return json.loads(avro_idl.record_schema(idl_text)) == json.loads(avsc_text)
    except (FormatError, ValueError):
        return False


def follow(avsc_key: str, idl_key: str) -> None:
    """Reprint the IDL when the .avsc changed and the IDL no longer says it. Call before either editor
    is drawn (Streamlit refuses a new value for a widget already on the page)."""
    ss = st.session_state
    avsc = ss.get(avsc_key, "")
    if ss.get(_source_key(idl_key)) == avsc:
        return
    ss[_source_key(idl_key)] = avsc
    if not _says(ss.get(idl_key, ""), avsc):
        try:
            ss[idl_key] = avro_idl.to_idl(avsc)
        except FormatError:
            pass   # the .avsc editor shows its own error; the IDL keeps the last schema that printed


def _translated(avsc_key: str, idl_key: str, then, args) -> None:
    """on_change of the IDL editor: a valid IDL replaces the .avsc; an invalid one changes nothing."""
    ss = st.session_state
    try:
        avsc = avro_idl.record_schema(ss[idl_key])
    except FormatError:
        return
    ss[avsc_key] = ss[_source_key(idl_key)] = avsc
    if then:
        then(*args)


def errors(idl_text: str) -> list[str]:
    """The IDL's error, if it has one (for a page's summary of what needs fixing)."""
    try:
        avro_idl.record_schema(idl_text)
    except FormatError as e:
        return [tr(e.message)]
    return []


def editor(label: str, avsc_key: str, idl_key: str, *, height: int = 260, then=None, args=()) -> None:
    """The IDL text area, its error (line and column) or a note when it trails an .avsc with an error.

    `then(*args)` runs after an edit that rewrote the .avsc (the page marks it as edited, say)."""
    follow(avsc_key, idl_key)
    st.text_area(label, key=idl_key, height=height, on_change=_translated, args=(avsc_key, idl_key, then, args),
                 help=t("idl.help"))
    text = st.session_state.get(idl_key, "")
    problems = errors(text)
    if problems:
        st.error(t("idl.error", problem=problems[0]), icon="⚠️")
        st.caption(t("idl.keeps"))
        return
    for warning in avro_idl.read(text).warnings:
        st.caption(t("idl.note", warning=tr(warning)))
    if not _says(text, st.session_state.get(avsc_key, "")):
        st.caption(t("idl.trails"))
