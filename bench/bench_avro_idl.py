"""Avro IDL: translating IDL to JSON and printing JSON back as IDL, uncached, next to parsing the .avsc.

    python bench/bench_avro_idl.py [--runs 200]

Prints medians of CPU time (ms, time.process_time: wall time on a shared 2-core machine mostly
measures the neighbours) measured in one run, for the book's Person and for Apache Avro's largest IDL
test file (simple.avdl, a protocol). The pages cache both directions by text; this is what one edit
costs. Timings are never asserted by tests.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sample_data  # noqa: E402
from formats import _avro_schema, avro_idl  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    person = avro_idl.to_idl(sample_data.load("person").schemas["avsc"])
    simple = (ROOT / "tests/vectors/avro_idl/input/simple.avdl").read_text(encoding="utf-8")
    print(f"median of {runs} runs, CPU ms (uncached)")
    print(f"{'input':28} {'chars':>6} {'IDL -> JSON':>12} {'JSON -> IDL':>12} {'.avsc check':>12}")
    for label, idl in (("the book's Person", person), ("Avro's simple.avdl", simple)):
        avsc = avro_idl.to_avsc(idl)
        to_json = median_ms(lambda: avro_idl._read_cached.__wrapped__(idl), runs)
        to_idl = median_ms(lambda: avro_idl._to_idl_cached.__wrapped__(avsc), runs)
        checked = (f"{median_ms(lambda: _avro_schema._parse_cached.__wrapped__(avsc), runs):12.2f}"
                   if label.startswith("the book") else f"{'(protocol)':>12}")
        print(f"{label:28} {len(idl):6} {to_json:12.2f} {to_idl:12.2f} {checked}")


if __name__ == "__main__":
    main()
