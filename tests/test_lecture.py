"""Lecture mode (ui/lecture.py): the app-wide toggle, kept across pages and in the URL; the presenter's
sequence (course/path.py ORDER["lecture"]) walked by Previous / Next, each step opening its page's view;
a step's link restoring it; plot text at lecture size."""
from urllib.parse import parse_qsl

import pytest

import formats
import i18n
import sample_data
from course import path
from tests.pages import html_bodies, page
from ui import course, lecture, plots

LECTURE = path.steps("lecture")


def _app(query: dict | None = None, to: str | None = None):
    at = page("app.py")
    at.query_params.update(query or {})
    if to:
        at.switch_page(f"app_pages/{to}.py")
    return at.run()


def _large_type(at) -> bool:
    return any("--el-font: 24px" in body for body in html_bodies(at))


def _on_step(at, step: path.Step) -> None:
    """The session is on `step`, its page drawn with the step's view and the step in the URL."""
    assert not at.exception, (step.id, at.exception)
    assert at.session_state[course.STEP] == step.id
    assert _param(at, lecture.STEP_PARAM) == step.id
    lang = at.session_state["lang"]
    where = i18n.t("lecture.step_of", lang, n=path.ORDER["lecture"].index(step.id) + 1, total=len(LECTURE),
                   title=i18n.t(step.keys["title"], lang))
    assert where in [c.value for c in at.caption], (step.id, [c.value for c in at.caption])
    for key, value in step.view.items():
        assert at.session_state[key] == value, (step.id, key)


def _param(at, name: str):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_the_sequence_has_the_books_figures_in_order_and_the_dataflow_stories():
    ids = path.ORDER["lecture"]
    assert 10 <= len(ids) <= 14 and len(set(ids)) == len(ids)
    figures = [i for i in ids if i.startswith("fig-")]
    assert figures == [f"fig-4-{n}" for n in range(1, 8)]   # the first edition's chapter 4 has seven
    pages = [path.STEPS[i].page for i in ids]
    for story in ("flow_upgrade", "flow_databases", "flow_services", "flow_messaging"):
        assert story in pages
    for n, fid in enumerate(("msgpack", "thrift-binary", "thrift-compact", "protobuf", "avro"), 1):
        view = path.STEPS[f"fig-4-{n}"].view   # one figure at a time, with all its bytes
        assert view == {"ex.formats": [fid], "ex.view": "book figure", "ex.columns": 1}


def test_the_toggle_survives_a_page_switch_and_is_in_the_url():
    at = _app()
    assert at.session_state[lecture.KEY] is False and not _large_type(at)
    at.toggle(key=lecture.KEY).set_value(True).run()
    assert _param(at, lecture.KEY) == "1" and _large_type(at)
    at.switch_page("app_pages/flow_upgrade.py").run()
    assert not at.exception
    assert at.session_state[lecture.KEY] is True and _param(at, lecture.KEY) == "1" and _large_type(at)
    at.toggle(key=lecture.KEY).set_value(False).run()
    assert lecture.KEY not in at.query_params and lecture.STEP_PARAM not in at.query_params and not _large_type(at)


def test_a_link_with_the_parameter_opens_in_lecture_mode():
    at = _app({lecture.KEY: "1"}, "explorer")
    assert at.session_state[lecture.KEY] is True and _large_type(at)
    assert _param(at, lecture.STEP_PARAM) == "fig-4-1"   # the page's first step in the sequence
    assert _param(at, lecture.KEY) == "1"


def test_next_and_previous_walk_every_step_in_order_each_opening_its_view():
    at = _app({lecture.KEY: "1"}, LECTURE[0].page)
    _on_step(at, LECTURE[0])

    def click(key: str, now: path.Step) -> None:
        # AppTest reruns the page it was last switched to, not the one the script switched to: the
        # button is clicked on the page it is drawn on (its click switches to the next step's page)
        at.switch_page(f"app_pages/{now.page}.py")
        at.button(key=key).click().run()

    for now, step in zip(LECTURE, LECTURE[1:]):
        click("course.next.top", now)
        _on_step(at, step)
    assert not [b for b in at.button if b.key == "course.next.top"]   # the last step has no Next
    for now, step in zip(LECTURE[::-1], LECTURE[-2::-1]):
        click("course.prev.top", now)
        _on_step(at, step)


@pytest.mark.parametrize("step", LECTURE, ids=[s.id for s in LECTURE])
def test_a_steps_link_restores_it(step):
    url = course.step_url(step, "ru", lecturing=True)
    target, query = url.split("?")
    at = _app(dict(parse_qsl(query)), target)
    _on_step(at, step)
    assert at.session_state["lang"] == "ru" and _large_type(at)


def test_plot_text_is_at_least_18_px_in_lecture_mode_only(monkeypatch):
    book = sample_data.load("person")
    record = formats.parse_record(book.record_text)
    encoded = {f: formats.encode(f, record, book.schemas.get(formats.get(f).schema_language))
               for f in ("json", "protobuf")}
    monkeypatch.setattr(lecture, "on", lambda: False)
    assert lecture.sized(plots.sizes_by_kind(encoded)).layout.font.size == plots.FONT["size"] < lecture.PLOT_FONT
    monkeypatch.setattr(lecture, "on", lambda: True)
    fig = lecture.sized(plots.sizes_by_kind(encoded))
    fonts = [fig.layout.font, fig.layout.legend.font, fig.layout.xaxis.tickfont, fig.layout.yaxis.tickfont,
             fig.layout.xaxis.title.font, *(a.font for a in fig.layout.annotations)]
    assert all(f.size >= lecture.PLOT_FONT for f in fonts)


def test_the_home_page_lists_the_lecture_in_lecture_mode():
    at = _app({lecture.KEY: "1"})
    assert not at.exception
    assert [b.key for b in at.button if str(b.key).startswith("course.open.")] == \
        [f"course.open.{i}" for i in path.ORDER["lecture"]]


@pytest.mark.parametrize("lecturing", [True, False])
def test_a_book_figure_comes_first_in_lecture_mode_with_the_editors_folded_below_it(lecturing):
    step = path.STEPS["fig-4-1"]
    target, query = course.step_url(step, "en", lecturing=lecturing).split("?")
    at = _app(dict(parse_qsl(query)), target)
    assert not at.exception
    keys = {w.key for kind in ("selectbox", "toggle", "slider", "text_area", "multiselect")
            for w in at.get(kind)}
    hidden = {"ex.preset", "ex.large", "ex.columns"}   # what a projected figure does not need
    assert (keys & hidden == set()) if lecturing else hidden <= keys
    folded = [e for e in at.expander if e.label == i18n.t("lecture.inputs", "en")]
    assert len(folded) == int(lecturing)
    if lecturing:   # the editors, the view and the formats are there, folded away
        inside = {w.key for kind in ("text_area", "multiselect", "selectbox") for w in folded[0].get(kind)}
        assert {"ex.record", "ex.formats", "ex.field"} <= inside
        assert not at.get("plotly_chart")   # one figure at a time: the size plots are the lecture's first step
    assert at.session_state["ex.view"] == "book figure"
