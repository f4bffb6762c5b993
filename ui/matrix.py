"""The compatibility matrix as an HTML table: every cell coloured by status, linking to its live demo."""
import html

import evolution
import formats
import i18n
from ui import state
from ui.evolution import STATUS_STYLE, language, status_name, status_words
from ui.language import current, t

CSS = """
<style>
.el-matrix-wrap {container-type: inline-size; overflow-x: auto;}
.el-matrix {border-collapse: collapse; font-size: var(--el-font, 0.86rem); width: 100%;}
.el-matrix th, .el-matrix td {border: 1px solid #ddd; padding: 4px 6px; text-align: center;}
.el-matrix th.change {text-align: left; font-weight: 500; max-width: 22em;}
.el-matrix td a {display: block; color: #fff; text-decoration: none; font-weight: 600; border-radius: 3px;}
.el-matrix td.na a {color: #fff;}
.el-matrix .static {font-size: 0.75em; font-weight: 400; opacity: 0.9;}
.el-matrix .short {display: none;}
/* a phone: all eight columns on the screen, headers abbreviated (the page's text says which is which) */
@container (max-width: 40em) {
  .el-matrix {font-size: 0.8rem;}
  .el-matrix th, .el-matrix td {padding: 3px 2px;}
  .el-matrix .long {display: none;}
  .el-matrix .short {display: inline;}
  .el-matrix .static {font-size: 0.68em; overflow-wrap: anywhere;}
}
</style>
"""


def format_head(format_id: str) -> str:
    """A format's name as the matrix's header shows it: "Thrift Compact<wbr>Protocol", so that a phone may
    break the long name where a reader would."""
    return html.escape(formats.get(format_id).title).replace("Protocol", "<wbr>Protocol")


def matrix_html(cells, policy: str, page_url: str = "evolution_lab") -> str:
    """The matrix; each cell links to the evolution lab showing its change and format (and, for a
    schemaless format, the reading code's `policy` the cells were read with)."""
    by_key = {(c.change_id, c.format_id, c.direction): c for c in cells}
    fids, lang = evolution.MATRIX_FORMATS, current()
    head1 = "".join(f"<th colspan='2'>{format_head(f)}</th>" for f in fids)
    head2 = "".join(f"<th title='{html.escape(t(f'evolve.mx.{d}_means'), quote=True)}'>"
                    f"<span class='long'>{t(f'evolve.mx.{d}')}</span><span class='short'>{t(f'evolve.mx.{d}_short')}"
                    f"</span></th>" for _ in fids for d in evolution.DIRECTIONS)
    rows = []
    for change in evolution.CHANGES:
        tds = []
        for fid in fids:
            for direction in evolution.DIRECTIONS:
                c = by_key[(change.id, fid, direction)]
                colour, symbol = STATUS_STYLE.get(c.status, STATUS_STYLE["n/a"])
                tip = f"{status_words(c.status)}. {i18n.render(c.reason, lang)}"
                if c.static and c.static != c.status:
                    tip += "\n" + t("evolve.mx.static_says", status=status_name(c.static),
                                    why=i18n.render(c.difference, lang) or "")
                static = (f"<div class='static'>{t('evolve.mx.static_short', status=status_name(c.static))}</div>"
                          if c.static and c.static != c.status else "")
                link = state.link(page_url, {"ev.change": change.id, "ev.format": fid,
                                             **({} if language(fid) else {"ev.policy": policy})})
                tds.append(f"<td style='background:{colour}' class='{'na' if c.status == 'n/a' else ''}'>"
                           f"<a href='{link}' target='_self' title='{html.escape(tip, quote=True)}'>"
                           f"{symbol}{static}</a></td>")
        rows.append(f"<tr><th class='change'>{html.escape(i18n.render(change.title, lang))}</th>{''.join(tds)}</tr>")
    return (f"<div class='el-matrix-wrap'><table class='el-matrix'><thead><tr><th rowspan='2'>{t('evolve.mx.change_head')}</th>"
            f"{head1}</tr><tr>{head2}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def counts(cells) -> dict:
    out = {}
    for c in cells:
        key = (formats.get(c.format_id).title, c.status)
        out[key] = out.get(key, 0) + 1
    return out
