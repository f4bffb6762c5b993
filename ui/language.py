"""The student's language: chosen in the sidebar, kept in the URL (`?lang=ru`), and on a first visit
taken from the browser's (`st.context.locale`). Pages call `t(key, **values)` for their words and
`tr(text)` for text the core returned (an i18n.Text is rendered again in the student's language)."""
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

import i18n

KEY = "lang"   # session key and URL parameter
NAMES = {"en": "English", "ru": "Русский"}


def _from_browser() -> str:
    locale = (st.context.locale or "").lower()
    return next((lang for lang in i18n.LANGUAGES if locale.split("-")[0] == lang), i18n.DEFAULT)


def current() -> str:
    """The language of this session: the link's, else the one chosen, else the browser's.

    A page's run asks a few hundred times, and a session-state lookup goes through three layers and a
    lock: the answer is kept for the rest of the run on the run's context, beside the cursors dict
    Streamlit makes anew for every run (only the sidebar's switch changes the language, and its new
    value is in place before the run starts)."""
    ctx = get_script_run_ctx()
    kept = getattr(ctx, "_el_language", None)
    if kept is not None and kept[0] is ctx.cursors:
        return kept[1]
    ss = st.session_state
    lang = ss.get(KEY)
    if lang is None:
        linked = st.query_params.get(KEY)
        lang = ss[KEY] = linked if linked in i18n.LANGUAGES else _from_browser()
    if ctx is not None:
        ctx._el_language = (ctx.cursors, lang)
    return lang


def keep_in_url() -> None:
    """Write the language into the address bar (a page switch clears it): app.py, every run."""
    if st.query_params.get(KEY) != current():
        st.query_params[KEY] = current()


def switch() -> None:
    """The sidebar's language switch."""
    current()
    st.sidebar.segmented_control(t("app.language"), list(i18n.LANGUAGES), key=KEY, required=True,
                                 format_func=NAMES.get, on_change=keep_in_url)


def t(key: str, /, **values) -> str:
    return i18n.t(key, current(), **values)


def tr(text):
    """Text from the core in the student's language (anything that is not an i18n.Text, as it is)."""
    return i18n.render(text, current())
