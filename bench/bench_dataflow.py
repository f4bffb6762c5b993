"""Default-parameter runtime of every dataflow simulation: is a page rerun interactive?

    python bench/bench_dataflow.py [--runs 15] [--formats json protobuf avro]

Prints medians (ms). "fresh codec" builds a new codec each run, so every encode and decode
goes through the library (what a new seed or a first visit costs; compiled schemas stay
cached as they do in the app); "shared codec" reuses the cached codec a page gets from
dataflow.adapters, whose memo already holds those bytes. Timings are never asserted by tests.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_encode import median_ms  # noqa: E402  (this folder is on sys.path when run as a script)
from dataflow import actors, adapters, databases, messaging, rolling_upgrade, services  # noqa: E402

CHANGE = "add-optional-field"


def simulations(codec_for):
    """(name, callable) for each simulation at its default parameters, the codec from `codec_for()`."""
    return [
        ("rolling upgrade", lambda: rolling_upgrade.run(codec_for(CHANGE))),
        ("all at once", lambda: rolling_upgrade.run(codec_for(CHANGE), rolling_upgrade.Params(strategy="all-at-once"))),
        ("databases", lambda: databases.run(codec_for(None))),
        ("messaging: outage", lambda: messaging.outage(codec_for(CHANGE))),
        ("messaging: redelivery", lambda: messaging.redelivery(codec_for(CHANGE))),
        ("messaging: fan-out", lambda: messaging.fan_out(codec_for(CHANGE))),
        ("messaging: request/reply", lambda: messaging.request_reply(codec_for(CHANGE))),
        ("actors", lambda: actors.run(codec_for(CHANGE))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--formats", nargs="+", default=["json", "protobuf", "avro"])
    args = parser.parse_args()

    print(f"services (no codec): run {median_ms(services.run, args.runs):8.1f} ms, "
          f"wire {median_ms(services.wire, args.runs):6.2f} ms   (median of {args.runs})")
    for fid in args.formats:
        def fresh(change, fid=fid):
            return adapters.history.__wrapped__(fid) if change is None else adapters.for_change.__wrapped__(fid, change)

        def shared(change, fid=fid):
            return adapters.history(fid) if change is None else adapters.for_change(fid, change)

        for _, fn in simulations(shared):   # warm-up: compile schemas, fill the shared memo
            fn()
        print(f"\n{fid}  (median of {args.runs} runs, ms)")
        print(f"{'simulation':26} {'fresh codec':>12} {'shared codec':>13}")
        for (name, cold), (_, warm) in zip(simulations(fresh), simulations(shared)):
            print(f"{name:26} {median_ms(cold, args.runs):12.1f} {median_ms(warm, args.runs):13.1f}")


if __name__ == "__main__":
    main()
