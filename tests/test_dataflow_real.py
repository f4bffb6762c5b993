"""The simulations on real bytes: the adapter over formats/ and the evolution catalogue."""
import io

import fastavro
import pytest

import formats
from dataflow import actors, adapters, databases, messaging, rolling_upgrade, services
from evolution import catalogue, resolve
from tests.support import check_walk
from formats import avro

SCHEMA_FORMATS = ("protobuf", "avro", "thrift-binary", "thrift-compact")
ALL_FORMATS = ("json", "msgpack") + SCHEMA_FORMATS
VERDICT = {"ok": "compatible", "lossy": "lossy", "failed": "incompatible"}


# --- the adapter ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_the_codec_writes_exactly_what_formats_writes(format_id):
    codec = adapters.for_change(format_id, "add-optional-field")
    for version in codec.versions:
        record = codec.record(version)
        expected = formats.encode(format_id, record, codec.schema_text(version)).data
        assert codec.encode(version, record) == expected


@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_adding_an_optional_field_reads_both_ways_and_old_code_ignores_it(format_id):
    codec = adapters.for_change(format_id, "add-optional-field")
    new_data = codec.encode(2, codec.record(2))
    old_reads_new = codec.decode(1, new_data, writer_version=2)
    assert old_reads_new.status == "ok" and old_reads_new.lost == () and old_reads_new.ignored == ("email",)
    new_reads_old = codec.decode(2, codec.encode(1, codec.record(1)), writer_version=1)
    assert new_reads_old.status == "ok"


@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_a_required_field_new_code_cannot_find_fails_with_a_readable_reason(format_id):
    codec = adapters.for_change(format_id, "add-required-field")
    reading = codec.decode(2, codec.encode(1, codec.record(1)), writer_version=1)
    assert reading.failed and "email" in reading.error
    assert "Traceback" not in reading.error and "/tmp" not in reading.error


@pytest.mark.parametrize("format_id", resolve.FORMATS)
def test_every_read_agrees_with_the_evolution_verdict_on_the_same_bytes(format_id):
    for change in catalogue.CHANGES:
        if not change.applies(catalogue.FAMILY_OF_FORMAT[format_id]):
            continue
        codec = adapters.for_change(format_id, change.id)
        for direction, (writer, reader) in (("backward", (1, 2)), ("forward", (2, 1))):
            expected = resolve.run(format_id, change.id, direction)
            data = codec.encode(writer, codec.record(writer))
            assert data == expected.encoded.data
            reading = codec.decode(reader, data, writer_version=writer)
            assert (VERDICT[reading.status], reading.error) == (expected.status, expected.error or ""), \
                (change.id, direction)


def test_strict_schemaless_readers_reject_keys_they_do_not_know():
    codec = adapters.for_change("json", "add-optional-field", policy="strict")
    reading = codec.decode(1, codec.encode(2, codec.record(2)), writer_version=2)
    assert reading.failed and "email" in reading.error
    with pytest.raises(formats.FormatError, match="unknown policy"):
        adapters.for_change("json", "add-optional-field", policy="lenient")


def test_narrowing_is_seen_as_lossy_even_when_the_library_reads_without_complaint():
    codec = adapters.for_change("protobuf", "narrow-int")
    reading = codec.decode(2, codec.encode(1, codec.record(1)), writer_version=1)
    assert reading.status == "lossy" and reading.lost == ("favoriteNumber (changed)",)


def test_a_change_that_does_not_apply_says_why():
    with pytest.raises(formats.FormatError, match="does not apply to Avro"):
        adapters.for_change("avro", "change-tag")


# --- rolling upgrade -------------------------------------------------------------------------------------

@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_rolling_upgrade_of_a_both_ways_compatible_change_never_fails_a_read(format_id):
    run = rolling_upgrade.run(adapters.for_change(format_id, "add-optional-field"))
    assert run.counters["failed reads"] == 0 and run.counters["downtime ticks"] == 0
    crossed = {(r["writer_version"], r["reader_version"]) for r in run.crossings}
    assert {(1, 2), (2, 1)} <= crossed
    # old nodes ignore the new `email`: forward compatible, so not one read is lossy either
    assert run.counters["lossy reads"] == 0 and run.reads == []


def test_a_lossy_change_counts_lossy_reads_and_names_the_value():
    run = rolling_upgrade.run(adapters.for_change("protobuf", "narrow-int"))   # v2's int32 reads 2^40 as 0
    lossy = [r for r in run.reads if r["status"] == "lossy"]
    assert run.counters["lossy reads"] == len(lossy) > 0 and run.counters["failed reads"] == 0
    assert all((r["writer_version"], r["reader_version"], r["lost"]) == (1, 2, "favoriteNumber (changed)")
               for r in lossy)
    assert any("lost or changed a value" in n and "fields: favoriteNumber" in n for n in run.notes)


