"""Issue 14: the Evolve pages (Evolution lab, Compatibility matrix, Schema registry, Generated schemas) in
Russian show no English sentence outside code, format names, byte values and record field names
(tests/russian.py is the detector; it knows no expected string)."""
import pytest

import evolution
import formats

from course import questions
from evolution import generated
from tests.pages import open_questions, page
from tests.russian import english_on
from tests.test_russian_flow import FIELD_NAMES, _not_yet_translated_widgets
from i18n import Text
from ui import evolution as ev, matrix


def _broken_v2(at):
    """v2's .avsc with a comma gone: a schema error in the student's own versions."""
    return at.text_area(key="ev.v2").value.replace('"name": "Person",', '"name": "Person"')


def _edited_v2(at):
    """v2's record with another name in it: the versions are the student's, not the catalogue's."""
    return at.text_area(key="ev.rec2").value.replace('"Martin"', '"Ada"', 1)


# each view: the page, then (widget kind, key, value or a function of the page giving it), in order
VIEWS = {
    "lab-avro-default": ("evolution_lab", []),
    "lab-avro-required-fails": ("evolution_lab", [("selectbox", "ev.change", "add-required-field")]),
    "lab-avro-rename-resolution": ("evolution_lab", [("selectbox", "ev.change", "rename-field")]),
    "lab-avro-alias": ("evolution_lab", [("selectbox", "ev.change", "rename-with-alias")]),
    "lab-avro-widen-float-lossy": ("evolution_lab", [("selectbox", "ev.change", "widen-int")]),
    "lab-protobuf-narrow-lossy": ("evolution_lab", [("selectbox", "ev.format", "protobuf"),
                                                    ("selectbox", "ev.change", "narrow-int")]),
    "lab-protobuf-reuse-tag": ("evolution_lab", [("selectbox", "ev.format", "protobuf"),
                                                 ("selectbox", "ev.change", "reuse-tag")]),
    "lab-protobuf-optional-field": ("evolution_lab", [("selectbox", "ev.format", "protobuf")]),
    "lab-thrift-change-tag": ("evolution_lab", [("selectbox", "ev.format", "thrift-compact"),
                                                ("selectbox", "ev.change", "change-tag")]),
    "lab-thrift-enum": ("evolution_lab", [("selectbox", "ev.format", "thrift-binary"),
                                          ("selectbox", "ev.change", "add-enum-symbol")]),
    "lab-json-strict": ("evolution_lab", [("selectbox", "ev.format", "json"), ("radio", "ev.policy", "strict")]),
    "lab-msgpack-required": ("evolution_lab", [("selectbox", "ev.format", "msgpack"),
                                               ("selectbox", "ev.change", "add-required-field")]),
    "lab-cbor-not-applicable": ("evolution_lab", [("selectbox", "ev.format", "json"),
                                                  ("selectbox", "ev.change", "change-tag")]),
    "lab-own-versions": ("evolution_lab", [("text_area", "ev.rec2", _edited_v2)]),
    "lab-schema-error": ("evolution_lab", [("text_area", "ev.v2", _broken_v2)]),
    "lab-record-error": ("evolution_lab", [("text_area", "ev.rec1", "{not json")]),
    "matrix": ("matrix", []),
    "matrix-strict": ("matrix", [("radio", "mx.policy", "strict")]),
    "registry-avsc": ("registry", []),
    "registry-avsc-transitive-rejects": ("registry", [("selectbox", "rg.mode", "BACKWARD_TRANSITIVE")]),
    "registry-proto-forward-rejects": ("registry", [("selectbox", "rg.language", "proto"),
                                                    ("selectbox", "rg.mode", "FORWARD")]),
    "registry-thrift-full": ("registry", [("selectbox", "rg.language", "thrift"), ("selectbox", "rg.mode", "FULL")]),
    "registry-schema-error": ("registry", [("text_area", "rg.v1", "{")]),
    "generated": ("generated", []),
    "generated-reorder-protobuf": ("generated", [("button", "gen.Reorder", None),
                                                 ("segmented_control", "gen.reader", "protobuf")]),
    "generated-rename-kept": ("generated", [("button", "gen.Rename a column", None),
                                            ("segmented_control", "gen.reader", "protobuf-kept")]),
    "generated-type-changed-avro": ("generated", [("text_area", "gen.after", generated.V1.replace("age integer",
                                                                                                   "age text")),
                                                  ("segmented_control", "gen.reader", "avro")]),
    "generated-bad-column": ("generated", [("text_area", "gen.after", "id bigint\nname blob")]),
}


def _russian(name: str, actions):
    at = page(f"app_pages/{name}.py")
    at.query_params["lang"] = "ru"
    at.run()
    for kind, key, value in actions:
        widget = getattr(at, kind)(key=key)
        if kind == "button":
            widget.click()
        else:
            widget.set_value(value(at) if callable(value) else value)
        at.run()
        assert not at.exception, (kind, key)
    return at


