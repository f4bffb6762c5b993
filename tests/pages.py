"""AppTest helpers shared by the page tests."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def page(name: str, timeout: float = 90) -> AppTest:
    return AppTest.from_file(str(ROOT / name), default_timeout=timeout)


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption, error, warning and info text on the page."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success"):
        out += [e.value for e in getattr(at, kind)]
    return out
