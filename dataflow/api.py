"""Services beyond the faulty network: what a remote call carries, and how a web API evolves.

    reference_vs_copy    a local call hands over a reference; a remote one the bytes of a copy
    soap_call            the charge as SOAP sends it: zeep builds the envelope from the WSDL
    versioned_requests   three ways to version an API: in the URL, the Accept header, per API key
    response_reads       old clients reading a new server's response (forward compatibility of responses)
    rpc_problems         the five problems of RPC the chapter lists, each with what a run showed

Every body is written by a real library (json, protobuf, zeep with lxml); the HTTP heads around
them are built and labelled here.
"""
import functools
import http.client
import io
import re
import textwrap
import threading
from dataclasses import dataclass, field
from pathlib import Path

import formats
from dataflow.engine import count
from evolution.resolve import read_across
from evolution.schemaless import SchemalessReader
from formats.spans import Encoded, Span, shifted
from i18n import Text

HOST = "payments.example.com"


def http_message(start_line: str, headers: list[str], body: Encoded, notes: dict[str, str] | None = None,
                 format_id: str | None = None, caption: list[str] | None = None) -> Encoded:
    """An HTTP/1.1 message: the start line and headers (one span each, explained from `notes` by line name),
    a blank line, then `body` with its own spans."""
    notes = notes or {}
    spans, at, raw = [], 0, b""
    length = [f"Content-Length: {body.size}"] if body.size else []   # a GET has no body and no length
    for i, line in enumerate([start_line, *headers, *length]):
        data = (line + "\r\n").encode("ascii")
        name = ("status line" if line.startswith("HTTP/") else "request line") if i == 0 \
            else f"header {line.split(':')[0]}"
        label = Text("df.api." + name.replace(" ", "_")) if i == 0 else Text("df.api.header", name=line.split(":")[0])
        spans.append(Span(at, at + len(data), "header", label, "", notes.get(name, "")))
        at, raw = at + len(data), raw + data
    spans.append(Span(at, at + 2, "punctuation", Text("df.api.blank_line"), ""))
    at += 2
    return Encoded(format_id or body.format_id, raw + b"\r\n" + body.data, spans + shifted(body.spans, at),
                   body.schema_text, caption or [])


def head_of(message: bytes) -> tuple[str, dict[str, str]]:
    """The start line and headers of an HTTP message, parsed by the standard library."""
    head = message.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    first, rest = head.split(b"\r\n", 1)
    parsed = http.client.parse_headers(io.BytesIO(rest))
    return first.decode("ascii"), {k.lower(): v for k, v in parsed.items()}


# --- 1. only encoded data travels: a reference becomes a copy ---------------------------------------------

ORDER_PROTO = """syntax = "proto3";

message Order {
  string order_id = 1;
  string status = 2;
  int64 total_cents = 3;
  repeated string items = 4;
}
"""
ORDER = {"orderId": "order-7", "status": "PENDING", "totalCents": 4999, "items": ["book", "lamp"]}
SERVER_CHANGES = {   # id -> (what happens on the server afterwards, the change)
    "ship": (Text("df.api.change.ship"), {"status": "SHIPPED"}),
    "add-item": (Text("df.api.change.add_item"), {"items": ["book", "lamp", "kettle"], "totalCents": 7498}),
    "refund": (Text("df.api.change.refund"), {"items": ["book"], "totalCents": 2999}),
}


@dataclass
class CopyDemo:
    """`response`: the bytes the remote client got (gRPC's protobuf Order); `rows`: the server's object, what
    the local caller holds and what the remote caller holds, after the change; `stale`: the fields where the
    remote copy no longer matches the server."""
    response: Encoded
    rows: list[dict]
    stale: list[str]
    calls: int
    notes: list[str] = field(default_factory=list)


def reference_vs_copy(change: str = "ship", call_again: bool = False) -> CopyDemo:
    """get_order() called locally (it returns the server's own object) and remotely (the object is encoded,
    sent, decoded into a new one); then the server changes the order; then, optionally, the client calls again."""
    what, edits = SERVER_CHANGES[change]
    server_order = dict(ORDER)                  # the server's object
    local = server_order                        # a local call returns a reference to that very object
    response = formats.encode("protobuf", server_order, ORDER_PROTO)
    remote = formats.decode("protobuf", response.data, ORDER_PROTO).record   # a new object, built from bytes
    server_order.update(edits)                  # later, on the server
    calls = 1
    if call_again:
        response = formats.encode("protobuf", server_order, ORDER_PROTO)
        remote = formats.decode("protobuf", response.data, ORDER_PROTO).record
        calls = 2
    stale = [k for k in server_order if remote.get(k, []) != server_order[k]]
    rows = [{"who": who, "holds": holds, "the server's object?": obj is server_order,
             **{k: ", ".join(v) if isinstance(v, list) else v for k, v in obj.items()}}
            for who, holds, obj in ((Text("df.api.server"), Text("df.api.holds_object"), server_order),
                                    (Text("df.api.local_caller"), Text("df.api.holds_reference"), local),
                                    (Text("df.api.remote_caller"), Text("df.api.holds_copy", n=response.size), remote))]
    if stale:
        note = Text("df.api.stale", what=what, fields=", ".join(stale))
    else:
        note = Text("df.api.fresh", what=what, calls=count(calls, "call"), n=response.size)
    return CopyDemo(response, rows, stale, calls, [note])