@pytest.mark.parametrize("format_id,change_id", [
    ("avro", "add-enum-symbol"), ("protobuf", "remove-required-field"), ("json", "remove-required-field")])
def test_backward_only_change_fails_only_when_old_code_reads_new_data(format_id, change_id):
    run = rolling_upgrade.run(adapters.for_change(format_id, change_id))
    failed = [r for r in run.reads if r["status"] == "failed"]
    assert failed and all(r["reader_version"] == 1 and r["writer_version"] == 2 for r in failed)
    assert run.counters["nodes upgraded"] == rolling_upgrade.Params().nodes


@pytest.mark.parametrize("format_id", SCHEMA_FORMATS)
def test_all_at_once_has_downtime_with_real_codecs_too(format_id):
    run = rolling_upgrade.run(adapters.for_change(format_id, "add-optional-field"),
                              rolling_upgrade.Params(strategy="all-at-once"))
    assert run.counters["downtime ticks"] > 0 and run.counters["unavailable"] > 0


def test_a_change_new_code_cannot_read_halts_the_rollout():
    run = rolling_upgrade.run(adapters.for_change("avro", "add-required-field"))
    assert run.counters["failed health checks"] == 1 and run.counters["nodes upgraded"] == 0
    assert "email" in run.reads[0]["error"]


# --- databases ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=ALL_FORMATS)
def table(request):
    return request.param, databases.run(adapters.history(request.param), databases.Params(rows=90))


# what today's code fills in for a v1 row (interests, email missing): Avro from its reader schema's defaults,
# the schemaless reader's code for optional keys, protobuf an empty repeated field (a proto2 optional string
# is simply unset); thriftpy2 leaves both None
DEFAULTED_IN_V1_ROWS = {"avro": "interests, email", "json": "interests, email", "msgpack": "interests, email",
                        "protobuf": "interests", "thrift-binary": "", "thrift-compact": ""}


def test_todays_code_reads_every_row_written_by_every_version(table):
    format_id, run = table
    assert run.counters["read failed"] == 0 and {r["status"] for r in run.rows} == {"ok"}
    assert {r["writer_version"] for r in run.rows} == {1, 2, 3}
    v1_rows = [r for r in run.rows if r["writer_version"] == 1]
    assert {r["defaulted"] for r in v1_rows} == {DEFAULTED_IN_V1_ROWS[format_id]}
    assert run.series[-1]["rows"] >= 1


def test_read_modify_write_by_old_code_loses_or_keeps_the_new_fields_on_real_bytes(table):
    format_id, run = table
    u = run.update
    assert u["editor_version"] == 1 and u["writer_version"] == 3
    assert set(u["unknown_to_editor"]) == {"interests", "email"}
    # the old code's bytes, read by today's code: what survived is really in those bytes
    after = formats.decode(databases.row_view(format_id), u["after"], adapters.history(format_id).schema_text(3),
                           adapters.history(format_id).schema_text(1)).record
    assert after[u["field"]] == u["value"]
    if format_id in ("json", "msgpack", "protobuf"):   # unknown fields kept; a schemaless dict keeps every key
        assert u["kept"] == ["interests", "email"] and after["email"] == u["before_record"]["email"]
    else:   # Avro's old reader schema and thriftpy2's struct have no place for them: the new fields are gone
        assert u["lost"] == ["interests", "email"] and len(u["after"]) < len(u["before"])
        assert not after.get("email")


def test_avro_rows_start_with_their_writers_schema_version(table):
    """The book: "include a version number at the beginning of every encoded record": an Avro row is its
    writer's version (an Avro int) then the body; the old editor's rewrite says version 1."""
    format_id, run = table
    if format_id != "avro":
        assert databases.row_view(format_id) == format_id
        return
    u = run.update
    assert avro.unframe("avro-versioned", u["before"])[0] == 3 and u["before"][0] == 2 * 3   # zigzag
    assert avro.unframe("avro-versioned", u["after"])[0] == 1
    assert any("starts with the byte 0" in note and "version" in note for note in run.notes)


def test_migration_cost_grows_with_the_table_and_resolution_does_not(table):
    _, run = table
    costs = run.costs
    assert [c["rows"] for c in costs] == list(databases.TABLE_SIZES)
    assert all(a["migration seconds"] < b["migration seconds"] for a, b in zip(costs, costs[1:]))
    assert len({c["resolution seconds per day"] for c in costs}) == 1
    assert run.counters["migration bytes read"] == sum(r["bytes"] for r in run.rows if r["writer_version"] < 3)


