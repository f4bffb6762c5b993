"""Dynamically generated schemas: a database table's columns become an Avro schema and a Protobuf schema.

The book's point (Avro, "Dynamically generated schemas"): when a schema is generated from something
else, say a relational table dumped to files, the generator runs again after every change to the
table. Avro identifies a field by its name, so rows written under the old generated schema are read
under the new one by schema resolution: a dropped column is ignored, an added one takes its default.
A naive Protobuf generator numbers the fields by column position, so a dropped, inserted or reordered
column shifts the tags: old rows are read by tag, and a value lands silently in another column
whenever the two columns' wire types agree (both strings, or an integer read as a bool). That is a
tag reused for another field, which Protobuf's rules forbid; a generator that keeps every column's
tag forever (and reserves the dropped ones) reads old rows correctly, as Avro does.

The schemas are generated here; the rows are written and read by the real libraries (fastavro;
protobuf with protoc) through formats.
"""
import re
from dataclasses import dataclass, field

import formats
from formats import paths
from formats.errors import FormatError
from i18n import Text

# column type -> (Avro type, Protobuf type); the SQL spellings a student may type map onto them
TYPES = {"long": ("long", "int64"), "double": ("double", "double"), "string": ("string", "string"),
         "boolean": ("boolean", "bool")}
SQL_TYPES = {"bigint": "long", "int": "long", "integer": "long", "smallint": "long", "text": "string",
             "varchar": "string", "char": "string", "real": "double", "float": "double",
             "double precision": "double", "numeric": "double", "bool": "boolean", **{t: t for t in TYPES}}
_COLUMN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z ]+?)\s*(?:\(\s*\d+\s*\))?\s*,?\s*\Z")
MAX_COLUMNS = 20
# reader id -> what generated the schema it reads with (ev.generated.reader.*)
READERS = {reader: Text(f"ev.generated.reader.{reader}") for reader in ("avro", "protobuf", "protobuf-kept")}
V1 = "id bigint\nname text\nemail text\nage integer"
V2 = "id bigint\nemail text\nage integer\nactive boolean"   # drops name, adds active at the end
NAMES = ("Ada", "Grace", "Linus", "Barbara", "Edsger", "Radia", "Ken", "Frances")


@dataclass(frozen=True)
class Column:
    name: str
    type: str   # a key of TYPES


