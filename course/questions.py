"""Predict, then reveal: questions whose answers are computed from the real bytes and runs.

Each builder takes what its page shows (the record and schemas, the pasted bytes, the simulation's
parameters) and returns Questions; a Question's `solve()` calls the core only when the student asks for
the answer, so a question costs nothing on a rerun until then.
"""
from collections.abc import Callable
from dataclasses import dataclass, replace

import evolution
import formats
from dataflow import actors, adapters, databases, durable, events, messaging, rolling_upgrade, services
from i18n import Text

DIRECTION_CHOICES = ("neither", "backward", "forward", "both")


@dataclass(frozen=True)
class Answer:
    value: object          # an int, or one of the question's choices
    explain: Text


@dataclass(frozen=True)
class Question:
    id: str                # unique in the course: a session's progress is kept by it
    ask: Text
    solve: Callable[[], Answer]
    choices: tuple = ()    # empty: the answer is a whole number
    labels: dict | None = None   # choice -> how it reads (a Text); None: the choice itself


def _encode(format_id: str, record: dict, schemas: dict) -> formats.Encoded:
    return formats.encode(format_id, record, schemas.get(formats.get(format_id).schema_language))


def _by_kind(spans) -> tuple:
    """("2 bytes of field tag", …) for the spans' kinds, in KINDS order."""
    sizes = {}
    for s in spans:
        sizes[s.kind] = sizes.get(s.kind, 0) + s.size
    return tuple(Text("q.kind_bytes", n=sizes[k], kind=Text(f"kind.{k}")) for k in formats.spans.KINDS if k in sizes)


def _number_field(record: dict) -> str | None:
    return next((k for k, v in record.items() if isinstance(v, int) and not isinstance(v, bool)), None)


def encoding(record: dict, schemas: dict) -> list[Question]:
    """The book's record page and the Explorer: what the bytes of the record on screen cost."""
    out = []
    field = _number_field(record)
    if field is not None:
        def field_cost() -> Answer:
            encoded = _encode("protobuf", record, schemas)
            spans = encoded.spans_for(field)
            return Answer(encoded.bytes_for(field), Text(
                "q.field_cost.explain", n=encoded.bytes_for(field), field=field, parts=_by_kind(spans),
                hex=" ".join(encoded.data[s.start:s.end].hex(" ") for s in spans)))
        out.append(Question("field_cost", Text("q.field_cost.ask", field=field, value=record[field]), field_cost))

    def names() -> Answer:
        encoded = _encode("json", record, schemas)
        n = encoded.bytes_by_kind()["name"]
        return Answer(n, Text("q.json_names.explain", n=n, total=encoded.size, percent=round(100 * n / encoded.size)))
    out.append(Question("json_names", Text("q.json_names.ask"), names))

    def smallest() -> Answer:
        sizes = {}
        for fid in formats.FORMATS:
            try:
                sizes[fid] = _encode(fid, record, schemas).size
            except formats.FormatError:
                continue
        best = min(sizes, key=sizes.get)
        ranking = tuple(Text("q.format_size", format=formats.get(f).title, n=sizes[f]) for f in sorted(sizes, key=sizes.get))
        return Answer(best, Text("q.smallest.explain", format=formats.get(best).title, sizes=ranking))
    out.append(Question("smallest", Text("q.smallest.ask"), smallest, tuple(formats.FORMATS),
                        {f: formats.get(f).title for f in formats.FORMATS}))
    return out


def pasted(view: str, data: bytes, schema_text: str | None) -> list[Question]:
    """Decode bytes: of the bytes on screen, how many carry the values themselves?"""
    def solve() -> Answer:
        walked = formats.annotate(view, data, schema_text)
        values = walked.bytes_by_kind()["value"]
        return Answer(len(data) - values, Text("q.overhead.explain", n=len(data) - values, total=len(data),
                                               values=values, parts=_by_kind(s for s in walked.spans if s.kind != "value")))
    return [Question("overhead", Text("q.overhead.ask", n=len(data), format=formats.get(view).title), solve)]


def _directions(format_id: str, change_id: str) -> tuple[str, dict]:
    status = {d: evolution.run(format_id, change_id, d).status for d in evolution.DIRECTIONS}
    broken = [d for d in evolution.DIRECTIONS if status[d] != "compatible"]
    return ("both" if len(broken) == 2 else broken[0] if broken else "neither"), status


