"""The compatibility matrix, and the explicit table of where a decode and a static verdict differ."""
import time

from evolution.catalogue import CHANGES, FAMILY_OF_FORMAT
from evolution.matrix import DIFFERENCES, MATRIX_FORMATS, NOT_APPLICABLE, _matrix, cell, matrix
from evolution.resolve import DIRECTIONS


def test_the_matrix_covers_every_change_format_and_direction():
    cells = matrix()
    assert len(cells) == len(CHANGES) * len(MATRIX_FORMATS) * len(DIRECTIONS)
    assert {(c.change_id, c.format_id, c.direction) for c in cells} == {
        (ch.id, f, d) for ch in CHANGES for f in MATRIX_FORMATS for d in DIRECTIONS}
    for c in cells:
        assert c.reason
        if c.status == NOT_APPLICABLE:
            assert c.static is None and c.difference is None
        elif c.format_id == "json":
            assert c.static is None
        else:
            assert (c.static != c.status) == (c.difference is not None)


def test_every_listed_difference_shows_up_and_nothing_else_differs():
    """DIFFERENCES is exactly the set of cells where decode and static verdict disagree (thrift-binary
    included: the thrift entries hold for both protocols)."""
    differing = set()
    for ch in CHANGES:
        for format_id in ("avro", "protobuf", "thrift-binary", "thrift-compact"):
            for direction in DIRECTIONS:
                c = cell(format_id, ch.id, direction)
                if c.status != NOT_APPLICABLE and c.static != c.status:
                    differing.add((ch.id, FAMILY_OF_FORMAT[format_id], direction))
    assert differing == set(DIFFERENCES)


def test_the_strict_policy_changes_only_json_cells():
    ignore, strict = matrix("ignore"), matrix("strict")
    changed = {(a.change_id, a.format_id, a.direction) for a, b in zip(ignore, strict) if a != b}
    assert changed and all(f == "json" for _, f, _ in changed)
    assert ("add-optional-field", "json", "forward") in changed


def test_matrix_is_computed_once_per_policy():
    start = time.perf_counter()
    _matrix.__wrapped__("ignore")   # uncached: every cell encoded, decoded and checked again
    cold = time.perf_counter() - start
    start = time.perf_counter()
    matrix()
    cached = time.perf_counter() - start
    print(f"\nmatrix(): {cold * 1000:.0f} ms to compute 136 cells, {cached * 1e6:.0f} µs cached")
    assert all(a is b for a, b in zip(matrix(), matrix()))   # reruns share the cached cells
