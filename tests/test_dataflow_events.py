"""Events in a log: a consumer reads months of events written under several schema versions.

The rules cited: Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro body);
Avro spec, "Schema Resolution": a reader field missing from the writer's record takes its default,
and with no default "an error is signalled"; a writer field the reader lacks is ignored. Registry
modes as Confluent defines them: non-transitive modes check a new version against the latest only.
"""
import io
import json
import struct

import fastavro
import pytest

from dataflow import events
from formats import avro
from tests.support import check_walk, format_error


def by_version(run):
    out = {}
    for e in run.events:
        out.setdefault(e["writer_version"], set()).add(e["status"])
    return out


def test_backward_accepts_v3_and_the_new_consumer_fails_on_every_v1_event_in_the_log():
    run = events.run(events.Params(mode="BACKWARD"))
    assert [r["accepted"] for r in run.registry] == [True, True, True]
    assert by_version(run) == {1: {"failed"}, 2: {"ok"}, 3: {"ok"}}
    assert run.counters["failed"] == sum(e["writer_version"] == 1 for e in run.events) == 4 * 30
    failed = next(e for e in run.events if e["status"] == "failed")
    assert failed["error"].startswith("email: the reader's schema has this field with no default")
    assert all(e["ignored"] == "userName" for e in run.events if e["writer_version"] == 2)   # ignored, not an error
    assert "never checked v3 against v1" in run.notes[-1] and "BACKWARD_TRANSITIVE" in run.notes[-1]


@pytest.mark.parametrize("mode", ["BACKWARD_TRANSITIVE", "FULL_TRANSITIVE"])
def test_a_transitive_mode_refuses_v3_so_producers_stay_on_v2_and_every_event_reads(mode):
    run = events.run(events.Params(mode=mode))
    assert [r["accepted"] for r in run.registry] == [True, True, False]
    assert run.registry[2]["schema id"] is None and run.registry[2]["producers from month"] is None
    assert {e["writer_version"] for e in run.events if e["month"] >= 8} == {2}
    assert run.counters["failed"] == 0 and run.counters["reader version"] == 2
    assert run.counters["defaults filled"] == sum(e["writer_version"] == 1 for e in run.events)   # email: null
    assert any(f"The registry ({mode}) rejected v3" in n for n in run.notes)


def test_short_retention_leaves_only_events_the_reader_can_read():
    run = events.run(events.Params(retention_months=3))
    assert {e["month"] for e in run.events} == {9, 10, 11}
    assert run.counters["failed"] == 0 and run.counters["writer versions"] == 1 == run.counters["registry lookups"]


def test_an_old_reader_fails_on_events_of_a_version_without_its_required_field():
    run = events.run(events.Params(reader_version=1))
    assert by_version(run) == {1: {"ok"}, 2: {"ok"}, 3: {"failed"}}   # v2 adds email, v1 ignores it
    assert "FORWARD_TRANSITIVE" in run.notes[-1]


def test_events_are_framed_avro_and_the_consumer_fetches_each_schema_once():
    run = events.run(events.Params(mode="NONE", events_per_month=5))
    ids = {r["schema id"]: r["version"] for r in run.registry}
    schemas = {r["schema id"]: events.HISTORY[r["version"] - 1] for r in run.registry}
    assert run.counters["registry lookups"] == len({e["schema id"] for e in run.events}) == 3
    for version, sample in run.samples.items():
        magic, schema_id = struct.unpack(">bI", sample.data[:5])
        assert magic == 0 and ids[schema_id] == version
        record = fastavro.schemaless_reader(io.BytesIO(sample.data[5:]),
                                            fastavro.parse_schema(json.loads(schemas[schema_id])), None)
        assert set(record) == {f["name"] for f in json.loads(schemas[schema_id])["fields"]}
        check_walk(sample)
        assert avro.unframe(events.FRAMING, sample.data) == (schema_id, sample.data[5:])


def test_every_sentence_number_is_a_counter_and_bad_parameters_are_explained():
    run = events.run(events.Params())
    c = run.counters
    assert f"{c['events']} events, {c['log bytes']:,} bytes" in run.notes[0]
    assert f"{c['failed']} events could not be read" in run.notes[1]
    assert c["read"] + c["failed"] == c["events"]
    assert "compatibility mode must be one of" in str(format_error(events.run, events.Params(mode="LOOSE")))
    assert "one upgrade month per later version" in str(format_error(events.run, events.Params(upgrades=(4,))))
    assert "expected magic byte 0 (00) but found 01" in str(format_error(avro.unframe, events.FRAMING, b"\x01abcd"))


def test_a_read_that_loses_a_value_is_counted_lossy_from_the_run():
    """Avro spec, "Schema Resolution": a writer's enum symbol the reader lacks reads as the reader's enum
    default, with no error; the written value never reaches the reader's field (evolution.CLASSIFICATION:
    lossy). The producers stay on v1 (v2 from month 12: never); the consumer reads with v2."""
    v1 = json.loads(events.HISTORY[0])
    v2 = json.loads(events.HISTORY[0])
    status = next(f for f in v2["fields"] if f["name"] == "status")
    status["type"] = {**status["type"], "symbols": ["ONLINE", "OFFLINE"], "default": "ONLINE"}
    run = events.run(events.Params(mode="NONE", history=(json.dumps(v1), json.dumps(v2)), upgrades=(12,),
                                   reader_version=2))
    lossy = [e for e in run.events if e["status"] == "lossy"]
    assert lossy and all(e["lost"] == "status (changed)" for e in lossy)   # AWAY arrived as ONLINE
    assert run.counters["lossy"] == len(lossy) and run.counters["failed"] == 0
    assert run.counters["read"] + run.counters["lossy"] == run.counters["events"]
    assert any(f"{len(lossy):,} events were read but lost or changed a value" in note for note in run.notes)
