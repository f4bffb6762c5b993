"""The durable execution page through AppTest: every control, each figure against the engine's run."""
from dataflow import durable
from tests.pages import html_bodies, texts
from tests.test_page_dataflow import metric, notes, open_page


def test_a_crash_replays_from_the_log_and_the_idempotency_key_decides_the_double_charge():
    at = open_page("flow_durable")
    run = durable.run(durable.Params())
    assert metric(at, "Completed") == "8 of 8"
    assert metric(at, "From the log") == str(run.counters["results from the log"]) != "0"
    assert metric(at, "Ran twice") == str(run.counters["activity executions"] - run.counters["steps scheduled"])
    assert metric(at, "Double charges") == "0"
    assert "provider answered with the stored charge" in notes(at)

    at.toggle(key="du.keys").set_value(False).run()
    assert not at.exception
    assert metric(at, "Double charges") == "1" and "Without an idempotency key" in notes(at)

    at.toggle(key="du.crash").set_value(False).run()
    assert not at.exception and at.number_input(key="du.crash_at").disabled
    assert metric(at, "Ran twice") == "0" and metric(at, "Double charges") == "0"
    assert "crash" not in notes(at).split("What to notice")[1].replace("crashed", "")


def test_a_reordered_deploy_blocks_workflows_and_the_patch_marker_fixes_it():
    at = open_page("flow_durable")
    at.selectbox(key="du.change").set_value("reorder").run()
    assert not at.exception
    reorder = durable.run(durable.Params(change="reorder"))
    assert metric(at, "Blocked") == str(reorder.counters["stuck"]) != "0"
    assert "non-determinism error" in notes(at)
    assert 'step(charge_card, order["amountCents"])\n        reservation' in at.code[1].value

    at.selectbox(key="du.change").set_value("patched").run()
    assert not at.exception
    assert metric(at, "Blocked") == "0" and metric(at, "Completed") == "8 of 8"
    assert 'workflow.patched("fraud-check")' in at.code[1].value
    assert "recorded the marker" in notes(at)


def test_the_history_of_a_chosen_workflow_is_its_recorded_bytes():
    at = open_page("flow_durable")
    at.number_input(key="du.workflows").set_value(4).run()
    at.number_input(key="du.deploy_at").set_value(3.0).run()
    at.number_input(key="du.crash_at").set_value(2.0).run()
    at.number_input(key="du.seed").set_value(3).run()
    at.segmented_control(key="du.log").set_value("avro").run()
    at.selectbox(key="du.workflow").set_value("payment-3").run()
    assert not at.exception
    run = durable.run(durable.Params(workflows=4, deploy_at=3.0, crash_at=2.0, seed=3, log_format="avro"))
    mine = [e for e in run.log if e["workflow"] == "payment-3"]
    table = at.dataframe[0].value
    assert list(table["type"]) == [e["type"] for e in mine]
    assert list(table["hex"]) == [e["data"].hex(" ") for e in mine]
    assert any("Avro, for comparison" in t for t in texts(at))
    charge = next(e for e in mine if e["type"] == "ActivityTaskCompleted" and e["name"] == "charge_card")
    assert any(f"{charge['data'][0]:02x}" in b and "el-hex" in b for b in html_bodies(at))

