"""The home page: the chapter laid out as a path, in the first or the second edition's order."""
import streamlit as st

from course import path
from ui import course, widgets
from ui.language import t

st.title(t("course.home_title"))
edition = course.edition()
st.segmented_control(t("course.edition"), list(path.EDITIONS), key=course.EDITION, required=True,
                     format_func=widgets.labels(path.EDITIONS, lambda e: t(f"course.edition_{e}")))
edition = course.edition()
chapter = path.EDITIONS[edition]
st.markdown(t("course.home_intro", chapter=chapter))

steps = path.steps(course.order())   # in lecture mode, the presenter's sequence
done = course.progress()
answers = done["answers"]
st.progress(len(done["visited"]) / len(steps),
            t("course.progress", visited=len(done["visited"]), steps=len(steps),
              right=sum(answers.values()), answered=len(answers)))

for n, step in enumerate(steps, 1):
    with st.container(border=True):
        head, action = st.columns([4, 1], vertical_alignment="center")
        with head:
            mark = " ✓" if step.id in done["visited"] else ""
            st.markdown(f"**{n}. {t(step.keys['title'])}**{mark}")
            st.markdown(f"**{t('course.read')}:** {t(f'course.section.{step.section}', chapter=chapter)}  \n"
                        f"**{t('course.do')}:** {t(step.keys['do'])}  \n"
                        f"**{t('course.notice')}:** {t(step.keys['notice'])}")
        with action:
            course.step_button(step, t("course.open"), f"course.open.{step.id}", icon=":material/open_in_new:")
            st.markdown(f"[{t('course.link')}]({course.link(step)})")
