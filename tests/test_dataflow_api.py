"""Services beyond the faulty network, on real bytes: a reference becomes a copy, SOAP from a WSDL,
API versioning routed from the request's bytes, old clients reading a new server's response.

Rules cited: protobuf "Updating A Message Type" (old code parses new messages and keeps the new fields
as unknown fields); XML Schema validation as zeep applies it (strict by default: an element the type
does not declare is an error); Jackson's DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES (true by
default); SOAP 1.1 (the SOAPAction header names the operation the WSDL's soap:operation gives).
"""
import pytest
from lxml import etree

from dataflow import api, services
from formats import protobuf
from formats.spans import check_tiling

SOAP_NS = "{http://schemas.xmlsoap.org/soap/envelope/}"


@pytest.mark.parametrize("change", list(api.SERVER_CHANGES))
def test_a_remote_caller_holds_a_stale_copy_and_a_local_caller_the_object(change):
    demo = api.reference_vs_copy(change)
    server, local, remote = demo.rows
    _, edits = api.SERVER_CHANGES[change]
    assert local["the server's object?"] and not remote["the server's object?"]
    assert {k: local[k] for k in edits} == {k: server[k] for k in edits}       # the reference sees the change
    decoded = protobuf.message_class(api.ORDER_PROTO).FromString(demo.response.data)
    assert decoded.status == api.ORDER["status"] == remote["status"]           # the bytes were a snapshot
    assert set(demo.stale) == set(edits) and all(remote[k] != server[k] for k in edits)
    assert "still has the old" in demo.notes[0]


def test_calling_again_fetches_a_fresh_copy():
    demo = api.reference_vs_copy("ship", call_again=True)
    assert demo.stale == [] and demo.calls == 2
    assert protobuf.message_class(api.ORDER_PROTO).FromString(demo.response.data).status == "SHIPPED"


def test_zeep_builds_the_soap_request_the_wsdl_describes():
    call = api.soap_call()
    request = call.request
    check_tiling(request.spans, request.size)
    head, body = request.data.split(b"\r\n\r\n", 1)
    line, headers = api.head_of(request.data)
    assert line == "POST /soap HTTP/1.1"
    assert headers["soapaction"] == '"http://payments.example.com/Charge"'   # the WSDL's soap:operation
    assert 'soapAction="http://payments.example.com/Charge"' in call.wsdl_excerpt
    envelope = etree.fromstring(body)
    charge = envelope.find(f"{SOAP_NS}Body")[0]
    values = {etree.QName(e).localname: e.text for e in charge}
    assert values == {"paymentId": "pay-42", "amountCents": "1999", "currency": "EUR"}
    labelled = {s.path: request.data[s.start:s.end].decode() for s in request.spans if s.kind == "value"}
    assert labelled == values
    assert call.result == {"chargeId": "ch-0042", "status": "CHARGED"}


@pytest.mark.parametrize("client_version", [1, 2])
def test_each_versioning_scheme_routes_the_request_by_its_bytes(client_version):
    rows = api.versioned_requests(client_version)
    assert [r["scheme"] for r in rows] == list(api.SCHEMES)
    for r in rows:
        assert r["version"] == client_version
        check_tiling(r["request"].spans, r["request"].size)
        assert r["response"].data.endswith(api.formats.encode("json", api.BODIES[client_version]).data)
    unversioned = api.http_message("GET /charges/ch-0042 HTTP/1.1", ["Host: x"], api.Encoded("json", b"", [], None))
    assert api.route(unversioned.data) == (api.LATEST, "it asks for no version: the latest answers")


def test_old_clients_reading_a_response_with_a_new_field():
    rows = api.response_reads()
    assert [(r["api"], r["status"]) for r in rows] == [
        ("REST (JSON)", "compatible"),        # a tolerant reader ignores receiptUrl
        ("REST (JSON)", "incompatible"),      # FAIL_ON_UNKNOWN_PROPERTIES
        ("gRPC (protobuf)", "compatible"),    # an unknown field, kept
        ("SOAP (XML)", "incompatible"),       # zeep validates against the v1 WSDL's types
        ("SOAP (XML)", "compatible")]         # strict=False
    assert "Unexpected element" in rows[3]["why"] and "receiptUrl" in rows[3]["why"]
    assert "kept receiptUrl" in rows[4]["why"]


def test_the_five_problems_quote_the_run():
    run = services.run(services.Params(idempotency_keys=False, seed=3))
    rows = api.rpc_problems(run, api.reference_vs_copy())
    c = run.counters
    assert len(rows) == 5
    assert f"{c['requests lost']} requests" in rows[0]["this run"]
    assert f"{c['failed but charged']} of them charged anyway" in rows[1]["this run"]
    assert f"{c['double charges']} double charge" in rows[2]["this run"] and c["double charges"] > 0
    assert rows[4]["this run"] == "the remote copy's status is stale"


def test_the_rest_request_keeps_its_bytes_after_the_head_moved_to_one_helper():
    rest = services.wire()["REST: JSON over HTTP/1.1"]
    check_tiling(rest.spans, rest.size)
    assert rest.data.startswith(b"POST /v1/charges HTTP/1.1\r\nHost: payments.example.com\r\n")
    assert rest.data.endswith(b'\r\n\r\n{"paymentId":"pay-42","amountCents":1999,"currency":"EUR"}')
