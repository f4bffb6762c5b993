"""Lecture mode: one app-wide toggle for a projector. Large type on every page (body text 22 px, bytes
24 px and their labels 22 px, plot text 18 px and more), the controls a lecture does not need hidden, and the
path's Previous / Next walking the presenter's sequence (course/path.py ORDER["lecture"], ui/course.py)
on Page Up / Page Down, the keys a presenter's clicker sends.

Like the language (ui/language.py) the toggle is a session value kept in the URL (`?lecture=1`): a page
switch clears the address bar and app.py writes it back on every run, so a reload or a shared link
opens in lecture mode; the step the presenter is on travels beside it (`?lecture_step=`, see
ui/course.py).
"""
import streamlit as st

from ui import show
from ui.language import t

KEY = "lecture"              # session key and URL parameter
STEP_PARAM = "lecture_step"  # URL parameter: the presenter's step (not a bare `step`: pages own such names)
PLOT_FONT = 18               # px: Plotly's smallest text in lecture mode

# Streamlit sizes its text in rem: a larger root scales body text, widgets and headings together. Then the
# lab's own smaller text (captions, hex bytes, a figure's labels, legends) is raised to the sizes a back
# row reads; the hex view's rows still fit their card (ui.theme.hex_css shrinks a line only below 1em).
CSS = """
<style>
html {font-size: 22px;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stWidgetLabel"] p,
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stTableStyledTable"] :is(th, td, p) {font-size: 1rem;}
:root {--el-font: 24px;}
html .el-fig .lab {font-size: 22px;}
.el-legend, .el-spans, .el-api, .el-table {font-size: 22px !important;}
html .el-api .why, html .el-note, html .el-card-note {font-size: 20px;}
.el-api td span {white-space: normal !important; max-width: 100%;}   /* a verdict badge wraps in its cell */
/* Streamlit's header and the space kept under it are in rem too: at this root a band of 130 px above the
   title. A projector's screen is short: the header's own height, in px, and no more above the page */
[data-testid="stHeader"], [data-testid="stSidebarHeader"] {height: 48px; min-height: 0;}
[data-testid="stSidebarHeader"] {margin-bottom: 0;}
[data-testid="stMainBlockContainer"] {padding-top: 48px;}
/* what a projected figure does not need: the Explorer's own large-text switch and cards-per-row slider */
.st-key-ex-large, .st-key-ex-columns {display: none;}
</style>
"""


def on() -> bool:
    """Whether this session is in lecture mode: chosen in the sidebar, else the link's."""
    ss = st.session_state
    if KEY not in ss:
        ss[KEY] = st.query_params.get(KEY) == "1"
    return ss[KEY]


def keep_in_url() -> None:
    """`?lecture=1` in the address bar while lecture mode is on (a page switch clears it)."""
    if on():
        if st.query_params.get(KEY) != "1":
            st.query_params[KEY] = "1"
    else:
        for name in (KEY, STEP_PARAM):
            st.query_params.pop(name, None)


def switch() -> None:
    """The sidebar's toggle and, when it is on, the lecture's type on this page (app.py, every run)."""
    on()
    st.sidebar.toggle(t("lecture.toggle"), key=KEY, help=t("lecture.toggle_help"), on_change=keep_in_url)
    keep_in_url()
    if on():
        show.html(CSS)


def sized(fig):
    """`fig` with no text under PLOT_FONT px in lecture mode (a figure's own larger sizes stay); as it is
    otherwise. Every font is set, not only the figure's: Streamlit's Plotly theme sizes ticks and legends
    itself, in rem. Changes the figure in place and returns it."""
    if not on():
        return fig
    layout = fig.layout
    fonts = [layout.font, layout.legend.font, layout.title.font, *(note.font for note in layout.annotations)]
    fig.for_each_xaxis(lambda axis: fonts.extend((axis.tickfont, axis.title.font)))
    fig.for_each_yaxis(lambda axis: fonts.extend((axis.tickfont, axis.title.font)))
    for font in fonts:
        font.size = max(font.size or 0, PLOT_FONT)
    return fig
