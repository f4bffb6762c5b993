"""A real Streamlit server and Debian's Chromium driven by Playwright (never `playwright install`)."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
                out = proc.stdout.read().decode(errors="replace") if proc.poll() is not None else ""
                raise RuntimeError(f"streamlit did not become healthy: {out[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


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
    """Wait until the page has rendered and Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stMainBlockContainer\"] *').length > 20",
        timeout=timeout_ms)
    page.wait_for_timeout(500)


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


if __name__ == "__main__":
    # python -m tests.browser explorer overview ...   (screenshots land in artifacts/)
    screenshots(sys.argv[1:] or [""], ROOT / "artifacts")
