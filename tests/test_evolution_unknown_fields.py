"""Figure 4-7: old code reads new data, changes a field, writes it back. Does the new field survive?"""
import pytest

import formats
from evolution.catalogue import change
from evolution.unknown_fields import read_modify_write, round_trip
from formats.errors import FormatError


def test_protobuf_keeps_the_unknown_field():
    trip = read_modify_write("protobuf", "add-optional-field")
    assert trip.unknown == ["email"] and trip.kept == ["email"] and trip.lost == [] and trip.lost_spans == []
    assert trip.reread["email"] == "martin@example.com" and trip.reread["favoriteNumber"] == 42
    # old code's bytes still carry field tag 7, which its own schema can only label by number
    assert any(s.path == "#7" for s in trip.after.spans)


@pytest.mark.parametrize("format_id", ["thrift-binary", "thrift-compact", "avro"])
def test_thriftpy2_and_an_old_avro_reader_drop_it(format_id):
    trip = read_modify_write(format_id, "add-optional-field")
    assert trip.unknown == ["email"] and trip.lost == ["email"] and trip.kept == []
    assert trip.reread.get("email") is None and trip.reread["favoriteNumber"] == 42
    assert trip.lost_spans == trip.before.spans_for("email") and trip.lost_spans
    # exactly what old code would write for the record it knows
    v1 = change("add-optional-field").schemas(formats.get(format_id).schema_language)[0]
    known = {**change("add-optional-field").record_v1, "favoriteNumber": 42}
    assert trip.after.data == formats.encode(format_id, known, v1).data


def test_protobuf_keeps_a_moved_tag_but_old_code_writes_its_change_to_the_old_one():
    trip = read_modify_write("protobuf", "change-tag")
    assert trip.kept == ["favoriteNumber"]
    assert trip.reread["favoriteNumber"] == 1337   # new code reads tag 9, untouched by old code's write to tag 2
    # the field survives, but old code's update to 42 is silently lost: it went to tag 2, which v2 does not read
    assert not trip.update_arrived and "42" in trip.update_note and "1337" in trip.update_note


def test_the_round_trip_follows_any_two_versions():
    v1 = 'syntax = "proto3"; message P { string name = 1; int32 visits = 2; }'
    v2 = 'syntax = "proto3"; message P { string name = 1; int32 visits = 2; string phone = 3; }'
    record = {"name": "Ann", "visits": 3, "phone": "555"}
    trip = round_trip("protobuf", v1, v2, record)   # no field named: old code bumps its first number
    assert trip.modified == ("visits", 4) and trip.kept == ["phone"] and trip.update_arrived
    assert trip.before.data == formats.encode("protobuf", record, v2).data
    assert trip.reread == {"name": "Ann", "visits": 4, "phone": "555"}
    thrift = round_trip("thrift-compact", "struct P { 1: string name, 2: i32 visits }",
                        "struct P { 1: string name, 2: i32 visits, 3: string phone }", record, "name", "Bo")
    assert thrift.lost == ["phone"] and thrift.reread["name"] == "Bo" and thrift.reread.get("phone") is None


def test_an_old_proto2_reader_keeps_an_unknown_enum_number_and_it_wins_over_its_own_change():
    # v1 files BUSY (3) under unknown fields; it sets status to ONLINE, and writes the unknown
    # field back after it: a v2 reader keeps the last value of field 6, so BUSY wins
    trip = read_modify_write("protobuf", "add-enum-symbol", "status", "ONLINE")
    assert trip.reread["status"] == "BUSY" and not trip.update_arrived and "BUSY" in trip.update_note
    tags = [s.label for s in trip.after.spans if s.kind == "tag" and "tag 6" in s.label]
    assert len(tags) == 2


def test_old_code_that_cannot_read_the_data_says_why():
    with pytest.raises(FormatError, match="BUSY"):
        read_modify_write("avro", "add-enum-symbol")
    with pytest.raises(FormatError, match="does not apply"):
        read_modify_write("avro", "change-tag")
    with pytest.raises(FormatError, match="read-modify-write is shown for"):
        read_modify_write("json", "add-optional-field")
    with pytest.raises(FormatError, match="no single number"):
        read_modify_write("protobuf", "add-optional-field", "interests", ["x"])
    with pytest.raises(FormatError, match="cannot hold"):
        read_modify_write("thrift-binary", "add-optional-field", "favoriteNumber", "many")
