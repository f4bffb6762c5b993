"""Event-driven architectures (second edition): events are long-lived data in a log.

Producers append events to a topic (a log, as in Kafka) month after month while the event's schema
evolves; the log keeps them for as long as its retention says, often forever. Each event is framed
as Confluent's Schema Registry frames it: a magic byte 0, the writer schema's 4-byte registry id
(big-endian), then the Avro body. A producer can only use a schema the registry accepted under the
subject's compatibility mode. A consumer that starts today reads the topic from its first retained
offset: for each event it fetches the writer schema by id from the registry (once per id, then from
its own cache) and resolves it against its own reader schema, with fastavro.

So a reader meets every schema version still in the log, not only the previous one: a mode that
checks a new version against the latest alone (BACKWARD, FORWARD, FULL) can accept a version that
cannot read events from months ago; the transitive modes check against everything registered.
"""
import functools
import json
import random
from collections import Counter
from dataclasses import dataclass, field

import formats
from dataflow.engine import check, check_choice, count
from evolution import lookup, resolve
from evolution.registry import EXAMPLE_HISTORIES, MODES, register
from evolution.rules import LOSSY
from formats import avro
from formats.errors import FormatError
from formats.spans import Encoded
from i18n import Text

FRAMING = "avro-confluent"
HISTORY = EXAMPLE_HISTORIES["avsc"]   # the schema registry page's example: the same three versions
NAMES = ("Martin", "Ada", "Grace", "Linus", "Barbara", "Edsger", "Radia", "Ken", "Frances", "Tony")
INTERESTS = ("daydreaming", "hacking", "climbing", "chess", "cooking", "cycling")


@dataclass(frozen=True)
class Params:
    mode: str = "BACKWARD"               # the subject's compatibility mode in the registry
    months: int = 12
    events_per_month: int = 30
    upgrades: tuple[int, ...] = (4, 8)   # the months producers move to v2, v3 (if the registry accepted it)
    retention_months: int | None = None  # None: the log keeps every event (retention.ms=-1, or compaction)
    reader_version: int | None = None    # the consumer's reader schema; None: the latest registered
    history: tuple[str, ...] = HISTORY   # the subject's schema versions (.avsc), oldest first
    seed: int = 1


@dataclass
class EventLogRun:
    """`registry`: one row per schema version (accepted, its id, the month producers started on it);
    `events`: one row per retained event (offset, month, schema id, writer version, bytes, how today's
    consumer read it); `series`: events per month and writer version; `samples`: the first retained event
    of each writer version, framed and labelled; `counters`, `notes` as in every Run."""
    seed: int
    registry: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    samples: dict[int, Encoded] = field(default_factory=dict)
    counters: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run(params: Params = Params()) -> EventLogRun:
    p = params
    check_choice("compatibility mode", p.mode, MODES)
    check("months", p.months, 1, 60)
    check("events per month", p.events_per_month, 1, 200)
    if p.retention_months is not None:
        check("retention (months)", p.retention_months, 1, p.months)
    if len(p.upgrades) != len(p.history) - 1 or list(p.upgrades) != sorted(p.upgrades):
        raise FormatError(Text("df.ev.upgrades", n=len(p.history) - 1))
    check("seed", p.seed, 0, 2 ** 32)
    result = EventLogRun(p.seed)
    registration = register("avsc", p.history, p.mode)
    store = lookup.SchemaStore.registered(p.history, registration.registered)
    for c in registration.candidates:
        month = 0 if c.version == 1 else p.upgrades[c.version - 2]
        result.registry.append({
            "version": c.version, "accepted": c.accepted, "schema id": store.ids.get(c.version),
            "checked against": ", ".join(f"v{v}" for v in c.compared_with) or Text("df.ev.nothing"),
            "producers from month": month if c.accepted else None,
            "why rejected": "; ".join(f"{check.direction}: {check.verdict.status}" for check in c.failed)})
    reader = p.reader_version or max(store.ids)   # a reader schema is the consumer's own: it need not be registered
    if p.reader_version is not None:
        check("reader version", reader, 1, len(p.history))
    log = _produce(p, store, result)
    _consume(p, log, store, reader, result)
    result.notes = _notes(p, result, {c.version: c.compared_with for c in registration.candidates})
    return result


def _produce(p: Params, store: lookup.SchemaStore, result: EventLogRun) -> list[dict]:
    """Each month's events, written by the producers' current (registered) version; then retention."""
    rng = random.Random(p.seed)
    starts = {v: (0 if v == 1 else p.upgrades[v - 2]) for v in store.ids}
    log, written = [], Counter()
    for month in range(p.months):
        version = max(v for v, start in starts.items() if start <= month)
        for _ in range(p.events_per_month):
            person = _person(rng)
            log.append({"offset": len(log), "month": month, "version": version, "record": _as_written(person, store,
                        version), "data": lookup.write(store, FRAMING, version, person)})
        written[version] += p.events_per_month
        result.series += [{"month": month, "version": f"v{v}", "rows": written[v]} for v in sorted(written)]
    first_month = 0 if p.retention_months is None else p.months - p.retention_months
    return [e for e in log if e["month"] >= first_month]


def _as_written(record: dict, store: lookup.SchemaStore, version: int) -> dict:
    """The values the version's schema writes (its fields; the rest of the producer's record is not sent)."""
    return {f["name"]: record[f["name"]] for f in json.loads(store.schemas[version])["fields"] if f["name"] in record}


