"""Every button on every page, clicked in real Chromium: no exception element, ever (issue 8, item 2).

Buttons inside tabs and collapsed expanders count: each tab is opened and each expander expanded
before its buttons are clicked. A click can change the page (load a preset, add a version), so the
visible buttons are read again after every click; each button (its tab and label) is clicked once.
"""
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import exceptions, settle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ROUTES = [""] + sorted(p.stem for p in (ROOT / "app_pages").glob("*.py") if p.stem != "start")   # "": the home page
BUTTONS = ('[data-testid="stMain"] [data-testid="stButton"] button:visible:enabled, '
           '[data-testid="stMain"] [data-testid="stDownloadButton"] button:visible:enabled')
# The course's Previous / Next (ui/course.path_nav, keys course.prev.* / course.next.*) open the next
# page of the path: the same call on every page, so they are clicked on the path's first page only
# (each click is a page load, and every page's own buttons are clicked on its own route anyway).
PATH_NAV = '[class*="st-key-course-prev-"] button, [class*="st-key-course-next-"] button'
PATH_NAV_ROUTE = "overview"


def open_expanders(page) -> None:
    """Expand every collapsed expander, one at a time, the page settled before each (a rerun may
    redraw an expander between finding it and clicking it: then it is found again, a few times)."""
    closed = page.locator('[data-testid="stMain"] details:not([open]) > summary:visible')
    for _ in range(closed.count() + 3):
        settle(page)
        if not closed.count():
            return
        try:
            closed.first.click(timeout=10_000)
        except PlaywrightTimeoutError:
            continue


def button_names(page, skip: str | None) -> list[str]:
    """Each visible button as "tab / label" (the tab it sits in, if any), in page order; "" for a
    button matching `skip`."""
    return page.locator(BUTTONS).evaluate_all("""(buttons, skip) => buttons.map(b => {
        if (skip && b.matches(skip)) return '';
        const panel = b.closest('[role="tabpanel"]');
        const tab = panel && document.getElementById(panel.getAttribute('aria-labelledby'));
        return (tab ? tab.innerText : '') + ' / ' + b.innerText.split(/\\s+/).join(' ').trim();
    })""", skip)


def click_every_button(page, home: str, skip: str | None = None) -> list[str]:
    """Click each button once, in every tab of the page; returns the names clicked. A button that
    opens another page (the course's "Open this view", Previous / Next) is clicked, then the test
    comes back to `home` and its tab: each page's own buttons, not the whole app's from every page."""
    clicked = []
    for tab in [None] + page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts():
        def open_tab():
            if tab is not None:
                page.locator('[data-testid="stMain"] [role="tab"]').filter(has_text=tab).first.click()
                settle(page)
        open_tab()
        while True:
            open_expanders(page)
            names = button_names(page, skip)
            todo = [n for n in names if n and n not in clicked]
            if not todo:
                break
            clicked.append(todo[0])
            page.locator(BUTTONS).nth(names.index(todo[0])).click()
            settle(page)
            assert not exceptions(page), f"clicking {todo[0]!r}: {exceptions(page)}"
            if urlsplit(page.url).path != urlsplit(home).path:
                page.goto(home)
                settle(page)
                open_tab()
    return clicked


@pytest.mark.parametrize("route", ROUTES)
def test_every_button_on_the_page_runs_without_an_exception(new_page, app_url, route):
    page = new_page()
    page.goto(f"{app_url}/{route}")
    settle(page)
    assert not exceptions(page)
    clicked = click_every_button(page, f"{app_url}/{route}", None if route == PATH_NAV_ROUTE else PATH_NAV)
    if route in ("explorer", "decode", "evolution_lab", "registry", "flow_databases"):
        assert clicked, "the page has buttons, and none was clicked"
