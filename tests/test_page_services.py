"""The services page's second half (reference or copy, SOAP, versioning, responses, discovery) and the
messaging page's queues-and-logs sentence and republishing consumer, through AppTest, against the engine."""
from dataflow import api
from tests.pages import html_bodies, page, tables, texts
from tests.test_page_dataflow import open_page


def test_the_five_problems_follow_the_run_and_the_copy_demo():
    at = open_page("flow_services")
    problems = tables(at)[0]
    assert len(problems) == 5
    assert problems[4]["this run"] == "the remote copy's status is stale"
    at.toggle(key="sv.call_again").set_value(True).run()
    assert not at.exception
    assert tables(at)[0][4]["this run"].startswith("fresh only because the client called again")


def test_a_reference_or_a_copy_through_its_controls():
    at = open_page("flow_services")
    copy = next(rows for rows in tables(at) if "holds" in rows[0])
    assert [row["status"] for row in copy] == ["SHIPPED", "SHIPPED", "PENDING"]
    at.selectbox(key="sv.copy_change").set_value("refund").run()
    assert not at.exception
    copy = next(rows for rows in tables(at) if "holds" in rows[0])
    assert [row["totalCents"] for row in copy] == ["2999", "2999", "4999"]
    demo = api.reference_vs_copy("refund")
    assert any(f"**The response the remote client decoded (protobuf Order)** — {demo.response.size} bytes" in t
               for t in texts(at))
    at.toggle(key="sv.call_again").set_value(True).run()
    copy = next(rows for rows in tables(at) if "holds" in rows[0])
    assert [row["totalCents"] for row in copy] == ["2999", "2999", "2999"]


def test_soap_responses_versioning_and_discovery_are_on_the_page():
    at = open_page("flow_services")
    call = api.soap_call()
    assert any(f"**SOAP: an XML envelope over HTTP/1.1** — {call.request.size} bytes" in t for t in texts(at))
    assert any("soap-env:Envelope" in b for b in html_bodies(at))
    assert 'soapAction="http://payments.example.com/Charge"' in at.code[0].value
    responses = next(b for b in html_bodies(at) if "el-resp" in b and "<table" in b)
    assert responses.count("incompatible") == 2 and "FAIL_ON_UNKNOWN_PROPERTIES" in responses
    assert sum("answers:" in t and "**v1**" in t for t in texts(at)) == 3
    at.segmented_control(key="sv.api_client").set_value(2).run()
    assert not at.exception
    assert sum("**v2** answers" in t for t in texts(at)) == 3
    assert any("application/vnd.payments.v2+json" in b for b in html_bodies(at))
    import base64
    picture = at.get("image")[0].proto.imgs[0].url.split(",", 1)[1]
    assert "registry: DNS, Consul," in base64.b64decode(picture).decode()   # the service discovery picture


def test_the_messaging_page_names_queues_and_logs_and_shows_the_republishing_consumer():
    at = open_page("flow_messaging")
    assert any(t.startswith("**Queues and logs.** Here, as in RabbitMQ or ActiveMQ") for t in texts(at))
    hops = next(df.value for df in at.dataframe if "the v1 consumer holds" in df.value.columns)
    assert dict(zip(hops["format"], hops["lost"]))["Avro"] == "email"
    assert dict(zip(hops["format"], hops["kept"]))["Protocol Buffers"] == "email"
    at.selectbox(key="mq.format").set_value("protobuf").run()
    assert not at.exception
    assert any(t.startswith("**Protocol Buffers:** The v1 consumer set favoriteNumber") and "kept email" in t
               for t in texts(at))


def test_the_actors_page_picks_a_framework_and_its_encoding():
    from dataflow import actors
    from dataflow.erlang_terms import TermCodec
    from tests.test_page_dataflow import metric
    at = open_page("flow_actors")
    at.selectbox(key="ac.framework").set_value("akka-protobuf").run()
    assert not at.exception
    assert at.selectbox(key="ac.format").value == "protobuf" and at.selectbox(key="ac.format").disabled
    assert any("plug in Protocol Buffers" in t for t in texts(at))
    at.selectbox(key="ac.framework").set_value("erlang-records").run()
    assert not at.exception
    run = actors.run(TermCodec("record"))
    assert metric(at, "Failed decodes") == str(run.counters["unreadable"]) != "0"
    assert any("its arity is its schema" in t for t in texts(at))
    at.selectbox(key="ac.framework").set_value("erlang-maps").run()
    assert metric(at, "Failed decodes") == "0"
    assert any("Orleans" in t for t in texts(at))


def test_the_labelled_messages_are_drawn_once_for_every_session_in_a_language(monkeypatch):
    """The page's labelled messages come from runs every session shares (ui/flow's caches), so their
    HTML is drawn once per language for all of them (ui/cache.html; two equal messages, once): a second
    student opening the page draws none, a student reading it in Russian draws them again, in Russian."""
    import functools

    from ui import cache, hexview
    drawn = []

    def counted(build):
        @functools.wraps(build)
        def draw(*args, **kwargs):
            drawn.append(build.__name__)
            return build(*args, **kwargs)
        return draw

    for name in ("text_html", "hex_html"):
        monkeypatch.setattr(hexview, name, counted(getattr(hexview, name)))
    cache.html.clear()
    first = open_page("flow_services")
    assert len(drawn) >= 8
    drawn.clear()
    second = open_page("flow_services")
    assert drawn == [] and html_bodies(second) == html_bodies(first)
    russian = page("app_pages/flow_services.py")
    russian.session_state["lang"] = "ru"
    russian.run()
    assert not russian.exception and len(drawn) >= 8
    assert html_bodies(russian) != html_bodies(first)
