"""A real Streamlit server and Debian's Chromium driven by Playwright (never `playwright install`)."""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# without the background-networking flags Chromium keeps dialling out of this closed network
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 60.0):
    """Start `streamlit run` on 127.0.0.1, wait for /_stcore/health, yield the base URL, stop it."""
    with started_server(script, timeout=timeout) as (url, _):
        yield url


@contextlib.contextmanager
def started_server(script: str = "app.py", root: Path = ROOT, env: dict | None = None, port: int | None = None,
                   timeout: float = 60.0):
    """`streamlit run` of `root`/`script` on 127.0.0.1 with extra environment; yields (base URL, process)."""
    port = port or free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env or {}))
    log = tempfile.TemporaryFile()   # not a pipe: a long run's log would fill it and stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode(errors="replace")
                raise RuntimeError(f"streamlit did not become healthy: {out[-2000:]}")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 800, scale: float = 1.0):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
            yield page
        finally:
            browser.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has run the script and the browser has drawn all it sent.

    The app's script state says notRunning before the last elements are drawn (and the status widget
    never shows with toolbarMode minimal), so: not running, no element marked stale by a rerun, and
    the page's element count unchanged for 600 ms."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const n = document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length;
            const seen = window.__settled || (window.__settled = {n: -1, since: 0});
            const now = performance.now();
            if (n !== seen.n || !app || app.getAttribute('data-test-script-state') !== 'notRunning'
                || document.querySelector('[data-stale="true"]')) {
                seen.n = n; seen.since = now; return false;
            }
            return n > 20 && now - seen.since > 600;
        }""", timeout=timeout_ms, polling=100)


def screenshots(routes: list[str], out_dir: Path, sizes=((1280, 800, 1.0), (1920, 1080, 1.5))) -> list[Path]:
    """Full-page screenshots of each route at each (width, height, scale): for a human to look at."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with streamlit_server() as url:
        for width, height, scale in sizes:
            with chromium(width, height, scale) as page:
                for route in routes:
                    page.goto(f"{url}/{route}")
                    wait_for_app(page)
                    page.wait_for_timeout(1500)   # plotly charts draw after the script finishes
                    name = (route.strip("/").split("?")[0] or "home").replace("/", "_")
                    path = out_dir / f"{name}-{width}x{height}.png"
                    page.screenshot(path=str(path), full_page=True)
                    errors = page.locator('[data-testid="stException"]').count()
                    print(f"{path}  exceptions on page: {errors}")
                    saved.append(path)
    return saved


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app is quiet: drawn, no script running, no stale or skeleton element, for 0.7 s.

    Stricter than wait_for_app: after a click or an edit the previous run's elements stay on screen
    (marked stale) until the rerun replaces them; the first 0.3 s give a busy server time to start it."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    page.wait_for_function("""() => {
        const busy = document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"],'
                                            + ' [data-stale="true"]');
        if (busy || document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length < 20) {
            window.__elQuietSince = null;
            return false;
        }
        window.__elQuietSince = window.__elQuietSince || Date.now();
        return Date.now() - window.__elQuietSince > 700;
    }""", timeout=timeout_ms, polling=100)


def open_from_sidebar(page, title: str) -> None:
    """Switch page as a student does: click its title in the sidebar (after "View more" if the list
    is folded)."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.is_visible() and more.count() and "more" in more.inner_text().lower():
        more.click()
    link.click()
    settle(page)


def inputs(page) -> list:
    """What every input on the page shows, in page order: text, numbers, choices, toggles, open tabs."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        const out = [];
        for (const e of main.querySelectorAll('textarea, input, [role="radio"][data-variant], [role="tab"],'
                                              + ' [data-testid="stMultiSelect"] [data-tag]')) {
            if (e.closest('[data-testid="stDataFrame"], [data-testid="stPlotlyChart"]')) continue;
            if (e.matches('[role="tab"]')) {
                if (e.getAttribute('aria-selected') === 'true') out.push('tab: ' + e.innerText);
            } else if (e.matches('[role="radio"][data-variant]')) {
                if (e.getAttribute('aria-checked') === 'true') out.push('segment: ' + e.innerText);
            } else if (e.matches('[data-tag]')) out.push('chosen: ' + e.getAttribute('aria-label'));
            else if (e.type === 'checkbox' || e.type === 'radio') out.push((e.getAttribute('aria-label') || e.type) + ': ' + e.checked);
            else out.push((e.getAttribute('aria-label') || '') + ': ' + e.value);
        }
        return out;
    }""")


def wait_for_inputs(page, expected: list, timeout_ms: int = 20_000) -> list:
    """inputs(page) once it equals `expected` (a busy server may take a few runs), else the last seen."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        shown = inputs(page)
        if shown == expected or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(500)


def record_requests(context) -> list[str]:
    """Every URL the context's pages ask for, from now on (Playwright's request event)."""
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    return urls


def elsewhere(urls: list[str]) -> list[str]:
    """The URLs that leave the server: an offline laptop in a lecture hall would wait on each of them
    (data: and blob: URLs never leave the browser)."""
    return sorted({u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about")
                   and urlsplit(u).hostname != "127.0.0.1"})


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


if __name__ == "__main__":
    # python -m tests.browser explorer overview ...   (screenshots land in artifacts/)
    screenshots(sys.argv[1:] or [""], ROOT / "artifacts")
