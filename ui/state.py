"""Page state: what a student sets on a page survives reruns, page switches and reloads, and a link
restores it exactly.

Streamlit drops a widget's value from st.session_state at the end of any run that did not draw the
widget (the student opened another page). So every page declares its inputs once (`declare`), and
app.py calls `keep()` before every run of every page: writing each declared key back makes it a
plain session value that outlives the run, and the widget is seeded from it when its page is drawn
again. A page's declared values also travel in its link (`?s=`, packed by ui/share): each run writes
the ones that differ from the page's defaults into the address bar and offers the link in the
sidebar, and a first visit in a session (a shared link, a reload) seeds them from there, each value
checked before a widget sees it.
"""
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ui import share
from ui.language import t

URL_KEY = "s"
SHARE_KEY = "_state.share"   # the sidebar's "Share this view" expander: open or not
_KEPT = "_state.kept"         # session key: page prefix -> the keys it declared
_PACKED = "_state.packed"     # session key: (the state's JSON, its link) of the last run


@dataclass(frozen=True)
class _Page:
    prefix: str
    defaults: dict
    allowed: dict
    derived: Callable[[dict], dict] | None


def between(low, high) -> Callable:
    """An `allowed` check for a number (or each number of a range slider's pair) within a widget's bounds."""
    def check(value) -> bool:
        values = value if isinstance(value, tuple) else (value,)
        return all(low <= v <= high for v in values) and list(values) == sorted(values)
    return check


def assign(values: dict) -> None:
    """A button's callback: set session keys before the next run draws their widgets (`on_click=assign,
    args=({key: value},)`; not a function written on the page, see ui.widgets.labels)."""
    st.session_state.update(values)


def keep(*names: str) -> None:
    """Every key any page declared in this session written back (app.py, before the page runs); with
    `names`, those: a page's prefix stands for its declared keys (a page keeps its own when run alone,
    as AppTest runs it), any other name is a widget key the page draws outside `declare`."""
    ss = st.session_state
    declared = ss.get(_KEPT, {})
    pages = declared if not names else {name: declared.get(name, [name]) for name in names}
    for keys in pages.values():
        for key in keys:
            if key in ss:
                ss[key] = ss[key]


def declare(prefix: str, defaults: dict, allowed: dict | None = None,
            derived: Callable[[dict], dict] | None = None, note: str = "") -> dict:
    """A page's inputs: session keys `prefix.name`, seeded on the page's first run in a session and
    kept from then on; their link is written into the address bar and offered in the sidebar (`note`
    says what it holds beyond the settings). Call it first thing. Returns the values by name.

    `defaults`: name -> value; the page's link may override any of them with a value of the same
    type (a list for a list or a pair) for which `allowed[name]` holds (a collection of choices or a
    predicate). `derived(values)` gives the values that follow from others (a catalogue change's
    schemas from its id): seeded from them, and left out of links while unchanged.
    """
    spec = _Page(prefix, defaults, allowed or {}, derived)
    ss = st.session_state
    keys = ss.setdefault(_KEPT, {}).setdefault(prefix, [])
    keep(prefix)
    missing = [name for name in defaults if f"{prefix}.{name}" not in ss]
    if missing:   # the page's first run in this session (or a key a newer version of the page added)
        first = _first_values(spec)
        for name in missing:
            ss[f"{prefix}.{name}"] = first[name]
        keys.extend(f"{prefix}.{name}" for name in missing if f"{prefix}.{name}" not in keys)
    _offer_link(spec, note)
    return {name: ss[f"{prefix}.{name}"] for name in defaults}


def remember(key: str) -> None:
    """Keep one more widget key of the page whose prefix it starts with (a key made while drawing,
    such as one pager per format card). Not part of links."""
    keys = st.session_state.setdefault(_KEPT, {}).setdefault(key.split(".")[0], [])
    if key not in keys:
        keys.append(key)


def _first_values(spec: _Page) -> dict:
    linked = _from_url(spec)
    values = {**spec.defaults, **linked}
    if spec.derived:
        values = {**spec.defaults, **spec.derived(values), **linked}
    return values


