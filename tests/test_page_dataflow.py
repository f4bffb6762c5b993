"""The Dataflow pages driven through AppTest: every main control, and each headline figure checked
against the engine's own result for the same parameters."""
import pytest

from dataflow import actors, adapters, databases, messaging, rolling_upgrade, services
from tests.pages import html_bodies, page, texts

FLOW_PAGES = ("flow_upgrade", "flow_databases", "flow_services", "flow_messaging", "flow_actors", "flow_events",
              "flow_durable")


def open_page(name: str):
    at = page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    assert at.title, "the page did not run (AppTest reports a script that does not compile as no elements)"
    return at


def metric(at, label: str) -> str:
    values = {m.label: m.value for m in at.metric}
    assert label in values, values
    return values[label]


def notes(at) -> str:
    return next(t for t in texts(at) if t.startswith("**What to notice**"))


def test_the_dataflow_section_is_registered_and_every_page_opens_from_the_app():
    at = page("app.py").run()
    for name in FLOW_PAGES:
        at.switch_page(f"app_pages/{name}.py").run()
        assert not at.exception, (name, at.exception)
        assert len(at.metric) >= 4


# --- rolling upgrade --------------------------------------------------------------------------------------

def test_rolling_upgrade_with_a_both_ways_compatible_change_has_no_failed_reads_and_all_at_once_has_downtime():
    at = open_page("flow_upgrade")
    at.selectbox(key="up.format").set_value("protobuf").run()
    at.selectbox(key="up.change").set_value("rename-field").run()   # tags unchanged: compatible both ways
    assert not at.exception
    rolling = rolling_upgrade.run(adapters.for_change("protobuf", "rename-field"))
    assert metric(at, "Failed reads") == "0" == str(rolling.counters["failed reads"])
    assert metric(at, "Downtime") == "0 ticks"
    assert any("compatible both ways" in b for b in [notes(at)])

    at.segmented_control(key="up.strategy").set_value("all-at-once").run()
    assert not at.exception
    assert at.number_input(key="up.batch").disabled
    once = rolling_upgrade.run(adapters.for_change("protobuf", "rename-field"),
                               rolling_upgrade.Params(strategy="all-at-once"))
    assert once.counters["downtime ticks"] > 0
    assert metric(at, "Downtime") == f"{once.counters['downtime ticks']:g} ticks"
    assert "no node was healthy" in notes(at)


def test_a_change_new_code_cannot_read_stops_the_rollout_at_its_health_check():
    at = open_page("flow_upgrade")
    at.selectbox(key="up.change").set_value("add-required-field").run()   # Avro: no default, old rows unreadable
    assert not at.exception
    run = rolling_upgrade.run(adapters.for_change("avro", "add-required-field"))
    assert run.counters["failed health checks"] > 0
    assert metric(at, "Failed checks") == str(run.counters["failed health checks"])
    assert metric(at, "Upgraded nodes") == "0 of 4"
    assert "health check" in notes(at)
    assert any("backward: incompatible" in b for b in html_bodies(at))
    table = at.dataframe[0].value
    assert list(table["read by"]) == ["node-1 (v2)"] and table["status"][0] == "failed"


def test_the_change_picker_offers_only_changes_that_apply_to_the_format():
    at = open_page("flow_upgrade")
    at.selectbox(key="up.format").set_value("thrift-binary").run()
    at.selectbox(key="up.change").set_value("change-tag").run()
    assert not at.exception
    at.selectbox(key="up.format").set_value("json").run()   # a tag means nothing to JSON
    assert not at.exception
    assert "change-tag" not in at.selectbox(key="up.change").options
    assert at.selectbox(key="up.change").value == "add-optional-field"


def test_an_impossible_batch_size_is_explained_not_raised():
    at = open_page("flow_upgrade")
    at.number_input(key="up.batch").set_value(6).run()
    assert not at.exception
    assert any("batch size must be a number from 1 to 4, not 6" in e.value for e in at.error)
    assert not at.metric


