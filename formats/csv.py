"""CSV: the standard library's csv module writes and reads; a hand-written tokenizer labels every byte.

A record becomes a header row of column names and one data row of values, lines
ended by "\\r\\n" as csv.writer writes them. CSV is flat, so nested values are
flattened by FLATTEN_RULE: `customer.address.city`, `interests[0]`,
`lines[0].sku` (the same path spelling the rest of the lab uses; a field name
that is not a plain identifier is quoted: `loginCounts["2026-11-25"]`). null,
"", [] and {} are each one empty cell.

Reading turns the column names back into nesting and gives every value back as
text (CSV has no types: 1337 and "1337" look the same); `comparable` says exactly
what comes back. A header that is not a path spelling (`First Name`) is one
plain field. Pasted CSV with several data rows reads as {"rows": [record, …]},
and its data cells' paths are `rows[0].userName`, `rows[1].userName`, …; header
cells keep the column's own path.
"""
import csv
import io
import re

from formats import paths, scalars
from formats.base import Format
from formats.errors import FormatError
from formats.record import check_record, json_text
from formats.spans import Decoded
from formats.wire import Walker, preview
from i18n import Text

FLATTEN_RULE = Text("fmt.mapping.csv")

ROWS = "rows"   # where several data rows go when pasted CSV has them
_BOM = b"\xef\xbb\xbf"
_UNQUOTED_END = re.compile(rb"[,\r\n]")   # where a cell without quotes ends


class CSVFormat(
        Format, id="csv", title="CSV", is_text=True, mapping_rule=FLATTEN_RULE,
        spends=Text("fmt.spends.csv")):
    def write(self, record, schema_text=None):
        check_record(record)
        if not record:
            raise FormatError(Text("err.walk.csv.no_fields"))
        columns = [cell for name, value in record.items() for cell in _flatten(value, paths.key("", name))]
        out = io.StringIO()
        writer = csv.writer(out)   # "\r\n" line ends, quotes only where a cell needs them
        writer.writerow([column for column, _ in columns])
        writer.writerow([text for _, text in columns])
        return out.getvalue().encode("utf-8")

    def annotate(self, data, schema_text=None):
        return _Walk(data).spans

    def read(self, data, schema_text=None, writer_schema_text=None):
        walk = _Walk(data)   # reports a bad byte by its offset, which the csv module cannot
        text = bytes(data).decode("utf-8-sig")
        try:
            rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
        except csv.Error as e:   # reworded, in case the walk lets one through
            raise FormatError(Text("err.walk.csv.module", message=str(e))) from None
        records = [_unflatten(walk.layout, row) for row in rows[1:]]
        notes = ["CSV has no types: every value comes back as text (1337 and \"1337\" look the same)"]
        if len(records) == 1:
            return Decoded(records[0], notes=notes)
        notes.append(f"{len(records)} data rows: read as a list of records under \"{ROWS}\"")
        return Decoded({ROWS: records}, notes=notes)

    def comparable(self, record):
        """The record as CSV gives it back: text for every scalar, "" for null, "", [] and {}."""
        return {name: _as_read(value) for name, value in record.items()}


def _as_read(value):
    if isinstance(value, dict) and value:
        return {name: _as_read(v) for name, v in value.items()}
    if isinstance(value, list) and value:
        return [_as_read(v) for v in value]
    return _cell(value)


def _cell(value) -> str:
    """One scalar as CSV text: as JSON spells it; null, [] and {} as the empty cell."""
    if value is None or value == [] or value == {}:
        return ""
    return value if isinstance(value, str) else json_text(value)


def _flatten(value, path: str):
    """(column, text) pairs for one field, by FLATTEN_RULE."""
    if isinstance(value, dict) and value:
        for name, v in value.items():
            yield from _flatten(v, paths.key(path, name))
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            yield from _flatten(v, paths.index(path, i))
    else:
        yield path, _cell(value)