def _person(rng) -> dict:
    name = NAMES[rng.randrange(len(NAMES))]
    return {"userName": name, "favoriteNumber": rng.choice([None, rng.randint(1, 9999)]),
            "interests": rng.sample(INTERESTS, rng.randint(0, 3)), "age": rng.randint(18, 90),
            "height": round(rng.uniform(1.5, 2.0), 2), "status": rng.choice(["ONLINE", "AWAY", "OFFLINE"]),
            "email": f"{name.lower()}@example.com"}


def _consume(p: Params, log: list[dict], store: lookup.SchemaStore, reader: int, result: EventLogRun) -> None:
    """A new consumer reads every retained event from the first offset, fetching writer schemas by id."""
    reader_schema = p.history[reader - 1]
    fetched: dict[int, str] = {}
    for e in log:
        schema_id, body = avro.unframe(FRAMING, e["data"])
        if schema_id not in fetched:          # GET /schemas/ids/{id}, once per id
            fetched[schema_id] = store.schemas[store.find(FRAMING, schema_id)]
        row = {"offset": e["offset"], "month": e["month"], "schema id": schema_id, "writer_version": e["version"],
               "bytes": len(e["data"]), "status": "ok", "defaulted": "", "ignored": "", "lost": "", "error": ""}
        # the consumer reads these bytes with its reader schema, and the read is classified as every read
        # across versions is (evolution.CLASSIFICATION): did each value it has a field for arrive?
        outcome = resolve.read_across("avro", e["record"], fetched[schema_id], reader_schema)
        assert outcome.encoded.data == body, "the consumer must read the very bytes in the log"
        if outcome.error:
            row["status"], row["error"] = "failed", outcome.error
        else:
            row["defaulted"], row["ignored"] = ", ".join(outcome.defaulted), ", ".join(outcome.skipped)
            if outcome.status == LOSSY:
                row["status"] = "lossy"
                row["lost"] = ", ".join([*outcome.lost, *(f"{path} (changed)" for path, _, _ in outcome.changed)])
        result.events.append(row)
        if e["version"] not in result.samples:
            result.samples[e["version"]] = formats.annotate(FRAMING, e["data"], fetched[schema_id])
    rows = result.events
    result.counters = {
        "events": len(rows), "read": sum(r["status"] == "ok" for r in rows),
        "defaults filled": sum(bool(r["defaulted"]) for r in rows),
        "fields ignored": sum(bool(r["ignored"]) for r in rows),
        "failed": sum(r["status"] == "failed" for r in rows), "lossy": sum(r["status"] == "lossy" for r in rows),
        "registry lookups": len(fetched), "log bytes": sum(len(e["data"]) for e in log),
        "writer versions": len({r["writer_version"] for r in rows}), "reader version": reader,
        "versions registered": len(store.ids), "versions rejected": len(p.history) - len(store.ids),
        "oldest month": min((r["month"] for r in rows), default=0)}


def _notes(p: Params, r: EventLogRun, compared: dict[int, tuple[int, ...]]) -> list[str]:
    c, out = r.counters, []
    rejected = [row for row in r.registry if not row["accepted"]]
    if rejected:
        out.append(Text("df.ev.rejected", mode=p.mode, versions=[
            Text("df.ev.rejected_one", v=row["version"], why=row["why rejected"]) for row in rejected]))
    kept = Text("df.ev.kept_all") if p.retention_months is None else \
        Text("df.ev.kept_last", months=count(p.retention_months, "month"), oldest=c["oldest month"])
    out.append(Text("df.ev.log", kept=kept, events=count(c["events"], "event"), bytes=c["log bytes"],
                    versions=count(c["writer versions"], "schema_version"), reader=c["reader version"],
                    lookups=count(c["registry lookups"], "writer_schema")))
    by_version = Counter((row["writer_version"], row["status"]) for row in r.events)
    failed = sorted({v for (v, s) in by_version if s == "failed"})
    if c["lossy"]:
        example = next(row for row in r.events if row["status"] == "lossy")
        out.append(Text("df.ev.lossy", events=count(c["lossy"], "event"), v=example["writer_version"],
                        offset=example["offset"], fields=example["lost"]))
    if failed:
        example = next(row for row in r.events if row["status"] == "failed")
        out.append(Text("df.ev.failed", events=count(c["failed"], "event"), by_version=[
            Text("df.ev.written_by", n=by_version[v, "failed"], v=v) for v in failed], error=example["error"]))
        # the reader meets every version in the log: the mode that guarantees that is the transitive one
        guard = "BACKWARD_TRANSITIVE" if c["reader version"] > max(failed) else "FORWARD_TRANSITIVE"
        refused = [f"v{x.version}" for x in register("avsc", p.history, guard).candidates if not x.accepted]
        reader = c["reader version"]
        pairs = [(max(reader, w), min(reader, w)) for w in failed]
        unchecked = [Text("df.ev.against", hi=hi, lo=lo) for hi, lo in pairs if lo not in compared[hi]]
        why = Text("df.ev.checks_nothing" if not MODES[p.mode][0] else "df.ev.not_transitive")
        needs = Text("df.ev.refuses" if refused else "df.ev.accepts", guard=guard, refused=", ".join(refused))
        out.append(Text("df.ev.unchecked", mode=p.mode, pairs=functools.reduce(
            lambda a, b: Text("df.ev.or", a=a, b=b), unchecked), why=why, needs=needs) if unchecked else needs)
    elif not c["lossy"]:
        out.append(Text("df.ev.all_read", defaults=count(c["defaults filled"], "event"),
                        ignored=count(c["fields ignored"], "event")))
    return out
