"""Every sentence a dataflow page prints follows from the run's counters (issue 9): lossy reads are
counted apart from failed ones, no run with lossy reads is called compatible or lossless, and every
number in a summary is one of the run's counters (or a parameter the student set)."""
import dataclasses
import re

import pytest

from dataflow import actors, adapters, databases, messaging, rolling_upgrade

# changes whose cross-version reads decode but lose a value: the tag moved (Protobuf), the type id changed
# (Thrift i32 -> i64), 2^40 cut to 32 bits (Protobuf int64 -> int32)
LOSSY = [("protobuf", "change-tag"), ("thrift-binary", "widen-int"), ("protobuf", "narrow-int")]
CLEAN = [("avro", "add-optional-field"), ("protobuf", "add-optional-field")]
FAILING = [("avro", "add-required-field")]

_OLD_READS_NEW = messaging.Params(writer_version=2, reader_version=1, crash=0.2)
_NEW_READS_OLD = messaging.Params(writer_version=1, reader_version=2, crash=0.2)
SIMULATIONS = {
    "rolling upgrade": (lambda codec: rolling_upgrade.run(codec), rolling_upgrade.Params()),
    "rolling upgrade, all at once": (
        lambda codec: rolling_upgrade.run(codec, rolling_upgrade.Params(strategy="all-at-once")),
        rolling_upgrade.Params(strategy="all-at-once")),
    "actors": (lambda codec: actors.run(codec), actors.Params()),
    **{f"messaging {name}, {label}": (lambda codec, f=f, p=p: f(codec, p), p)
       for name, f in (("outage", messaging.outage), ("redelivery", messaging.redelivery),
                       ("fan-out", messaging.fan_out), ("request-reply", messaging.request_reply))
       for label, p in (("old code reads new data", _OLD_READS_NEW), ("new code reads old data", _NEW_READS_OLD))},
}
CASES = [(sim, f, c) for sim in SIMULATIONS for f, c in LOSSY + CLEAN + FAILING]
_NUMBER = re.compile(r"(?<![\w.^-])\d[\d,]*(?:\.\d+)?(?![\w^-])")
_COMPATIBLE = re.compile(r"\bcompatible\b")


def _lossy_count(counters: dict) -> int:
    return sum(v for k, v in counters.items() if "lossy" in k and isinstance(v, int))


def _failed_count(counters: dict) -> int:
    return sum(v for k, v in counters.items()
               if any(w in k for w in ("failed", "unreadable", "dead")) and isinstance(v, int) and
               "health" not in k)


def _praise(note: str) -> list[str]:
    """Where a note calls the change compatible (not "not ... compatible")."""
    return [note[max(0, m.start() - 40):m.end()] for m in _COMPATIBLE.finditer(note)
            if "not " not in note[max(0, m.start() - 25):m.start()]]


@pytest.mark.parametrize("sim,format_id,change_id", CASES)
def test_summaries_follow_from_the_counters(sim, format_id, change_id):
    simulate, params = SIMULATIONS[sim]
    run = simulate(adapters.for_change(format_id, change_id))
    c, notes = run.counters, " ".join(run.notes)
    if _lossy_count(c):
        assert not [n for note in run.notes for n in _praise(note)], run.notes
        assert "nothing lost" not in notes.lower() and "every one decoded" not in notes
        assert "lossily" in notes or "lost or changed" in notes   # the lossy reads are named, apart from failures
    crossed = c.get("cross-version reads", c.get("cross-version", 0))
    if crossed and not _lossy_count(c) and not _failed_count(c):
        assert _praise(notes), run.notes   # a clean run across versions does say so (the check above can fail)
    allowed = {float(v) for v in c.values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    allowed |= {float(v) for v in dataclasses.asdict(params).values()
                if isinstance(v, (int, float)) and not isinstance(v, bool)}
    for number in _NUMBER.findall(notes):
        assert float(number.replace(",", "")) in allowed, (number, run.notes, c)


def test_lossy_runs_exist_for_every_simulation():
    """The lossy cases above really produce lossy reads (else the check on the wording proves nothing)."""
    for sim, (simulate, _) in SIMULATIONS.items():
        if "new code reads old data" in sim:
            continue
        assert any(_lossy_count(simulate(adapters.for_change(f, ch)).counters) for f, ch in LOSSY), sim


def test_actors_count_lossy_messages_apart_and_never_call_them_compatible():
    run = actors.run(adapters.for_change("protobuf", "change-tag"))
    c = run.counters
    assert c["lossy"] == c["backward lossy"] + c["forward lossy"] > 0 and c["unreadable"] == 0
    assert c["cross-version"] == c["lossy"] + sum(c[f"{w} ok"] for w in ("backward", "forward"))
    assert any(f"Across versions {c['lossy']} messages decoded but lost or changed" in n for n in run.notes)


def test_an_outage_with_every_delivery_lossy_says_so_in_its_first_sentence():
    run = messaging.outage(adapters.for_change("protobuf", "change-tag"), _OLD_READS_NEW)
    c = run.counters
    assert c["broker: read lossy"] == c["broker: handled"] == c["sent"] > 0
    assert f"{c['sent']} of {c['sent']} handled ({c['sent']} of them read lossily)" in run.notes[0]
    assert "fire-and-forget" in run.notes[1] and "retry" in run.notes[1]


def test_duplicates_are_not_said_to_follow_only_crashes_in_real_brokers():
    run = messaging.redelivery(adapters.for_change("avro", "add-optional-field"), messaging.Params(crash=0.3))
    assert run.counters["duplicates"] > 0
    assert any("real brokers also redeliver when an ack is lost or late" in n for n in run.notes)


def test_all_at_once_still_needs_forward_compatibility_for_a_rollback():
    run = rolling_upgrade.run(adapters.for_change("avro", "add-optional-field"),
                              rolling_upgrade.Params(strategy="all-at-once"))
    assert any("rolled back" in n and "Forward compatibility is still needed" in n for n in run.notes)


@pytest.mark.parametrize("format_id,how", [("avro", "through schema resolution"), ("protobuf", "by field tag")])
def test_databases_name_each_formats_own_mechanism(format_id, how):
    run = databases.run(adapters.history(format_id))
    filled = next(n for n in run.notes if n.startswith("Today's code"))
    assert how in filled and ("schema resolution" in filled) == (format_id == "avro")