def test_the_archive_is_an_avro_container_file_with_the_latest_schema(table):
    _, run = table
    reader = fastavro.reader(io.BytesIO(run.archive))
    rows = list(reader)
    assert len(rows) == len(run.rows)
    assert [f["name"] for f in reader.writer_schema["fields"]] == ["userName", "favoriteNumber", "interests",
                                                                   "email"]


# --- services ------------------------------------------------------------------------------------------------

def test_the_request_on_the_wire_both_ways():
    wires = services.wire()
    rest, grpc = wires["REST: JSON over HTTP/1.1"], wires["gRPC: protobuf, length-prefixed"]
    for encoded in (rest, grpc):
        assert check_walk(encoded) >= 3
    head, body = rest.data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"POST /v1/charges HTTP/1.1\r\n")
    assert f"Content-Length: {len(body)}".encode() in head
    assert formats.decode("json", body).record == services.CHARGE_RECORD
    assert grpc.data[0] == 0 and int.from_bytes(grpc.data[1:5], "big") == len(grpc.data) - 5
    message = formats.decode("protobuf", grpc.data[5:], services.CHARGE_PROTO).record
    assert message["idempotencyKey"] == services.IDEMPOTENCY_KEY
    assert grpc.size < rest.size


def test_renaming_a_field_breaks_rest_clients_but_not_grpc_ones():
    rows = {(r["change"], r["api"], r["caller"]): r for r in services.api_evolution().rows}
    assert len(rows) == 8
    for caller in services.CALLERS:
        assert rows["rename a field", "REST (JSON)", caller]["status"] == "incompatible"
        assert rows["rename a field", "gRPC (protobuf)", caller]["status"] == "compatible"
    assert "amountMinorUnits" in rows["rename a field", "REST (JSON)", "old client, new server"]["why"]


def test_adding_an_optional_field_breaks_only_a_strict_json_server():
    lenient = services.api_evolution()
    assert all(r["status"] != "incompatible" for r in lenient.rows if r["change"] == "add a field")
    strict = services.api_evolution(policy="strict")
    broken = [(r["api"], r["caller"]) for r in strict.rows if r["change"] == "add a field"
              and r["status"] == "incompatible"]
    assert broken == [("REST (JSON)", "new client, old server")]
    assert any("broke REST" in n for n in strict.notes)


# --- messaging and actors on real bytes ---------------------------------------------------------------------

def test_the_broker_holds_real_payload_bytes():
    codec = adapters.for_change("protobuf", "add-optional-field")
    run = messaging.outage(codec)
    size = len(codec.encode(2, codec.record(2)))
    assert {d["bytes"] for d in run.deliveries} == {size}
    peak = max(row["broker: queued"] for row in run.series)
    assert max(row["broker: queued bytes"] for row in run.series) == peak * size


def test_an_old_consumer_reads_new_messages_through_the_real_codec():
    codec = adapters.for_change("avro", "add-enum-symbol")   # old code cannot read BUSY
    run = messaging.redelivery(codec, messaging.Params(writer_version=2, reader_version=1, crash=0))
    assert run.counters["dead-lettered"] == run.counters["sent"] > 0 and run.counters["handled"] == 0


@pytest.mark.parametrize("format_id,change_id,fails", [
    ("protobuf", "add-optional-field", False), ("avro", "add-enum-symbol", True)])
def test_actors_on_mixed_version_nodes(format_id, change_id, fails):
    run = actors.run(adapters.for_change(format_id, change_id))
    assert run.counters["peak in flight"] == 1
    assert (run.counters["unreadable"] > 0) == fails
    assert all(r["writer_version"] == 2 and r["reader_version"] == 1 for r in run.crossings if r["status"] == "failed")


DIGEST = """
import hashlib, json
from dataflow import actors, adapters, databases, messaging, rolling_upgrade, services
codec = adapters.for_change("protobuf", "add-enum-symbol")
runs = [rolling_upgrade.run(codec), databases.run(adapters.history("avro"), databases.Params(rows=40)),
        services.run(services.Params(payments=40)), messaging.redelivery(codec), messaging.fan_out(codec),
        actors.run(codec)]
print(hashlib.sha256(json.dumps([[r.event_rows(), r.series, r.counters, r.notes] for r in runs],
                                default=repr).encode()).hexdigest())
"""


def test_same_seed_same_run_in_another_process():
    """No dependence on set order, object ids or anything else that differs between processes."""
    import os
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digests = {subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1 and len(digests.pop()) == 65


def test_the_examples_in_the_docstrings_run():
    import doctest

    import dataflow
    for module in (dataflow, adapters):
        assert doctest.testmod(module).failed == 0