def change(format_id: str, change_id: str) -> list[Question]:
    """The Evolution lab: which direction breaks (fails or loses data) for the change on screen,
    and for the chapter's rule about required fields."""
    out = []
    cases = [(format_id, change_id, "directions")]
    if evolution.change("add-required-field").applies(evolution.catalogue.FAMILY_OF_FORMAT["protobuf"]) \
            and (format_id, change_id) != ("protobuf", "add-required-field"):
        cases.append(("protobuf", "add-required-field", "required"))
    for fid, cid, qid in cases:
        if not evolution.change(cid).applies(evolution.catalogue.FAMILY_OF_FORMAT[fid]):
            continue

        def solve(fid=fid, cid=cid) -> Answer:
            answer, status = _directions(fid, cid)
            return Answer(answer, Text("q.directions.explain", backward=Text(f"status.{status['backward']}"),
                                       forward=Text(f"status.{status['forward']}"),
                                       reason_backward=evolution.run(fid, cid, "backward").reason,
                                       reason_forward=evolution.run(fid, cid, "forward").reason))
        out.append(Question(qid, Text("q.directions.ask", change=evolution.change(cid).title,
                                      format=formats.get(fid).title), solve, DIRECTION_CHOICES,
                            {c: Text(f"q.direction.{c}") for c in DIRECTION_CHOICES}))
    return out


def matrix(policy: str, format_id: str = "avro") -> list[Question]:
    def solve() -> Answer:
        cells = [c for c in evolution.matrix(policy) if c.format_id == format_id and c.status != evolution.NOT_APPLICABLE]
        by_change: dict[str, set] = {}
        for c in cells:
            by_change.setdefault(c.change_id, set()).add(c.status)
        both = [cid for cid, statuses in by_change.items() if statuses == {"compatible"}]
        return Answer(len(both), Text("q.matrix.explain", n=len(both), total=len(by_change), format=formats.get(format_id).title,
                                      changes=tuple(evolution.change(cid).title for cid in both)))
    return [Question("matrix", Text("q.matrix.ask", format=formats.get(format_id).title), solve)]


def registry(language: str, history: list[str], mode: str) -> list[Question]:
    def solve() -> Answer:
        chosen = evolution.register_all_modes(language, history)[mode]
        accepted = sum(1 for c in chosen.candidates if c.accepted)
        return Answer(accepted, Text("q.registry.explain", n=accepted, total=len(history), mode=mode))
    return [Question("registry", Text("q.registry.ask", mode=mode, n=len(history)), solve)]


def upgrade(format_id: str, change_id: str, params: rolling_upgrade.Params) -> list[Question]:
    def solve() -> Answer:
        codec = adapters.for_change(format_id, change_id)
        at_once = rolling_upgrade.run(codec, replace(params, strategy="all-at-once")).counters
        rolling = rolling_upgrade.run(codec, replace(params, strategy="rolling")).counters
        n = at_once["downtime ticks"]
        return Answer(int(n), Text("q.upgrade.explain", n=int(n), rolling=int(rolling["downtime ticks"]),
                                   failed=rolling["failed reads"], lossy=rolling["lossy reads"]))
    return [Question("upgrade", Text("q.upgrade.ask", nodes=params.nodes), solve)]


def database(format_id: str, params: databases.Params) -> list[Question]:
    def solve() -> Answer:
        update = databases.run(adapters.history(format_id), params).update
        lost = update.get("lost", [])
        return Answer(len(lost), Text("q.database.explain", n=len(lost), format=formats.get(format_id).title,
                                      lost=tuple(lost) or "—", kept=tuple(update.get("kept", [])) or "—"))
    return [Question("database", Text("q.database.ask", format=formats.get(format_id).title), solve)]


def payments(params: services.Params) -> list[Question]:
    def solve() -> Answer:
        without = services.run(replace(params, idempotency_keys=False)).counters
        with_keys = services.run(replace(params, idempotency_keys=True)).counters
        return Answer(without["double charges"], Text("q.payments.explain", n=without["double charges"],
                                                      keys=with_keys["double charges"], retries=without["retries"]))
    return [Question("payments", Text("q.payments.ask", n=params.payments), solve)]


