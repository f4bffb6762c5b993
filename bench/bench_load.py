"""A lecture hall on one server process: N sessions open the Explorer at once and each edits the record.

    python bench/bench_load.py [--sessions 5 15 30 60] [--edits 5] [--before DIR]

Each session is driven over Streamlit's own websocket protocol (bench/stclient.py), no think time:
open the page, then `--edits` distinct records typed one after another (every edit re-encodes: no two
sessions share a record). Prints per N: page-open and edit-to-render median and max (seconds, send to
`script_finished`), errors (exceptions drawn, timeouts, dropped connections), the server's CPU seconds
per edit and its peak and final RSS. `--before DIR` runs an older checkout (say `git archive bb4d651`)
in the same run, interleaved N by N, each on a fresh server, so before -> after pairs share the
machine's noise. Servers listen on 127.0.0.1 only; every wait is bounded. Timings are never asserted.
"""
import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stclient import Session  # noqa: E402
from tests.browser import started_server  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def book_record(session: int, edit: int) -> str:
    return json.dumps({"userName": f"Martin{session}-{edit}", "favoriteNumber": 1337 + 100 * session + edit,
                       "interests": ["daydreaming", "hacking"]})


async def student(url: str, number: int, edits: int, timeout: float, out: dict) -> None:
    try:
        async with Session(url, page="explorer") as s:
            out["open"].append(await s.run(timeout=timeout))
            for edit in range(edits):
                out["edit"].append(await s.edit("ex.record", book_record(number, edit), timeout=timeout))
                out["errors"] += len(s.exceptions)
    except Exception as e:   # a timeout or a dropped connection is a figure here, not a crash
        out["errors"] += 1
        out["failures"].append(f"session {number}: {type(e).__name__} {e}"[:200])


def proc_figures(pid: int) -> tuple[float, float]:
    """(RSS in MB, CPU seconds so far) of a process, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return rss_kb / 1024, (int(fields[11]) + int(fields[12])) / TICK


def measure(root: Path, sessions: int, edits: int, timeout: float) -> dict:
    out = {"open": [], "edit": [], "errors": 0, "failures": []}
    with started_server(root=root) as (url, proc):
        peak, done = [0.0], threading.Event()

        def sample():   # RSS every 0.2 s while the class works
            while not done.wait(0.2):
                peak[0] = max(peak[0], proc_figures(proc.pid)[0])

        sampler = threading.Thread(target=sample, daemon=True)
        rss0, cpu0 = proc_figures(proc.pid)
        sampler.start()

        async def lecture():
            await asyncio.gather(*(student(url, n, edits, timeout, out) for n in range(sessions)))

        asyncio.run(lecture())
        done.set()
        sampler.join()
        rss1, cpu1 = proc_figures(proc.pid)
    out.update(rss_start=rss0, rss_peak=max(peak[0], rss1), rss_end=rss1,
               cpu_per_edit=(cpu1 - cpu0) / max(1, len(out["edit"])))
    return out


def row(label: str, sessions: int, r: dict) -> str:
    med = lambda xs: statistics.median(xs) if xs else float("nan")   # noqa: E731
    top = lambda xs: max(xs) if xs else float("nan")   # noqa: E731
    return (f"{sessions:>4} {label:7} {med(r['open']):>8.2f} {top(r['open']):>8.2f} {med(r['edit']):>9.2f} "
            f"{top(r['edit']):>9.2f} {len(r['edit']):>6} {r['errors']:>6} {r['cpu_per_edit']:>8.3f} "
            f"{r['rss_start']:>7.0f} {r['rss_peak']:>7.0f} {r['rss_end']:>7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 15, 30, 60])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120, help="seconds one page run may take")
    parser.add_argument("--before", type=Path, help="an older checkout to measure in the same run")
    args = parser.parse_args()
    apps = ([("before", args.before.resolve())] if args.before else []) + [("after" if args.before else "now", ROOT)]

    print(f"{'N':>4} {'app':7} {'open med':>8} {'open max':>8} {'edit med':>9} {'edit max':>9} {'edits':>6} "
          f"{'errors':>6} {'cpu/edit':>8} {'RSS0 MB':>7} {'peak MB':>7} {'end MB':>7}", flush=True)
    for sessions in args.sessions:
        results = {}
        for label, root in apps:
            results[label] = measure(root, sessions, args.edits, args.timeout)
            print(row(label, sessions, results[label]), flush=True)
            for failure in results[label]["failures"][:3]:
                print(f"       {failure}")
        if args.before and results["before"]["edit"] and results["after"]["edit"]:
            ratio = statistics.median(results["before"]["edit"]) / statistics.median(results["after"]["edit"])
            print(f"{'':4} edit median before / after: {ratio:.1f}x", flush=True)


if __name__ == "__main__":
    main()
