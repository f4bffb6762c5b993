"""Dataflow through services: a client charges payments on a remote server over a faulty network.

Requests and responses get lost, servers are slow or crash, the client times out and
retries. A timeout does not say whether the charge happened, so retrying without an
idempotency key can charge twice; with one, the server stores the key in the same
transaction as the charge and answers a retry with the stored result. A local function
call, by contrast, returns or raises, and does so in microseconds.
"""
import functools
import math
import random
import struct
from collections import Counter
from dataclasses import dataclass, field

import formats
from dataflow.engine import Run, Simulation, check, count, key_part, timeline
from dataflow.api import http_message
from formats.spans import Encoded, Span, shifted
from i18n import Text


SERIES_MS = 250.0   # the width of one bar in the run's time series


@dataclass(frozen=True)
class Params:
    payments: int = 200
    idempotency_keys: bool = True
    request_loss: float = 0.05     # probability a request never reaches the server
    response_loss: float = 0.10    # probability the server's response never reaches the client
    slow: float = 0.05             # probability the server takes slow_ms instead of server_ms
    crash: float = 0.005           # probability the server crashes while handling a request
    network_ms: float = 20.0       # median one-way network latency
    server_ms: float = 30.0        # median time to handle a charge
    slow_ms: float = 800.0
    restart_ms: float = 1000.0     # a crashed server is down this long
    timeout_ms: float = 400.0
    max_retries: int = 3
    backoff_ms: float = 100.0      # first retry waits about this long, doubling each time (with jitter)
    interval_ms: float = 50.0      # a new payment starts this often
    local_error: float = 0.01      # probability the local function raises (card declined)
    seed: int = 1


@dataclass
class ServiceRun(Run):
    """`payments`: one row per logical payment, remote and local (mode column): charges,
    attempts, outcome as the client saw it, latency_ms. `series`: per SERIES_MS of simulated
    time, requests sent and lost, responses lost, charges, retries, give-ups.
    `local_counters`: the local call's totals."""
    payments: list[dict] = field(default_factory=list)
    local_counters: dict = field(default_factory=dict)


def run(params: Params = Params()) -> ServiceRun:
    """The remote payments over the faulty network, then the same payments as local calls."""
    _validate(params)
    result = _Remote(params).simulate()
    _local_calls(params, result)
    result.notes = _notes(params, result)
    return result


def _validate(p: Params) -> None:
    check("payments", p.payments, 1, 5000)
    for name in ("request_loss", "response_loss", "slow", "crash", "local_error"):
        check(name.replace("_", " "), getattr(p, name), 0.0, 0.9)
    for name in ("network_ms", "server_ms", "slow_ms", "restart_ms", "timeout_ms", "backoff_ms", "interval_ms"):
        check(name.replace("_ms", " (ms)").replace("_", " "), getattr(p, name), 0.1, 60_000)
    check("max retries", p.max_retries, 0, 10)
    check("seed", p.seed, 0, 2 ** 32)