# --- 2. SOAP: an envelope built from the WSDL ------------------------------------------------------------

WSDL = (Path(__file__).parent / "wsdl" / "payments.wsdl").read_text(encoding="utf-8")
TNS = "http://payments.example.com/wsdl"
RECEIPT = '<xsd:element name="status" type="xsd:string"/>'
WSDL_V2 = WSDL.replace(RECEIPT, RECEIPT + '\n            <xsd:element name="receiptUrl" type="xsd:string"/>')
SOAP_NOTES = {"request line": Text("df.api.soap.request_line"), "header SOAPAction": Text("df.api.soap.action")}


@dataclass
class SoapCall:
    request: Encoded            # the HTTP POST zeep sent, every byte labelled
    wsdl_excerpt: str           # the parts of the WSDL that describe this request
    result: dict                # what zeep parsed from the server's response
    response: bytes             # the response envelope the server sent


class _Recording:
    """A zeep transport that records the POST instead of sending it, and answers with a given envelope."""

    def __init__(self):
        import zeep
        self.transport = type("RecordingTransport", (zeep.Transport,), {"post": self._post})()
        self.sent, self.reply = None, b""

    def _post(self, address, message, headers):
        import requests
        self.sent = (address, message, headers)
        reply = requests.Response()
        reply.status_code, reply._content, reply.encoding = 200, self.reply, "utf-8"
        reply.headers["Content-Type"] = "text/xml; charset=utf-8"
        return reply


_SOAP_LOCK = threading.Lock()   # one recording transport per client: one call at a time


@functools.lru_cache(maxsize=4)
def _client(wsdl: str, strict: bool):
    """A zeep client built from WSDL text (ours, never a user's), with its recording transport."""
    import zeep
    recording = _Recording()
    return zeep.Client(io.BytesIO(wsdl.encode("utf-8")), transport=recording.transport,
                       settings=zeep.Settings(strict=strict)), recording


def soap_response(wsdl: str, **values) -> bytes:
    """The server's response envelope, its body rendered by zeep's XSD types from `wsdl`'s ChargeResponse."""
    from lxml import etree
    client, _ = _client(wsdl, True)
    soap = "http://schemas.xmlsoap.org/soap/envelope/"
    envelope = etree.Element(f"{{{soap}}}Envelope", nsmap={"soap-env": soap})
    element = client.get_element(f"{{{TNS}}}ChargeResponse")
    element.render(etree.SubElement(envelope, f"{{{soap}}}Body"), element(**values))
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def soap_call(record: dict | None = None, response: bytes | None = None, strict: bool = True) -> SoapCall:
    """client.service.Charge(...) as zeep runs it from the WSDL: the request it POSTs, and its parse of
    `response` (by default the v1 server's answer). Raises zeep's errors for a response it refuses."""
    record = dict(record or {"paymentId": "pay-42", "amountCents": 1999, "currency": "EUR"})
    reply = response or soap_response(WSDL, chargeId="ch-0042", status="CHARGED")
    client, recording = _client(WSDL, strict)
    with _SOAP_LOCK:
        recording.reply = reply
        result = client.service.Charge(**record)
        address, message, headers = recording.sent
    path = address.split(HOST, 1)[1]
    body = Encoded("xml", message, soap_spans(message), None)
    request = http_message(f"POST {path} HTTP/1.1", [f"Host: {HOST}"] + [f"{k}: {v}" for k, v in headers.items()],
                           body, SOAP_NOTES, caption=[Text("df.api.soap.caption", n=body.size)])
    parsed = {k: v for k, v in result.__values__.items() if v is not None} if hasattr(result, "__values__") \
        else dict(result)
    return SoapCall(request, wsdl_excerpt(), parsed, reply)


_XML_TOKEN = re.compile(rb"<\?.*?\?>|</?[^>]+>|[^<]+", re.S)
_SOAP_FRAME = {"Envelope": Text("df.api.soap.envelope"), "Body": Text("df.api.soap.body"),
               "Header": Text("df.api.soap.header")}


