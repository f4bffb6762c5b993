"""A consumer on old code republishes a message new code wrote: the field it does not know survives
or not, per format, on real bytes.

Rules: protobuf "Updating A Message Type" / unknown fields: parsers keep fields they do not know and
include them when the message is serialized again (proto3 since 3.5); Avro spec "Schema Resolution":
a writer field the reader's record lacks is ignored, so a record resolved to the old schema has no
place for it; Thrift: a reader skips a field id its IDL lacks (thriftpy2 structs keep none).
"""
import pytest

from dataflow import adapters, messaging
from formats import protobuf

CHANGE = "add-optional-field"   # v2 adds email


@pytest.mark.parametrize("format_id,kept", [("protobuf", True), ("avro", False), ("thrift-binary", False),
                                            ("thrift-compact", False), ("json", True), ("msgpack", True)])
def test_a_republishing_consumer_keeps_or_loses_the_field_it_does_not_know(format_id, kept):
    codec = adapters.for_change(format_id, CHANGE)
    hop = messaging.republish(codec)
    assert hop["unknown_to_editor"] == ["email"]
    assert hop["after_record"]["favoriteNumber"] == 42                        # the consumer's own change arrived
    assert (hop["kept"], hop["lost"]) == ((["email"], []) if kept else ([], ["email"]))
    assert hop["after_record"].get("email") == ("martin@example.com" if kept else None)
    assert ("kept email" if kept else "lost email") in hop["note"]
    assert hop["before"] == codec.encode(2, codec.record(2))


def test_the_kept_protobuf_field_is_in_the_republished_bytes():
    codec = adapters.for_change("protobuf", CHANGE)
    hop = messaging.republish(codec)
    v2 = protobuf.message_class(codec.schema_text(2)).FromString(hop["after"])   # the raw library, v2 schema
    assert v2.email == "martin@example.com" and v2.favorite_number == 42


def test_queues_drop_what_was_acknowledged_and_a_log_would_keep_it():
    codec = adapters.for_change("avro", CHANGE)
    run = messaging.fan_out(codec, messaging.Params(consumers=2))
    sentence = messaging.queue_versus_log(run)
    acked = sum(e.kind == "acked" for e in run.events)
    assert acked == 3 * run.counters["sent"]                    # two fan-out groups and one shared queue
    assert f"({3} queues in this run)" in sentence and f"{acked:,} deliveries acknowledged" in sentence
    assert f"all {run.counters['sent']:,} messages" in sentence
