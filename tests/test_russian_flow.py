"""Issue 14: the Dataflow pages in Russian show no English sentence outside code, format names,
byte values and record field names (tests/russian.py is the detector; it knows no expected string)."""
import pytest

import evolution
from dataflow import api, events, services
from i18n import Text
from tests.pages import html_bodies, page
from ui import hexview, lookup, widgets
from ui.flow import why_html
from tests.russian import english, english_on

DATAFLOW = ("flow_upgrade", "flow_databases", "flow_services", "flow_messaging", "flow_actors", "flow_events",
            "flow_durable")


def _not_yet_texts() -> set[str]:
    """The evolution catalogue's words these pages show (a change's title, what a direction means, a
    schemaless reader's policy) while evolution/ still returns them as plain English: its engineer turns
    them into i18n.Texts. Each one leaves this set, and is checked, the moment it is a Text."""
    words = [c.title for c in evolution.CHANGES] + list(evolution.DIRECTIONS.values()) + \
        list(evolution.POLICIES.values())
    return {w for w in words if not isinstance(w, Text)}


def _speaks(module) -> bool:
    """Whether a ui module renders its words through the catalogues (ui.language's t or tr)."""
    return hasattr(module, "t") or hasattr(module, "tr")


def _not_yet_translated_widgets(at) -> set[str]:
    """What these pages show through other engineers' ui modules while those do not use the catalogues
    yet: ui/hexview's byte views and legend (their labels come from formats/), ui/widgets' pager, ui/lookup.
    Each leaves this set, and is checked, the moment its module speaks through ui.language."""
    out = set()
    if not _speaks(hexview):
        out |= {body for body in html_bodies(at) if "el-hex" in body or "el-legend" in body or "el-text" in body}
    if not _speaks(widgets):
        out |= {n.label for n in at.number_input if n.key and n.key.endswith("_page")}
    return out


def _core_words(name: str) -> set[str]:
    """What formats/ and evolution/ say in the page's default run (a reader's schema that cannot resolve a
    writer's, why a read across versions went as it did) while it is plain English: their engineer turns it
    into i18n.Texts, and each leaves this set, and is checked, the moment it is one."""
    words = []
    if name == "flow_events":
        words = [row["error"] for row in events.run(events.Params()).events]
        words += [row["why rejected"] for mode in evolution.MODES
                  for row in events.run(events.Params(mode=mode)).registry]
    if name == "flow_services":
        words = [row["why"] for policy in evolution.POLICIES for row in services.api_evolution(policy).rows]
        words += [row["why"] for row in api.response_reads()]
    plain = {w for w in words if w and not isinstance(w, Text)}
    return plain | {why_html(w) for w in plain}   # as the page's tables show them (escaped, `names` as code)


# record field names a table shows as its columns, and a hex view beside its bytes (the issue: field names stay
# as they are): the API's order, the charge, the evolution catalogue's records the pages encode
FIELD_NAMES = {*api.ORDER, *services.CHARGE_RECORD, *(f for lines in evolution.catalogue.FIELD_LINES.values() for f in lines),
               "email", "name", "payload",   # the fields the changes add or rename; a durable step's payload
               *api.ORDER["items"], ", ".join(api.ORDER["items"]), "payment"}   # the order's items; the workflow's name


def _english(at, name: str) -> list[str]:
    return english_on(at, skip=_not_yet_texts() | _not_yet_translated_widgets(at) | _core_words(name) | FIELD_NAMES)


def _russian(name: str, state: dict):
    at = page(f"app_pages/{name}.py")
    at.query_params["lang"] = "ru"
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


VIEWS = [(name, {}) for name in DATAFLOW] + [
    ("flow_upgrade", {"up.strategy": "all-at-once", "up.change": "add-required-field"}),
    ("flow_databases", {"db.format": "protobuf"}), ("flow_databases", {"db.format": "json"}),
    ("flow_messaging", {"mq.scenario": "redelivery", "mq.crash": 0.4}), ("flow_messaging", {"mq.scenario": "fan-out"}),
    ("flow_messaging", {"mq.scenario": "request-reply"}), ("flow_messaging", {"mq.reader": 1}),
    ("flow_actors", {"ac.framework": "erlang-records"}), ("flow_actors", {"ac.framework": "akka-jackson"}),
    ("flow_events", {"ev.mode": "BACKWARD_TRANSITIVE", "ev.retention": 3}),
    ("flow_durable", {"du.change": "reorder"}), ("flow_durable", {"du.change": "patched", "du.keys": False}),
    ("flow_services", {"sv.keys": False, "sv.copy_change": "refund", "sv.policy": "strict", "sv.api_client": 2}),
]


@pytest.mark.parametrize("name, state", VIEWS, ids=[f"{n}-{'-'.join(map(str, s.values())) or 'default'}"
                                                    for n, s in VIEWS])
def test_a_dataflow_page_in_russian_shows_no_english(name, state, monkeypatch):
    if not _speaks(lookup):   # ui/lookup's own words (the Message passing page) are its engineer's to translate
        monkeypatch.setattr(lookup, "message_lookup", lambda *args, **kwargs: None)
    at = _russian(name, state)
    assert not at.exception
    assert _english(at, name) == []


def test_the_detector_catches_english_and_passes_what_stays_latin():
    assert english("Every failed or lossy read: who wrote, who read") == "Every failed or lossy read"
    assert english("Seed")                          # a label nobody translated
    assert english("Зерно: прогон **seed value**")  # two English words in a Russian sentence
    assert english("Число узлов") is None
    assert english("Формат Protocol Buffers, поле `favoriteNumber`, байты 08 b9 0a") is None
    assert english("node-1 (v2): брокер Kafka, узел userName") is None
    assert english("<span style='color:#555'>обратная: совместимо</span>") is None


def test_the_timeline_steps_through_the_run_and_a_link_restores_the_step():
    """Issue 14 item 3: a simulation steps forward and back through its events; the view is that event's,
    and the step is page state (ui/state.declare), so the page's link opens at it."""
    from ui.share import pack
    at = page("app_pages/flow_upgrade.py").run()
    slider = at.slider(key="up.step")
    total = int(slider.max)
    assert slider.value == 1 and total > 2 and "Event 1 of" in _now(at)
    at.button(key="up.step_next").click().run()
    at.button(key="up.step_next").click().run()
    assert at.slider(key="up.step").value == 3 and f"Event 3 of {total}:" in _now(at)
    at.button(key="up.step_back").click().run()
    assert at.slider(key="up.step").value == 2
    first, second = _now(at), None
    at.slider(key="up.step").set_value(total).run()
    second = _now(at)
    assert first != second and at.button(key="up.step_next").disabled
    linked = page("app_pages/flow_upgrade.py")
    linked.query_params["s"] = pack({"up.step": 4})
    linked.run()
    assert linked.slider(key="up.step").value == 4 and "Event 4 of" in _now(linked)


def _now(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Event ") or m.value.startswith("**Событие "))