def _from_url(spec: _Page) -> dict:
    """The values this page's link carries (names without the prefix); checked one by one."""
    packed = st.query_params.get(URL_KEY)
    if not packed:
        return {}
    state = share.unpack(packed)
    if state is None:
        st.warning(t("state.bad_link"), icon="⚠️")
        return {}
    out = {}
    for key, value in state.items():
        name = key[len(spec.prefix) + 1:] if key.startswith(spec.prefix + ".") else None
        if name in spec.defaults:
            value = _as_default(value, spec.defaults[name])
            check = spec.allowed.get(name)
            if value is not None and (check is None or (check(value) if callable(check) else
                                                        _member(value, check))):
                out[name] = value
    return out


def _member(value, choices: Collection) -> bool:
    if isinstance(value, list):
        return all(v in choices for v in value)
    return value in choices


def _as_default(value, default):
    """`value` from JSON in the Python type of `default`, or None if it is not that kind of value."""
    if isinstance(default, bool) or default is None:
        return value if type(value) is type(default) else None
    if isinstance(default, float):
        return float(value) if type(value) in (int, float) else None
    if isinstance(default, (int, str)):
        return value if type(value) is type(default) else None
    if isinstance(default, (list, tuple)) and isinstance(value, list):
        if isinstance(default, tuple) and len(value) != len(default):
            return None
        items = [_as_default(v, default[min(i, len(default) - 1)]) if default else v
                 for i, v in enumerate(value)]
        if any(item is None for item in items) or not all(type(v) in (str, int, float, bool) for v in items):
            return None
        return tuple(items) if isinstance(default, tuple) else items
    return None


def _to_share(spec: _Page) -> dict:
    """The page's declared values that differ from its defaults (and from what they derive)."""
    ss = st.session_state
    values = {name: ss.get(f"{spec.prefix}.{name}", default) for name, default in spec.defaults.items()}
    baseline = {**spec.defaults, **(spec.derived(values) if spec.derived else {})}
    return {f"{spec.prefix}.{name}": _jsonable(v) for name, v in values.items()
            if _jsonable(v) != _jsonable(baseline[name])}


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value


def link(page: str, state: dict) -> str:
    """A relative link to another page opening with `state` (full keys: {"ev.change": "…"})."""
    return f"{page}?{URL_KEY}={share.pack(state)}" if state else page


def _packed(state: dict) -> str | None:
    """The state's link parameter ("" for none), None if too large; deflated once per change of state
    (a rerun with the same state, the usual case, costs a comparison)."""
    if not state:
        return ""
    raw = share.raw(state)
    if len(raw) > share.MAX_RAW:
        return None
    last_raw, last_packed = st.session_state.get(_PACKED, (None, None))
    if raw != last_raw:
        last_packed = share.deflate(raw)
        st.session_state[_PACKED] = (raw, last_packed)
    return last_packed if len(last_packed) <= share.MAX_PACKED else None


def _offer_link(spec: _Page, note: str) -> None:
    """The page's state in the address bar (so a reload keeps it) and its link in the sidebar."""
    packed = _packed(_to_share(spec))
    if packed is None:
        st.query_params.pop(URL_KEY, None)
    elif st.query_params.get(URL_KEY, "") != packed:
        if packed:
            st.query_params[URL_KEY] = packed
        else:
            st.query_params.pop(URL_KEY, None)
    # drawn when opened (on_change="rerun"): st.code brings the browser its syntax highlighter, 0.5-0.75 s
    # of script on every page load (bench/bench_browser.py) for a link few students open
    box = st.sidebar.expander(t("state.share"), icon=":material/link:", key=SHARE_KEY, on_change="rerun")
    if box.open:
        with box:
            if packed is not None:
                params = st.query_params.to_dict()   # the page's state, and what app.py keeps there (the language)
                url = (st.context.url or "").split("?")[0] + (f"?{urlencode(params)}" if params else "")
                st.code(url, language=None, wrap_lines=True)
                st.caption(t("state.link_note", note=note) if note else t("state.link"))
            else:
                st.info(t("state.too_large"))