def _column_steps(name: str) -> list[str | int]:
    """A header cell as path steps: `lines[0].sku` -> ['lines', 0, 'sku']; a name that is not a
    path spelling (`First Name`) is one field."""
    try:
        steps = paths.steps(name)
    except ValueError:
        return [name]
    return steps if steps and isinstance(steps[0], str) else [name]


class _Shape:
    """What the header says one place in the record is: a column's cell, an object or a list."""

    def __init__(self):
        self.kind: str | None = None     # "cell", "object", "list"
        self.column = -1                 # for a cell: which column holds it
        self.children: dict = {}


def _layout(names: list[str], offsets: list[int], steps_of: list[list]) -> _Shape:
    """The record shape the header describes; FormatError (with the header cell's offset) if two
    columns disagree or a list skips an index. `steps_of`: each name's _column_steps."""
    root = _Shape()
    root.kind = "object"
    for column, name in enumerate(names):
        steps = steps_of[column]
        shape = root
        for depth, step in enumerate(steps):
            want = "list" if isinstance(step, int) else "object"
            if shape.kind not in (None, want):
                raise FormatError(Text("err.walk.csv.shape", offset=offsets[column], name=repr(name),
                                       where=paths.join("", steps[:depth]) or Text("err.the_record"),
                                       want=Text(f"err.walk.csv.shape_name.{want}"), was=Text(f"err.walk.csv.shape_name.{shape.kind}")),
                                  offset=offsets[column])
            shape.kind = want
            shape = shape.children.setdefault(step, _Shape())
        if shape.kind is not None:
            raise FormatError(Text("err.walk.csv.taken", offset=offsets[column], name=repr(name)), offset=offsets[column])
        shape.kind, shape.column = "cell", column
    _check_lists(root, "", names, offsets)
    return root


def _check_lists(shape: _Shape, path: str, names: list[str], offsets: list[int]) -> None:
    if shape.kind == "list" and sorted(shape.children) != list(range(len(shape.children))):
        missing = min(set(range(len(shape.children) + 1)) - set(shape.children))
        first = min(_columns(shape))
        raise FormatError(Text("err.walk.csv.skip", offset=offsets[first], path=path, missing=missing),
                          offset=offsets[first])
    for step, child in shape.children.items():
        _check_lists(child, paths.index(path, step) if isinstance(step, int) else paths.key(path, step),
                     names, offsets)


def _columns(shape: _Shape):
    if shape.kind == "cell":
        yield shape.column
    for child in shape.children.values():
        yield from _columns(child)


def _unflatten(shape: _Shape, row: list[str]):
    if shape.kind == "cell":
        return row[shape.column]
    if shape.kind == "list":
        return [_unflatten(shape.children[i], row) for i in range(len(shape.children))]
    return {name: _unflatten(child, row) for name, child in shape.children.items()}