class _Remote:
    """One client, one server, the network between them."""

    def __init__(self, p: Params):
        self.p = p
        self.sim = Simulation(p.seed)
        self.result = ServiceRun(p.seed, self.sim.events)
        self.charges = Counter()              # payment -> times the card was charged
        self.attempts = Counter()
        self.outcome: dict[int, str] = {}     # payment -> what the client was told, once it knows
        self.latency: dict[int, float] = {}
        self.started: dict[int, float] = {}
        self.stored: set[str] = set()         # idempotency keys committed with their charge (durable)
        self.handling: dict[str, list] = {}   # key -> requests waiting for its charge (memory only)
        self.in_flight: list[dict] = []       # requests the server is working on
        self.down_until = -1.0
        self.faults = Counter()

    def simulate(self) -> ServiceRun:
        for i in range(self.p.payments):
            self.sim.at(i * self.p.interval_ms, self.start, i)
        self.sim.run(until=math.inf)
        self.result.payments = [
            {"mode": "remote", "payment": i, "charges": self.charges[i], "attempts": self.attempts[i],
             "outcome": self.outcome[i], "latency_ms": round(self.latency[i], 3)} for i in range(self.p.payments)]
        rows = self.result.payments
        self.result.counters = {
            "payments": len(rows),
            "succeeded": sum(r["outcome"] == "ok" for r in rows),
            "failed": sum(r["outcome"] != "ok" for r in rows),
            "charges": sum(r["charges"] for r in rows),
            "double charges": sum(r["charges"] > 1 for r in rows),
            "failed but charged": sum(r["outcome"] != "ok" and r["charges"] > 0 for r in rows),
            "retries": sum(r["attempts"] - 1 for r in rows),
            **{k: self.faults[k] for k in ("requests lost", "responses lost", "slow", "crashes",
                                           "refused", "replayed")},
        }
        self.result.series = timeline(self.sim.events, SERIES_MS, {
            "request sent": "requests sent", "request lost": "requests lost", "response lost": "responses lost",
            "card charged": "charges", "will retry": "retries", "gave up": "gave up"})
        return self.result

    def one_way(self) -> float:
        return self.p.network_ms * self.sim.rng.lognormvariate(0, 0.5)

    # --- the client ----------------------------------------------------------------------------------
    def start(self, payment: int) -> None:
        self.started[payment] = self.sim.now
        self.send(payment, 1)

    def send(self, payment: int, attempt: int) -> None:
        sim = self.sim
        self.attempts[payment] = attempt
        key = f"pay-{payment}" if self.p.idempotency_keys else None
        sim.log("client", "request sent", detail=Text("df.sv.attempt_key" if key else "df.sv.attempt", payment=payment,
                                                      attempt=attempt, key=key))
        if sim.rng.random() < self.p.request_loss:
            self.faults["requests lost"] += 1
            sim.log("network", "request lost", detail=Text("df.sv.attempt", payment=payment, attempt=attempt))
        else:
            sim.after(self.one_way(), self.receive, {"payment": payment, "attempt": attempt, "key": key})
        sim.after(self.p.timeout_ms, self.timed_out, payment, attempt)

    def timed_out(self, payment: int, attempt: int) -> None:
        if payment in self.outcome or self.attempts[payment] != attempt:
            return
        self.give_up_or_retry(payment, attempt, Text("df.sv.timed_out"))

    def give_up_or_retry(self, payment: int, attempt: int, why: Text) -> None:
        sim = self.sim
        if attempt > self.p.max_retries:
            self.outcome[payment] = "gave up"
            self.latency[payment] = sim.now - self.started[payment]
            sim.log("client", "gave up", detail=Text("df.sv.gave_up", payment=payment, attempts=count(attempt, "attempt"),
                                                     why=why))
            return
        backoff = self.p.backoff_ms * 2 ** (attempt - 1) * sim.rng.uniform(0.5, 1.5)
        sim.log("client", "will retry", detail=Text("df.sv.retry", payment=payment, attempt=attempt, why=why))
        self.attempts[payment] = attempt + 1    # a late answer to the old attempt still counts
        sim.after(backoff, self.send, payment, attempt + 1)

    def response(self, payment: int, attempt: int, answer: str) -> None:
        if payment in self.outcome:
            return
        sim = self.sim
        sim.log("client", f"response: {answer}", detail=Text("df.sv.attempt", payment=payment, attempt=attempt))
        if answer == "refused":
            if self.attempts[payment] == attempt:
                self.give_up_or_retry(payment, attempt, Text("df.sv.refused"))
            return
        self.outcome[payment] = "ok"
        self.latency[payment] = sim.now - self.started[payment]

    # --- the server -----------------------------------------------------------------------------------
    def reply(self, request: dict, answer: str) -> None:
        sim = self.sim
        if sim.rng.random() < self.p.response_loss:
            self.faults["responses lost"] += 1
            sim.log("network", "response lost", detail=Text("df.sv.attempt", payment=request["payment"],
                                                            attempt=request["attempt"]))
            return
        sim.after(self.one_way(), self.response, request["payment"], request["attempt"], answer)

    def receive(self, request: dict) -> None:
        sim, key = self.sim, request["key"]
        if sim.now < self.down_until:
            self.faults["refused"] += 1
            self.reply(request, "refused")
            return
        if key in self.stored:
            self.faults["replayed"] += 1
            sim.log("server", "duplicate key: stored result", detail=Text("df.sv.key", payment=request["payment"], key=key))
            self.reply(request, "ok")
            return
        if key in self.handling:   # the first request with this key is still being charged: wait for it
            self.handling[key].append(request)
            return
        if key:
            self.handling[key] = []
        slow = sim.rng.random() < self.p.slow
        if slow:
            self.faults["slow"] += 1
        took = self.p.slow_ms if slow else self.p.server_ms * sim.rng.lognormvariate(0, 0.3)
        self.in_flight.append(request)
        sim.log("server", "charging" + (" (slow)" if slow else ""), detail=Text("df.sv.payment", payment=request["payment"]))
        if sim.rng.random() < self.p.crash:
            sim.after(sim.rng.uniform(0, took), self.crash, request)
        sim.after(took / 2, self.commit, request)
        sim.after(took, self.finish, request)

    def commit(self, request: dict) -> None:
        """The charge and its idempotency key are written in one transaction."""
        if request not in self.in_flight:
            return
        self.charges[request["payment"]] += 1
        if request["key"]:
            self.stored.add(request["key"])
        self.sim.log("server", "card charged", detail=Text("df.sv.charge", payment=request["payment"],
                                                           charge=self.charges[request["payment"]]))

    def finish(self, request: dict) -> None:
        if request not in self.in_flight:
            return
        self.in_flight.remove(request)
        for waiting in [request, *self.handling.pop(request["key"], [])]:
            self.reply(waiting, "ok")

    def crash(self, request: dict) -> None:
        """Memory is lost: requests in flight and the keys being charged; committed charges stay."""
        sim = self.sim
        if request not in self.in_flight:   # an earlier crash already took it
            return
        self.faults["crashes"] += 1
        sim.log("server", "crashed", detail=Text("df.sv.in_flight_lost", requests=count(len(self.in_flight), "request")))
        self.in_flight.clear()
        self.handling.clear()
        self.down_until = sim.now + self.p.restart_ms


