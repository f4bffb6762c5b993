"""The course: the path's steps and links, and questions whose answers come from the real bytes and runs
(change the record or the run, and the answer changes)."""
import json
from dataclasses import replace

import pytest

import formats
import i18n
import sample_data
from course import path, questions
from dataflow import databases, durable, events, messaging, rolling_upgrade, services
from dataflow import adapters
from tests.pages import ROOT, open_questions, page

BOOK = sample_data.load("person")
RECORD = formats.parse_record(BOOK.record_text)


def _answers(qs) -> dict:
    return {q.id: q.solve() for q in qs}


def test_every_step_opens_a_real_page_and_has_its_words_in_both_languages():
    for edition in path.EDITIONS:
        for step in path.steps(edition):
            assert (ROOT / "app_pages" / f"{step.page}.py").exists(), step
            for lang in i18n.LANGUAGES:
                for key in (*step.keys.values(), f"course.section.{step.section}"):
                    assert key in i18n.catalogue(lang), (lang, key)
    assert set(path.ORDER["first"]) < set(path.ORDER["second"])
    assert path.neighbours("first", "sizes")[0] is None and path.neighbours("first", "actors")[1] is None


def test_the_editions_order_the_dataflow_half_differently():
    first, second = path.ORDER["first"], path.ORDER["second"]
    assert "durable" not in first and "events" not in first
    assert second.index("services") < second.index("durable") < second.index("messaging")


def test_protobuf_field_cost_follows_the_record():
    """Protocol Buffers "Encoding": an int64 is a varint, 7 bits a byte, after one tag byte (field 2, wire type 0)."""
    for value, cost in ((1337, 3), (1, 2), (100_000, 4)):
        record = dict(RECORD, favoriteNumber=value)
        answer = _answers(questions.encoding(record, BOOK.schemas))["field_cost"]
        assert answer.value == cost, (value, answer)
        assert answer.explain.render("ru") != str(answer.explain)


def test_json_name_bytes_and_the_smallest_format_follow_the_record():
    book = _answers(questions.encoding(RECORD, BOOK.schemas))
    assert book["json_names"].value == sum(len(k) + 2 for k in RECORD)   # "userName" with its quotes, …
    assert book["smallest"].value == "avro"
    renamed = {("u" if k == "userName" else k): v for k, v in RECORD.items()}
    assert _answers(questions.encoding(renamed, {}))["json_names"].value == book["json_names"].value - 7


def test_pasted_bytes_overhead_is_what_the_walk_did_not_label_a_value():
    data = formats.encode("protobuf", RECORD, BOOK.schemas["proto"]).data
    (q,) = questions.pasted("protobuf", data, None)
    walked = formats.annotate("protobuf", data, None)
    assert q.solve().value == len(data) - walked.bytes_by_kind()["value"] > 0


def test_required_field_direction_is_computed_from_the_reads():
    """protobuf "Updating A Message Type": a new required field makes old messages unreadable by the new
    reader (backward), while old code skips the unknown field (forward)."""
    qs = {q.id: q for q in questions.change("avro", "add-optional-field")}
    assert qs["directions"].solve().value == "neither"
    assert qs["required"].solve().value == "backward"


def test_registry_matrix_and_dataflow_answers_follow_their_inputs():
    from evolution.registry import EXAMPLE_HISTORIES
    history = list(EXAMPLE_HISTORIES["avsc"])
    (reg,) = questions.registry("avsc", history, "BACKWARD")
    assert 1 <= reg.solve().value <= len(history)
    (pay,) = questions.payments(services.Params())
    (pay_lossier,) = questions.payments(services.Params(response_loss=0.4, seed=3))
    assert pay.solve().value != pay_lossier.solve().value
    (out,) = questions.outage("avro", "add-optional-field", messaging.Params(down_from=15, down_until=30))
    (out_longer,) = questions.outage("avro", "add-optional-field", messaging.Params(down_from=10, down_until=50))
    assert 0 < out.solve().value < out_longer.solve().value
    (up,) = questions.upgrade("avro", "add-optional-field", rolling_upgrade.Params())
    assert up.solve().value > 0
    (db,) = questions.database("avro", databases.Params())
    assert db.solve().value == len(databases.run(adapters.history("avro"), databases.Params()).update.get("lost", []))
    (ev,) = questions.event_log(events.Params())
    assert ev.solve().value == events.run(events.Params()).counters["registry lookups"]
    (du,) = questions.workflows(durable.Params())
    assert du.solve().value == durable.run(replace(durable.Params(), idempotency_keys=False)).counters["double charges"]


def test_every_explanation_renders_in_both_languages_without_a_missing_key():
    i18n.MISSING.clear()
    qs = (questions.encoding(RECORD, BOOK.schemas) + questions.change("protobuf", "add-required-field")
          + questions.payments(services.Params()) + questions.matrix("ignore"))
    for q in qs:
        answer = q.solve()
        for lang in i18n.LANGUAGES:
            assert q.ask.render(lang) and answer.explain.render(lang)
        if q.choices:
            assert answer.value in q.choices
    assert not i18n.MISSING


def test_reveal_on_a_page_records_the_answer_in_the_session():
    at = page("app_pages/overview.py").run()
    assert not any(n.key == "course.q.field_cost" for n in at.number_input)   # folded until opened
    open_questions(at)
    guess = next(n for n in at.number_input if n.key == "course.q.field_cost")
    guess.set_value(3).run()
    next(b for b in at.button if b.key == "course.q.field_cost.reveal").click().run()
    assert not at.exception
    assert at.session_state["course.progress"]["answers"]["field_cost"] is True
    assert any("3" in s.value for s in at.success)


def test_opening_a_step_from_the_path_opens_its_view():
    at = page("app.py").run()
    assert at.session_state["course.edition"] == "first"
    next(b for b in at.button if b.key == "course.open.thrift").click().run()
    assert not at.exception
    assert at.session_state["course.step"] == "thrift"
    assert "thrift" in at.session_state["course.progress"]["visited"]
