"""The invariants each dataflow page teaches, on the simulation engine with an injected codec.

`VerdictCodec` decides each read from a table, so these tests pin the engine's logic; the
real codecs over formats/ and evolution/ are tested in test_dataflow_real.py.
"""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataflow import actors, messaging, rolling_upgrade, services
from dataflow.codec import Reading
from formats import FormatError

SEEDS = st.integers(min_value=0, max_value=2 ** 32)


class VerdictCodec:
    """Two versions writing small JSON records; `verdicts[(reader, writer)]` says how a read goes."""
    format_id = "json"
    versions = (1, 2)

    def __init__(self, verdicts=None):
        self.verdicts = verdicts or {}
        self.decodes = []

    def record(self, version):
        return {"version": version}

    def encode(self, version, record):
        return json.dumps(record).encode()

    def decode(self, version, data, writer_version):
        assert json.loads(data)["version"] == writer_version   # the bytes really came from that writer
        self.decodes.append((version, writer_version))
        status = self.verdicts.get((version, writer_version), "ok")
        if status == "failed":
            return Reading("failed", error="cannot read")
        return Reading(status, json.loads(data), ("extra",) if status == "lossy" else ())


FORWARD_BROKEN = {(1, 2): "failed"}     # backward compatible only: old code cannot read new data
BACKWARD_BROKEN = {(2, 1): "failed"}


# --- rolling upgrade ---------------------------------------------------------------------------------

def test_rolling_upgrade_of_a_compatible_change_has_no_failures_and_no_downtime():
    run = rolling_upgrade.run(VerdictCodec(), rolling_upgrade.Params())
    c = run.counters
    assert c["failed reads"] == 0 and c["downtime ticks"] == 0 and c["unavailable"] == 0
    assert c["nodes upgraded"] == 4
    assert c["cross-version reads"] > 0          # old and new code really did read each other's data
    assert {(r["writer_version"], r["reader_version"]) for r in run.crossings} >= {(1, 2), (2, 1)}
    assert any("compatible both ways" in n for n in run.notes)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_all_at_once_has_downtime(seed):
    run = rolling_upgrade.run(VerdictCodec(), rolling_upgrade.Params(strategy="all-at-once", seed=seed))
    assert run.counters["downtime ticks"] == rolling_upgrade.Params().restart_ticks + \
        rolling_upgrade.Params().health_check_ticks
    assert run.counters["unavailable"] > 0
    assert any(row["healthy nodes"] == 0 for row in run.series)


def test_backward_only_change_fails_only_where_old_code_reads_new_data():
    run = rolling_upgrade.run(VerdictCodec(FORWARD_BROKEN), rolling_upgrade.Params(batch_size=2))
    assert run.counters["failed reads"] > 0
    assert all(r["reader_version"] == 1 and r["writer_version"] == 2 for r in run.reads)
    assert any("not forward compatible" in n for n in run.notes)


def test_a_change_new_code_cannot_read_stops_the_rollout_at_the_health_check():
    run = rolling_upgrade.run(VerdictCodec(BACKWARD_BROKEN), rolling_upgrade.Params())
    assert run.counters["nodes upgraded"] == 0 and run.counters["failed health checks"] == 1
    assert run.counters["downtime ticks"] == 0          # the old nodes kept serving
    assert any("rollout stopped" in n for n in run.notes)


def test_node_states_show_versions_over_time():
    p = rolling_upgrade.Params()
    run = rolling_upgrade.run(VerdictCodec(), p)
    assert len(run.node_states) == p.nodes * p.ticks
    first, last = run.node_states[0], run.node_states[-1]
    assert first["version"] == 1 and last["version"] == 2
    assert {s["state"] for s in run.node_states} == {"up", "restarting", "health check"}


# --- services ----------------------------------------------------------------------------------------

FAULTS = st.fixed_dictionaries({
    "request_loss": st.floats(0, 0.5), "response_loss": st.floats(0, 0.5), "slow": st.floats(0, 0.5),
    "crash": st.floats(0, 0.2), "timeout_ms": st.floats(20, 1000), "max_retries": st.integers(0, 6)})


