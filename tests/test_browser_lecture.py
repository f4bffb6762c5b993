"""Lecture mode in real Chromium at 1920x1080 (device scale 1, a projector's): the presenter's whole
sequence walked with the keyboard in English and in Russian, every step measured (type sizes, no
horizontal scroll, no exception element, an Explorer figure whole on the first screen) and, when
LECTURE_SHOTS names a directory, photographed there.
"""
import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from course import path
from tests.browser import exceptions, settle
from ui import course, lecture

pytestmark = pytest.mark.browser

LECTURE = path.steps("lecture")
# the smallest computed font size (px) of each kind of text on the page, -1 where the page has none
SIZES = """() => {
  const smallest = sel => Math.min(...[...document.querySelectorAll(sel)]
      .filter(e => e.textContent.trim() && e.getClientRects().length)
      .map(e => parseFloat(getComputedStyle(e).fontSize)), Infinity);
  const main = '[data-testid="stMain"] ';
  const out = {body: smallest(main + '[data-testid="stMarkdownContainer"] p'),
               caption: smallest('[data-testid="stCaptionContainer"], .el-note'),   // st.caption, a badge's note
               bytes: smallest('.el-fig .bytes, .el-hex .sp, .el-text .sp'),
               labels: smallest('.el-fig .lab, .el-legend span'),
               plot: smallest('.js-plotly-plot svg text')};
  for (const k in out) if (out[k] === Infinity) out[k] = -1;
  const box = document.querySelector('[data-testid="stMain"]');
  out.scroll = Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,
                        box.scrollWidth - box.clientWidth);
  // the first book figure's box on the page as first shown (scrolled or not), -1 where there is none
  const fig = document.querySelector('.el-fig'), at = fig && fig.getBoundingClientRect();
  const down = window.scrollY + box.scrollTop;
  out.figure = fig ? [at.top + down, at.bottom + down] : -1;
  return out;
}"""
LEAST = {"body": 20, "caption": 20, "bytes": 22, "labels": 22, "plot": 18}
SCREEN = 1080   # px: the projector's height


def _step(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get(lecture.STEP_PARAM, [None])[0]


def _wait_for_step(page, step_id: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while _step(page) != step_id and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    settle(page)
    assert _step(page) == step_id, page.url


def _open(new_page, app_url: str, step: path.Step, lang: str):
    page = new_page(1920, 1080, 1.0)
    page.goto(f"{app_url}/{course.step_url(step, lang, lecturing=True)}")
    _wait_for_step(page, step.id)
    return page


def _plots_drawn(page) -> None:
    """Plotly draws after the script has run: wait for every chart's SVG text (up to 10 s)."""
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .every(c => c.querySelector('.js-plotly-plot svg text'))""", timeout=10_000)


def _press(page, key: str) -> None:
    page.locator("h1").first.click()   # the keys go to the page, not to a widget that had focus
    page.keyboard.press(key)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_whole_sequence_by_keyboard_large_type_no_scroll_no_exception(new_page, app_url, lang):
    shots = Path(os.environ["LECTURE_SHOTS"]) if os.environ.get("LECTURE_SHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    page = _open(new_page, app_url, LECTURE[0], lang)
    seen = set()
    for n, step in enumerate(LECTURE, 1):
        if n > 1:
            _press(page, "PageDown")
            _wait_for_step(page, step.id)
        _plots_drawn(page)
        assert not exceptions(page), (step.id, exceptions(page))
        sizes = page.evaluate(SIZES)
        assert sizes["scroll"] <= 0, (step.id, sizes)
        if step.view.get("ex.view") == "book figure":   # the whole figure on the first screen, unscrolled
            assert sizes["figure"] != -1 and 0 < sizes["figure"][0] < sizes["figure"][1] <= SCREEN, (step.id, sizes)
        for kind, least in LEAST.items():
            if sizes[kind] >= 0:
                seen.add(kind)
                assert sizes[kind] >= least, (step.id, kind, sizes)
        if shots:
            page.screenshot(path=str(shots / f"{lang}-{n:02d}-{step.id}.png"))
    assert seen == set(LEAST)   # every kind of text was on some step, and measured
    _press(page, "PageUp")
    _wait_for_step(page, LECTURE[-2].id)


def test_keys_typed_into_a_widget_stay_there_and_a_reload_keeps_the_step(new_page, app_url):
    """Page Down in the record's editor moves its caret, not the lecture; a reload keeps the step and its
    one figure; Shift+arrows step the timeline only when no input has focus."""
    page = _open(new_page, app_url, path.STEPS["fig-4-1"], "en")
    page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').first.click()   # the editors
    page.locator('[data-testid="stMain"] textarea').first.click()
    page.keyboard.press("PageDown")
    page.wait_for_timeout(1500)
    settle(page)
    assert _step(page) == "fig-4-1"
    _press(page, "PageDown")
    _wait_for_step(page, "fig-4-2")
    cards = '[data-testid="stMain"] :is(.el-card, [class*="st-key-card-"])'
    card = ".el-fmt-" + path.STEPS["fig-4-2"].view["ex.formats"][0]
    assert page.locator(cards).count() == 1 and page.locator(card).count() == 1
    page.reload()
    _wait_for_step(page, "fig-4-2")
    assert page.locator(cards).count() == 1 and page.locator(card).count() == 1
    assert page.locator(".el-fig .bytes").count() > 10   # the figure, box by box

    page = _open(new_page, app_url, path.STEPS["lecture-rolling"], "en")
    timeline = page.locator(".st-key-up-step input[type=range]")
    assert timeline.input_value() == "1"
    _press(page, "Shift+ArrowRight")
    settle(page)
    assert timeline.input_value() == "2"
    _press(page, "Shift+ArrowLeft")
    settle(page)
    assert timeline.input_value() == "1"
    page.locator('[data-testid="stMain"] [data-testid="stNumberInput"] input').first.click()
    page.keyboard.press("Shift+ArrowRight")
    page.wait_for_timeout(1000)
    settle(page)
    assert timeline.input_value() == "1"


# the second edition's path holds every step of the first edition's; the pages the lecture's sequence walks
# (above, by keyboard, measured the same way) are not walked again
PATH = [s for s in path.steps("second") if s.page not in {step.page for step in LECTURE}]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("step", PATH, ids=[s.id for s in PATH])
def test_every_step_of_the_path_in_lecture_mode(new_page, app_url, step, lang):
    """Issue 14: the whole course path (with the sequence's walk above), in lecture mode, at 1920x1080, in both languages: each step's link
    opens its page and view with no exception, nothing scrolling sideways, and the lecture's type sizes."""
    shots = Path(os.environ["LECTURE_SHOTS"]) if os.environ.get("LECTURE_SHOTS") else None
    page = new_page(1920, 1080, 1.0)
    page.goto(f"{app_url}/{course.step_url(step, lang)}&{lecture.KEY}=1")
    settle(page)
    _plots_drawn(page)
    assert not exceptions(page), (step.id, exceptions(page))
    sizes = page.evaluate(SIZES)
    assert sizes["scroll"] <= 0, (step.id, sizes)
    for kind, least in LEAST.items():
        assert sizes[kind] == -1 or sizes[kind] >= least, (step.id, kind, sizes)
    assert sizes["body"] >= LEAST["body"]   # every step has body text, at lecture size
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"path-{lang}-{PATH.index(step) + 1:02d}-{step.id}.png"))