# the records' field names and values the byte views show (as data, not words): the catalogue's records,
# the book's Person, the generated page's rows
RECORD_WORDS = {*FIELD_NAMES, *generated.NAMES, *(c for r in generated.sample_rows(generated.parse_columns(generated.V2)) for c in r),
                "height", "Martin", "daydreaming", "hacking", "null", "true", "false"}   # and JSON's literals, as a cell writes a value


def _not_yet_translated(at) -> set[str]:
    """Other engineers' ui modules on these pages while they do not speak through the catalogues (the hex
    views, ui/hexview), and the matrix's format headers (format names, with a line-break hint). Each
    leaves the set, and is checked, the moment its module does."""
    return _not_yet_translated_widgets(at) | {matrix.format_head(f) for f in evolution.MATRIX_FORMATS}


def _plain(message) -> set[str]:
    """The parts of a core message that are still plain English strs (a Text's values, all the way down)."""
    if isinstance(message, Text):
        return {part for value in message.values.values() if isinstance(value, str) for part in _plain(value)}
    return {message}


def _core_errors(at) -> set[str]:
    """What formats/ says about the page's bad input (a record or schema that does not parse) while it is
    plain English: its engineer turns it into i18n.Texts, and each leaves this set, and is checked, the
    moment it is one. The inputs are the page's own editors, read as the page reads them."""
    out, typed = set(), {a.key: a.value for a in at.text_area if a.key}

    def attempt(action) -> None:
        nonlocal out
        try:
            action()
        except formats.FormatError as e:
            out |= _plain(e.message)
    if "ev.rec1" in typed:
        fid = at.selectbox(key="ev.format").value
        for v in (1, 2):
            attempt(lambda v=v: formats.encode(fid, formats.parse_record(typed[f"ev.rec{v}"]),
                                               typed.get(f"ev.v{v}") if ev.language(fid) else None))
    if "rg.v1" in typed:
        history = [typed[f"rg.v{i}"] for i in range(1, at.session_state["rg.count"] + 1)]
        attempt(lambda: evolution.register_all_modes(at.selectbox(key="rg.language").value, history))
    if "gen.before" in typed:
        attempt(lambda: generated.read_after_change(typed["gen.before"], typed["gen.after"]))
    return out


def _reveal_every_question(at):
    """Answer and reveal each predict-then-reveal question, so its explanation is checked too."""
    open_questions(at)
    for radio in [r for r in at.radio if r.key and r.key.startswith("course.q.")]:
        radio.set_value(questions.DIRECTION_CHOICES[0])   # the Evolve pages' choice questions ask for a direction
    for number in [n for n in at.number_input if n.key and n.key.startswith("course.q.")]:
        number.set_value(0)
    at.run()
    for button in [b for b in at.button if b.key and b.key.startswith("course.q.") and b.key.endswith(".reveal")]:
        button.click()
    return at.run()


@pytest.mark.parametrize("view", list(VIEWS))
def test_an_evolve_page_in_russian_shows_no_english(view):
    name, actions = VIEWS[view]
    at = _reveal_every_question(_russian(name, actions))
    assert not at.exception
    assert english_on(at, skip=_not_yet_translated(at) | _core_errors(at) | RECORD_WORDS) == []


def test_the_views_reach_what_they_are_named_for():
    """The views above are what they claim (a failing read, a lossy one, a rejected version…), so the
    test cannot pass by showing less."""
    failing = _russian(*VIEWS["lab-avro-required-fails"])
    assert any(m.value.startswith("**Чтение падает:**") for m in failing.markdown)
    lossy = _russian(*VIEWS["lab-protobuf-narrow-lossy"])
    assert any("декодирование: с потерями" in h.proto.body for h in lossy.get("html"))
    broken = _russian(*VIEWS["lab-schema-error"])
    assert any(e.value.startswith("Схема v2: строка") or e.value.startswith("Схема v2:") for e in broken.error)
    rejected = _russian(*VIEWS["registry-avsc-transitive-rejects"])
    assert any("✗ отклонена" in m.value for m in rejected.markdown)
    bad = _russian(*VIEWS["generated-bad-column"])
    assert any("строка 2" in e.value for e in bad.error)


def test_the_generated_pages_question_is_computed_from_the_change():
    """The answer is the naive Protobuf reader's misread cells for the tables on screen: a reordered table
    misreads some, a column added at the end none (its tags stay where they were)."""
    presets = generated.presets(generated.V1)
    (reorder,) = questions.generated(generated.V1, presets["Reorder"])
    (added,) = questions.generated(generated.V1, presets["Add a column"])
    assert reorder.solve().value > 0 and added.solve().value == 0
    expected = generated.read_after_change(generated.V1, presets["Reorder"])["protobuf"].counts["misread"]
    assert reorder.solve().value == expected
    assert str(reorder.solve().value) in reorder.solve().explain.render("ru")


def test_the_generated_page_has_its_footer_in_both_languages():
    english = page("app_pages/generated.py").run()
    assert any(s.value == "Try this" for s in english.subheader)
    assert any("Reorder" in m.value for m in english.markdown)
    russian = _russian("generated", [])
    assert any("Переставить" in m.value for m in russian.markdown)