@settings(max_examples=40, deadline=None)
@given(SEEDS, FAULTS)
def test_idempotency_keys_never_charge_twice(seed, faults):
    run = services.run(services.Params(payments=60, idempotency_keys=True, seed=seed, **faults))
    assert run.counters["double charges"] == 0
    remote = [r for r in run.payments if r["mode"] == "remote"]
    assert all(r["charges"] <= 1 for r in remote)
    assert all(r["charges"] == 1 for r in remote if r["outcome"] == "ok")   # ok means charged


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_without_keys_lost_responses_cause_double_charges(seed):
    run = services.run(services.Params(idempotency_keys=False, response_loss=0.3, seed=seed))
    assert run.counters["responses lost"] > 0 and run.counters["retries"] > 0
    assert run.counters["double charges"] > 0
    assert sum(row["charges"] for row in run.series) == run.counters["charges"] > run.counters["payments"] - \
        run.counters["failed"]


def test_no_faults_no_retries():
    run = services.run(services.Params(request_loss=0, response_loss=0, slow=0, crash=0, idempotency_keys=False))
    assert run.counters["retries"] == 0 and run.counters["double charges"] == 0
    assert run.counters["succeeded"] == run.counters["payments"] == run.counters["charges"]


def test_local_calls_are_fast_and_never_ambiguous():
    run = services.run(services.Params())
    local = [r for r in run.payments if r["mode"] == "local"]
    remote = [r for r in run.payments if r["mode"] == "remote" and r["outcome"] == "ok"]
    assert len(local) == services.Params().payments
    assert all(r["charges"] == (r["outcome"] == "ok") for r in local)
    assert max(r["latency_ms"] for r in local) < min(r["latency_ms"] for r in remote)


# --- messaging ---------------------------------------------------------------------------------------

def test_broker_buffers_through_an_outage_and_direct_calls_lose_messages():
    run = messaging.outage(VerdictCodec())
    c = run.counters
    assert c["broker: lost"] == 0 and c["broker: handled"] == c["sent"]
    assert c["direct: lost"] > 0 and c["direct: handled"] + c["direct: lost"] == c["sent"]
    p = messaging.Params()
    during = [row for row in run.series if p.down_from < row["tick"] <= p.down_until]
    assert max(row["broker: queued"] for row in during) > 0
    assert run.series[-1]["broker: queued"] == 0        # the backlog drained


@settings(max_examples=15, deadline=None)
@given(SEEDS, st.floats(0.0, 0.5))
def test_duplicates_only_after_crashes(seed, crash):
    run = messaging.redelivery(VerdictCodec(), messaging.Params(crash=crash, seed=seed, ticks=30))
    c = run.counters
    assert c["lost"] == 0
    assert c["duplicates without a crash"] == 0
    if crash == 0:
        assert c["crashes"] == c["redeliveries"] == c["duplicates"] == 0


def test_crashes_cause_redelivered_duplicates():
    run = messaging.redelivery(VerdictCodec(), messaging.Params(crash=0.3))
    assert run.counters["duplicates"] > 0 and run.counters["redeliveries"] >= run.counters["duplicates"]
    assert any(d["attempt"] > 1 for d in run.deliveries)


def test_fan_out_gives_every_group_every_message_and_competing_consumers_share():
    p = messaging.Params(consumers=3)
    run = messaging.fan_out(VerdictCodec(), p)
    sent = run.counters["sent"]
    fan = [d for d in run.deliveries if d["topology"] == "fan-out"]
    by_group = {}
    for d in fan:
        by_group.setdefault(d["group"], set()).add(d["message"])
    assert len(by_group) == 3 and all(ids == set(range(1, sent + 1)) for ids in by_group.values())
    shared = [d["message"] for d in run.deliveries if d["topology"] == "competing consumers"]
    assert sorted(shared) == list(range(1, sent + 1))   # each message exactly once
    assert len({d["consumer"] for d in run.deliveries if d["topology"] == "competing consumers"}) == 3


def test_senders_address_topics_never_consumers():
    run = messaging.fan_out(VerdictCodec())
    published = [e for e in run.events if e.kind == "published"]
    assert published and all(e.peer == "broker" and "'orders'" in e.detail for e in published)


def test_request_reply_matches_every_reply_by_correlation_id():
    run = messaging.request_reply(VerdictCodec(), messaging.Params(consumers=3))
    c = run.counters
    assert c["replies matched"] == c["requests"] and c["unanswered"] == 0
    assert c["replies out of order"] > 0     # three responders at different speeds overtake each other