def _local_calls(p: Params, result: ServiceRun) -> None:
    """The same payments as a function call in one process: it returns or raises, once, at once."""
    rng = random.Random(p.seed)
    rows = []
    for i in range(p.payments):
        raised = rng.random() < p.local_error
        rows.append({"mode": "local", "payment": i, "charges": 0 if raised else 1, "attempts": 1,
                     "outcome": "raised" if raised else "ok",
                     "latency_ms": round(0.002 * rng.lognormvariate(0, 0.3), 6)})
    result.payments += rows
    result.local_counters = {
        "payments": len(rows), "succeeded": sum(r["outcome"] == "ok" for r in rows),
        "failed": sum(r["outcome"] != "ok" for r in rows), "charges": sum(r["charges"] for r in rows),
        "double charges": 0, "failed but charged": 0, "retries": 0}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _notes(p: Params, r: ServiceRun) -> list[str]:
    c, out = r.counters, []
    remote = [row["latency_ms"] for row in r.payments if row["mode"] == "remote" and row["outcome"] == "ok"]
    local = [row["latency_ms"] for row in r.payments if row["mode"] == "local"]
    if remote:
        out.append(Text("df.sv.latency", median=_percentile(remote, 0.5), p99=_percentile(remote, 0.99),
                        local=_percentile(local, 0.5) * 1000))
    faults = [count(c[many], unit) for unit, many in (
        ("request_lost", "requests lost"), ("response_lost", "responses lost"), ("server_crash", "crashes")) if c[many]]
    if faults:
        out.append(Text("df.sv.faults", faults=faults, saw=Text("df.sv.saw_refusals" if c["refused"] else
                                                                 "df.sv.saw_timeouts"), retries=count(c["retries"], "time")))
    if p.idempotency_keys:
        out.append(Text("df.sv.keys", retries=count(c["replayed"], "retry"), charged=count(c["double charges"], "payment")))
    elif c["double charges"]:
        out.append(Text("df.sv.double", n=c["double charges"], payments=count(c["double charges"], "payment")))
    if c["failed but charged"]:
        out.append(Text("df.sv.charged_anyway", payments=count(c["failed but charged"], "payment")))
    lc = r.local_counters
    out.append(Text("df.sv.local", succeeded=lc["succeeded"], payments=lc["payments"], failed=lc["failed"]))
    return out


# --- the request on the wire: REST (JSON over HTTP/1.1) and gRPC (protobuf, length-prefixed) ------------

CHARGE_PROTO = """syntax = "proto3";

message ChargeRequest {
  string payment_id = 1;
  int64 amount_cents = 2;
  string currency = 3;
  string idempotency_key = 4;
}
"""
CHARGE_RECORD = {"paymentId": "pay-42", "amountCents": 1999, "currency": "EUR"}
IDEMPOTENCY_KEY = "5f0c9a6e-2d41-4c1e-9b7a-3e8d2f6a1c07"