def outage(format_id: str, change_id: str, params: messaging.Params) -> list[Question]:
    def solve() -> Answer:
        c = messaging.outage(adapters.for_change(format_id, change_id), params).counters
        return Answer(c["direct: lost"], Text("q.outage.explain", n=c["direct: lost"], broker=c["broker: lost"],
                                              peak=c["broker: peak queue"]))
    return [Question("outage", Text("q.outage.ask", ticks=params.down_until - params.down_from), solve)]


def actor_system(make_codec: Callable, params: actors.Params) -> list[Question]:
    """`make_codec()`: the codec the page's run uses (a catalogue change, or Erlang terms)."""
    def solve() -> Answer:
        codec = make_codec()
        one = actors.run(codec, replace(params, nodes=1)).counters
        now = actors.run(codec, params).counters
        return Answer(one["remote bytes"], Text("q.actors.explain", n=one["remote bytes"], sent=one["sent"],
                                                nodes=params.nodes, remote=now["remote"], bytes=now["remote bytes"]))
    return [Question("actors", Text("q.actors.ask"), solve)]


def event_log(params: events.Params) -> list[Question]:
    def solve() -> Answer:
        c = events.run(params).counters
        return Answer(c["registry lookups"], Text("q.events.explain", n=c["registry lookups"], events=c["events"]))
    return [Question("events", Text("q.events.ask"), solve)]


def workflows(params: durable.Params) -> list[Question]:
    crash_at = params.crash_at if params.crash_at is not None else durable.Params().crash_at or 5.0

    def solve() -> Answer:
        crashed = replace(params, crash_at=crash_at)
        without = durable.run(replace(crashed, idempotency_keys=False)).counters
        with_keys = durable.run(replace(crashed, idempotency_keys=True)).counters
        return Answer(without["double charges"], Text("q.durable.explain", n=without["double charges"],
                                                      keys=with_keys["double charges"],
                                                      twice=without["activity executions"] - without["steps scheduled"]))
    return [Question("durable", Text("q.durable.ask", tick=crash_at), solve)]


def generated(before_text: str, after_text: str) -> list[Question]:
    """Generated schemas: how many of the old rows' cells a naive Protobuf generator's schema reads into the
    wrong column, silently (the change on screen, the rows the page writes)."""
    from evolution import generated as gen

    def solve() -> Answer:
        readings = gen.read_after_change(before_text, after_text)
        naive, kept = readings["protobuf"].counts, readings["protobuf-kept"].counts
        return Answer(naive[gen.MISREAD], Text("q.generated.explain", n=naive[gen.MISREAD],
                                               total=len(readings["protobuf"].cells), dropped=naive[gen.DROPPED],
                                               kept=kept[gen.MISREAD], avro=readings["avro"].counts[gen.MISREAD]))
    return [Question("generated", Text("q.generated.ask", rows=len(gen.sample_rows(gen.parse_columns(before_text)))),
                     solve)]


def pickled(record: dict) -> list[Question]:
    """Language-specific formats: what the object's pickle spends its bytes on, and which version of the
    reading code gets the object back (both from the real pickle bytes and a real unpickling)."""
    from evolution import pickled as pickles

    def overhead() -> Answer:
        walked = formats.annotate("pickle", pickles.write(record))
        values = walked.bytes_by_kind()["value"]
        return Answer(walked.size - values, Text(
            "q.pickled.overhead.explain", n=walked.size - values, total=walked.size, values=values,
            parts=_by_kind(s for s in walked.spans if s.kind != "value")))

    def reader() -> Answer:
        data = pickles.write(record)
        readings = {r: pickles.read(data, r) for r in pickles.READERS}
        ok = [r for r, reading in readings.items() if reading.ok]
        answer = ok[0] if ok else "none"
        return Answer(answer, Text("q.pickled.reader.explain", outcomes=tuple(
            Text("q.pickled.reader.outcome", reader=r, text=reading.text) for r, reading in readings.items())))

    size = len(pickles.write(record))
    choices = (*pickles.READERS, "none")
    return [Question("pickled_overhead", Text("q.pickled.overhead.ask", n=size), overhead),
            Question("pickled_reader", Text("q.pickled.reader.ask"), reader, choices,
                     {c: Text("q.pickled.reader.none") if c == "none" else c for c in choices})]
