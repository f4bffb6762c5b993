"""Annotated encode vs the raw library encode, per format, for the book record and a ~1 MB record.

    python bench/bench_encode.py [--big-runs 5] [--book-runs 200]

Prints medians (ms) measured in the same run; the ratio (annotated / raw) is the figure: it is what
labelling every byte costs on top of the library. "first 1 KB" is encode plus a walk that stops after
the first kilobyte (what the explorer pays to show page one of a large encoding). Timings are never
asserted by tests.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import formats  # noqa: E402
import sample_data  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench(label: str, record: dict, schemas: dict, runs: int) -> None:
    print(f"\n{label}  (median of {runs} runs, ms)")
    print(f"{'format':16} {'bytes':>10} {'raw encode':>11} {'annotated':>11} {'ratio':>7} "
          f"{'first 1 KB':>11} {'ratio':>7}")
    for fid in formats.FORMATS:
        fmt = formats.get(fid)
        try:
            _, schema = formats.write(fid, record, schemas.get(fmt.schema_language))   # inferred if absent
            size = formats.encode(fid, record, schema).size     # warm-up: compiles and caches the schema
        except formats.FormatError as e:
            print(f"{fid:16} cannot encode: {e}")
            continue
        raw = median_ms(lambda: fmt.write(record, schema), runs)
        annotated = median_ms(lambda: formats.encode(fid, record, schema), runs)
        # what the explorer pays to show the first page of a large encoding
        first_page = median_ms(lambda: formats.encode(fid, record, schema, until=1024), runs)
        print(f"{fid:16} {size:>10,} {raw:>11.3f} {annotated:>11.3f} {annotated / raw:>6.1f}x "
              f"{first_page:>11.3f} {first_page / raw:>6.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book-runs", type=int, default=200)
    parser.add_argument("--big-runs", type=int, default=5)
    args = parser.parse_args()
    book = sample_data.load("person")
    bench("The book's Person record, with the book's schemas", formats.parse_record(book.record_text),
          book.schemas, args.book_runs)
    big = sample_data.big_record()
    bench("A ~1 MB record (8,850 Person-like rows), schemas inferred", big, {}, args.big_runs)


if __name__ == "__main__":
    main()
