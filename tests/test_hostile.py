"""Hostile input never crashes a page (issue 8, item 13), driven through AppTest as a user or a link.

Each case checks: no exception element; no Python or library wording anywhere on the page (a
traceback, a server path, codec or exception names); the message says where (line and column);
and what was typed is still in its editor.
"""
import base64
import re
import zlib

import pytest

from tests.pages import page, texts
from ui.share import pack

# Python's and the libraries' own words, which a student must never see
WORDING = re.compile(r"Traceback|File \"|/tmp/|/work/|site-packages|codec can't|surrogates not allowed|"
                     r"\b[A-Z]\w*(Error|Exception)\b|object at 0x|<class '|_upb|recursion")
NESTED = base64.urlsafe_b64encode(zlib.compress(b"[" * 200_000, 9)).decode().rstrip("=")   # ~300 characters
LINKED_PAGES = ["explorer", "decode", "evolution_lab", "matrix", "registry", "flow_upgrade", "flow_databases",
                "flow_services", "flow_messaging", "flow_actors", "flow_events", "flow_durable"]

RECORDS = [   # (typed record, where the message must point)
    ('{"userName": "\\ud800"}', "line 1, column 15"),          # a lone high surrogate escape
    ('{"\\udfff": 1}', "line 1, column 3"),                     # a lone low surrogate as a field name
    ('{"userName": "Martin", "favoriteNumber": NaN}', "line 1, column 42"),
    ('{"userName": "Martin",\n "favoriteNumber": -Infinity}', "line 2, column 20"),
    ('{"userName": "Martin", "height": 1e400}', "line 1, column 34"),
]


def clean(at) -> list[str]:
    """The page's texts, after checking it shows no exception and no internal wording."""
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    leaks = [t for t in shown if WORDING.search(t)]
    assert not leaks, leaks
    return shown


def run(route: str, link: str | None = None):
    at = page(f"app_pages/{route}.py")
    if link is not None:
        at.query_params["s"] = link
    return at.run()


@pytest.mark.parametrize("record,where", RECORDS)
def test_explorer_refuses_a_hostile_record_where_it_is(record, where):
    at = run("explorer")
    at.text_area(key="ex.record").set_value(record).run()
    shown = clean(at)
    assert any(where in e.value for e in at.error), shown
    assert at.text_area(key="ex.record").value == record
    assert any(t.startswith("**Avro** — 32 bytes") for t in shown)   # the last valid record stays on screen


@pytest.mark.parametrize("record,where", RECORDS)
def test_evolution_lab_refuses_a_hostile_record_where_it_is(record, where):
    at = run("evolution_lab")
    at.text_area(key="ev.rec1").set_value(record).run()
    clean(at)
    assert any(e.value.startswith(f"v1 record: {where}") for e in at.error), [e.value for e in at.error]
    assert at.text_area(key="ev.rec1").value == record


def test_evolution_lab_refuses_a_lone_surrogate_in_a_schema_without_codec_words():
    at = run("evolution_lab")
    v1 = at.text_area(key="ev.v1").value
    hostile = v1.replace('"userName"', '"user\\udc00Name"', 1)
    at.text_area(key="ev.v1").set_value(hostile).run()
    clean(at)
    line = hostile[:hostile.index("\\udc00")].count("\n") + 1
    assert any(e.value.startswith(f"v1 schema: line {line}, column") for e in at.error), [e.value for e in at.error]
    assert at.text_area(key="ev.v1").value == hostile


def test_registry_refuses_a_lone_surrogate_in_a_version():
    at = run("registry")
    hostile = at.text_area(key="rg.v2").value.replace('"name": "', '"name": "\\ud800', 1)
    at.text_area(key="rg.v2").set_value(hostile).run()
    clean(at)
    assert any("line" in e.value and "column" in e.value and "surrogate" in e.value for e in at.error)
    assert at.text_area(key="rg.v2").value == hostile


def test_decode_refuses_a_lone_surrogate_in_the_writer_schema():
    at = run("decode")
    at.selectbox(key="dec.format").set_value("avro").run()
    at.text_area(key="dec.data").set_value("0c 4d 61 72 74 69 6e").run()
    schema = '{"type": "record", "name": "P", "fields": [{"name": "\\udfffa", "type": "string"}]}'
    at.text_area(key="dec.schema").set_value(schema).run()
    clean(at)
    assert any("line 1, column 54" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_area(key="dec.schema").value == schema


def test_a_link_with_an_invalid_record_opens_it_in_the_editor_with_its_error():
    at = run("explorer", pack({"ex.record": "{"}))
    shown = clean(at)
    assert at.text_area(key="ex.record").value == "{"
    assert any("line 1, column 2" in e.value for e in at.error), shown


@pytest.mark.parametrize("link", [NESTED, "not-a-link!!", pack(["a list"]), pack({"x": float("nan")})],
                         ids=["200000 nested [", "not base64", "not an object", "NaN"])
@pytest.mark.parametrize("route", LINKED_PAGES)
def test_a_link_that_is_not_ours_opens_the_page_as_usual_and_says_so(route, link):
    at = run(route, link)
    clean(at)
    assert any("could not be read" in w.value for w in at.warning)


@pytest.mark.parametrize("route,state,kept", [
    ("explorer", {"ex.columns": 1000, "ex.formats": ["json", "nope"], "ex.view": "x", "ex.large": "yes",
                  "ex.record": 5, "ex.tab": "../../etc", "ex.field": ["a"], "ex.preset": None}, ()),
    ("evolution_lab", {"ev.change": "nope", "ev.format": "protobuf", "ev.v1": {"a": 1}, "ev.policy": 3},
     ("ev.format",)),
    ("flow_messaging", {"mq.window": [70, 10], "mq.rate": 1e9, "mq.scenario": "boom", "mq.writer": 7}, ()),
    ("flow_services", {"sv.request_loss": 5, "sv.retries": 1.5, "sv.keys": 0, "sv.timeout": "fast"}, ()),
    ("registry", {"rg.count": 99, "rg.language": "cobol", "rg.mode": "ANY", "rg.v1": 7}, ()),
    ("flow_upgrade", {"up.strategy": "yolo", "up.format": "nope", "up.change": 4}, ()),
])
def test_a_link_with_values_no_widget_takes_falls_back_to_the_defaults(route, state, kept):
    at = run(route, pack(state))
    clean(at)
    for key, value in state.items():
        assert (at.session_state[key] == value) == (key in kept), key


@pytest.mark.parametrize("route,state", [
    ("flow_upgrade", {"up.nodes": 10 ** 30}), ("flow_messaging", {"mq.scenario": "fan-out", "mq.consumers": -4}),
    ("flow_databases", {"db.rows": 10 ** 9}), ("flow_actors", {"ac.seed": -1})])
def test_a_link_with_a_number_out_of_range_gets_the_engines_reason_not_a_run(route, state):
    """A number a widget would refuse reaches the engine, which checks its parameters: it says which
    one and what is allowed instead of simulating 10^30 nodes."""
    at = run(route, pack(state))
    shown = clean(at)
    assert any("cannot run" in e.value and "must be a number from" in e.value for e in at.error), shown
