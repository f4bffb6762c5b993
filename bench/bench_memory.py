"""Server memory against what visitors type: does RSS stay bounded (<= 500 MB) whatever they paste?

    python bench/bench_memory.py [--before DIR] [--records 8] [--visitors 30] [--schemas 40]

On a fresh server (127.0.0.1), over Streamlit's websocket protocol (bench/stclient.py), in the
Explorer: one visitor pastes `--records` distinct ~90 KB records; then `--visitors` visitors at
once paste one distinct ~90 KB record each; then one visitor types `--schemas` distinct maximal
Thrift IDLs (2,000 one-field structs, near the 64 KB schema limit); then `--visitors` visitors at once
type one distinct maximal Thrift IDL each. Prints the server's RSS after each phase and the errors its visitors met (exceptions drawn, timeouts,
dropped connections). `--before DIR` measures an older checkout in the same run, on its own fresh server.
"""
import argparse
import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sample_data  # noqa: E402
from bench.bench_load import proc_figures  # noqa: E402
from bench.stclient import Session  # noqa: E402
from tests.browser import started_server  # noqa: E402


def large_record(tag: str) -> str:
    record = sample_data.big_record(90_000)
    record["source"] = tag
    return json.dumps(record)


def maximal_thrift(seed: int) -> str:
    out, size, i = [], 0, 0
    while size < 63_000:
        out.append(f"struct S{seed}x{i} {{ 1: i32 f{i} }}\n")
        size += len(out[-1])
        i += 1
    return "".join(out)


async def visitor(url: str, edits: list[tuple[str, str]], timeout: float = 600) -> int:
    """Open the Explorer and make the edits (key, text); returns the errors: exceptions drawn, and a
    timeout or a dropped connection (a server too busy to answer the websocket's pings) as one."""
    errors = 0
    try:
        async with Session(url, page="explorer") as s:
            await s.run(timeout=timeout)
            for key, text in edits:
                await s.edit(key, text, timeout=timeout)
                if "ex.derive_all" in s.widgets and key == "ex.record":   # the book's schemas lack its fields
                    await s.click("ex.derive_all", timeout=timeout)
                    s.widgets.pop("ex.derive_all")
                errors += len(s.exceptions)
    except Exception as e:   # a figure here, not a crash; said, as bench_load says its failures
        print(f"a visitor failed: {type(e).__name__} {e}"[:200], file=sys.stderr)
        errors += 1
    return errors


def measure(root: Path, args) -> list[tuple[str, float, int]]:
    """(phase, the server's RSS in MB after it, the errors its visitors met)"""
    figures = []
    with started_server(root=root) as (url, proc):
        rss = lambda: proc_figures(proc.pid)[0]   # noqa: E731

        def at_once(edits_each: list[list[tuple[str, str]]]) -> int:
            """One visitor per list of edits, all at once; the errors they met."""
            async def visitors():
                return sum(await asyncio.gather(*(visitor(url, edits) for edits in edits_each)))
            return asyncio.run(visitors())

        figures.append(("fresh server", rss(), 0))
        errors = at_once([[("ex.record", large_record(f"one {i}")) for i in range(args.records)]])
        figures.append((f"one visitor, {args.records} distinct ~90 KB records", rss(), errors))

        errors = at_once([[("ex.record", large_record(f"class {n}"))] for n in range(args.visitors)])
        figures.append((f"{args.visitors} visitors at once, one ~90 KB record each", rss(), errors))
        errors = at_once([[("ex.schema.thrift", maximal_thrift(seed)) for seed in range(args.schemas)]])
        figures.append((f"one visitor, {args.schemas} maximal Thrift IDLs", rss(), errors))
        errors = at_once([[("ex.schema.thrift", maximal_thrift(1000 + n))] for n in range(args.visitors)])
        figures.append((f"{args.visitors} visitors at once, one maximal Thrift IDL each", rss(), errors))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an older checkout to measure in the same run")
    parser.add_argument("--records", type=int, default=8)
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--schemas", type=int, default=40)
    args = parser.parse_args()
    apps = ([("before", args.before.resolve())] if args.before else []) + [("after" if args.before else "now", ROOT)]
    results = {label: measure(root, args) for label, root in apps}
    print(f"{'server RSS after (MB), errors':52} " + " ".join(f"{label:>14}" for label in results))
    for i, (phase, *_) in enumerate(next(iter(results.values()))):
        print(f"{phase:52} " + " ".join(f"{figures[i][1]:>8.0f} {figures[i][2]:>5}" for figures in results.values()))


if __name__ == "__main__":
    main()