def soap_spans(data: bytes) -> list[Span]:
    """Every byte of an envelope labelled: the declaration and SOAP's own elements as header, the request's
    element names (start and end tags) as names, their text as values. Hand-written: formats/xml maps
    records without namespaces, and no XML library labels its bytes."""
    spans, stack, request = [], [], None   # stack: the elements open inside the request element
    for m in _XML_TOKEN.finditer(data):
        token, start, end = m.group(0), m.start(), m.end()
        if token.startswith(b"<?"):
            spans.append(Span(start, end, "header", Text("df.api.soap.declaration"), "",
                              Text("df.api.soap.declaration_why")))
        elif token.startswith(b"<"):
            closing, empty = token.startswith(b"</"), token.endswith(b"/>")
            qname = re.match(rb"</?([^\s/>]+)", token).group(1).decode()
            local = qname.split(":")[-1]
            if local in _SOAP_FRAME:
                spans.append(Span(start, end, "header", Text("df.api.soap.end_of", name=qname) if closing else qname,
                                  "", _SOAP_FRAME[local]))
            elif request is None:
                request = local
                spans.append(Span(start, end, "name", Text("df.api.soap.request", name=qname), "",
                                  Text("df.api.soap.request_why")))
            elif closing and not stack:
                spans.append(Span(start, end, "name", Text("df.api.soap.end_of", name=qname), ""))
            else:
                if not closing:
                    stack.append(local)
                where = ".".join(stack)
                if closing or empty:
                    stack.pop()
                spans.append(Span(start, end, "name", Text(f"df.api.soap.{'end' if closing else 'start'}_tag", name=qname),
                                  where, Text("df.api.soap.twice", name=repr(local))))
        elif token.strip():
            spans.append(Span(start, end, "value", token.decode(), ".".join(stack), Text("df.api.soap.text")))
        else:
            spans.append(Span(start, end, "punctuation", Text("df.api.soap.whitespace"), ""))
    return spans


def wsdl_excerpt() -> str:
    """The request's element, its message, the operation and its SOAP binding: what a SOAP toolkit reads."""
    keep = [re.search(r'\s*<xsd:element name="ChargeRequest">.*?</xsd:element>\n', WSDL, re.S),
            re.search(r'\s*<message name="ChargeInput">.*?</message>', WSDL, re.S),
            re.search(r'\s*<portType name="PaymentsPortType">.*?</portType>', WSDL, re.S),
            re.search(r'\s*<binding name="PaymentsBinding".*?</binding>', WSDL, re.S)]
    return "\n".join(textwrap.dedent(m.group(0).strip("\n")) for m in keep)


# --- 3. versioning an API: in the URL, in the Accept header, per API key ----------------------------------

CHARGE_V1 = {"chargeId": "ch-0042", "amountCents": 1999, "currency": "EUR", "status": "CHARGED"}
CHARGE_V2 = {"chargeId": "ch-0042", "amount": {"value": 1999, "currency": "EUR"}, "status": "CHARGED"}
BODIES = {1: CHARGE_V1, 2: CHARGE_V2}   # v2 moves the amount into an object: old clients would break
LATEST = max(BODIES)
API_KEYS = {"sk_test_51Hq2023": 1, "sk_test_51Zx2025": 2}   # key -> the version pinned when it was created
SCHEMES = {   # id -> (title, the trade-off)
    "url": (Text("df.api.scheme.url"), Text("df.api.trade_off.url")),
    "accept": (Text("df.api.scheme.accept"), Text("df.api.trade_off.accept")),
    "api-key": (Text("df.api.scheme.api_key"), Text("df.api.trade_off.api_key")),
}
VERSION_NOTES = {"header Accept": Text("df.api.accept"), "header Authorization": Text("df.api.authorization")}


def _request(scheme: str, version: int) -> Encoded:
    key = next(k for k, v in API_KEYS.items() if v == version)
    path, extra = {"url": (f"/v{version}/charges/ch-0042", []),
                   "accept": ("/charges/ch-0042", [f"Accept: application/vnd.payments.v{version}+json"]),
                   "api-key": ("/charges/ch-0042", [f"Authorization: Bearer {key}"])}[scheme]
    return http_message(f"GET {path} HTTP/1.1", [f"Host: {HOST}", *extra], Encoded("json", b"", [], None),
                        VERSION_NOTES)


def route(request: bytes) -> tuple[int, str]:
    """The server's side: which version answers this request, decided from its bytes, and why."""
    line, headers = head_of(request)
    path = line.split()[1]
    if m := re.match(r"/v(\d+)/", path):
        return int(m[1]), Text("df.api.route.path", v=m[1])
    if m := re.search(r"vnd\.payments\.v(\d+)\+json", headers.get("accept", "")):
        return int(m[1]), Text("df.api.route.accept", v=m[1])
    key = headers.get("authorization", "").removeprefix("Bearer ")
    if key in API_KEYS:
        return API_KEYS[key], Text("df.api.route.key", key=key, v=API_KEYS[key])
    return LATEST, Text("df.api.route.latest")


