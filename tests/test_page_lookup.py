"""Where a reader finds the writer's schema, through the pages' controls: the Schema registry and
Message passing pages frame a message and read it back; Through databases stores each Avro row
after its schema version."""
import avro.schema

from evolution import lookup
from evolution.registry import EXAMPLE_HISTORIES
from tests.pages import html_bodies, page, tables, texts

HISTORY = EXAMPLE_HISTORIES["avsc"]


def steps(at) -> list[str]:
    said = [rows for rows in tables(at) if rows and "step" in rows[0]]
    return [row["result"] for row in said[-1]] if said else []


def test_the_registry_page_frames_a_message_and_the_reader_looks_the_id_up():
    at = page("app_pages/registry.py").run()
    assert not at.exception
    # v1 writes, a v2 consumer reads: registry id 21 names v1, and v2 fills email from its default
    assert steps(at) == [f"schema id {lookup.FIRST_ID}", "the v1 schema", "filled email from defaults"]
    hex_view = next(b for b in html_bodies(at) if f"schema id {lookup.FIRST_ID}" in b)
    assert "magic byte 0" in hex_view
    at.segmented_control(key="rg.find.framing").set_value("avro-single-object").run()
    fingerprint = avro.schema.parse(HISTORY[0]).fingerprint("CRC-64-AVRO").hex()
    assert steps(at)[:2] == [f"fingerprint {fingerprint}", "the v1 schema"]
    at.selectbox(key="rg.find.writer").set_value(3).run()
    at.selectbox(key="rg.find.reader").set_value(1).run()
    # v3 dropped userName, which v1 requires with no default: the read fails, and the page says why
    assert any("v3's message cannot be read by v1" in e.value and "userName" in e.value for e in at.error)


def test_a_version_the_mode_rejects_gets_no_id():
    at = page("app_pages/registry.py").run()
    at.selectbox(key="rg.mode").set_value("FULL_TRANSITIVE").run()   # rejects v3
    assert not at.exception
    assert at.selectbox(key="rg.find.writer").options == ["v1", "v2"]


def test_other_schema_languages_say_why_they_need_no_lookup():
    at = page("app_pages/registry.py").run()
    at.selectbox(key="rg.language").set_value("proto").run()
    assert any("read by field tag" in t for t in texts(at))


def test_the_message_passing_page_reads_its_producer_and_consumer_versions_through_the_registry():
    at = page("app_pages/flow_messaging.py").run()
    assert not at.exception and at.selectbox(key="mq.format").value == "avro"
    at.segmented_control(key="mq.writer").set_value(1).run()
    at.segmented_control(key="mq.reader").set_value(2).run()
    assert not at.exception
    assert steps(at)[:2] == [f"schema id {lookup.FIRST_ID}", "the v1 schema"]
    at.selectbox(key="mq.format").set_value("protobuf").run()
    assert any("read without the writer's schema" in t for t in texts(at))


def test_through_databases_avro_rows_start_with_their_schema_version():
    at = page("app_pages/flow_databases.py").run()
    assert not at.exception
    assert any("starts with the byte" in t and "version" in t for t in texts(at))
    assert any("schema version 3" in b for b in html_bodies(at))   # the row before old code rewrote it
    assert any("schema version 1" in b for b in html_bodies(at))   # and after: v1 wrote it
