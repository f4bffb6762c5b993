"""Explorer rerun time after an edit (AppTest), for the book record and a ~1 MB record,
next to a trivial page's rerun measured in the same run.

    python bench/bench_explorer.py [--runs 5]

Each "edit" changes the record text, so every rerun re-encodes: the figure is the worst case a
student meets while typing. Prints medians in ms; tests never assert timings.
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
    trivial_ms = timed_edits(trivial, "x", [f"edit {i}" for i in range(args.runs)])

    explorer = AppTest.from_file(str(ROOT / "app_pages" / "explorer.py"), default_timeout=600).run()
    book = [json.dumps({"userName": f"Martin{i}", "favoriteNumber": 1337 + i,
                        "interests": ["daydreaming", "hacking"]}) for i in range(args.runs)]
    book_ms = timed_edits(explorer, "ex.record", book)

    big = sample_data.big_record()
    big_texts = []
    for i in range(max(3, args.runs // 2 + 1)):
        big["source"] = f"edit {i}"
        big_texts.append(json.dumps(big, ensure_ascii=False))
    timed_edits(explorer, "ex.record", big_texts[:1])
    explorer.button(key="ex.derive_all").click().run()   # the book's schemas lack the big record's fields
    big_ms = timed_edits(explorer, "ex.record", big_texts[1:])
    size = len(big_texts[0].encode())

    print(f"{'page':44} {'median ms':>10} {'runs':>5} {'x trivial':>10}")
    base = statistics.median(trivial_ms)
    for label, ms in (("trivial page (one text area)", trivial_ms),
                      ("explorer, book record edited (10 formats)", book_ms),
                      (f"explorer, {size / 1e6:.2f} MB record edited (10 formats)", big_ms)):
        med = statistics.median(ms)
        print(f"{label:44} {med:>10.0f} {len(ms):>5} {med / base:>9.0f}x")


if __name__ == "__main__":
    main()
