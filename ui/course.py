"""The course on every page: where this page is on the path (Previous / Next, each opening its step's
exact view), experiments to try, questions to predict and reveal, and the session's progress (kept
in st.session_state only: nothing about a student is stored on the server beyond the session)."""
import functools

import streamlit as st

import i18n
from course import path
from ui import language, lecture, share, widgets
from ui.language import t, tr

EDITION = "course.edition"
STEP = "course.step"
PROGRESS = "course.progress"   # {"visited": [step ids], "answers": {question id: right?}}


def edition() -> str:
    return st.session_state.setdefault(EDITION, "first")


def order() -> str:
    """The sequence Previous / Next walk: the presenter's in lecture mode, else the edition's path."""
    return "lecture" if lecture.on() else edition()


def current() -> str | None:
    """The step this session is on; a first visit in lecture mode takes it from the link."""
    ss = st.session_state
    if STEP not in ss and lecture.on() and st.query_params.get(lecture.STEP_PARAM) in path.ORDER["lecture"]:
        ss[STEP] = st.query_params[lecture.STEP_PARAM]
    return ss.get(STEP)


def progress() -> dict:
    return st.session_state.setdefault(PROGRESS, {"visited": [], "answers": {}})


def link(step: path.Step) -> str:
    """The step's deep link (relative) in this session's language, in lecture mode if it is on."""
    return step_url(step, language.current(), lecture.on())


def step_url(step: path.Step, lang: str, lecturing: bool = False) -> str:
    """A step's deep link: its page, its view packed as the page's link state, the language; in lecture
    mode the mode and the step itself (a reload or a shared link restores it)."""
    query = {share_key(): share.pack(step.view)} if step.view else {}
    query.update(_lecture_query(step, lecturing))
    return f"{step.page}?" + "&".join(f"{k}={v}" for k, v in {**query, language.KEY: lang}.items())


def _lecture_query(step: path.Step, lecturing: bool) -> dict:
    return {lecture.KEY: "1", lecture.STEP_PARAM: step.id} if lecturing else {}


def share_key() -> str:
    from ui import state
    return state.URL_KEY


def open_step(step: path.Step) -> None:
    """Go to a step's view exactly: forget what its page held (as a fresh visit from the link would)."""
    prefixes = {k.split(".")[0] + "." for k in step.view}
    for key in [k for k in st.session_state if any(str(k).startswith(p) for p in prefixes)]:
        del st.session_state[key]
    kept = st.session_state.get("_state.kept")   # ui/state's record of the keys pages declared
    if isinstance(kept, dict):
        for prefix in prefixes:
            kept.pop(prefix[:-1], None)
    st.session_state[STEP] = step.id
    visited = progress()["visited"]
    if step.id not in visited:
        visited.append(step.id)
    query = {language.KEY: language.current(), **_lecture_query(step, lecture.on())}
    if step.view:
        query[share_key()] = share.pack(step.view)
        for key, value in step.view.items():   # the Evolution lab's own link parameters
            if key in ("ev.change", "ev.format"):
                query[key.split(".")[1]] = value
    st.switch_page(f"app_pages/{step.page}.py", query_params=query)


def step_button(step: path.Step, label: str, key: str, **kwargs) -> None:
    if st.button(label, key=key, **kwargs):
        open_step(step)


# keyboard shortcuts of (Previous, Next): the bottom pair answers the arrow keys; in lecture mode the top
# pair answers Page Up / Page Down as well, what a presenter's clicker sends
SHORTCUTS = {"bottom": ("Left", "Right"), "lecture": ("PageUp", "PageDown")}


def path_nav(page: str, where: str = "top") -> None:
    """Previous / Next along the path (the presenter's sequence in lecture mode), if this page is on it."""
    sequence = order()
    step = path.step_for(sequence, page, current())
    if step is None:
        if lecture.on() and where == "top" and current() in path.ORDER["lecture"]:   # a page off the lecture
            back = path.STEPS[current()]
            step_button(back, t("lecture.back", title=t(back.keys["title"])), "course.lecture_back",
                        icon=":material/slideshow:")
        return
    if lecture.on():   # the page's step in the address bar: a reload or a shared link comes back to it
        st.session_state[STEP] = step.id
        if st.query_params.get(lecture.STEP_PARAM) != step.id:
            st.query_params[lecture.STEP_PARAM] = step.id
    before, after = path.neighbours(sequence, step.id)
    steps = path.ORDER[sequence]
    keys = SHORTCUTS.get("lecture" if lecture.on() and where == "top" else where, (None, None))
    with st.container(horizontal=True, vertical_alignment="center"):
        if before:
            step_button(before, t("course.previous", title=t(before.keys["title"])), f"course.prev.{where}",
                        icon=":material/arrow_back:", shortcut=keys[0])
        words = "lecture.step_of" if lecture.on() else "course.step_of"
        st.caption(t(words, n=steps.index(step.id) + 1, total=len(steps), title=t(step.keys["title"])))
        if after:
            step_button(after, t("course.next", title=t(after.keys["title"])), f"course.next.{where}",
                        icon=":material/arrow_forward:", type="primary", shortcut=keys[1])


@functools.cache   # the catalogues are fixed for the process: one scan of ~3,300 keys per page, not per run
def experiments(page: str) -> tuple[str, ...]:
    """The page's try-this items, in the catalogue's order."""
    prefix = f"try.{page}."
    return tuple(sorted((k for k in i18n.catalogue(i18n.DEFAULT) if k.startswith(prefix)),
                        key=lambda k: int(k.rsplit(".", 1)[1])))


def footer(page: str, questions=()) -> None:
    """Try this, check yourself, and the path's Previous / Next: the end of every page."""
    st.divider()
    tried, checked = st.columns(2, gap="large")
    with tried:
        st.subheader(t("course.try_this"))
        st.markdown("\n".join(f"- {t(key)}" for key in experiments(page)))
    with checked:
        st.subheader(t("course.check_yourself"))
        if questions:   # folded: a page's run draws its questions' widgets only once a student opens them
            with widgets.folded(t("course.questions", n=len(questions)), f"course.open.{page}") as open_:
                if open_:
                    for question in questions:
                        ask(question)
    path_nav(page, "bottom")


def ask(question) -> None:
    """Predict, then reveal: the answer is computed (question.solve) only once the student asks."""
    answers = progress()["answers"]
    key = f"course.q.{question.id}"
    with st.container(border=True):
        st.markdown(tr(question.ask))
        if question.choices:
            guess = st.radio(t("course.your_guess"), question.choices, key=key, index=None, horizontal=True,
                             format_func={c: tr((question.labels or {}).get(c, c)) for c in question.choices}.get)
        else:
            guess = st.number_input(t("course.your_guess"), min_value=0, step=1, value=None, key=key)
        revealed = question.id in answers
        if not revealed and st.button(t("course.reveal"), key=f"{key}.reveal", disabled=guess is None):
            revealed = True
        if revealed:
            answer = question.solve()
            right = guess == answer.value
            answers[question.id] = right
            shown = tr((question.labels or {}).get(answer.value, answer.value))
            (st.success if right else st.info)(
                t("course.right" if right else "course.answer", answer=shown) + " " + tr(answer.explain),
                icon=":material/check_circle:" if right else ":material/lightbulb:")
