"""Explorer rerun time after an edit (AppTest), for the book record and a ~1 MB record,
next to a trivial page's rerun measured in the same run.

    python bench/bench_explorer.py [--runs 5]

Each "edit" changes the record text, so every rerun re-encodes: the figure is the worst case a
student meets while typing. Each explorer edit alternates with an edit of the trivial page, and the
ratio is to the trivial edits beside it (a 2-core machine's speed drifts within a run). Prints medians
in ms; tests never assert timings.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import serverlike  # noqa: E402

import sample_data  # noqa: E402

TRIVIAL = "import streamlit as st\nst.title('trivial')\nst.text_area('x', key='x')\n"


def timed_edits(at: AppTest, key: str, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        t0 = time.perf_counter()
        at.text_area(key=key).set_value(text).run(timeout=600)
        times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compile-each-run", action="store_true",
                        help="as AppTest does by itself (see bench/serverlike.py); the default compiles each page once, as the server does")
    args = parser.parse_args()
    if not args.compile_each_run:
        serverlike.compile_once()

    trivial = AppTest.from_string(TRIVIAL, default_timeout=60).run()
    explorer = AppTest.from_file(str(ROOT / "app_pages" / "explorer.py"), default_timeout=600).run()
    book = [json.dumps({"userName": f"Martin{i}", "favoriteNumber": 1337 + i,
                        "interests": ["daydreaming", "hacking"]}) for i in range(args.runs + 1)]
    timed_edits(explorer, "ex.record", book[:1])   # the first edit fills what every edit shares
    trivial_ms, book_ms = [], []
    for i, text in enumerate(book[1:]):   # paired, as bench_pages: the machine's speed drifts within a run
        trivial_ms += timed_edits(trivial, "x", [f"edit {i}"])
        book_ms += timed_edits(explorer, "ex.record", [text])

    big = sample_data.big_record()
    big_texts = []
    for i in range(max(3, args.runs // 2 + 1)):
        big["source"] = f"edit {i}"
        big_texts.append(json.dumps(big, ensure_ascii=False))
    timed_edits(explorer, "ex.record", big_texts[:1])
    explorer.button(key="ex.derive_all").click().run()   # the book's schemas lack the big record's fields
    big_ms, big_trivial_ms = [], []
    for i, text in enumerate(big_texts[1:]):
        big_trivial_ms += timed_edits(trivial, "x", [f"big {i}"])
        big_ms += timed_edits(explorer, "ex.record", [text])
    size = len(big_texts[0].encode())

    print(f"{'page':44} {'median ms':>10} {'runs':>5} {'trivial ms':>11} {'x trivial':>10}")
    for label, ms, beside in (("trivial page (one text area)", trivial_ms, trivial_ms),
                              ("explorer, book record edited (13 formats)", book_ms, trivial_ms),
                              (f"explorer, {size / 1e6:.2f} MB record edited (13 formats)", big_ms, big_trivial_ms)):
        med, base = statistics.median(ms), statistics.median(beside)
        print(f"{label:44} {med:>10.1f} {len(ms):>5} {base:>11.1f} {med / base:>9.1f}x")

if __name__ == "__main__":
    main()
