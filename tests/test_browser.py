"""The real app in a real browser: Debian's Chromium driven by Playwright.

This test never skips: CI installs /usr/bin/chromium (see .ci/run); without it the test fails
and says how to install it.
"""
import os

import pytest

from tests.browser import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "artifacts")


def test_explorer_edit_in_a_real_browser(new_page):
    os.makedirs(ARTIFACTS, exist_ok=True)
    # a server of its own: the deep link below must be a fresh server's first visitor (the shared Chromium
    # fails the test, saying how to install it, if /usr/bin/chromium is missing)
    with streamlit_server() as url:
        page = new_page(1280, 800)
        page.goto(url + "/explorer")   # a deep link as a fresh server's first visitor: app.py must run
        wait_for_app(page)
        page.get_by_text("JSON — 81 bytes").wait_for(timeout=60_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert nav.get_by_text("Schema registry").count() == 1 and nav.get_by_text("app", exact=True).count() == 0
        box = page.get_by_role("textbox", name="Record (JSON)")
        box.fill('{"userName": "Martin", "favoriteNumber": 1337, "interests": ["daydreaming", '
                 '"hacking"], "city": "Cambridge"}')
        box.press("Control+Enter")
        page.get_by_text("JSON — 100 bytes").wait_for(timeout=60_000)
        wait_for_app(page)
        # the book's hand-written schemas do not declare `city`: said inline, schemaless formats go on
        assert page.get_by_text("city", exact=False).count() >= 1
        assert page.get_by_text("MessagePack — 81 bytes").count() == 1
        page.get_by_role("button", name="Derive all schemas from the record").click()
        page.get_by_text("Protocol Buffers — ", exact=False).first.wait_for(timeout=60_000)
        wait_for_app(page)
        page.screenshot(path=os.path.join(ARTIFACTS, "browser-explorer.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
