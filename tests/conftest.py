"""Shared fixtures. The browser ones start one Streamlit server and one Chromium for the whole run:
each test gets fresh browser contexts (a fresh context is a new Streamlit session), so adding a
browser test costs a page load, not a server and a browser start."""
import pytest
from hypothesis import settings

from tests.browser import CHROMIUM, CHROMIUM_ARGS, elsewhere, record_requests, streamlit_server

# Tests never assert timings: hypothesis's 200 ms deadline failed a property whose first example paid a
# lazy import (278 ms) while the browser tests held both cores (stop 26's clean-clone run).
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(scope="session")
def app_url():
    """The base URL of one `streamlit run app.py` on 127.0.0.1, shared by every browser test."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    import os

    assert os.access(CHROMIUM, os.X_OK), (
        f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium); "
        "browser tests do not skip")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser):
    """new_page(width=1280, height=800, scale=1.0, **context_options) -> a page in a fresh context (a new
    session); context_options go to Playwright's new_context (has_touch=True, is_mobile=True for a phone).

    Every request the pages make is recorded, and a test fails if one left the server (a font, a
    script, an icon from the internet): all the browser tests together open every page, in every
    view they test, so no request leaving the server goes unseen (issue 10: the offline laptop)."""
    contexts, requests = [], []

    def make(width: int = 1280, height: int = 800, scale: float = 1.0, **context_options):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                      **context_options)
        contexts.append(context)
        requests.append(record_requests(context))
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert elsewhere([url for urls in requests for url in urls]) == [], "a request left the server"
