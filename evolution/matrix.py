"""The compatibility matrix: every catalogue change, in four formats, both directions, read for real,
next to the static verdict for the same pair of schemas.

The two usually agree. Where they do not, DIFFERENCES says why, in words a student reads
on screen: a static check judges every record the writer's schema allows, while a decode
reads one record, which may not hit the worst case.
"""
import functools
from dataclasses import dataclass

from evolution import catalogue
from evolution.catalogue import CHANGES, FAMILY_OF_FORMAT, LANGUAGE_OF
from evolution.resolve import DIRECTIONS, NEWER, run
from evolution.schemaless import DEFAULT_POLICY, POLICIES
from evolution.static import static_verdict
from formats.errors import FormatError
from i18n import Text

MATRIX_FORMATS = ("avro", "protobuf", "thrift-compact", "json")
NOT_APPLICABLE = "n/a"

# (change id, family, direction) -> why the decode and the static verdict disagree there (the catalogue's
# words, under ev.difference)
DIFFERENCES = {
    ("optional-to-required", "avro", "backward"): ("may_be_absent", {"how": Text("ev.difference.null_branch")}),
    ("optional-to-required", "protobuf", "backward"): ("may_be_absent", {"how": Text("ev.difference.no_tag_2")}),
    ("optional-to-required", "thrift", "backward"): ("may_be_absent", {"how": Text("ev.difference.no_tag_2")}),
    ("add-enum-symbol", "thrift", "forward"): ("number_kept", {"number": 3}),
    ("remove-enum-symbol", "thrift", "backward"): ("number_kept", {"number": 1}),
    ("string-to-bytes", "avro", "forward"): ("utf8_text", {}),
    ("widen-int", "protobuf", "forward"): ("age_fits", {}),
}


def difference(change_id: str, format_id: str, direction: str) -> str | None:
    found = DIFFERENCES.get((change_id, FAMILY_OF_FORMAT[format_id], direction))
    return Text(f"ev.difference.{found[0]}", **found[1]) if found else None


@dataclass(frozen=True)
class Cell:
    change_id: str
    format_id: str
    direction: str
    status: str                # the decode's: "compatible", "lossy", "incompatible", or NOT_APPLICABLE
    reason: str                # one short line
    static: str | None         # the static verdict's status; None for schemaless formats and n/a cells
    difference: str | None     # why `status` and `static` differ (DIFFERENCES), when they do


def cell(format_id: str, change_id: str, direction: str, policy: str = DEFAULT_POLICY) -> Cell:
    change = catalogue.change(change_id)
    family = FAMILY_OF_FORMAT[format_id]
    why_not = change.why_not(family)
    if why_not:
        return Cell(change_id, format_id, direction, NOT_APPLICABLE, why_not, None, None)
    outcome = run(format_id, change_id, direction, policy)
    static = None
    if family != "schemaless":
        v1, v2 = change.schemas(LANGUAGE_OF[family])
        writer, reader = (v1, v2) if direction == "backward" else (v2, v1)
        static = static_verdict(format_id, writer, reader, newer=NEWER[direction]).status
    differs = static is not None and static != outcome.status
    return Cell(change_id, format_id, direction, outcome.status, outcome.reason, static,
                difference(change_id, format_id, direction) if differs else None)


def matrix(policy: str = DEFAULT_POLICY) -> list[Cell]:
    """Every change x MATRIX_FORMATS x direction (json read by a reader with `policy`)."""
    if policy not in POLICIES:
        raise FormatError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    return list(_matrix(policy))


@functools.lru_cache(maxsize=len(POLICIES))   # deterministic; the cells are frozen, so sessions may share them
def _matrix(policy: str) -> tuple[Cell, ...]:
    return tuple(cell(format_id, c.id, direction, policy)
                 for c in CHANGES for format_id in MATRIX_FORMATS for direction in DIRECTIONS)
