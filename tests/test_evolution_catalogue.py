"""The change catalogue: every change in all three schema languages, parsed by the real libraries."""
import avro.schema
import pytest

from evolution import catalogue
from evolution.catalogue import BASE_RECORD, BASE_V1, CHANGES, FAMILIES, LANGUAGES, change
from formats.errors import FormatError

BRIEF_CHANGES = {
    "add-optional-field", "add-required-field", "remove-optional-field", "remove-required-field",
    "rename-field", "change-tag", "reorder-fields", "widen-int", "widen-float", "narrow-int",
    "string-to-bytes", "optional-to-repeated", "add-enum-symbol", "remove-enum-symbol",
    "optional-to-required", "required-to-optional", "rename-with-alias",
    "reuse-tag",   # the About page: "never reuse a field tag"
}


def test_the_catalogue_holds_every_change_once():
    ids = [c.id for c in CHANGES]
    assert len(ids) == len(set(ids))
    assert set(ids) == BRIEF_CHANGES


@pytest.mark.parametrize("c", CHANGES, ids=lambda c: c.id)
def test_every_change_edits_v1_or_says_why_not(c):
    for language in LANGUAGES:
        v1, v2 = c.schemas(language)
        assert v1 == BASE_V1[language]
        family = catalogue.FAMILY_OF_LANGUAGE[language]
        if v2 is None:
            assert not c.applies(family) and len(c.why_not(family)) > 40
        else:
            assert c.why_not(family) is None and v2 != v1
    for family in FAMILIES:
        assert len(c.explain(family)) > 80, (c.id, family)


@pytest.mark.parametrize("c", CHANGES, ids=lambda c: c.id)
def test_every_avro_schema_parses_with_the_reference_library(c):
    v1, v2 = c.schemas("avsc")
    for text in (v1, v2):
        if text is not None:
            assert avro.schema.parse(text).type == "record"


def test_not_applicable_changes_say_why_in_the_format_s_terms():
    assert change("change-tag").schemas("avsc")[1] is None
    assert "no field tags" in change("change-tag").why_not("avro")
    assert "double" in change("widen-float").why_not("thrift-compact")   # format ids name their family
    assert change("rename-with-alias").why_not("json") is not None


def test_records_are_fresh_copies():
    c = change("add-optional-field")
    c.record_v2["interests"].append("x")
    assert c.record_v2["interests"] == ["daydreaming", "hacking"]
    assert c.record_v1 == dict(BASE_RECORD)
    assert c.record_v2["email"] == "martin@example.com"


def test_narrowing_writes_a_value_that_does_not_fit_32_bits():
    assert change("narrow-int").record_v1["favoriteNumber"] == 1 << 40
    assert change("narrow-int").record_v2["favoriteNumber"] < 1 << 31


def test_edits_must_match_exactly_once():
    with pytest.raises(ValueError, match="occurs 0 times"):
        catalogue.apply_edits("abc", (("x", "y"),))


def test_unknown_ids_are_format_errors():
    with pytest.raises(FormatError, match="unknown change"):
        change("drop-table")
    with pytest.raises(FormatError, match="unknown schema language"):
        change("widen-int").schemas("xsd")
    with pytest.raises(FormatError, match="unknown format family"):
        change("widen-int").explain("yaml")