# --- databases --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("format_id,lost", [("avro", 2), ("protobuf", 0)])
def test_databases_read_modify_write_and_archive_match_the_engine(format_id, lost):
    at = open_page("flow_databases")
    at.selectbox(key="db.format").set_value(format_id).run()
    assert not at.exception
    run = databases.run(adapters.history(format_id))
    assert len(run.update["lost"]) == lost
    assert metric(at, "Lost in update") == str(lost)
    assert metric(at, "Old rows") == f"{run.counters['old rows']} of {run.counters['rows']}"
    assert metric(at, "Unreadable") == str(run.counters["read failed"])
    shown = texts(at)
    assert any(f"**{len(run.archive):,} bytes**" in t for t in shown)
    verdict = "**lost `interests`, `email`**" if lost else "**kept `interests`, `email`**"
    assert any(verdict in t for t in shown), shown
    assert at.get("download_button")[0].proto.label == "Download the dump (.avro)"
    assert '"name": "email"' in at.code[0].value   # the writer schema, read back from the file's header


def test_databases_cost_model_and_table_size_controls():
    at = open_page("flow_databases")
    at.number_input(key="db.rows").set_value(600).run()
    at.number_input(key="db.resolve_us").set_value(0.0).run()
    assert not at.exception
    run = databases.run(adapters.history("avro"), databases.Params(rows=600, resolve_us=0.0))
    assert metric(at, "Old rows") == f"{run.counters['old rows']} of 600"
    costs = next(d.value for d in at.dataframe if "pays off after" in d.value)
    assert "never" in list(costs["pays off after"])   # resolution costs nothing: no payoff


# --- services ---------------------------------------------------------------------------------------------

def test_idempotency_keys_prevent_double_charges_and_their_absence_shows_them():
    at = open_page("flow_services")
    assert metric(at, "Double charges") == "0"
    for seed in (2, 3):
        at.number_input(key="sv.seed").set_value(seed).run()
        assert metric(at, "Double charges") == "0"
    at.toggle(key="sv.keys").set_value(False).run()
    assert not at.exception
    run = services.run(services.Params(idempotency_keys=False, seed=3))
    assert run.counters["double charges"] > 0
    assert metric(at, "Double charges") == str(run.counters["double charges"])
    assert metric(at, "Failed") == f"{run.counters['failed']} of 200"


def test_services_faults_wire_bytes_and_api_evolution():
    at = open_page("flow_services")
    for key in ("sv.request_loss", "sv.response_loss", "sv.slow"):
        at.slider(key=key).set_value(0.0).run()
    at.slider(key="sv.crash").set_value(0.0).run()
    assert not at.exception
    assert metric(at, "Retries") == "0" and metric(at, "Double charges") == "0"
    wire = services.wire()
    shown = texts(at)
    for name, encoded in wire.items():
        assert f"**{name}** — {encoded.size} bytes" in shown
    assert any("POST /v1/charges HTTP/1.1" in b for b in html_bodies(at))
    api = next(b for b in html_bodies(at) if "el-api" in b and "<table" in b)
    assert api.count("incompatible") == 2   # renaming a field breaks REST both ways, never gRPC
    at.radio(key="sv.policy").set_value("strict").run()
    api = next(b for b in html_bodies(at) if "el-api" in b and "<table" in b)
    assert api.count("incompatible") == 3   # a strict old REST server also rejects the added field


# --- messaging --------------------------------------------------------------------------------------------

def codec():
    return adapters.for_change("avro", "add-optional-field")


