"""Erlang/OTP terms in the actors simulation, on real External Term Format bytes (erlang-py).

Erlang's rules: a record is a tuple {Name, Field1, ...} and a clause written for #person{} matches a tuple of
exactly that arity (else function_clause); a map pattern #{K := V} matches any map holding K, whatever
else it holds; maps:get(K, M, Default) reads an absent key as Default.
"""
import erlang
import pytest

from dataflow import actors
from dataflow.erlang_terms import TermCodec


def test_the_bytes_are_erlang_terms():
    codec = TermCodec("record")
    data = codec.encode(2, codec.record(2))
    assert data[0] == 131                                   # the external term format's version byte
    term = erlang.binary_to_term(data)
    assert term[0] == erlang.OtpErlangAtom(b"person") and len(term) == 5
    assert isinstance(erlang.binary_to_term(TermCodec("map").encode(1, codec.record(1))), dict)


@pytest.mark.parametrize("reader,writer", [(1, 2), (2, 1)])
def test_a_record_with_a_new_field_matches_neither_way(reader, writer):
    codec = TermCodec("record")
    reading = codec.decode(reader, codec.encode(writer, codec.record(writer)), writer)
    assert reading.failed and reading.error.startswith("function_clause")
    assert f"matches #person{{}}, a {1 + len(codec.record(reader))}-tuple" in reading.error   # {person, ...}


def test_a_map_with_a_new_key_reads_both_ways():
    codec = TermCodec("map")
    old_reads_new = codec.decode(1, codec.encode(2, codec.record(2)), 2)
    assert old_reads_new.status == "ok" and old_reads_new.ignored == ("email",)
    new_reads_old = codec.decode(2, codec.encode(1, codec.record(1)), 1)
    assert new_reads_old.status == "ok" and new_reads_old.defaulted == ("email",)
    assert new_reads_old.record["email"] is None


def test_the_mixed_version_cluster_with_records_and_with_maps():
    records = actors.run(TermCodec("record"))
    failed = {(r["writer_version"], r["reader_version"]) for r in records.crossings if r["status"] == "failed"}
    assert failed == {(1, 2), (2, 1)} and records.counters["unreadable"] > 0
    maps = actors.run(TermCodec("map"))
    assert maps.counters["unreadable"] == 0 and maps.counters["lossy"] == 0
    assert "compatible both ways" in maps.notes[-1]