def wire(record: dict | None = None, idempotency_key: str = IDEMPOTENCY_KEY) -> dict[str, Encoded]:
    """The same charge request as REST sends it (an HTTP/1.1 request: request line, headers, JSON body)
    and as gRPC sends it (a 5-byte prefix, then the protobuf message), every byte labelled.

    The JSON and protobuf bytes and their spans come from formats/; only the HTTP head and the
    gRPC prefix are labelled here. REST carries the idempotency key in a header, gRPC in the message.
    """
    record = dict(CHARGE_RECORD if record is None else record)
    body = formats.encode("json", record)
    rest = http_message("POST /v1/charges HTTP/1.1", ["Host: payments.example.com", "Content-Type: application/json",
                        f"Idempotency-Key: {idempotency_key}"], body, _HTTP_NOTES)
    head = rest.size - body.size
    rest.notes = [Text("df.sv.http_head", head=head, body=body.size)]
    message = formats.encode("protobuf", {**record, "idempotencyKey": idempotency_key}, CHARGE_PROTO)
    prefix = [Span(0, 1, "header", Text("df.sv.span.flag"), "", Text("df.sv.span.flag_why")),
              Span(1, 5, "length", Text("df.sv.span.length", n=message.size), "", Text("df.sv.span.length_why"))]
    grpc = Encoded("protobuf", b"\x00" + struct.pack(">I", message.size) + message.data,
                   prefix + shifted(message.spans, 5), CHARGE_PROTO, [Text("df.sv.grpc_frame")])
    return {"REST: JSON over HTTP/1.1": rest, "gRPC: protobuf, length-prefixed": grpc}


_HTTP_NOTES = {
    "request line": Text("df.sv.http.request_line"),
    "header Idempotency-Key": Text("df.sv.http.idempotency_key"),
    "header Content-Length": Text("df.sv.http.content_length"),
}


# --- evolving the API: what an old client meets ---------------------------------------------------------

# v2 of the API's request, two ways: (.proto edit, v2 record, keys v2 JSON code treats as optional)
API_CHANGES = {
    "add a field": (("string idempotency_key = 4;", "string idempotency_key = 4;\n  string description = 5;"),
                    {**CHARGE_RECORD, "description": "order 1234"}, ("description",)),
    "rename a field": (("int64 amount_cents = 2;", "int64 amount_minor_units = 2;"),
                       {("amountMinorUnits" if k == "amountCents" else k): v for k, v in CHARGE_RECORD.items()},
                       ()),
}
APIS = {"json": "REST (JSON)", "protobuf": "gRPC (protobuf)"}
CALLERS = {"old client, new server": (1, 2), "new client, old server": (2, 1)}   # (writer, reader) versions


@dataclass
class ApiEvolution:
    """One row per (change, API, caller): status as evolution.resolve classifies it and why; notes."""
    rows: list[dict]
    notes: list[str]


def api_evolution(policy: str = "ignore") -> ApiEvolution:
    """Each API change read across versions by the real libraries (evolution.read_across). Servers
    upgrade first, so old clients keep sending v1 requests to v2 servers; a new client that reaches a
    server not yet upgraded sends v2 to v1. `policy`: how the JSON server code treats unknown keys."""
    from evolution.resolve import read_across
    from evolution.schemaless import SchemalessReader
    rows = []
    for change, ((old, new), record_v2, optional) in API_CHANGES.items():
        proto = {1: CHARGE_PROTO, 2: CHARGE_PROTO.replace(old, new)}
        records = {1: CHARGE_RECORD, 2: record_v2}
        for format_id, api in APIS.items():
            for caller, (writer, reader) in CALLERS.items():
                if format_id == "json":
                    code = SchemalessReader.expecting(records[reader], optional if reader == 2 else (), policy)
                    outcome = read_across("json", records[writer], None, None, reader=code)
                else:
                    outcome = read_across("protobuf", records[writer], proto[writer], proto[reader])
                rows.append({"change": Text(f"df.sv.change.{key_part(change)}"), "api": Text(f"df.sv.api.{format_id}"),
                             "caller": Text(f"df.sv.caller.{key_part(caller)}"), "status": outcome.status,
                             "bytes": outcome.encoded.size, "why": outcome.reason})
    return ApiEvolution(rows, _api_notes(rows))


def _api_notes(rows: list[dict]) -> list[str]:
    def status(change, api, caller="old client, new server"):
        return next(r["status"] for r in rows if (r["change"], r["api"], r["caller"]) == (change, api, caller))

    out = []
    rest, grpc = APIS["json"], APIS["protobuf"]
    renamed = (status("rename a field", rest), status("rename a field", grpc))
    out.append(Text("df.sv.renamed", rest=Text(f"df.sv.verdict.{renamed[0]}"), grpc=Text(f"df.sv.verdict.{renamed[1]}")))
    broken = [r for r in rows if r["change"] == "add a field" and r["status"] == "incompatible"]
    if broken:
        out.append(Text("df.sv.added_broke", broken=functools.reduce(lambda a, b: Text("df.sv.and", a=a, b=b), [
            Text("df.sv.broke_one", api=r["api"], caller=r["caller"], why=r["why"]) for r in broken])))
    else:
        out.append(Text("df.sv.added_fine"))
    return out
