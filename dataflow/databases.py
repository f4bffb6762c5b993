"""Dataflow through databases: data outlives code.

A table's rows were written over months by successive versions of the application,
each with its own schema. Today's code reads every row as it is: Avro resolves the
writer's schema against the reader's by field name, Protobuf and Thrift match fields by
tag and skip the tags they do not know, JSON's own code fills what is missing; an
old process still running does a read-modify-write on a row new code wrote; and the
choice between migrating every row (a cost that grows with the table) and resolving
old rows on each read (a cost per read) is counted in bytes and simulated time. The
archive dump re-encodes every row with the latest schema as an Avro object container
file, which carries its writer schema in the header.

Avro rows start with their writer's schema version (the book: "include a version number at the
beginning of every encoded record, and keep a list of schema versions in your database"): the
reader takes the version from the row's first byte, looks that schema up and resolves it. The
other formats carry tags or names a reader can go by, so their rows are the bare encoding.
"""
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from dataflow.codec import Codec, Reading, read_modify_write
from dataflow.engine import Run, Simulation, check, count
from evolution.unknown_fields import an_edit
import formats
from formats import avro
from formats.errors import FormatError
from i18n import Text

TABLE_SIZES = tuple(10 ** k for k in range(3, 10))   # the cost projection: a thousand to a billion rows
ROW_VIEWS = {"avro": "avro-versioned"}   # format -> how its rows are framed (formats.VIEWS)


def row_view(format_id: str) -> str:
    """The view a row of this format is stored in: Avro with its schema version, the others bare."""
    return ROW_VIEWS.get(format_id, format_id)


class TableCodec(Codec, Protocol):
    def rewrite(self, version: int, data: bytes, writer_version: int, edits: dict) -> bytes:
        """Code version `version` reads a row written by `writer_version`, sets `edits` (field -> value)
        in its own model of the record and writes the row back."""

    def schema_text(self, version: int, language: str | None = None) -> str | None:
        """Version `version`'s schema in `language` (default: the codec's own format's language)."""


@dataclass(frozen=True)
class Params:
    rows: int = 150
    months: int = 24
    migrate_mb_per_s: float = 100.0   # disk throughput of a migration that rewrites rows
    row_ms: float = 0.1               # per row rewritten: transaction log, index updates
    resolve_us: float = 2.0           # extra CPU per read of an old row through schema resolution
    reads_per_s: float = 1000.0
    seed: int = 1


@dataclass
class DatabaseRun(Run):
    """`rows`: one per row (written month and version, bytes, how today's code read it);
    `series`: rows stored per month and writer version (data outlives code);
    `update`: the read-modify-write by old code, on real bytes (before/after);
    `costs`: migration versus resolution by table size; `archive`: an Avro object
    container file of every row, written with the latest schema (None if it could not be)."""
    rows: list[dict] = field(default_factory=list)
    update: dict = field(default_factory=dict)
    costs: list[dict] = field(default_factory=list)
    archive: bytes | None = None


def run(codec: TableCodec, params: Params = Params()) -> DatabaseRun:
    p = params
    check("rows", p.rows, 3, 2000)
    check("months", p.months, len(codec.versions), 240)
    check("migration throughput (MB/s)", p.migrate_mb_per_s, 0.1, 10_000)
    check("per-row cost (ms)", p.row_ms, 0.0, 1000)
    check("resolution cost (µs)", p.resolve_us, 0.0, 10_000)
    check("reads per second", p.reads_per_s, 0.0, 10_000_000)
    check("seed", p.seed, 0, 2 ** 32)
    sim = Simulation(p.seed)
    result = DatabaseRun(p.seed, sim.events)
    table = _fill_table(sim, codec, p)
    latest = codec.versions[-1]
    readings = [codec.decode(latest, *_load(codec, row)) for row in table]
    for row, reading in zip(table, readings):
        result.rows.append({
            "row": row["row"], "month": row["month"], "writer_version": row["writer_version"],
            "bytes": len(row["data"]), "status": reading.status, "defaulted": ", ".join(reading.defaulted),
            "lost": ", ".join(reading.lost), "error": reading.error})
    result.series = _stored_per_month(table, codec.versions, p.months)
    result.update = _read_modify_write(sim, codec, table)
    old = [(row, r) for row, r in zip(table, readings) if row["writer_version"] != latest and not r.failed]
    result.costs, migration = _costs(codec, old, len(table), p)
    archive_error = _archive(codec, [r.record for r in readings if not r.failed], result)
    result.counters = _counters(result, migration)
    result.notes = _notes(codec, p, result, migration) + _framing_note(codec, table) + archive_error
    return result


# --- the table, written over the months -------------------------------------------------------------

