"""Every button on every page, clicked in real Chromium: no exception element, ever (issue 8, item 2).

Buttons inside tabs and collapsed expanders count: each tab is opened and each expander expanded
before its buttons are clicked. A click can change the page (load a preset, add a version), so the
visible buttons are read again after every click; each button (its tab and label) is clicked once.
"""
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import exceptions, settle

pytestmark = pytest.mark.browser

ROUTES = ["", "explorer", "decode", "evolution_lab", "matrix", "registry", "flow_upgrade", "flow_databases",
          "flow_services", "flow_messaging", "flow_actors", "flow_events", "flow_durable", "about"]
BUTTONS = ('[data-testid="stMain"] [data-testid="stButton"] button:visible:enabled, '
           '[data-testid="stMain"] [data-testid="stDownloadButton"] button:visible:enabled')


def open_expanders(page) -> None:
    """Expand every collapsed expander; one at a time, the page settled before each (a busy server's
    rerun may redraw an expander between finding it and clicking it: then it is found again)."""
    closed = page.locator('[data-testid="stMain"] details:not([open]) > summary:visible')
    for _ in range(40):
        settle(page)
        if not closed.count():
            return
        try:
            closed.first.click(timeout=10_000)
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("expanders kept closing or redrawing: the page never settled")


def button_names(page) -> list[str]:
    """Each visible button as "tab / label" (the tab it sits in, if any), in page order."""
    return page.locator(BUTTONS).evaluate_all("""buttons => buttons.map(b => {
        const panel = b.closest('[role="tabpanel"]');
        const tab = panel && document.getElementById(panel.getAttribute('aria-labelledby'));
        return (tab ? tab.innerText : '') + ' / ' + b.innerText.split(/\\s+/).join(' ').trim();
    })""")


def click_every_button(page) -> list[str]:
    """Click each button once, in every tab of the page; returns the names clicked."""
    clicked = []
    for tab in [None] + page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts():
        if tab is not None:
            page.locator('[data-testid="stMain"] [role="tab"]').filter(has_text=tab).first.click()
            settle(page)
        while True:
            open_expanders(page)
            names = button_names(page)
            todo = [n for n in names if n not in clicked]
            if not todo:
                break
            clicked.append(todo[0])
            page.locator(BUTTONS).nth(names.index(todo[0])).click()
            settle(page)
            assert not exceptions(page), f"clicking {todo[0]!r}: {exceptions(page)}"
    return clicked


@pytest.mark.parametrize("route", ROUTES)
def test_every_button_on_the_page_runs_without_an_exception(new_page, app_url, route):
    page = new_page()
    page.goto(f"{app_url}/{route}")
    settle(page)
    assert not exceptions(page)
    clicked = click_every_button(page)
    if route in ("explorer", "decode", "evolution_lab", "registry", "flow_databases"):
        assert clicked, "the page has buttons, and none was clicked"
