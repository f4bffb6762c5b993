"""Colours by span kind (Okabe-Ito: readable by colour-blind students and on a projector)."""

KIND_STYLE = {
    # kind: (background, text colour, legend text)
    "tag": ("#E69F00", "#000", "field tag"),
    "type": ("#CC79A7", "#000", "type"),
    "length": ("#56B4E9", "#000", "length"),
    "count": ("#9ad0f0", "#000", "item count"),
    "name": ("#D55E00", "#fff", "field name"),
    "value": ("#009E73", "#fff", "value"),
    "header": ("#999999", "#000", "header"),
    "terminator": ("#cfcfcf", "#000", "end marker"),
    "punctuation": ("#e9e9e9", "#333", "punctuation"),
}

# how the size plot groups the kinds: why binary formats are smaller
KIND_GROUP = {
    "name": "field names", "tag": "tags and types", "type": "tags and types",
    "length": "lengths and counts", "count": "lengths and counts", "value": "values",
    "header": "structure", "terminator": "structure", "punctuation": "structure",
}
GROUP_ORDER = ("values", "field names", "tags and types", "lengths and counts", "structure")
GROUP_COLOR = {"values": "#009E73", "field names": "#D55E00", "tags and types": "#E69F00",
               "lengths and counts": "#56B4E9", "structure": "#bbbbbb"}

CSS = """
<style>
.el-hex, .el-fig, .el-text {font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: var(--el-font, 0.86rem); line-height: 1.55;}
.el-hex {overflow-x: auto;}
.el-hex .row {white-space: nowrap;}
.el-hex .off {color: #888; margin-right: 0.9em; user-select: none;}
.el-hex .asc {color: #555; margin-left: 0.9em; white-space: pre;}
.el-hex .sp, .el-text .sp {border-radius: 3px; padding: 0 1px; margin-right: 3px; cursor: help;}
.el-text .sp {margin-right: 0;}
.el-hex .hl, .el-text .hl, .el-fig .hl {outline: 3px solid #0072B2; outline-offset: 1px;}
.el-hex .dim, .el-text .dim, .el-fig .dim {opacity: 0.28;}
.el-hex .gap {display: inline-block; width: 0.5em;}
.el-hex .raw {color: #666; margin-right: 3px;}
.el-hex .fail {outline: 3px solid #D55E00; outline-offset: 1px; font-weight: bold;}
.el-text {white-space: pre-wrap; word-break: break-all;}
.el-text .off {color: #888; user-select: none;}
.el-fig {display: flex; flex-wrap: wrap; gap: 10px 6px; align-items: flex-start;}
.el-fig .grp {border: 1px solid #bbb; border-radius: 6px; padding: 4px; display: flex; gap: 3px;}
.el-fig .box {display: flex; flex-direction: column; align-items: center; max-width: 16em;}
.el-fig .bytes {border-radius: 4px; padding: 1px 4px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; max-width: 16em;}
.el-fig .lab {font-family: sans-serif; font-size: 0.72em; color: #333; text-align: center;
  margin-top: 2px; max-width: 14em;}
.el-legend {font-family: sans-serif; font-size: 0.8rem;}
.el-legend span {border-radius: 3px; padding: 1px 6px; margin-right: 6px; display: inline-block;}
</style>
"""
