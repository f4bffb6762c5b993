"""Nothing a student sets is lost, and a link restores the view: every page in real Chromium.

Each page gets a few edits a student or an instructor makes (a typed record, a picked format, a
parameter, large text…). Then (1) switching to another page in the sidebar and back shows every
input as it was, and (2) the page's link, opened in a fresh browser context (a new session),
shows every input as it was. `inputs()` reads every input on the page, so an input the edits do
not touch is checked too. Issue 8, items 1, 5 and 6.
"""
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import exceptions, inputs, open_from_sidebar, settle, wait_for_inputs

pytestmark = pytest.mark.browser


def field(page, label: str):
    """The text area or input labelled `label` (visible or not: editors sit in tabs and expanders)."""
    return page.locator(f'textarea[aria-label="{label}"], input[aria-label="{label}"]')


def type_into(page, label: str, text: str) -> None:
    box = field(page, label)
    box.fill(text)
    box.press("Control+Enter" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
    settle(page)


def pick(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.keyboard.press("ArrowDown")   # a click focuses the box; the arrow opens its list
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def segment(page, label: str, option: str) -> None:
    page.get_by_role("radiogroup", name=label).get_by_role("radio", name=option).click()
    settle(page)


def click_text(page, text: str) -> None:
    page.get_by_text(text, exact=True).first.click()
    settle(page)


def edit_explorer(page):
    type_into(page, "Record (JSON)", '{"userName": "Ada", "favoriteNumber": 7, "interests": ["looms"]}')
    segment(page, "View", "book figure")
    page.get_by_text("Large text (projector)").click()
    settle(page)
    page.get_by_role("button", name="Remove CSV").click()
    settle(page)
    slider = page.get_by_role("slider", name="Cards per row")
    slider.focus()
    slider.press("ArrowRight")
    settle(page)
    pick(page, "Highlight a field in every format", "interests[0]")


def edit_decode(page):
    pick(page, "Format", "Thrift CompactProtocol")
    type_into(page, "Bytes (hex in any form, or base64)",
              "18 06 4d 61 72 74 69 6e 16 f2 14 19 28 0b 64 61 79 64 72 65 61 6d 69 6e 67 07 68 61 63 6b 69 6e 67 00")
    click_text(page, "hex")


def edit_evolution_lab(page):
    pick(page, "Format", "Protocol Buffers")
    page.get_by_text("The two versions (edit freely)").click()
    box = field(page, "The record v2 code writes (JSON)")
    type_into(page, "The record v2 code writes (JSON)", box.input_value().replace("Martin", "Ada"))


def edit_matrix(page):
    click_text(page, "strict: the code rejects a record with any key it does not expect")


def edit_registry(page):
    pick(page, "Compatibility mode", "FULL")
    box = field(page, "Version 1")
    type_into(page, "Version 1", box.input_value().replace('"Person"', '"Human"', 1))


def edit_flow_upgrade(page):
    segment(page, "Deploy", "all at once")
    type_into(page, "Nodes", "7")


def edit_flow_databases(page):
    pick(page, "Format", "Protocol Buffers")
    type_into(page, "Rows", "40")


def edit_flow_services(page):
    type_into(page, "Retries", "5")
    page.get_by_text("Idempotency keys", exact=True).click()
    settle(page)


def edit_flow_messaging(page):
    segment(page, "Scenario", "Crash mid-message")
    type_into(page, "Seed", "9")


def edit_flow_actors(page):
    type_into(page, "Nodes", "5")
    pick(page, "Format", "Thrift CompactProtocol")


def edit_flow_events(page):
    pick(page, "Compatibility mode", "FULL")
    type_into(page, "Events per month", "12")


def edit_flow_durable(page):
    type_into(page, "Workflows", "5")
    page.get_by_text("Crash the worker", exact=True).click()
    settle(page)


PAGES = {   # route -> (sidebar title, edits)
    "explorer": ("Explorer", edit_explorer),
    "decode": ("Decode bytes", edit_decode),
    "evolution_lab": ("Evolution lab", edit_evolution_lab),
    "matrix": ("Compatibility matrix", edit_matrix),
    "registry": ("Schema registry", edit_registry),
    "flow_upgrade": ("Rolling upgrade", edit_flow_upgrade),
    "flow_databases": ("Through databases", edit_flow_databases),
    "flow_services": ("Through services", edit_flow_services),
    "flow_messaging": ("Message passing", edit_flow_messaging),
    "flow_actors": ("Actors", edit_flow_actors),
    "flow_events": ("Events in a log", edit_flow_events),
    "flow_durable": ("Durable execution", edit_flow_durable),
}


def edited(new_page, app_url, route):
    """A fresh session on `route` after the page's edits: (page, the inputs it shows)."""
    page = new_page()
    page.goto(f"{app_url}/{route}")
    settle(page)
    before = inputs(page)
    PAGES[route][1](page)
    after = inputs(page)
    assert after != before, "the edits changed nothing on the page"
    assert not exceptions(page)
    return page, after


@pytest.mark.parametrize("route", PAGES)
def test_a_round_trip_through_the_sidebar_and_the_link_keep_every_input(new_page, app_url, route):
    """One set of edits, then the three ways a student comes back to it: the sidebar, the link in a
    fresh browser (a new session) and, on the Explorer, a reload."""
    page, shown = edited(new_page, app_url, route)
    link = page.url   # the address bar: what a student copies, and what a reload opens
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').click()   # "Share this view"
    settle(page)
    offered = page.locator('[data-testid="stSidebar"] code').text_content().strip()
    assert "s" in parse_qs(urlsplit(link).query) and parse_qs(urlsplit(offered).query) == parse_qs(urlsplit(link).query)

    # away to a light page (no chart, no highlighted code: the browser tests share two cores) and back
    open_from_sidebar(page, PAGES["decode" if route == "matrix" else "matrix"][0])
    open_from_sidebar(page, PAGES[route][0])
    assert wait_for_inputs(page, shown) == shown
    assert not exceptions(page)

    fresh = new_page()
    fresh.goto(link)
    settle(fresh)
    assert wait_for_inputs(fresh, shown) == shown
    assert not exceptions(fresh)
    if route == "explorer":   # the view too, not only the inputs: large text; and a reload keeps it all
        assert "1.15rem" in fresh.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--el-font')")
        fresh.reload()
        settle(fresh)
        assert wait_for_inputs(fresh, shown) == shown


def test_a_schema_error_keeps_its_tab_open_with_the_error_visible(new_page, app_url):
    page = new_page()
    page.goto(f"{app_url}/explorer")
    settle(page)
    page.get_by_role("tab", name=".proto").click()
    box = field(page, "Protocol Buffers (.proto)")
    type_into(page, "Protocol Buffers (.proto)", box.input_value().replace("required string", "required strin"))
    assert page.get_by_role("tab", selected=True).first.inner_text() == ".proto"
    error = page.locator('[role="tabpanel"]:visible [data-testid="stAlertContentError"]').first
    error.wait_for(state="visible", timeout=10_000)
    assert "line" in error.inner_text() and "column" in error.inner_text()
    assert box.is_visible() and "required strin " in box.input_value()
