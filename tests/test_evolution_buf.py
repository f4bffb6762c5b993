"""buf, Protobuf's reference checker: run for real on pairs of .proto versions, in a private temp dir,
cached by the pair; without the binary the lab says so and keeps its rule table."""
import subprocess
import threading
from collections import OrderedDict

import pytest

from evolution import buf, static_verdict

P3 = 'syntax = "proto3";\n'


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.setattr(buf, "_cache", OrderedDict())
    monkeypatch.setattr(buf, "_cache_bytes", [0])


def test_the_binary_from_buf_bin_runs_here():
    assert buf.executable(), "buf-bin (requirements.txt) puts the buf binary beside the interpreter's scripts"


@pytest.mark.parametrize("old,new,verdict,rules", [
    # "Updating A Message Type": int32, uint32, int64, uint64 and bool are compatible; buf's WIRE agrees
    (P3 + "message M { int64 n = 1; }", P3 + "message M { int32 n = 1; }", "not breaking", set()),
    (P3 + "message M { int32 a = 1; int32 b = 2; }", P3 + "message M { oneof o { int32 a = 1; int32 b = 2; } }",
     "breaking", {"FIELD_SAME_ONEOF"}),
    (P3 + "message M { int32 a = 1; int32 b = 2; }", P3 + "message M { int32 a = 1; }", "breaking",
     {"FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"}),
    (P3 + "message M { int32 a = 1; int32 b = 2; }", P3 + "message M { int32 a = 1; reserved 2; }", "not breaking",
     set()),
    (P3 + "message M { float x = 1; }", P3 + "message M { double x = 1; }", "breaking", {"FIELD_WIRE_COMPATIBLE_TYPE"}),
])
def test_buf_reports_its_rule_ids(old, new, verdict, rules):
    report = buf.breaking(old, new)
    assert report.available and not report.problem
    assert report.verdict == verdict and {f.rule for f in report.wire} == rules
    assert all(f.message and "/tmp" not in f.message for f in report.findings)


def test_a_rename_breaks_only_the_json_mapping():
    report = buf.breaking(P3 + "message M { int32 a = 1; }", P3 + "message M { int32 b = 1; }")
    assert report.verdict == "not breaking" and {f.rule for f in report.json_only} >= {"FIELD_SAME_NAME"}
    assert "break only Protobuf's JSON mapping" in buf.json_only_note(report)


def test_what_buf_cannot_build_is_a_problem_in_the_versions_words(fresh_cache):
    report = buf.breaking(P3 + "message M { int32 a = 1; }", P3 + "message M { int32 a = 1 }")
    assert report.available and report.problem.startswith("buf could not build the two versions")
    assert "/tmp" not in report.problem and "buf-" not in report.problem
    assert report.verdict == "not run" and buf.differences(report, []) == []


def test_results_are_cached_by_the_pair_and_a_crowd_runs_buf_once(fresh_cache, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(args, **kwargs):
        calls.append(args[1])
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    pair = (P3 + "message M { int32 a = 1; }", P3 + "message M { int32 a = 1; string s = 2; }")
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(buf.breaking(*pair))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls.count("breaking") == 1 and len(set(reports)) == 1
    buf.breaking(*pair)
    assert calls.count("breaking") == 1
    assert 0 < buf._cache_bytes[0] <= buf.CACHE_BYTES


def test_the_cache_is_bounded_in_bytes(fresh_cache, monkeypatch):
    monkeypatch.setattr(buf, "CACHE_BYTES", 600)
    for i in range(8):
        buf.breaking(P3 + f"message M{i} {{ int32 a = 1; }}", P3 + f"message M{i} {{ int32 a = 1; int32 b = 2; }}")
    assert buf._cache_bytes[0] <= 600 and 0 < len(buf._cache) < 8


def test_without_the_binary_the_report_says_so(fresh_cache, monkeypatch):
    monkeypatch.setattr(buf, "executable", lambda: None)
    report = buf.breaking(P3 + "message M { int32 a = 1; }", P3 + "message M { int64 a = 1; }")
    assert not report.available and "not installed" in report.problem and report.verdict == "not run"
    monkeypatch.undo()
    assert buf.breaking(P3 + "message M { int32 a = 1; }", P3 + "message M { int64 a = 1; }").available


def test_differences_name_the_rule_and_why():
    old, new = P3 + "message M { fixed32 n = 1; }", P3 + "message M { sfixed32 n = 1; }"
    verdicts = [static_verdict("protobuf", old, new, newer="reader"), static_verdict("protobuf", new, old,
                                                                                     newer="writer")]
    (sentence,) = buf.differences(buf.breaking(old, new), verdicts)
    assert sentence.startswith("The rule table reports fixed-reinterpreted: buf's WIRE rules accept fixed32")
