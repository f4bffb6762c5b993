"""The core's promise, for every format through the public API, over generated records.

For any record (and the schema inferred from it): the real library's decoder gives the record
back (as far as the format can hold it: `comparable`), the walk's spans tile the bytes, and
every value span re-decodes to the record's value at its path. Each format's own test file
adds schema-first generation in its schema language.
"""
import copy

import pytest
from hypothesis import HealthCheck, given, settings

import formats
from tests.strategies import records
from tests.support import check_walk


@pytest.mark.parametrize("format_id", formats.FORMATS + ("avro-container",))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records())
def test_library_round_trip_and_walk(format_id, record):
    fmt = formats.get(format_id)
    snapshot = copy.deepcopy(record)
    encoded = formats.encode(format_id, record)             # inferred schema where the format needs one
    assert record == snapshot   # encoders only read the record (the explorer shares one parsed copy)
    check_walk(encoded, fmt.comparable(record))
    again = formats.annotate(format_id, encoded.data, encoded.schema_text)   # pasted bytes: the same walk
    assert again.spans == encoded.spans
    decoded = formats.decode(format_id, encoded.data, encoded.schema_text)
    assert decoded.record == fmt.comparable(record)


@pytest.mark.parametrize("format_id", ("avro", "protobuf", "thrift-binary", "thrift-compact"))
def test_inference_merges_rows_whose_lists_are_sometimes_empty(format_id):
    record = {"people": [{"tags": ["a"], "n": 1}, {"tags": [], "n": 2.5}, {"tags": ["b", "c"]}]}
    encoded = formats.encode(format_id, record)
    check_walk(encoded, formats.get(format_id).comparable(record))