def versioned_requests(client_version: int = 1) -> list[dict]:
    """The same GET by a client written against `client_version`, under each scheme: the request's bytes,
    the version the server routes it to (from those bytes), and the response that version writes."""
    rows = []
    for scheme, (title, trade_off) in SCHEMES.items():
        request = _request(scheme, client_version)
        version, why = route(request.data)
        response = http_message("HTTP/1.1 200 OK", ["Content-Type: application/json"],
                                formats.encode("json", BODIES[version]))
        rows.append({"scheme": scheme, "title": title, "request": request, "version": version, "why": why,
                     "response": response, "trade-off": trade_off})
    return rows


# --- 4. old clients reading a new server's response ------------------------------------------------------

RESPONSE_PROTO = 'syntax = "proto3";\n\nmessage ChargeResponse {\n  string charge_id = 1;\n  string status = 2;\n}\n'
RESPONSE_PROTO_V2 = RESPONSE_PROTO.replace("string status = 2;", "string status = 2;\n  string receipt_url = 3;")
RESPONSE_V1 = {"chargeId": "ch-0042", "status": "CHARGED"}
RESPONSE_V2 = {**RESPONSE_V1, "receiptUrl": "https://payments.example.com/r/ch-0042"}


def response_reads() -> list[dict]:
    """The v2 server adds receiptUrl to its response; clients written for v1 read it, with the real libraries.
    One row per API and client: status (the evolution lab's words), why, the response's size."""
    rows = []
    for policy, client in (("ignore", Text("df.api.client.tolerant")), ("strict", Text("df.api.client.strict"))):
        outcome = read_across("json", RESPONSE_V2, None, None,
                              reader=SchemalessReader.expecting(RESPONSE_V1, (), policy))
        rows.append({"api": Text("df.sv.api.json"), "client": client, "status": outcome.status, "why": outcome.reason,
                     "bytes": outcome.encoded.size})
    outcome = read_across("protobuf", RESPONSE_V2, RESPONSE_PROTO_V2, RESPONSE_PROTO)
    rows.append({"api": Text("df.sv.api.protobuf"), "client": Text("df.api.client.generated"), "status": outcome.status,
                 "why": outcome.reason, "bytes": outcome.encoded.size})
    reply = soap_response(WSDL_V2, **RESPONSE_V2)
    for strict, client in ((True, Text("df.api.client.zeep_strict")), (False, Text("df.api.client.zeep_lax"))):
        try:
            result = soap_call(response=reply, strict=strict).result
            kept = result.get("_raw_elements")
            status, why = "compatible", Text("df.api.zeep_read_kept" if kept else "df.api.zeep_read")
        except Exception as e:   # zeep's parse error: the message is the lesson (noqa: BLE001)
            status, why = "incompatible", Text("df.api.zeep_refused", error=str(e))
        rows.append({"api": Text("df.api.soap_api"), "client": client, "status": status, "why": why, "bytes": len(reply)})
    return rows


# --- the five problems of RPC, each where a student meets it ---------------------------------------------

def rpc_problems(run, copy: CopyDemo) -> list[dict]:
    """The chapter's list of what makes a remote call unlike a local one, with what this run showed."""
    import statistics
    c = run.counters
    remote = [r["latency_ms"] for r in run.payments if r["mode"] == "remote" and r["outcome"] == "ok"]
    local = [r["latency_ms"] for r in run.payments if r["mode"] == "local"]
    slow = (Text("df.api.rpc.slow", remote=statistics.median(remote), local=statistics.median(local) * 1000)
            if remote else Text("df.api.rpc.none_succeeded"))
    rows = [
        ("unpredictable", Text("df.api.rpc.unpredictable_run", requests=count(c["requests lost"], "request"),
                                responses=count(c["responses lost"], "response"), crashes=count(c["crashes"], "crash"))),
        ("timeout", Text("df.api.rpc.timeout_run", payments=count(c["failed"], "payment"), charged=c["failed but charged"])),
        ("idempotency", Text("df.api.rpc.idempotency_run", retries=count(c["retries"], "retry"),
                              doubles=count(c["double charges"], "double_charge"))),
        ("slower", slow),
        ("copies", Text("df.api.rpc.stale", fields=", ".join(copy.stale)) if copy.stale else
         Text("df.api.rpc.fresh", calls=count(copy.calls, "call"))),
    ]
    return [{"problem": Text(f"df.api.rpc.{key}"), "touch it": Text(f"df.api.rpc.{key}_touch"), "this run": shown}
            for key, shown in rows]
