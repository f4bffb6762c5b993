"""What the browser shows, measured in Debian's Chromium (never skipped; see tests/conftest.py).

Nothing spills out of a card, hex rows fit their card with every visible offset on the line of the
bytes it numbers, a byte (or a span-table row) that is clicked, tapped or tabbed to is explained right
under it, the phone gets the whole matrix and uncovered legends, and no request leaves the server's
host (an offline laptop in a lecture hall).
"""

import pytest

from formats import FORMATS

from tests.browser import elsewhere, record_requests, wait_for_app

pytestmark = pytest.mark.browser

SIZES = {   # id: (width, height, device scale factor, the Explorer's "Large text" toggle)
    "1280x800": (1280, 800, 1.0, False),
    "1280x800-large-text": (1280, 800, 1.0, True),      # what 1920 px at 150 % zoom lays out
    "1920x1080x1.5-large-text": (1920, 1080, 1.5, True),
    "phone": (390, 844, 2.0, False),
}
BYTE_VIEWS = ".el-hex, .el-fig, .el-text, .el-spans"

# Problems on the page, as text. A byte view's box is its card (an .el-card, or a bordered container for a
# paged card) or else its column.
# An element counts as far as it is visible: clipped by a scrolling ancestor inside the box it is not
# spilling (that ancestor's own sideways scrolling is checked for hex views).
LAYOUT_PROBLEMS = r"""(views) => {
  const problems = [];
  const boxOf = v => {
    for (let a = v.parentElement; a; a = a.parentElement) {
      if (a.classList.contains('el-card')) return a;
      const t = a.getAttribute('data-testid');
      if (t === 'stVerticalBlock' && parseFloat(getComputedStyle(a).borderTopWidth) >= 1) return a;
      if (t === 'stColumn' || t === 'stMainBlockContainer') return a;
    }
    return document.body;
  };
  const boxes = new Set([...document.querySelectorAll(views)].map(boxOf));
  const name = box => (box.innerText || '').trim().split('\n')[0].slice(0, 40);
  for (const box of boxes) {
    const b = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      let left = r.left, right = r.right;
      for (let a = el.parentElement; a && a !== box; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') {
          const c = a.getBoundingClientRect(); left = Math.max(left, c.left); right = Math.min(right, c.right);
        }
      }
      if (right <= left) continue;
      const out = Math.max(right - b.right, b.left - left);
      if (out > 1) { problems.push(`${name(box)}: <${el.tagName.toLowerCase()} class="${el.className}"> sticks out ${Math.round(out)} px`); break; }
    }
  }
  for (const hex of document.querySelectorAll('.el-hex')) {
    const where = name(boxOf(hex));
    if (hex.scrollWidth > hex.clientWidth + 1) problems.push(`${where}: hex view scrolls sideways (${hex.scrollWidth} > ${hex.clientWidth} px)`);
    let line = null;   // every visible byte sits on the line of the visible offset before it
    for (const el of hex.querySelectorAll('.off, .sp')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (el.classList.contains('off')) { line = r; continue; }
      if (!line || Math.abs(r.top - line.top) > 3) { problems.push(`${where}: bytes "${el.textContent}" are not on their offset's line`); break; }
    }
  }
  return problems;
}"""


def open_page(new_page, app_url, route, size):
    width, height, scale, _ = SIZES[size]
    page = new_page(width, height, scale)
    page.goto(f"{app_url}/{route}")
    wait_for_app(page)
    return page


def cards_drawn(page, formats: int = len(FORMATS)) -> None:
    """Wait until every Explorer card ("JSON — 81 bytes") has its byte view drawn: st.html bodies
    arrive after the script has finished, and a card still filling in moves the others."""
    page.wait_for_function("""([views, n]) => {
        const cards = [...document.querySelectorAll('.el-card, [data-testid="stVerticalBlock"]')].filter(b =>
            parseFloat(getComputedStyle(b).borderTopWidth) >= 1 && /— [0-9,]+ bytes/.test(b.innerText || ''));
        return cards.length === n && cards.every(c => c.querySelector(views));
    }""", arg=[BYTE_VIEWS, formats], timeout=60_000, polling=200)


def layout_problems(page) -> list[str]:
    page.mouse.move(0, 0)   # a hovered byte's tooltip floats on purpose
    page.wait_for_timeout(200)
    return page.evaluate(LAYOUT_PROBLEMS, BYTE_VIEWS)


