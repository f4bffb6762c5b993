"""The events page through AppTest: every control, each figure against the engine's run."""
from dataflow import events
from tests.pages import html_bodies
from tests.test_page_dataflow import metric, notes, open_page


def test_the_mode_decides_whether_the_new_consumer_can_read_the_whole_log():
    at = open_page("flow_events")
    run = events.run(events.Params())
    assert metric(at, "Failed") == str(run.counters["failed"]) != "0"
    assert metric(at, "Registry lookups") == "3"
    assert metric(at, "Read lossy") == str(run.counters["lossy"])   # what the reads lost, counted from the run
    assert r"BACKWARD\_TRANSITIVE" in notes(at)
    assert list(at.dataframe[0].value["accepted"]) == [True, True, True]

    at.selectbox(key="ev.mode").set_value("BACKWARD_TRANSITIVE").run()
    assert not at.exception
    assert metric(at, "Failed") == "0" and metric(at, "Registry lookups") == "2"
    assert list(at.dataframe[0].value["accepted"]) == [True, True, False]
    assert sum("The first v" in m.value for m in at.markdown) == 2   # only v1 and v2 events on the wire


def test_reader_retention_volume_and_seed_controls():
    at = open_page("flow_events")
    at.segmented_control(key="ev.reader").set_value(1).run()
    at.number_input(key="ev.per_month").set_value(7).run()
    at.number_input(key="ev.seed").set_value(5).run()
    assert not at.exception
    run = events.run(events.Params(reader_version=1, events_per_month=7, seed=5))
    assert metric(at, "Events") == "84" and metric(at, "Failed") == str(run.counters["failed"])
    assert r"FORWARD\_TRANSITIVE" in notes(at)
    at.select_slider(key="ev.retention").set_value(3).run()
    assert not at.exception
    assert metric(at, "Events") == "21" and metric(at, "Registry lookups") == "1"
    sample = events.run(events.Params(reader_version=1, events_per_month=7, seed=5, retention_months=3)).samples[3]
    assert any(f"{sample.data[5]:02x}" in b and "schema id 23" in b for b in html_bodies(at))