def test_every_messaging_scenario_against_the_engine():
    at = open_page("flow_messaging")
    params = messaging.Params(writer_version=2, reader_version=2)
    outage = messaging.outage(codec(), params)
    assert metric(at, "Lost: broker") == "0"
    assert metric(at, "Lost: direct") == str(outage.counters["direct: lost"]) != "0"
    assert metric(at, "Peak queue") == str(outage.counters["broker: peak queue"])

    at.segmented_control(key="mq.scenario").set_value("redelivery").run()
    at.slider(key="mq.crash").set_value(0.3).run()
    assert not at.exception
    redelivered = messaging.redelivery(codec(), messaging.Params(crash=0.3, writer_version=2, reader_version=2))
    assert redelivered.counters["duplicates"] > 0
    assert metric(at, "Duplicates") == str(redelivered.counters["duplicates"])
    assert metric(at, "Dups, no crash") == "0"
    assert len(at.dataframe[0].value) == redelivered.counters["redeliveries"]

    at.segmented_control(key="mq.scenario").set_value("fan-out").run()
    at.number_input(key="mq.consumers").set_value(4).run()
    assert not at.exception
    sent = int(metric(at, "Published"))
    assert metric(at, "Fan-out copies") == f"{4 * sent:,}"
    assert metric(at, "Queue copies") == f"{sent:,}" and metric(at, "Seen twice") == "0"

    at.segmented_control(key="mq.scenario").set_value("request-reply").run()
    assert not at.exception
    replies = messaging.request_reply(codec(), messaging.Params(consumers=4, crash=0.3, writer_version=2,
                                                                reader_version=2))
    assert metric(at, "Replies matched") == str(replies.counters["replies matched"])
    assert metric(at, "Out of order") == str(replies.counters["replies out of order"])


def test_an_old_consumer_dead_letters_messages_it_cannot_read():
    at = open_page("flow_messaging")
    at.selectbox(key="mq.change").set_value("add-enum-symbol").run()   # old code cannot read the new symbol
    at.segmented_control(key="mq.reader").set_value(1).run()
    assert not at.exception
    run = messaging.outage(adapters.for_change("avro", "add-enum-symbol"),
                           messaging.Params(writer_version=2, reader_version=1))
    assert run.counters["broker: dead-lettered"] > 0
    assert metric(at, "Dead letters") == str(run.counters["broker: dead-lettered"])


def test_an_empty_outage_window_loses_nothing():
    at = open_page("flow_messaging")
    at.slider(key="mq.window").set_value((20, 20)).run()
    assert not at.exception
    assert metric(at, "Lost: direct") == "0"


# --- actors -----------------------------------------------------------------------------------------------

def test_actors_handle_one_message_at_a_time_and_show_failed_decodes_across_versions():
    at = open_page("flow_actors")
    assert metric(at, "Max in flight") == "1"
    at.selectbox(key="ac.change").set_value("add-enum-symbol").run()
    at.number_input(key="ac.loss").set_value(0.2).run()
    at.number_input(key="ac.nodes").set_value(4).run()
    assert not at.exception
    run = actors.run(adapters.for_change("avro", "add-enum-symbol"), actors.Params(loss=0.2, nodes=4))
    assert run.counters["unreadable"] > 0
    assert metric(at, "Failed decodes") == str(run.counters["unreadable"])
    assert metric(at, "Network loss") == str(run.counters["lost in network"])
    assert metric(at, "Max in flight") == "1"
    assert "failed to decode" in notes(at)
    # the mailbox heatmap's ticks: never more waiting than the actor's own peak, and some waiting at all
    peak = {a["actor"]: a["peak mailbox"] for a in run.actors}
    assert all(m["waiting"] <= peak[m["actor"]] for m in run.mailboxes)
    assert any(m["waiting"] for m in run.mailboxes)


def test_actors_show_lossy_decodes_apart_and_never_call_them_compatible():
    at = open_page("flow_actors")
    at.selectbox(key="ac.format").set_value("protobuf").run()
    at.selectbox(key="ac.change").set_value("change-tag").run()   # every cross-version message loses the value
    assert not at.exception
    run = actors.run(adapters.for_change("protobuf", "change-tag"))
    assert metric(at, "Lossy decodes") == str(run.counters["lossy"]) != "0"
    assert metric(at, "Failed decodes") == "0"
    assert "compatible both ways" not in notes(at) and "decoded but lost or changed" in notes(at)


