"""Links to the lab's pages in markdown (st.markdown, st.table cells): the page's title in the student's
language, a relative address that keeps the language. A message names a page as the value `{<page>}`
(a file of app_pages/), and `with_pages` fills each with its link."""
import string

import i18n
from ui.language import KEY, current, t


def to_page(name: str) -> str:
    """`[Explorer](explorer?lang=en)`: a link to app_pages/<name>.py."""
    return f"[{t(f'page.{name}')}]({name}?{KEY}={current()})"


def with_pages(key: str) -> str:
    """The message `key` with every `{page}` value it names filled with that page's link."""
    message = i18n.message(key, current()) or ""
    pages = {field for _, field, _, _ in string.Formatter().parse(message) if field}
    return t(key, **{name: to_page(name) for name in pages})
