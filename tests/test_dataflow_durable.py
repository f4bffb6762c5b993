"""Durable execution: the invariants the page teaches, on the engine and on the recorded bytes.

Replay follows Temporal's rules: a workflow's code, run again from the start, must issue the
commands its history recorded, in the same order (a mismatch is a non-determinism error, Temporal's
TMPRL1100); `workflow.patched(id)` is true when running live (and records a marker) or when the
history holds that marker, false when replaying a history written before it.
"""
import io
import json

import fastavro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataflow import durable
from formats import FormatError, protobuf
from tests.support import check_walk, format_error

ORDER = {"orderId": "order-1", "item": "sku-100", "amountCents": 1000}


def history_of(run, workflow: str) -> list[bytes]:
    return [e["data"] for e in run.log if e["workflow"] == workflow]


def types(history: list[bytes], log_format: str = "protobuf") -> list[tuple[str, str]]:
    return [(e["eventType"], e["name"]) for e in (durable.decode_event(log_format, d) for d in history)]


def live(code: str, steps: int, log_format: str = "protobuf") -> list[bytes]:
    """A history written by `code` running live for `steps` completed activities (results made up here)."""
    history = durable.started(ORDER, log_format)
    execution = durable.Execution(code, history, log_format)
    for i in range(steps):
        execution.complete({"reservationId": f"r-{i}", "chargeId": f"ch-{i}", "tracking": f"T{i}", "score": 0,
                            "messageId": f"m-{i}"})
    return history


# --- replay of unchanged code ------------------------------------------------------------------------------

def test_replaying_unchanged_code_reproduces_the_result_and_executes_no_step():
    run = durable.run(durable.Params())
    assert run.counters["completed"] == run.counters["workflows"]
    for w in run.workflows:
        history = history_of(run, w["workflow"])
        replayed = durable.replay("none", history, "protobuf")
        assert replayed.done and replayed.waiting is None
        assert replayed.result == json.loads(w["result"])          # the same result, read from the log
        assert len(replayed.history) == len(history)                # no command issued: nothing executed
        assert replayed.from_log == sum(t == "ActivityTaskCompleted" for t, _ in types(history))


def test_after_a_crash_only_the_steps_in_flight_run_again():
    run = durable.run(durable.Params())
    c = run.counters
    assert c["replays"] > 0 and c["results from the log"] > 0 and c["lost in the crash"] > 0
    lost = {(e["workflow"], e["event"]) for e in run.executions if e["outcome"] == "lost in the crash"}
    again = [(e["workflow"], e["event"]) for e in run.executions if e["attempt"] > 1]
    assert again and set(again) <= lost                              # a recorded step never runs twice
    assert c["activity executions"] - c["steps scheduled"] == len(again)
    assert all(e["attempt"] == 1 for e in run.executions if (e["workflow"], e["event"]) not in lost)


@pytest.mark.parametrize("keys,twice", [(True, 0), (False, 1)])
def test_a_charge_killed_after_it_reached_the_provider_is_charged_once_only_with_an_idempotency_key(keys, twice):
    run = durable.run(durable.Params(idempotency_keys=keys))   # seed 1, crash at 5: one charge caught mid-way
    assert run.counters["charged, then lost"] == 1
    assert run.counters["double charges"] == twice
    assert ("twice" in run.notes[-1]) and (f"{twice} workflow" in run.notes[-1])


# --- code changes while workflows are in flight ------------------------------------------------------------------

def test_reordering_steps_makes_in_flight_workflows_fail_replay():
    history = live("none", 1)    # reserve_inventory done, charge_card scheduled
    with pytest.raises(durable.NonDeterminism, match="event 2 is ActivityTaskScheduled reserve_inventory, but the "
                                                     "code now schedules activity charge_card"):
        durable.replay("reorder", history, "protobuf")
    assert durable.replay("reorder", durable.started(ORDER, "protobuf"), "protobuf").waiting.name == "charge_card"

    run = durable.run(durable.Params(change="reorder"))
    stuck = [w for w in run.workflows if w["status"] == "stuck"]
    assert stuck and run.counters["stuck"] == len(stuck) == run.counters["non-determinism errors"]
    assert all(w["started under"] == "v1" and w["error"].startswith("history event") for w in stuck)
    after = [w for w in run.workflows if w["started under"] != "v1"]
    assert after and all(w["status"] == "completed" and w["steps"].startswith("charge_card") for w in after)
    assert any("non-determinism error" in n for n in run.notes)


