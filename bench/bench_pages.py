"""Every page's run time at its default parameters (AppTest), next to a trivial page in the same run.

    python bench/bench_pages.py [--runs 5] [pages ...]

"first run" is a new session opening the page (process-wide caches are warm after the first page
that fills them, as on a server that has been up a while); "rerun" is the median of `--runs` reruns
of the same session, what a student waits for after touching a widget that changes nothing costly.
Each page's reruns alternate with the trivial page's, and its ratio is to the trivial reruns beside
it: a 2-core machine's speed drifts within a run more than a 3 ms page differs from itself.
Prints ms; tests never assert timings.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import serverlike  # noqa: E402

TRIVIAL = "import streamlit as st\nst.title('trivial')\nst.text_area('x', key='x')\n"


def timed(at: AppTest) -> float:
    t0 = time.perf_counter()
    at.run(timeout=300)
    assert not at.exception, at.exception
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("pages", nargs="*", help="page files in app_pages/ (default: all)")
    parser.add_argument("--compile-each-run", action="store_true",
                        help="as AppTest does by itself (see bench/serverlike.py); the default compiles each page once, as the server does")
    args = parser.parse_args()
    if not args.compile_each_run:
        serverlike.compile_once()
    names = args.pages or sorted(p.stem for p in (ROOT / "app_pages").glob("*.py"))

    trivial = AppTest.from_string(TRIVIAL)
    trivial_first = timed(trivial)
    rows, every_trivial = [], []
    for name in names:
        at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=300)
        timed(at)                      # fills the process-wide caches (compiled schemas, engine runs)
        at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=300)
        first = timed(at)
        reruns, beside = [], []
        for _ in range(args.runs):
            beside.append(timed(trivial))
            reruns.append(timed(at))
        every_trivial += beside
        rows.append((name, first, statistics.median(reruns), statistics.median(beside)))

    print(f"{'page':18} {'first run ms':>13} {'rerun ms':>9} {'trivial ms':>11} {'rerun x trivial':>16}")
    base = statistics.median(every_trivial)
    print(f"{'trivial page':18} {trivial_first:>13.0f} {base:>9.1f} {base:>11.1f} {1:>15.0f}x")
    for name, first, rerun, beside in rows:
        print(f"{name:18} {first:>13.0f} {rerun:>9.1f} {beside:>11.1f} {rerun / beside:>15.1f}x")


if __name__ == "__main__":
    main()
