"""Where a reader finds the writer's schema: each framing as real bytes, looked up, then resolved.

Avro specification 1.12: "Single-object encoding" (C3 01, the 8-byte little-endian CRC-64-AVRO
fingerprint of the schema's Parsing Canonical Form, the body); Confluent's wire format (magic byte
0, a 4-byte big-endian schema id, the body); "Schema Resolution" (a field the writer lacks takes the
reader's default; a field the reader lacks is ignored).
"""
import avro.schema
import pytest

import formats
from evolution import lookup
from evolution.registry import EXAMPLE_HISTORIES
from tests.support import check_walk, format_error

HISTORY = EXAMPLE_HISTORIES["avsc"]   # v2 adds email (default null) and a default for userName; v3 drops userName
SAMPLE = {"userName": "Martin", "favoriteNumber": 1337, "interests": ["hacking"], "age": 40, "height": 1.75,
          "status": "AWAY", "email": "m@example.com"}
STORE = lookup.SchemaStore.registered(HISTORY)


def test_confluent_bytes_carry_the_registry_id_and_the_reader_resolves_the_schema_it_names():
    data = lookup.write(STORE, "avro-confluent", 1, SAMPLE)
    assert data[:5] == b"\x00" + (lookup.FIRST_ID).to_bytes(4, "big")
    read = lookup.read(STORE, "avro-confluent", data, reader_version=2)
    assert (read.key, read.writer_version) == (lookup.FIRST_ID, 1)
    assert read.decoded.record["email"] is None and read.decoded.defaulted == ["email"]   # the reader's default
    check_walk(read.encoded, {k: v for k, v in SAMPLE.items() if k != "email"})
    assert [s["result"] for s in read.steps][:2] == [f"schema id {lookup.FIRST_ID}", "the v1 schema"]


def test_single_object_bytes_carry_the_fingerprint_the_apache_library_computes():
    data = lookup.write(STORE, "avro-single-object", 3, SAMPLE)
    fingerprint = avro.schema.parse(HISTORY[2]).fingerprint("CRC-64-AVRO")
    assert data[:10] == b"\xc3\x01" + fingerprint
    read = lookup.read(STORE, "avro-single-object", data, reader_version=2)
    assert read.writer_version == 3 and read.decoded.record["userName"] == ""   # v2's default for userName


def test_a_row_starts_with_its_schema_version():
    data = lookup.write(STORE, "avro-versioned", 2, SAMPLE)
    assert data[0] == 2 * 2   # the version as an Avro int: zigzag varint
    read = lookup.read(STORE, "avro-versioned", data, reader_version=1)
    assert read.decoded.skipped == ["email"]
    assert read.decoded.record == {k: v for k, v in SAMPLE.items() if k != "email"}


@pytest.mark.parametrize("framing, needle", [("avro-confluent", "has no schema id 99"),
                                             ("avro-versioned", "has no schema version 9")])
def test_a_key_the_reader_cannot_look_up_is_explained(framing, needle):
    data = formats.get(framing).prefix(None, 99 if framing == "avro-confluent" else 9) + b"\x02a"
    assert needle in format_error(lookup.read, STORE, framing, data, 1).message


def test_a_fingerprint_of_an_unknown_schema_is_refused():
    older = lookup.SchemaStore.registered(HISTORY, [1, 2])   # a reader that never saw v3
    data = lookup.write(STORE, "avro-single-object", 3, SAMPLE)
    assert "has no fingerprint" in format_error(lookup.read, older, "avro-single-object", data, 2).message