def _fill_table(sim: Simulation, codec: TableCodec, p: Params) -> list[dict]:
    """Rows at random months (more traffic later), each written by the code deployed that month."""
    versions = codec.versions
    era = p.months / len(versions)
    for i, version in enumerate(versions):
        sim.at(i * era, sim.log, "app", "deployed", version)
    months = sorted(p.months * sim.rng.random() ** 0.5 for _ in range(p.rows))
    table = []
    for i, month in enumerate(months):
        version = versions[min(len(versions) - 1, int(month / era))]
        sim.at(month, _write_row, sim, codec, table, i + 1, month, version)
    sim.run(until=p.months)
    return table


def _write_row(sim: Simulation, codec: TableCodec, table: list, row: int, month: float, version: int) -> None:
    sample = codec.record(version)
    varied = _vary(sample, sim, row)
    avsc = codec.schema_text(version, "avsc")
    try:   # the row must fit its version's schema; the .avsc checks enums even when JSON would not
        if avsc:
            formats.get("avro").write(varied, avsc)
        data = codec.encode(version, varied)
    except FormatError:   # the variation broke a constraint (an enum symbol, a range): keep the sample's values
        data = codec.encode(version, sample)
    data = _store(codec, version, data)
    table.append({"row": row, "month": int(month), "writer_version": version, "data": data})
    sim.log("app", "row written", version, Text("df.db.row_written", row=row, n=len(data)))


def _vary(value, sim: Simulation, row: int):
    """Row `row`'s own values in the sample record's shape, so rows differ as real rows do."""
    rng = sim.rng
    if isinstance(value, dict):
        return {k: _vary(v, sim, row) for k, v in value.items()}
    if isinstance(value, list):
        return [_vary(v, sim, row) for v in value if rng.random() < 0.7]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return rng.randint(0, 99_999)
    if isinstance(value, float):
        return round(rng.uniform(0, 100), 2)
    if isinstance(value, str) and value:
        local, at, domain = value.partition("@")
        return f"{local}{row}{at}{domain}"
    return value


def _stored_per_month(table: list[dict], versions, months: int) -> list[dict]:
    out, stored = [], Counter()
    by_month = Counter((row["month"], row["writer_version"]) for row in table)
    for month in range(months):
        for version in versions:
            stored[version] += by_month[month, version]
            out.append({"month": month, "version": f"v{version}", "rows": stored[version]})
    return out


def _store(codec: TableCodec, version: int, body: bytes) -> bytes:
    """The row as the table stores it: an Avro body after its writer's schema version."""
    framing = ROW_VIEWS.get(codec.format_id)
    return avro.framed(framing, body, codec.schema_text(version), version) if framing else body


def _load(codec: TableCodec, row: dict) -> tuple[bytes, int]:
    """The body and the writer's version, as a reader finds them: an Avro row says its version in its
    first bytes; the other formats need none to be read (the simulation knows who wrote them)."""
    framing = ROW_VIEWS.get(codec.format_id)
    if framing is None:
        return row["data"], row["writer_version"]
    version, body = avro.unframe(framing, row["data"])
    return body, version


# --- old code updates a row new code wrote -------------------------------------------------------------

def _read_modify_write(sim: Simulation, codec: TableCodec, table: list[dict]) -> dict:
    latest, editor = codec.versions[-1], codec.versions[0]
    row = next((r for r in reversed(table) if r["writer_version"] == latest), table[-1])
    body, version = _load(codec, row)
    update = read_modify_write(codec, body, version, editor, an_edit)
    if "error" in update:
        return {"row": row["row"], "error": update["error"]}
    update.update(before=row["data"], after=_store(codec, editor, update["after"]), view=row_view(codec.format_id))
    lost = update["lost"]
    sim.log("old process", "read-modify-write", editor,
            Text("df.db.rewritten", row=row["row"], field=update["field"],
                 lost=Text("df.lost", fields=", ".join(lost)) if lost else Text("df.db.nothing_lost")))
    return {"row": row["row"], **update}


# --- migrate every row, or resolve old rows on every read ----------------------------------------------

def _costs(codec: TableCodec, old: list[tuple[dict, Reading]], rows: int, p: Params):
    """The migration measured on this table (new code rewrites every old row), projected to larger tables
    with the same mix; against it, the resolution cost of reading old rows as they are."""
    latest = codec.versions[-1]
    read = sum(len(row["data"]) for row, _ in old)
    written = sum(len(_store(codec, latest, codec.rewrite(latest, *_load(codec, row), {}))) for row, _ in old)
    share = len(old) / rows
    per_row = (read + written) / len(old) if old else 0.0
    per_day = p.reads_per_s * 86_400 * share * p.resolve_us / 1e6

    def migration_seconds(n_old: float, total_bytes: float) -> float:
        return total_bytes / (p.migrate_mb_per_s * 1e6) + n_old * p.row_ms / 1000

    costs = []
    for size in TABLE_SIZES:
        n_old = size * share
        seconds = migration_seconds(n_old, n_old * per_row)
        costs.append({"rows": size, "old rows": round(n_old), "migration bytes": round(n_old * per_row),
                      "migration seconds": round(seconds, 6), "resolution seconds per day": round(per_day, 6),
                      "days until migration pays off": round(seconds / per_day, 3) if per_day else None})
    migration = {"old rows": len(old), "bytes read": read, "bytes written": written,
                 "seconds": migration_seconds(len(old), read + written), "resolution per day": per_day}
    return costs, migration