class _Walk(Walker):
    """CSV's grammar (RFC 4180 as the csv module reads it), byte by byte (hand-written: the csv
    module reports no byte positions)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.fail(Text("err.walk.csv.utf8"), e.start) from None
        rows, error = self.rows()
        if error is None and len(rows) < 2:
            error = self.fail(Text("err.walk.csv.rows"), len(self.data))
        if rows:   # the rows read before an error are labelled all the same
            self.label_rows(rows)
        if error is not None:
            raise error
        self.skip_blank_lines(len(self.data))
        self.finish()

    def label_rows(self, rows: list) -> None:
        header = rows[0]
        if self._stop_after is not None:   # a walk that stops there reads the names of the cells before it
            header = [cell for cell in header if cell[0][0] <= self._stop_after]
        names = [self.cell_text(cell) for cell, _ in header]
        steps_of = [_column_steps(name) for name in names]
        self.layout = _layout(names, [start for (start, _), _ in header], steps_of)
        if self.data.startswith(_BOM):
            self.span(len(_BOM), "header", Text("fmt.csv.bom"), explanation=Text("fmt.csv.bom_note"))
        columns = len(rows[0])
        for number, row in enumerate(rows):
            if len(row) != columns:
                raise self.fail(Text("err.walk.csv.cells", row=number + 1, n=len(row), columns=columns),
                                row[0][0][0])
            prefix = paths.index(ROWS, number - 1) if len(rows) > 2 and number else ""
            self.skip_blank_lines(row[0][0][0])
            for (cell, end), steps in zip(row, steps_of):
                self.label_cell(cell, "value" if number else "name", paths.join(prefix, steps))
                self.label_end(end, prefix)

    def rows(self) -> tuple[list[list[tuple[tuple[int, int], int]]], FormatError | None]:
        """Each row as ((cell start, cell end), end of the comma or line end after it); blank lines
        skipped. With the error that stopped the reading, if one did (the rows before it are whole)."""
        rows = []
        try:
            self.read_rows(rows)
        except FormatError as e:
            return rows, e
        return rows, None

    def read_rows(self, rows: list) -> None:
        pos = len(_BOM) if self.data.startswith(_BOM) else 0
        data = self.data
        while pos < len(data):
            row = []
            while True:
                start = pos
                if data[pos:pos + 1] == b'"':
                    pos = self.quoted_end(pos)
                    if pos < len(data) and data[pos] not in b",\r\n":
                        raise self.fail(Text("err.walk.csv.after_quote"), pos)
                else:
                    found = _UNQUOTED_END.search(data, pos)
                    pos = found.start() if found else len(data)
                end = pos
                if data[pos:pos + 1] == b",":
                    row.append(((start, end), pos + 1))
                    pos += 1
                    continue
                pos += 2 if data[pos:pos + 2] == b"\r\n" else 1 if pos < len(data) else 0
                row.append(((start, end), pos))
                break
            if not (len(row) == 1 and row[0][0][0] == row[0][0][1]):   # the csv module skips blank lines
                rows.append(row)

    def quoted_end(self, start: int) -> int:
        pos = start + 1
        while True:
            quote = self.data.find(b'"', pos)
            if quote < 0:
                raise self.fail(Text("err.walk.csv.quote"), start)
            if self.data[quote + 1:quote + 2] != b'"':
                return quote + 1
            pos = quote + 2   # "" inside quotes is one quote character

    def cell_text(self, cell: tuple[int, int]) -> str:
        try:
            return scalars.read("csv-cell", self.data[cell[0]:cell[1]])
        except csv.Error:   # the csv module's cell size limit
            raise self.fail(Text("err.walk.csv.big_cell", size=cell[1] - cell[0], limit=csv.field_size_limit()), cell[0]) from None

    def skip_blank_lines(self, upto: int) -> None:
        if upto > self.pos:
            self.span(upto, "punctuation", Text("fmt.csv.empty_line"), explanation=Text("fmt.csv.empty_line_note"))

    def label_cell(self, cell: tuple[int, int], kind: str, path: str) -> None:
        """A header cell (kind "name") or a data cell (kind "value")."""
        start, end = cell
        if end == start:
            return   # an empty cell has no bytes: the comma or line end after it shows where it is
        text = self.cell_text(cell)
        if kind == "name":
            label, note = Text("fmt.csv.column", name=preview(text)), Text("fmt.csv.column_note")
        else:
            label, note = preview(text), Text("fmt.csv.cell_note", path=path)
        if self.data[start] == 0x22:
            note = Text("fmt.csv.quoted", note=note)
        self.span(end, kind, label, path, note, text, "csv-cell")

    def label_end(self, end: int, path: str) -> None:
        if end == self.pos:
            return
        sep = self.data[self.pos:end]
        if sep == b",":
            self.span(end, "punctuation", ",", path, Text("fmt.csv.comma"))
        else:
            self.span(end, "punctuation", Text("fmt.csv.line_end", sep=sep.decode().replace("\r", "CR")
                                               .replace("\n", "LF").strip()), path, Text("fmt.csv.line_end_note"))


FORMAT = CSVFormat()
