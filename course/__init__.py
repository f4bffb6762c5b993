"""The chapter as a course: a path through the lab's pages (`path`), experiments to try and questions
to predict before the answer is revealed (`questions`), and the presenter's sequence (`lecture`).

Pure Python, no streamlit. Every answer is computed from the real bytes and runs, by the same core
calls the pages make (formats, evolution, dataflow): change the record or the run, and the answer
changes with it. Every text is an i18n.Text, rendered in the student's language by the UI.
"""