def _archive(codec: TableCodec, records: list[dict], result: DatabaseRun) -> list[str]:
    """The dump, or a note saying why there is none."""
    from formats import avro   # loads fastavro only when a table is dumped
    schema = codec.schema_text(codec.versions[-1], "avsc")
    if schema is None or not records:
        return [Text("df.db.no_archive")] if records else []
    try:
        result.archive = avro.container_file(records, schema)
    except FormatError as e:
        return [Text("df.db.archive_failed", error=e.args[0])]
    return []


# --- what to notice -------------------------------------------------------------------------------------

def _counters(r: DatabaseRun, migration: dict) -> dict:
    status = Counter(row["status"] for row in r.rows)
    return {"rows": len(r.rows), "read ok": status["ok"], "read lossy": status["lossy"],
            "read failed": status["failed"],
            "filled from defaults": sum(bool(row["defaulted"]) for row in r.rows),
            "old rows": migration["old rows"], "migration bytes read": migration["bytes read"],
            "migration bytes written": migration["bytes written"],
            "migration seconds": round(migration["seconds"], 6),
            "archive bytes": len(r.archive) if r.archive else 0}


_HOW_OLD_ROWS_READ = {   # format -> how today's code reads an old row: Avro resolves schemas, the others match tags
    "avro": "df.db.how.avro", "protobuf": "df.db.how.tag", "thrift-binary": "df.db.how.tag",
    "thrift-compact": "df.db.how.tag",
}


def _framing_note(codec: TableCodec, table: list[dict]) -> list[str]:
    if codec.format_id not in ROW_VIEWS:
        return []
    row = next((r for r in table if r["writer_version"] != codec.versions[-1]), table[0])
    version = _load(codec, row)[1]
    return [Text("df.db.framing", row=row["row"], byte=f"{row['data'][0]:02x}", version=version,
                 latest=codec.versions[-1])]


def _notes(codec: TableCodec, p: Params, r: DatabaseRun, migration: dict) -> list[str]:
    latest, c = codec.versions[-1], r.counters
    by_version = Counter(row["writer_version"] for row in r.rows)
    out = [Text("df.db.table", rows=count(c["rows"], "row"), months=p.months, latest=latest,
                old=count(c["old rows"], "row"),
                by_version=[Text("df.db.by_version", n=by_version[v], v=v) for v in codec.versions])]
    filled = Counter(f for row in r.rows for f in row["defaulted"].split(", ") if f)
    if filled:
        how = Text(_HOW_OLD_ROWS_READ[codec.format_id]) if codec.format_id in _HOW_OLD_ROWS_READ else \
            Text("df.db.how.schemaless", format=codec.format_id)
        out.append(Text("df.db.defaults", latest=latest, how=how,
                        fields=[Text("df.db.field_in", field=name, rows=count(n, "row"))
                                for name, n in filled.most_common()]))
    if c["read failed"]:
        first = next(row for row in r.rows if row["status"] == "failed")
        out.append(Text("df.db.failed", rows=count(c["read failed"], "row"), row=first["row"],
                        v=first["writer_version"], error=first["error"]))
    u = r.update
    if u.get("unknown_to_editor"):
        what = ", ".join(u["unknown_to_editor"])
        said = dict(editor=u["editor_version"], row=u["row"], writer=u["writer_version"], field=u["field"])
        if u["lost"]:
            out.append(Text("df.db.update_lost_one" if len(u["lost"]) == 1 else "df.db.update_lost", **said,
                            lost=", ".join(u["lost"]), before=len(u["before"]), after=len(u["after"])))
        else:
            out.append(Text("df.db.update_kept", **said, kept=what,
                            why=Text("df.db.kept_protobuf" if codec.format_id == "protobuf" else "df.db.kept_record")))
    elif u.get("error"):
        out.append(Text("df.db.update_unreadable", v=codec.versions[0], error=u["error"]))
    if migration["old rows"]:
        big = r.costs[-1]
        out.append(Text("df.db.migration", old=count(migration["old rows"], "old_row"), read=migration["bytes read"],
                        written=migration["bytes written"], seconds=migration["seconds"],
                        hours=big["migration seconds"] / 3600, big=big["rows"], resolve_us=p.resolve_us,
                        per_day=migration["resolution per day"], reads_per_s=p.reads_per_s))
    if r.archive:
        out.append(Text("df.db.archive", rows=count(len(r.rows) - c["read failed"], "row"), latest=latest,
                        bytes=len(r.archive)))
    return out
