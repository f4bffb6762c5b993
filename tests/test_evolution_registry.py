"""Registry modes as Confluent's schema registry defines them, on short version histories."""
import pytest

from evolution.catalogue import BASE_V1, change
from evolution.registry import EXAMPLE_HISTORIES, EXAMPLE_STORIES, MODES, register, register_all_modes
from formats.errors import FormatError

# v2 gives userName a default and adds an optional email; v3 drops userName and makes email
# mandatory (a union with null, no default). Each step is fine against the previous version,
# but not against v1: v1 data has no email for v3 to read, and v3 data has no userName for v1.
HISTORY = EXAMPLE_HISTORIES["avsc"]
EXPECTED = {   # mode -> accepted, per version
    "BACKWARD": (True, True, True),
    "BACKWARD_TRANSITIVE": (True, True, False),
    "FORWARD": (True, True, True),
    "FORWARD_TRANSITIVE": (True, True, False),
    "FULL": (True, True, True),
    "FULL_TRANSITIVE": (True, True, False),
    "NONE": (True, True, True),
}
# Protobuf and Thrift: v2 makes userName optional, v3 removes it: old readers still require it
EXPECTED_TAGGED = {
    "BACKWARD": (True, True, True),
    "BACKWARD_TRANSITIVE": (True, True, True),
    "FORWARD": (True, False, False),
    "FORWARD_TRANSITIVE": (True, False, False),
    "FULL": (True, False, False),
    "FULL_TRANSITIVE": (True, False, False),
    "NONE": (True, True, True),
}


@pytest.mark.parametrize("language,expected", [("avsc", EXPECTED), ("proto", EXPECTED_TAGGED),
                                               ("thrift", EXPECTED_TAGGED)])
def test_every_mode_on_a_three_version_history(language, expected):
    results = register_all_modes(language, EXAMPLE_HISTORIES[language])
    assert {mode: tuple(c.accepted for c in r.candidates) for mode, r in results.items()} == expected
    assert len(EXAMPLE_STORIES[language]) > 100


def test_a_rejected_v2_leaves_v3_to_face_v1():
    v3 = register("proto", EXAMPLE_HISTORIES["proto"], "FORWARD").candidates[2]
    assert v3.compared_with == (1,)
    # v3 also deletes tag 1 without `reserved 1;` (protobuf "Updating A Message Type": reserve deleted numbers)
    assert [f.rule for f in v3.failed[0].verdict.rules] == ["required-missing", "tag-not-reserved"]


def test_transitive_modes_name_the_pairs_that_failed():
    backward = register("avsc", HISTORY, "BACKWARD_TRANSITIVE").candidates[2]
    assert backward.compared_with == (1, 2)
    assert [(p.direction, p.other) for p in backward.failed] == [("backward", 1)]
    assert backward.failed[0].verdict.rules[0].rule == "reader-field-missing-default"
    full = register("avsc", HISTORY, "FULL_TRANSITIVE").candidates[2]
    assert sorted((p.direction, p.other) for p in full.failed) == [("backward", 1), ("forward", 1)]


def test_lossy_pairs_pass_as_warnings():
    narrowed = change("narrow-int").schemas("proto")[1]   # v2's int32 cuts v1's int64 values short
    v2 = register("proto", [BASE_V1["proto"], narrowed], "BACKWARD").candidates[1]
    assert v2.accepted and [(p.direction, p.other) for p in v2.warnings] == [("backward", 1)]
    assert [f.rule for f in v2.warnings[0].verdict.rules] == ["varint-narrowed"]


def test_an_ignored_field_is_no_warning():
    v2 = register("avsc", HISTORY, "FORWARD").candidates[1]   # v1 readers ignore v2's email
    assert v2.accepted and v2.warnings == ()
    assert "field-skipped" in [f.rule for f in v2.checks[0].verdict.rules]


def test_which_side_upgrades_first():
    assert register("avsc", HISTORY, "BACKWARD").upgrade_first == "consumers"
    assert register("avsc", HISTORY, "FORWARD_TRANSITIVE").upgrade_first == "producers"
    assert register("avsc", HISTORY, "FULL").upgrade_first == "either"
    assert "together" in register("avsc", HISTORY, "NONE").upgrade_advice
    assert set(MODES) == set(EXPECTED)


def test_a_rejected_version_is_not_registered_so_the_next_is_checked_against_the_last_accepted():
    bad = change("add-required-field").schemas("avsc")[1]   # v1 data has no email: BACKWARD rejects
    ok = change("add-optional-field").schemas("avsc")[1]
    result = register("avsc", [BASE_V1["avsc"], bad, ok], "BACKWARD")
    assert [c.accepted for c in result.candidates] == [True, False, True]
    assert result.candidates[2].compared_with == (1,) and result.registered == (1, 3)


@pytest.mark.parametrize("language", ["proto", "thrift"])
def test_rule_tables_judge_protobuf_and_thrift_histories(language):
    # v2 adds an optional email; v3 makes it required: no longer readable from v2 data without one
    v1 = BASE_V1[language]
    v2 = change("add-optional-field").schemas(language)[1]
    v3 = change("add-required-field").schemas(language)[1]
    backward = register(language, [v1, v2, v3], "BACKWARD")
    assert [c.accepted for c in backward.candidates] == [True, True, False]
    assert backward.candidates[2].failed[0].verdict.rules[0].rule == "required-not-guaranteed"
    forward = register(language, [v1, v2, v3], "FORWARD")
    assert [c.accepted for c in forward.candidates] == [True, True, True]


def test_bad_input_is_a_format_error_that_names_the_version():
    with pytest.raises(FormatError, match="unknown compatibility mode"):
        register("avsc", HISTORY, "SIDEWAYS")
    with pytest.raises(FormatError, match="^version 2: "):
        register("avsc", [BASE_V1["avsc"], "{not json"], "BACKWARD")
    with pytest.raises(FormatError, match="empty"):
        register("proto", [], "FULL")