def test_a_consumer_that_cannot_read_dead_letters_instead_of_handling():
    run = messaging.outage(VerdictCodec(FORWARD_BROKEN), messaging.Params(writer_version=2, reader_version=1))
    assert run.counters["broker: dead-lettered"] == run.counters["sent"]
    assert run.counters["broker: handled"] == 0 and run.counters["broker: lost"] == 0


def test_an_overloaded_consumer_leaves_messages_waiting_not_lost():
    run = messaging.redelivery(VerdictCodec(), messaging.Params(ticks=20, messages_per_tick=10, handle_ticks=5,
                                                                consumers=1, crash=0.2))
    c = run.counters
    assert c["still waiting"] > 0 and c["lost"] == 0
    assert c["handled"] + c["still waiting"] == c["sent"]
    assert any("still waiting" in n for n in run.notes)


# --- actors ------------------------------------------------------------------------------------------

@settings(max_examples=10, deadline=None)
@given(SEEDS)
def test_an_actor_never_handles_two_messages_at_once(seed):
    run = actors.run(VerdictCodec(), actors.Params(messages_per_tick=20, handle_ticks=0.8, ticks=30, seed=seed))
    assert run.counters["peak in flight"] == 1
    assert max(a["peak mailbox"] for a in run.actors) > 1    # busy enough that messages had to wait


def test_actors_across_versions_fail_only_when_the_change_is_incompatible():
    ok = actors.run(VerdictCodec())
    assert ok.counters["unreadable"] == 0
    broken = actors.run(VerdictCodec(FORWARD_BROKEN))
    assert broken.counters["unreadable"] > 0
    assert all(r["writer_version"] == 2 and r["reader_version"] == 1
               for r in broken.crossings if r["status"] == "failed")


def test_only_messages_between_nodes_are_encoded():
    codec = VerdictCodec()
    run = actors.run(codec)
    assert run.counters["local"] > 0 and run.counters["remote"] > 0
    delivered_remote = sum(r["messages"] for r in run.crossings)
    assert len(codec.decodes) == delivered_remote <= run.counters["remote"]


# --- every simulation ----------------------------------------------------------------------------------

SIMULATIONS = [
    ("rolling upgrade", lambda seed: rolling_upgrade.run(VerdictCodec(FORWARD_BROKEN),
                                                         rolling_upgrade.Params(seed=seed))),
    ("services", lambda seed: services.run(services.Params(seed=seed, idempotency_keys=False))),
    ("outage", lambda seed: messaging.outage(VerdictCodec(), messaging.Params(seed=seed))),
    ("redelivery", lambda seed: messaging.redelivery(VerdictCodec(), messaging.Params(seed=seed))),
    ("fan-out", lambda seed: messaging.fan_out(VerdictCodec(), messaging.Params(seed=seed))),
    ("request/reply", lambda seed: messaging.request_reply(VerdictCodec(), messaging.Params(seed=seed))),
    ("actors", lambda seed: actors.run(VerdictCodec(FORWARD_BROKEN), actors.Params(seed=seed))),
]


@pytest.mark.parametrize("name,simulate", SIMULATIONS, ids=[s[0] for s in SIMULATIONS])
def test_same_seed_same_run_other_seed_other_run(name, simulate):
    a, b, c = simulate(7), simulate(7), simulate(8)
    assert a.events == b.events and a.series == b.series and a.counters == b.counters and a.notes == b.notes
    assert a.events != c.events
    assert a.notes and all(isinstance(n, str) and n for n in a.notes)
    rows = a.event_rows()
    assert rows and set(rows[0]) == {"time", "node", "kind", "version", "detail", "peer"}
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)


@pytest.mark.parametrize("call", [
    lambda: rolling_upgrade.run(VerdictCodec(), rolling_upgrade.Params(nodes=0)),
    lambda: rolling_upgrade.run(VerdictCodec(), rolling_upgrade.Params(strategy="yolo")),
    lambda: services.run(services.Params(response_loss=1.5)),
    lambda: messaging.outage(VerdictCodec(), messaging.Params(down_from=40, down_until=20)),
    lambda: actors.run(VerdictCodec(), actors.Params(actors=10 ** 6)),
])
def test_bad_parameters_are_format_errors_a_student_can_read(call):
    with pytest.raises(FormatError, match="must be"):
        call()