def test_adding_an_unversioned_step_fails_only_the_workflows_already_past_it():
    with pytest.raises(durable.NonDeterminism, match="event 4 is ActivityTaskScheduled charge_card"):
        durable.replay("add-step", live("none", 1), "protobuf")
    early = durable.replay("add-step", live("none", 0), "protobuf")   # still reserving: the new step comes later
    assert early.waiting.name == "reserve_inventory"
    run = durable.run(durable.Params(change="add-step"))
    assert 0 < run.counters["stuck"] < run.counters["workflows"]


def test_versioned_code_replays_old_and_new_workflows():
    old = live("none", 4)                                   # a v1 workflow, completed
    replayed = durable.replay("patched", old, "protobuf")
    assert replayed.done and replayed.patched is False and len(replayed.history) == len(old)

    new = live("patched", 5)                                # written by the patched code: marker, fraud check
    assert ("MarkerRecorded", durable.PATCH_ID) in types(new) and ("ActivityTaskScheduled", "fraud_check") in types(new)
    replayed = durable.replay("patched", new, "protobuf")
    assert replayed.done and replayed.patched is True and len(replayed.history) == len(new)
    with pytest.raises(durable.NonDeterminism, match="MarkerRecorded"):   # rolling the patch back breaks them
        durable.replay("none", new, "protobuf")

    run = durable.run(durable.Params(change="patched"))
    c = run.counters
    assert c["stuck"] == 0 and c["completed"] == c["workflows"]
    assert c["with the patch"] > 0 and c["old branch"] > 0
    for w in run.workflows:
        assert ("fraud_check" in w["steps"]) == w["marker"]


# --- the history is real bytes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("log_format", list(durable.LOG_FORMATS))
def test_every_event_is_bytes_the_library_reads_back(log_format):
    run = durable.run(durable.Params(workflows=3, change="patched", deploy_at=2.0, log_format=log_format))
    schema = durable.event_schema(log_format)
    for e in run.log:
        if log_format == "protobuf":
            message = protobuf.message_class(schema).FromString(e["data"])
            got = (message.event_id, protobuf.message_class(schema).DESCRIPTOR.fields_by_name["event_type"]
                   .enum_type.values_by_number[message.event_type].name, message.name, message.payload)
        elif log_format == "avro":
            r = fastavro.schemaless_reader(io.BytesIO(e["data"]), fastavro.parse_schema(json.loads(schema)), None)
            got = (r["eventId"], r["eventType"], r["name"], r["payload"])
        else:
            r = json.loads(e["data"])
            got = (r["eventId"], r["eventType"], r["name"], r["payload"])
        assert got == (e["event"], e["type"], e["name"], e["payload"])
    check_walk(durable.formats.annotate(log_format, run.log[-1]["data"], schema))
    assert run.counters["log bytes"] == sum(len(e["data"]) for e in run.log)


def test_the_same_seed_gives_the_same_run_and_bad_parameters_are_explained():
    assert durable.run(durable.Params(seed=7)).event_rows() == durable.run(durable.Params(seed=7)).event_rows()
    assert "change must be one of" in str(format_error(durable.run, durable.Params(change="rewrite everything")))
    assert "workflows must be a number from 1 to 60" in str(format_error(durable.run, durable.Params(workflows=0)))


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2 ** 32), crash_at=st.floats(0, 20), change=st.sampled_from(["none", "patched"]))
def test_with_keys_and_versioned_code_every_workflow_completes_and_is_charged_once(seed, crash_at, change):
    run = durable.run(durable.Params(seed=seed, crash_at=crash_at, change=change, log_format="json"))
    c = run.counters
    assert c["completed"] == c["workflows"] and c["stuck"] == 0
    assert c["double charges"] == 0 and c["charges"] == c["workflows"]
    charged = {e["workflow"]: e["charge"] for e in run.executions if e["step"] == "charge_card" and "charge" in e}
    assert all(json.loads(w["result"])["chargeId"] == charged[w["workflow"]] for w in run.workflows)