def set_view(page, view: str) -> None:
    page.locator('[data-testid="stButtonGroup"]').get_by_text(view, exact=True).click()
    wait_for_app(page)
    cards_drawn(page)


def set_cards_per_row(page, n: int) -> None:
    slider = page.get_by_role("slider", name="Cards per row")
    while int(slider.input_value()) != n:
        slider.press("ArrowRight" if int(slider.input_value()) < n else "ArrowLeft")
        page.wait_for_timeout(300)
        wait_for_app(page)
    cards_drawn(page)


def explorer(new_page, app_url, size="1280x800", **context_options):
    """The Explorer in a fresh session at `size` (the large-text toggle on if the size says so)."""
    width, height, scale, large = SIZES[size]
    page = new_page(width, height, scale, **context_options)
    page.goto(f"{app_url}/explorer")
    wait_for_app(page)
    page.get_by_text("JSON — 81 bytes").wait_for(timeout=60_000)
    if large:
        page.get_by_text("Large text (projector)").click()
        wait_for_app(page)
    cards_drawn(page)
    return page


def card(page, title: str):
    """The card whose heading reads `title` ("Protocol Buffers — 33 bytes"): the .el-card holding that
    heading, or the bordered container ("card-<format>") of a paged card holding it (XPath: cheap, where
    filtering every block by its text is not)."""
    head = f'div[@class="el-card-head"][contains(., "{title}")]'
    return page.locator(f'xpath=//div[contains(concat(" ", @class, " "), " el-card ")][{head}]'
                        f' | //div[contains(@class, "st-key-card-")][.//{head}]')


# large text at 1280x800 is the tightest fit at that width (normal text is checked on the phone and in
# the other layout tests); each size costs nine full Explorer renders in Chromium
@pytest.mark.parametrize("size", ["1280x800-large-text", "1920x1080x1.5-large-text"])
def test_explorer_cards_hold_their_bytes_in_every_view(app_url, new_page, size):
    page = explorer(new_page, app_url, size)
    seen = {}
    for view, order in (("compact", (1, 2, 3)), ("detailed", (3, 2, 1)), ("book figure", (1, 2, 3))):
        set_view(page, view)
        for per_row in order:
            set_cards_per_row(page, per_row)
            assert page.locator(".el-hex").count() >= 1
            seen[view, per_row] = layout_problems(page)
    assert page.locator(".el-fig").count() == 5      # the book figure view drew its five figures
    assert {k: v for k, v in seen.items() if v} == {}


@pytest.mark.parametrize("size", ["1280x800", "1920x1080x1.5-large-text"])
@pytest.mark.parametrize("route", ["evolution_lab", "evolution_lab?change=add-optional-field&format=protobuf",
                                   "evolution_lab?change=rename-field&format=thrift-binary"])
def test_evolution_lab_hex_rows_fit_their_column(app_url, new_page, size, route):
    page = open_page(new_page, app_url, route, size)
    page.wait_for_function("document.querySelectorAll('.el-hex').length >= 2", timeout=60_000)
    wait_for_app(page)
    assert layout_problems(page) == []


def explanation_under(page, piece, scope):
    """The explanation that became visible right under `piece` inside `scope` (asserting where it is)."""
    shown = scope.locator(".ex").filter(visible=True)
    shown.first.wait_for(timeout=15_000)
    assert shown.count() == 1
    b, e, s = piece.bounding_box(), shown.first.bounding_box(), scope.bounding_box()
    assert b["y"] + b["height"] - 2 <= e["y"] <= b["y"] + b["height"] + 40   # just under the bytes
    assert s["x"] - 1 <= e["x"] and e["x"] + e["width"] <= s["x"] + s["width"] + 1
    return shown.first.inner_text()


def test_a_clicked_byte_is_explained_next_to_it(app_url, new_page):
    page = explorer(new_page, app_url)
    protobuf = card(page, "Protocol Buffers — 33 bytes")
    piece = protobuf.locator(".el-hex .sp").filter(has_text="4d 61").first
    piece.click(timeout=15_000)
    page.mouse.move(0, 0)                                    # not a hover effect: it stays
    text = explanation_under(page, piece, protobuf)
    assert "bytes 2–7" in text and "userName" in text and "UTF-8" in text
    assert layout_problems(page) == []                       # the explanation pushes rows down, in the card
    page.get_by_text("Spends bytes on: a field tag and wire type").click()   # clicking elsewhere closes it
    assert protobuf.locator(".ex").filter(visible=True).count() == 0


