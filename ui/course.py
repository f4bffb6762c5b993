"""The course on every page: where this page is on the path (Previous / Next, each opening its step's
exact view), experiments to try, questions to predict and reveal, and the session's progress (kept
in st.session_state only: nothing about a student is stored on the server beyond the session)."""
import streamlit as st

import i18n
from course import path
from ui import language, share
from ui.language import t, tr

EDITION = "course.edition"
STEP = "course.step"
PROGRESS = "course.progress"   # {"visited": [step ids], "answers": {question id: right?}}


def edition() -> str:
    return st.session_state.setdefault(EDITION, "first")


def progress() -> dict:
    return st.session_state.setdefault(PROGRESS, {"visited": [], "answers": {}})


def link(step: path.Step) -> str:
    """The step's deep link (relative): its page, its view packed as the page's link state, the language."""
    query = [f"{share_key()}={share.pack(step.view)}"] if step.view else []
    return f"{step.page}?" + "&".join(query + [f"{language.KEY}={language.current()}"])


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
    query = {language.KEY: language.current()}
    if step.view:
        query[share_key()] = share.pack(step.view)
        for key, value in step.view.items():   # the Evolution lab's own link parameters
            if key in ("ev.change", "ev.format"):
                query[key.split(".")[1]] = value
    st.switch_page(f"app_pages/{step.page}.py", query_params=query)


def step_button(step: path.Step, label: str, key: str, **kwargs) -> None:
    if st.button(label, key=key, **kwargs):
        open_step(step)


def path_nav(page: str, where: str = "top") -> None:
    """Previous / Next along the path, if this page is on it (the bottom pair answers the arrow keys)."""
    step = path.step_for(edition(), page, st.session_state.get(STEP))
    if step is None:
        return
    before, after = path.neighbours(edition(), step.id)
    order = path.ORDER[edition()]
    with st.container(horizontal=True, vertical_alignment="center"):
        if before:
            step_button(before, t("course.previous", title=t(before.keys["title"])), f"course.prev.{where}",
                        icon=":material/arrow_back:", shortcut="Left" if where == "bottom" else None)
        st.caption(t("course.step_of", n=order.index(step.id) + 1, total=len(order), title=t(step.keys["title"])))
        if after:
            step_button(after, t("course.next", title=t(after.keys["title"])), f"course.next.{where}",
                        icon=":material/arrow_forward:", type="primary", shortcut="Right" if where == "bottom" else None)


def experiments(page: str) -> list[str]:
    """The page's try-this items, in the catalogue's order."""
    prefix = f"try.{page}."
    return sorted((k for k in i18n.catalogue(i18n.DEFAULT) if k.startswith(prefix)), key=lambda k: int(k.rsplit(".", 1)[1]))


def footer(page: str, questions=()) -> None:
    """Try this, check yourself, and the path's Previous / Next: the end of every page."""
    st.divider()
    tried, checked = st.columns(2, gap="large")
    with tried:
        st.subheader(t("course.try_this"))
        st.markdown("\n".join(f"- {t(key)}" for key in experiments(page)))
    with checked:
        st.subheader(t("course.check_yourself"))
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
