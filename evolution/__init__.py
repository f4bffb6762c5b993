"""Schema evolution: old and new code read each other's data (the rolling upgrades of chapter 4, 5 in the second edition).

BACKWARD compatibility: new code reads old data. FORWARD compatibility: old code reads
new data. For each change in the catalogue (all three schema languages), this package
encodes with the writer's real library and decodes with the reader's (`run`), states what
the two schemas promise before any data exists (`static_verdict`; `buf.breaking` asks buf,
Protobuf's reference checker, and the apache `avro` checker answers inside Avro's verdicts),
lays every change out
as a matrix (`matrix`), checks a version history the way a schema registry does
(`register`), and shows what old code does to a field it does not know when it writes a
record back (`read_modify_write`). Pure Python; no streamlit.

    >>> from evolution import run
    >>> run("avro", "add-optional-field", "backward").status
    'compatible'
"""
from evolution.catalogue import CHANGES, FAMILIES, LANGUAGES, Change, change
from evolution.matrix import DIFFERENCES, MATRIX_FORMATS, NOT_APPLICABLE, Cell, matrix
from evolution.registry import MODES, Registration, register, register_all_modes
from evolution.resolve import CLASSIFICATION, DIRECTIONS, FORMATS, NEWER, Outcome, classify, read_across, run
from evolution.rules import RULES, STATUSES
from evolution.schemaless import DEFAULT_POLICY, POLICIES, SchemalessReader
from evolution.static import Verdict, static_verdict
from evolution.unknown_fields import RMW_FORMATS, RoundTrip, read_modify_write, round_trip

__all__ = ["CHANGES", "CLASSIFICATION", "DEFAULT_POLICY", "DIFFERENCES", "DIRECTIONS", "FAMILIES", "FORMATS",
           "LANGUAGES", "MATRIX_FORMATS", "MODES", "NEWER", "NOT_APPLICABLE", "POLICIES", "RMW_FORMATS", "RULES",
           "STATUSES", "Cell", "Change", "Outcome", "Registration", "RoundTrip", "SchemalessReader",
           "Verdict", "change", "classify", "matrix", "read_across", "read_modify_write", "register",
           "register_all_modes", "round_trip", "run", "static_verdict"]