def test_keyboard_focus_explains_a_byte(app_url, new_page):
    page = explorer(new_page, app_url)
    protobuf = card(page, "Protocol Buffers — 33 bytes")
    protobuf.locator(".el-hex .sp").first.focus()            # the field tag 0a, then Tab along the bytes
    assert "field tag 1" in explanation_under(page, protobuf.locator(".el-hex .sp:focus"), protobuf)
    page.keyboard.press("Tab")
    focused = protobuf.locator(".el-hex .sp:focus")
    assert focused.inner_text() == "06"
    assert "length" in explanation_under(page, focused, protobuf)
    page.keyboard.press("Shift+Tab")
    assert protobuf.locator(".el-hex .sp:focus").inner_text() == "0a"


def test_a_tapped_byte_is_explained_on_a_phone(app_url, new_page):
    page = explorer(new_page, app_url, "phone", has_touch=True, is_mobile=True)
    avro = card(page, "Avro — 32 bytes")
    piece = avro.locator(".el-hex .sp").filter(has_text="0c").first
    piece.scroll_into_view_if_needed()
    piece.tap(timeout=15_000)
    assert "length" in explanation_under(page, piece, avro)


def test_span_table_rows_and_figure_boxes_explain_themselves(app_url, new_page):
    page = explorer(new_page, app_url)
    set_view(page, "detailed")
    protobuf = card(page, "Protocol Buffers — 33 bytes")
    row = protobuf.locator(".el-spans tr").filter(has_text='"Martin"').first
    row.click(timeout=15_000)
    shown = protobuf.locator(".el-spans tr.ex").filter(visible=True)
    assert shown.count() == 1 and "4d 61 72 74 69 6e" in shown.inner_text() and "UTF-8" in shown.inner_text()
    set_view(page, "book figure")
    protobuf = card(page, "Protocol Buffers — 33 bytes")
    box = protobuf.locator(".el-fig .bytes").filter(has_text="4d 61").first
    box.click(timeout=15_000)
    assert "userName" in protobuf.locator(".el-fig .ex").filter(visible=True).inner_text()
    assert layout_problems(page) == []


def test_a_request_that_leaves_the_server_is_seen(browser, app_url):
    """The check every browser test's pages pass (tests/conftest.py new_page): it sees a request to
    another host, and not one to the app's own server."""
    context = browser.new_context()
    try:
        urls = record_requests(context)
        page = context.new_page()
        page.route("http://203.0.113.9/**", lambda route: route.abort())   # TEST-NET-3: never dialled
        page.goto(app_url + "/_stcore/health")
        page.set_content("<img src='http://203.0.113.9/icon.png'><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>")
        page.wait_for_timeout(300)
        assert elsewhere(urls) == ["http://203.0.113.9/icon.png"]
    finally:
        context.close()


def test_a_phone_gets_the_whole_matrix_uncovered_legends_and_a_short_explorer(app_url, new_page):
    page = new_page(390, 844, 2.0, has_touch=True, is_mobile=True)
    page.goto(f"{app_url}/matrix")
    wait_for_app(page)
    table, main = page.locator(".el-matrix"), page.locator('[data-testid="stMainBlockContainer"]')
    table.wait_for()
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= main.bounding_box()["x"] + main.bounding_box()["width"]
    for fmt in ("Avro", "Protocol", "Thrift", "JSON"):       # every format's columns on the screen
        head = table.locator("th").filter(has_text=fmt).first
        assert head.bounding_box()["x"] + head.bounding_box()["width"] <= 390
    page.goto(f"{app_url}/explorer")
    wait_for_app(page)
    cards_drawn(page)
    page.locator(".st-key-ex-sizes .js-plotly-plot").wait_for(timeout=60_000)
    page.locator(".st-key-ex-sizes .js-plotly-plot").tap()  # a tap is where Plotly's toolbar came up
    page.wait_for_timeout(300)
    assert page.locator(".modebar-btn").count() == 0
    # the cards are one strip to swipe through: the page is about as long as one card
    strip = page.locator('.st-key-ex-cards [data-testid="stHorizontalBlock"]')
    assert strip.evaluate("s => s.scrollWidth > 5 * s.clientWidth")
    # (and the course's footer under them: try-this and check-yourself, ~1,000 px)
    assert page.locator('[data-testid="stMain"]').evaluate("m => m.scrollHeight") < 5_000
    assert layout_problems(page) == []
