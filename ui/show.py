"""Small renderings shared by pages: the app's own HTML, decoded records as JSON, a walk that failed."""
import streamlit as st

from formats import Encoded, FormatError
from ui import hexview
from ui.language import t, tr


class _Markup(str):
    """HTML the app wrote. st.html takes an object's `_repr_html_()` as it is (Streamlit's documented
    path), where a plain string is dedented first: textwrap.dedent's regexes over every line were 5% of
    an Explorer edit (13 cards, ~100 µs each) and of a busy server's time (py-spy, bench/bench_load.py)."""

    def _repr_html_(self) -> str:
        return str(self)


def html(body: str, where=st):
    """st.html of HTML (or CSS in <style>) this app wrote: `where` is st, a container or a placeholder."""
    return where.html(_Markup(body))


def jsonable(value):
    """A decoded record as JSON can show it: bytes as text when they are UTF-8, else as hex."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        try:
            return f"b'{bytes(value).decode('utf-8')}'"
        except UnicodeDecodeError:
            return "0x" + bytes(value).hex()
    return value


def failed_walk(title: str, data: bytes, error: FormatError, window: int = 256) -> None:
    """A walk that failed: the error, then the bytes around the failing one with what the walk
    labelled before it (as protoscope prints what it read before an error), that byte marked."""
    st.error(t("bytes.failed.cannot_read", format=title, size=t("unit.bytes", n=len(data)), error=tr(error.message)),
             icon="⚠️")
    walked = error.walked
    if error.offset is None:
        return
    labelled = walked.labelled if walked is not None else 0
    if labelled:
        st.markdown(t("bytes.failed.walked_before", last=labelled - 1, n=error.offset))
    start = max(0, min(error.offset, len(data)) - error.offset % 16 - 64)
    shown = walked if walked is not None else Encoded("", data, [])
    html(hexview.legend_html() + hexview.hex_html(shown, start, start + window,
                                                   failure=(error.offset, error.message)))
    if labelled:
        with st.expander(t("bytes.failed.as_the_book")):
            html(hexview.figure_html(walked))


TABLE_CSS = """<style>
.el-table-wrap {overflow-x: auto; max-width: 100%;}
.el-table {border-collapse: collapse; width: 100%; font-size: 0.9rem; margin-bottom: 0.6rem;}
.el-table th, .el-table td {border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top;
  overflow-wrap: break-word;}   /* a word too wide for a phone scrolls the table, never breaks mid-word */
.el-table .long {min-width: 7em;}   /* a column of sentences stays readable when a phone squeezes the rest */
.el-table th {background: #f6f6f6; font-weight: 600;}
</style>"""


def table(rows: list[dict]) -> None:
    """A few rows (dicts: column -> text or number; **bold** and `code` as in the catalogue) as an HTML
    table: its text grows with the page's in lecture mode, and it costs a run a fraction of st.table or
    st.dataframe, which build a DataFrame and Arrow bytes on every call (a tenth of the Through services
    page's rerun). Scrolling logs and sortable data stay st.dataframe."""
    html(table_html(rows))


LONG = 30   # characters: a column holding a longer cell is a column of sentences


def table_html(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    long = {c for c in columns if any(len(_text(r.get(c))) > LONG for r in rows)}
    head = "".join(f"<th class='long'>{hexview.inline(str(c))}</th>" if c in long else f"<th>{hexview.inline(str(c))}</th>"
                   for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{hexview.inline(_text(r.get(c)))}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return (f"{TABLE_CSS}<div class='el-table-wrap'><table class='el-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _text(value) -> str:
    """A cell as the student reads it: a yes/no as ✓ / ✗ (st.dataframe's ticks; Python's True is not a word
    of the page's language)."""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "" if value is None else str(value)