def test_message_passing_counts_lossy_deliveries_apart():
    at = open_page("flow_messaging")
    at.selectbox(key="mq.format").set_value("protobuf").run()
    at.selectbox(key="mq.change").set_value("change-tag").run()
    at.segmented_control(key="mq.reader").set_value(1).run()   # old consumers read what new producers write
    assert not at.exception
    run = messaging.outage(adapters.for_change("protobuf", "change-tag"),
                           messaging.Params(writer_version=2, reader_version=1))
    assert metric(at, "Read lossy") == str(run.counters["broker: read lossy"]) != "0"
    assert "read lossily" in notes(at)


def test_actors_on_one_node_never_encode_a_message():
    at = open_page("flow_actors")
    at.number_input(key="ac.nodes").set_value(1).run()
    assert not at.exception
    assert metric(at, "Crossed nodes") == "0"
    assert any("never encoded" in t for t in texts(at))


# --- the shared pieces ------------------------------------------------------------------------------------

def test_a_column_mixing_numbers_and_text_becomes_text():
    from ui.flow import uniform
    rows = [{"message": 7, "bytes": 58}, {"message": "reply to 7", "bytes": 58}]
    assert uniform(rows) == [{"message": "7", "bytes": 58}, {"message": "reply to 7", "bytes": 58}]
    assert uniform(rows[:1]) == rows[:1]


def test_figures_say_what_they_show():
    from ui import flow_plots
    states = [{"tick": t, "node": "node-1", "version": 1 if t < 2 else 2, "state": s}
              for t, s in enumerate(("up", "restarting", "health check", "up"))]
    names = [trace.name for trace in flow_plots.node_timeline(states).data if trace.name]
    assert names == ["v1 serving", "v2 serving", "restarting", "health check"]
    # request 1's reply came back after request 2's: only request 1 is marked as overtaken
    trips = [{"correlation_id": f"q-{i}", "sent": sent, "replied": replied}
             for i, (sent, replied) in enumerate(((0.0, 3.0), (1.0, 2.0), (2.0, 4.0)), 1)]
    in_order, late = flow_plots.round_trips(trips).data
    assert [y for y in late.y if y is not None] == [1, 1]
    assert [y for y in in_order.y if y is not None] == [2, 2, 3, 3]


def test_a_folded_table_is_computed_only_while_it_is_open():
    # ui/widgets.folded: Streamlit reruns the page when the expander opens, and the page skips what it holds
    at = open_page("flow_services")
    log = next(e for e in at.expander if e.key == "sv.event_log")
    assert not log.dataframe
    at.session_state["sv.event_log"] = True
    at.run()
    log = next(e for e in at.expander if e.key == "sv.event_log")
    run = services.run(services.Params())
    assert len(log.dataframe) == 1 and len(log.dataframe[0].value) == len(run.events)


def test_every_session_shares_the_runs_and_no_page_changes_one():
    """The engine runs are cached and shared between sessions, not copied (ui/flow.py): a page that sorted or
    edited a run in place would change what every other student sees. Each page opens, then runs again with
    its folded tables open and its timeline one step on; after each run every cached run must still equal a
    fresh run of the same arguments."""
    from formats.budget import Budgeted
    from ui import flow
    caches = [c for c in vars(flow).values() if isinstance(c, Budgeted)]

    seen = {}   # (cache, key) -> a copy of the run as a fresh run made it (each run once, not once a page)

    def unchanged(name: str) -> None:
        held = [(c, key, value) for c in caches for key, (value, _) in list(c.entries.items())]
        assert held
        for c, key, value in held:
            if (c.__name__, key) not in seen:
                fresh = c.fn(*key)
                assert fresh == value, (name, c.__name__, key)
                seen[c.__name__, key] = fresh
            assert seen[c.__name__, key] == value, (name, c.__name__, key)

    for name in FLOW_PAGES:
        at = open_page(name)
        unchanged(name)
        for expander in at.expander:
            if expander.key:
                at.session_state[expander.key] = True
        for button in at.button:
            if button.key and button.key.endswith(".step_next") and not button.disabled:
                button.click()
        at.run()
        assert not at.exception, (name, at.exception)
        unchanged(name)
