"""The core's words in Russian: every span the walks label for the book's record, in every format, and
every verdict, reason and note the evolution core gives for the catalogue's changes, render from the
catalogue (no key missing) in Russian, while their English stays what the other tests compare."""
import re

import pytest

import evolution
import formats
import i18n
import sample_data
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from i18n import Text

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture
def missing():
    i18n.MISSING.clear()
    yield i18n.MISSING
    assert not i18n.MISSING, sorted(i18n.MISSING)[:10]


def russian(text) -> str:
    """`text` is a catalogue message and reads as Russian."""
    assert isinstance(text, Text), f"not from the catalogue: {text!r}"
    out = text.render("ru")
    assert CYRILLIC.search(out), (text.key, out)
    return out


@pytest.mark.parametrize("change", [c.id for c in evolution.CHANGES])
def test_every_verdict_of_a_catalogue_change_renders_in_russian(change, missing):
    change = evolution.change(change)
    for text in (change.title, change.summary, *(change.explain(family) for family in evolution.FAMILIES)):
        russian(text)
    for format_id in evolution.FORMATS:
        family = FAMILY_OF_FORMAT[format_id]
        if not change.applies(family):
            with pytest.raises(formats.FormatError) as raised:
                evolution.run(format_id, change.id, "backward")
            russian(raised.value.message)
            continue
        for direction in evolution.DIRECTIONS:
            outcome = evolution.run(format_id, change.id, direction)
            russian(outcome.reason)
            for note in outcome.notes:
                russian(note)
            if family == "schemaless":
                continue
            v1, v2 = change.schemas(LANGUAGE_OF[family])
            writer, reader = (v1, v2) if direction == "backward" else (v2, v1)
            verdict = evolution.static_verdict(format_id, writer, reader, newer=evolution.NEWER[direction])
            for finding in verdict.rules:
                russian(finding.explanation)


def test_a_reason_keeps_its_english_and_its_clauses_in_russian(missing):
    """Rule field-skipped (Avro spec, "Schema Resolution": a writer's field the reader lacks is ignored)."""
    outcome = evolution.run("avro", "add-optional-field", "forward")
    assert outcome.reason == ("reads every value it has a field for; ignores `email` (the reader's schema has no "
                              "such field; it would be lost on read-modify-write)")
    assert outcome.reason.render("ru") == ("читает каждое значение, для которого у него есть поле; игнорирует "
                                           "`email` (в схеме чтения такого поля нет; при чтении-изменении-записи "
                                           "оно потерялось бы)")


@pytest.mark.parametrize("format_id", formats.FORMATS)
def test_every_span_of_the_book_record_explains_itself_in_russian(format_id, missing):
    book = sample_data.load("person")
    fmt = formats.get(format_id)
    encoded = formats.encode(format_id, formats.parse_record(book.record_text), book.schemas.get(fmt.schema_language))
    explained = [s for s in encoded.spans if s.explanation]
    assert explained
    for span in explained:
        russian(span.explanation)
    for span in encoded.spans:
        if isinstance(span.label, Text):
            span.label.render("ru")
    for note in encoded.notes:
        russian(note)


def test_a_span_keeps_its_english_and_says_it_in_russian(missing):
    """Protobuf's key byte: (field_tag << 3) | wire_type ("Encoding", protobuf.dev)."""
    tag = formats.encode("protobuf", {"userName": "Martin"}).spans[0]
    assert tag.label == "field tag 1, wire type 2 (length-delimited)"
    assert tag.label.render("ru") == "тег поля 1, тип передачи 2 (с длиной)"
    assert tag.explanation.render("ru").startswith("userName — тег поля 1 (string)")
