"""What a page costs the student's browser: Chromium's own counters (CDP Performance.getMetrics) for
opening a page in a fresh tab of a warm browser, then for one edit on the Explorer.

    python bench/bench_browser.py [--runs 3] [--before DIR] [pages ...]

A phone in a lecture hall spends most of a page's time in Streamlit's JavaScript, not waiting for the
server: ScriptDuration is the main thread's JavaScript, TaskDuration all its work (style, layout and
paint too). Each figure is the median of `--runs` loads. With
`--before DIR` (say `git archive d094305 | tar -x -C DIR`) an older checkout is measured in the same
run, on its own server, load by load alternating with this one. Debian's Chromium, 127.0.0.1 only;
prints seconds; tests never assert timings.
"""
import argparse
import contextlib
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, settle, started_server  # noqa: E402

PAGES = ["explorer", "decode", "evolution_lab", "matrix", "flow_upgrade", "flow_events"]
EDIT = '{"userName": "Ada", "favoriteNumber": 7, "interests": ["looms"]}'
METRICS = ("ScriptDuration", "TaskDuration")


def measure(browser, url: str, route: str) -> dict:
    """One fresh context (a new session) opening `route`, and on the Explorer one edit of the record."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(f"{url}/{route}")
        settle(page)
        if route == "explorer":
            box = page.locator('textarea[aria-label="Record (JSON)"]')
            box.fill(EDIT)
            box.press("Control+Enter")
            settle(page)
        got = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {name: got[name] for name in METRICS}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="an older checkout to measure in the same run")
    parser.add_argument("pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    roots = ([("before", args.before.resolve())] if args.before else []) + [("after" if args.before else "now", ROOT)]
    with sync_playwright() as p, contextlib.ExitStack() as servers:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        servers.callback(browser.close)
        urls = [servers.enter_context(started_server(root=root))[0] for _, root in roots]
        for url in urls:   # each server's first run, and the browser's first fetch of Streamlit's scripts
            measure(browser, url, "explorer")
        print(f"{'page':16} {'checkout':8} {'script s':>9} {'task s':>8}")
        for route in args.pages:
            seen = {name: [] for name, _ in roots}
            for _ in range(args.runs):
                for (name, _), url in zip(roots, urls):
                    seen[name].append(measure(browser, url, route))
            for name, runs in seen.items():
                med = {m: statistics.median(r[m] for r in runs) for m in METRICS}
                print(f"{route + (' + edit' if route == 'explorer' else ''):16} {name:8} "
                      f"{med['ScriptDuration']:>9.2f} {med['TaskDuration']:>8.2f}")

if __name__ == "__main__":
    main()