def parse_columns(text: str) -> tuple[Column, ...]:
    """One column per line, `name type` (SQL types allowed: bigint, text, varchar(80), boolean…).
    FormatError naming the line."""
    columns, seen = [], {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.strip().startswith("--"):
            continue
        m = _COLUMN.match(line)
        if not m:
            raise FormatError(Text("ev.generated.bad_line", line=number), line=number)
        name, sql = m[1], " ".join(m[2].lower().split())
        if sql not in SQL_TYPES:
            raise FormatError(Text("ev.generated.bad_type", line=number, type=repr(sql),
                                   types=", ".join(sorted(SQL_TYPES))), line=number)
        other = seen.get(paths.normalized(name))   # user_name and userName are one field in Protobuf's JSON
        if other:
            raise FormatError(Text("ev.generated.twice" if other == name else "ev.generated.twice_spelled",
                                   line=number, other=repr(other), name=repr(name)), line=number)
        seen[paths.normalized(name)] = name
        columns.append(Column(name, SQL_TYPES[sql]))
    if not columns:
        raise FormatError(Text("ev.generated.no_columns"))
    if len(columns) > MAX_COLUMNS:
        raise FormatError(Text("ev.generated.too_many", n=len(columns), limit=MAX_COLUMNS))
    return tuple(columns)


def avro_schema(columns) -> str:
    """The generated .avsc: one field per column, named as the column; every column may be NULL, so
    each field is a union with null and defaults to null (a column added later resolves to it)."""
    fields = ",\n".join(f'    {{"name": "{c.name}", "type": ["null", "{TYPES[c.type][0]}"], "default": null}}'
                        for c in columns)
    return f'{{\n  "type": "record", "name": "User",\n  "fields": [\n{fields}\n  ]\n}}\n'


def proto_schema(columns, tags: dict[str, int] | None = None, reserved=()) -> str:
    """The generated .proto (proto3, `optional` so NULL is an absent field): tags from `tags`, by
    default the column positions 1, 2, 3 … as a naive generator numbers them."""
    tags = tags or {c.name: i for i, c in enumerate(columns, 1)}
    lines = [f"  optional {TYPES[c.type][1]} {c.name} = {tags[c.name]};" for c in columns]
    if reserved:
        lines.append(f"  reserved {', '.join(map(str, sorted(reserved)))};")
    return 'syntax = "proto3";\n\nmessage User {\n' + "\n".join(lines) + "\n}\n"


def kept_tags(before, after) -> tuple[dict[str, int], tuple[int, ...]]:
    """A careful generator's tags for `after`: a column keeps the tag it had in `before`; a new column
    takes the next number never used; dropped columns' numbers are reserved. It cannot tell a renamed
    column from a dropped one and an added one: only the names are compared."""
    old = {c.name: i for i, c in enumerate(before, 1)}
    next_tag = len(before) + 1
    tags = {}
    for c in after:
        if c.name in old:
            tags[c.name] = old[c.name]
        else:
            tags[c.name], next_tag = next_tag, next_tag + 1
    return tags, tuple(t for name, t in old.items() if name not in tags)


def sample_rows(columns, n: int = 5) -> list[dict]:
    """`n` rows of made-up values, the same for a column of the same name and type in any version."""
    def value(c: Column, i: int):
        if c.type == "string":
            return (NAMES[i % len(NAMES)] if "name" in c.name.lower() else
                    f"{NAMES[i % len(NAMES)].lower()}@example.com" if "mail" in c.name.lower() else f"{c.name} {i + 1}")
        if c.type == "long":
            return 100 + i if c.name.lower() == "id" else 20 + 7 * i
        if c.type == "double":
            return 1.5 + 0.25 * i
        return i % 2 == 0
    return [{c.name: value(c, i) for c in columns} for i in range(n)]


@dataclass
class Reading:
    """Old rows as one reader reads them after the change. `cells`: per row, per new column, what it
    holds and whether that is what the row holds under that name (status "as written", "new column",
    "misread", "missing"); `counts`: cells per status."""
    reader: str
    schema_before: str
    schema_after: str
    rows: list[dict] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    data: list[bytes] = field(default_factory=list)   # each old row's bytes


def presets(before_text: str) -> dict[str, str]:
    """The table after each kind of change to `before_text`: label (a Text) -> column lines."""
    columns = parse_columns(before_text)
    line = [f"{c.name} {c.type}" for c in columns]
    second = min(1, len(line) - 1)
    renamed = f"new_{columns[second].name} {columns[second].type}"
    changed = {"drop": line[:second] + line[second + 1:] if len(line) > 1 else line,
               "add": line + ["active boolean"],
               "insert": line[:1] + ["nickname text"] + line[1:],
               "reorder": line[-1:] + line[:-1],
               "rename": line[:second] + [renamed] + line[second + 1:]}
    return {Text(f"ev.generated.preset.{kind}"): "\n".join(lines) for kind, lines in changed.items()}


def read_after_change(before_text: str, after_text: str, n_rows: int = 5) -> dict[str, Reading]:
    """Rows written under the schemas generated from the table before the change, read under the
    schemas generated from it after: one Reading per READERS entry."""
    before, after = _parsed(before_text, "before"), _parsed(after_text, "after")
    tags, reserved = kept_tags(before, after)
    schemas = {"avro": (avro_schema(before), avro_schema(after)),
               "protobuf": (proto_schema(before), proto_schema(after)),
               "protobuf-kept": (proto_schema(before), proto_schema(after, tags, reserved))}
    rows = sample_rows(before, n_rows)
    tag_before = {i: c.name for i, c in enumerate(before, 1)}
    tag_after = {"avro": {}, "protobuf": {c.name: i for i, c in enumerate(after, 1)}, "protobuf-kept": tags}
    out, names = {}, {c.name for c in after}
    for reader, (writer_schema, reader_schema) in schemas.items():
        reading = Reading(reader, writer_schema, reader_schema)
        fid = "avro" if reader == "avro" else "protobuf"
        for i, row in enumerate(rows):
            data = formats.write(fid, row, writer_schema)[0]
            reading.data.append(data)
            try:
                decoded = formats.decode(fid, data, reader_schema, writer_schema if fid == "avro" else None).record
            except FormatError as e:   # a column whose type changed: Avro cannot resolve long against string
                reading.rows.append({})
                reading.cells += [{"row": i + 1, "column": c.name, "holds": None, "status": UNREADABLE,
                                   "why": e.message} for c in after]
                continue
            got = {c.name: paths.value_at(decoded, c.name, None) for c in after}   # protobuf says fullName
            reading.rows.append(got)
            for c in after:
                tag = tag_after[reader].get(c.name)
                reading.cells.append({"row": i + 1, "column": c.name, "holds": got[c.name],
                                      **_judge(c.name, row, got[c.name], tag, tag_before.get(tag), names)})
        reading.counts = {s: sum(cell["status"] == s for cell in reading.cells) for s in STATUSES}
        out[reader] = reading
    return out


# a cell's status (a Text: its English is the status's name, "as written", "misread" …)
AS_WRITTEN, NEW_COLUMN, DROPPED, MISREAD, MISSING, UNREADABLE = STATUSES = tuple(
    Text(f"ev.generated.status.{s}") for s in ("as_written", "new_column", "dropped", "misread", "missing", "unreadable"))


def _judge(name: str, row: dict, got, tag: int | None, was: str | None, after: set[str]) -> dict:
    """Compare what the reader got under `name` with what the old row holds under that name. Protobuf
    readers go by `tag`, which the old rows used for the column `was` (None for Avro: it goes by name)."""
    expected = row.get(name)
    if got == expected and (got is not None or name in row):
        return {"status": AS_WRITTEN, "why": ""}
    if got is None and name not in row:
        return {"status": NEW_COLUMN, "why": Text("ev.generated.why.new_column")}
    if got is None:
        key = "ev.generated.why.type_changed" if was == name else "ev.generated.why.other_wire_type"
        return {"status": MISSING, "why": Text(key, tag=tag, name=name, was=was)}
    value = repr(got) if row[was] == got else Text("ev.generated.why.read_as", written=repr(row[was]), read=repr(got))
    if was not in after and name not in row:
        return {"status": DROPPED, "why": Text("ev.generated.why.dropped", tag=tag, name=name, was=was, value=value)}
    return {"status": MISREAD, "why": Text("ev.generated.why.misread", tag=tag, name=name, was=was, value=value)}


def _parsed(text: str, which: str):
    try:
        return parse_columns(text)
    except FormatError as e:
        raise FormatError(Text(f"ev.generated.{which}", message=e.message), line=e.line) from None
