"""Small renderings shared by pages: decoded records as JSON, error markers in raw hex."""
import html


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


def error_hex_html(data: bytes, offset: int | None, window: int = 256) -> str:
    """Raw hex around a byte the decoder could not read, that byte marked."""
    if offset is None:
        offset = 0
    start = max(0, offset - offset % 16 - 64)
    end = min(len(data), start + window)
    rows = []
    for row in range(start, end, 16):
        cells = []
        for i in range(row, min(row + 16, end)):
            text = f"{data[i]:02x}"
            cells.append(f"<span class='sp hl' style='background:#D55E00;color:#fff' "
                         f"title='the decoder stopped here'>{text}</span>" if i == offset else text)
        rows.append(f"<div class='row'><span class='off'>{row:06x}</span>{' '.join(cells)}</div>")
    if offset >= len(data):
        rows.append(f"<div class='row'><span class='off'>{len(data):06x}</span>"
                    f"<span class='sp hl' title='the data ended here'>⟂ end of data</span></div>")
    return f"<div class='el-hex'>{''.join(rows)}</div>" + (
        f"<div class='el-legend'>{html.escape(f'showing bytes {start}–{end - 1} of {len(data)}')}</div>")
