"""Durable execution (second edition): a workflow engine records each step's result in an event log
and, after a crash, replays the workflow's code against that log.

The workflow is ordinary code (a generator here, as a Temporal workflow is a function of async
calls); each step it asks for is an *activity* the engine runs at least once. The engine appends
every command and every result to the workflow's history, as real encoded bytes (Temporal keeps a
history of protobuf `HistoryEvent`s; Restate a journal per invocation; AWS Step Functions an
execution history of JSON events). When a worker crashes, or new code is deployed, the workflow's
code runs again from the start: each step the history already holds is answered from the log (its
result decoded from the recorded bytes), not executed again. So the code must ask for the same
steps in the same order as when the history was written. Code changed while workflows are in
flight breaks that, and replay stops with a non-determinism error; the fix is versioning: a patch
marker in the history (Temporal's `workflow.patched`, GetVersion in its Go and Java SDKs) tells
replayed code which branch the history was written by.

    >>> run = durable.run(durable.Params())
    >>> run.counters["results from the log"] > 0, run.counters["double charges"]
    (True, 0)
"""
import json
from collections import Counter
from dataclasses import dataclass, field

import formats
from dataflow.engine import Run, Simulation, check, check_choice, count
from i18n import Text

# One entry of a workflow's history, after Temporal's temporal.api.history.v1.HistoryEvent (simplified).
EVENT_TYPES = ("WorkflowExecutionStarted", "ActivityTaskScheduled", "ActivityTaskCompleted", "MarkerRecorded",
               "WorkflowExecutionCompleted")
EVENT_SCHEMAS = {
    "proto": 'syntax = "proto3";\n\nenum EventType {\n  EventTypeUnspecified = 0;\n' + "".join(
        f"  {name} = {i};\n" for i, name in enumerate(EVENT_TYPES, 1)) + "}\n\n"
        "message HistoryEvent {\n  int64 event_id = 1;\n  EventType event_type = 2;\n"
        "  string name = 3;      // the activity type, or a marker's patch id\n"
        "  string payload = 4;   // input or result as JSON text (Temporal's default converter: json/plain)\n}\n",
    "avsc": json.dumps({"type": "record", "name": "HistoryEvent", "fields": [
        {"name": "eventId", "type": "long"},
        {"name": "eventType", "type": {"type": "enum", "name": "EventType", "symbols": list(EVENT_TYPES)}},
        {"name": "name", "type": "string"}, {"name": "payload", "type": "string"}]}, indent=2),
}
# format id -> who keeps its history that way
LOG_FORMATS = {format_id: Text(f"df.du.log.{format_id}") for format_id in ("protobuf", "json", "avro")}
_LANGUAGE = {"protobuf": "proto", "avro": "avsc", "json": None}

STEPS = ("reserve_inventory", "fraud_check", "charge_card", "ship_order", "send_receipt")
PATCH_ID = "fraud-check"
CHANGES = {   # the code deployed at Params.deploy_at -> what it changes
    "none": Text("df.du.change.none"), "reorder": Text("df.du.change.reorder"), "add-step": Text("df.du.change.add_step"),
    "patched": Text("df.du.change.patched", patch=PATCH_ID),
}


@dataclass(frozen=True)
class Activity:
    """A command the workflow's code gives: run this step (at least once) and tell me its result."""
    name: str
    input: dict


@dataclass(frozen=True)
class Patched:
    """Has this workflow's history taken the new branch `patch_id`? (Temporal's workflow.patched)"""
    patch_id: str


# Each step: the name its result gets, and its one input: (key, where it comes from: the order or an
# earlier result, and which field of it).
STEP_INPUT = {
    "reserve_inventory": ("reservation", ("item", "order", "item")),
    "fraud_check": ("risk", ("amountCents", "order", "amountCents")),
    "charge_card": ("charge", ("amountCents", "order", "amountCents")),
    "ship_order": ("shipment", ("reservationId", "reservation", "reservationId")),
    "send_receipt": ("receipt", ("chargeId", "charge", "chargeId")),
}
_V1 = ("reserve_inventory", "charge_card", "ship_order", "send_receipt")
CODE = {   # code version -> its steps in order; a (patch id, step) pair is a step behind a patch marker
    "none": _V1,
    "reorder": ("charge_card", "reserve_inventory", "ship_order", "send_receipt"),
    "add-step": ("reserve_inventory", "fraud_check", "charge_card", "ship_order", "send_receipt"),
    "patched": ("reserve_inventory", (PATCH_ID, "fraud_check"), "charge_card", "ship_order", "send_receipt"),
}
CODE_LABEL = {"none": "v1", "reorder": Text("df.du.code.reorder"), "add-step": Text("df.du.code.add_step"),
              "patched": Text("df.du.code.patched")}


def workflow_code(code: str, order: dict):
    """The payment workflow of code version `code`, as a generator of commands: the engine sends back
    each activity's result (as a Temporal workflow awaits execute_activity)."""
    got = {"order": order}
    for step in CODE[code]:
        if isinstance(step, tuple):
            patch_id, step = step
            if not (yield Patched(patch_id)):
                continue
        name, (key, source, field_name) = STEP_INPUT[step]
        got[name] = yield Activity(step, {key: got[source][field_name]})
    return {"chargeId": got["charge"]["chargeId"], "tracking": got["shipment"]["tracking"]}


def code_text(code: str) -> str:
    """The workflow as it reads in Temporal's Python SDK: what a student would have written."""
    lines = ["# step(a, x): workflow.execute_activity(a, x, start_to_close_timeout=...)",
             "@workflow.defn", "class Payment:", "    @workflow.run", "    async def run(self, order: dict) -> dict:"]
    for step in CODE[code]:
        indent = "        "
        if isinstance(step, tuple):
            patch_id, step = step
            lines.append(f'{indent}if workflow.patched("{patch_id}"):   # False when replaying a history from before it')
            indent += "    "
        name, (_, source, field_name) = STEP_INPUT[step]
        lines.append(f'{indent}{name} = await step({step}, {source}["{field_name}"])')
    lines.append('        return {"chargeId": charge["chargeId"],')
    lines.append('                "tracking": shipment["tracking"]}')
    return "\n".join(lines)


# --- the history as bytes -------------------------------------------------------------------------------

def event_schema(log_format: str) -> str | None:
    """The HistoryEvent schema in the log format's own schema language (None for JSON)."""
    return EVENT_SCHEMAS.get(_LANGUAGE[log_format])


def encode_event(log_format: str, event: dict) -> bytes:
    return formats.write(log_format, event, event_schema(log_format))[0]


def decode_event(log_format: str, data: bytes) -> dict:
    schema = event_schema(log_format)   # Avro cannot read without the writer's schema
    return formats.decode(log_format, data, schema, schema if log_format == "avro" else None).record


class NonDeterminism(Exception):
    """The code asked for something other than what its history recorded at that point."""


class Execution:
    """A workflow's code driven against its history (a list of encoded events the engine keeps):
    replaying while the history has events, live once it runs out (new events are appended).

    `waiting`: the activity the code waits for, whose result the history does not hold yet.
    `from_log`: activity results this execution took from the history instead of running them.
    """

    def __init__(self, code: str, history: list[bytes], log_format: str):
        self.history, self.log_format = history, log_format
        self.events = [decode_event(log_format, data) for data in history]   # every value replay sees came from bytes
        self.cursor = 1
        self.from_log = 0
        self.waiting: Activity | None = None
        self.result: dict | None = None
        self.patched: bool | None = None   # which branch a patch point took, if the code has one
        order = json.loads(self.events[0]["payload"])
        self._code = workflow_code(code, order)
        self._advance(None)

    @property
    def done(self) -> bool:
        return self.result is not None

    def complete(self, result: dict) -> None:
        """The waited-for activity finished: record its result, then carry on with the value read back."""
        self._record("ActivityTaskCompleted", self.waiting.name, result)
        self.waiting = None
        self._advance(json.loads(self.events[-1]["payload"]))

    def _record(self, event_type: str, name: str, payload) -> None:
        event = {"eventId": len(self.events) + 1, "eventType": event_type, "name": name,
                 "payload": json.dumps(payload, separators=(",", ":"))}
        self.history.append(encode_event(self.log_format, event))
        self.events.append(event)
        self.cursor = len(self.events)

    def _next_event(self) -> dict | None:
        return self.events[self.cursor] if self.cursor < len(self.events) else None

    def _advance(self, value) -> None:
        while True:
            try:
                command = self._code.send(value)
            except StopIteration as stop:
                self._finish(stop.value)
                return
            recorded = self._next_event()
            if isinstance(command, Patched):
                # live, or the history took this branch: record/consume the marker; else the history predates it
                if recorded is None:
                    self._record("MarkerRecorded", command.patch_id, {})
                    value = True
                else:
                    value = recorded["eventType"] == "MarkerRecorded" and recorded["name"] == command.patch_id
                    self.cursor += value
                self.patched = value
                continue
            if recorded is None:                     # past the end of the history: run the step for real
                self._record("ActivityTaskScheduled", command.name, command.input)
                self.waiting = command
                return
            if (recorded["eventType"], recorded["name"]) != ("ActivityTaskScheduled", command.name):
                raise NonDeterminism(Text("df.du.mismatch", event=recorded["eventId"], recorded=_describe(recorded),
                                          activity=command.name))
            self.cursor += 1
            result = self._next_event()
            if result is None:                       # scheduled, but its result never got recorded
                self.waiting = command
                return
            self.cursor += 1
            self.from_log += 1
            value = json.loads(result["payload"])

    def _finish(self, result: dict) -> None:
        recorded = self._next_event()
        if recorded is None:
            self._record("WorkflowExecutionCompleted", "", result)
        elif recorded["eventType"] != "WorkflowExecutionCompleted":
            raise NonDeterminism(Text("df.du.finished_early", event=recorded["eventId"], recorded=_describe(recorded)))
        self.result = json.loads(self.events[-1]["payload"]) if recorded is None else json.loads(recorded["payload"])


def _describe(event: dict) -> str:
    return {"ActivityTaskScheduled": f"ActivityTaskScheduled {event['name']}",
            "MarkerRecorded": f"MarkerRecorded {event['name']}"}.get(event["eventType"], event["eventType"])


def started(order: dict, log_format: str) -> list[bytes]:
    """A new workflow's history: WorkflowExecutionStarted, with the order as its input."""
    return [encode_event(log_format, {"eventId": 1, "eventType": "WorkflowExecutionStarted", "name": "payment",
                                      "payload": json.dumps(order, separators=(",", ":"))})]


def replay(code: str, history: list[bytes], log_format: str) -> Execution:
    """Run `code` against a copy of `history` (raises NonDeterminism): where it stops, what it read from
    the log, and any events it would append (in `history` beyond the given length)."""
    return Execution(code, list(history), log_format)


# --- the simulation: a worker, a payment provider, a crash and a deploy --------------------------------------

@dataclass(frozen=True)
class Params:
    workflows: int = 8
    interval: float = 1.5              # a new payment workflow starts this often (ticks)
    step_ticks: float = 1.0            # mean time one activity takes
    crash_at: float | None = 5.0       # the worker process crashes (None: never)
    restart_ticks: float = 2.0
    change: str = "none"               # the code deployed at deploy_at (CHANGES)
    deploy_at: float = 8.0
    idempotency_keys: bool = True      # the charge sends the provider a key: workflow id + activity's event id
    log_format: str = "protobuf"
    seed: int = 1


@dataclass
class DurableRun(Run):
    """`workflows`: one row per workflow (its code at start, status, result, events, bytes, which branch);
    `executions`: one row per activity execution (workflow, step, attempt, start, end, outcome);
    `replays`: one row per replay (time, workflow, code, events replayed, results from the log, outcome);
    `log`: every recorded event (workflow, event id, type, name, payload, the bytes)."""
    workflows: list[dict] = field(default_factory=list)
    executions: list[dict] = field(default_factory=list)
    replays: list[dict] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)


def run(params: Params = Params()) -> DurableRun:
    p = params
    check("workflows", p.workflows, 1, 60)
    check("interval", p.interval, 0.1, 20)
    check("step time", p.step_ticks, 0.1, 10)
    if p.crash_at is not None:
        check("crash tick", p.crash_at, 0, 200)
    check("restart ticks", p.restart_ticks, 0.1, 50)
    check("deploy tick", p.deploy_at, 0, 200)
    check_choice("change", p.change, CHANGES)
    check_choice("log format", p.log_format, LOG_FORMATS)
    check("seed", p.seed, 0, 2 ** 32)
    return _Engine(p).simulate()


class _Engine:
    """The durable side (histories, started workflows) and one worker process (running code, activities)."""

    def __init__(self, p: Params):
        self.p = p
        self.sim = Simulation(p.seed)
        self.result = DurableRun(p.seed, self.sim.events)
        self.code = "none"
        self.histories: dict[str, list[bytes]] = {}      # durable: survives the worker
        self.started_with: dict[str, str] = {}
        self.running: dict[str, Execution] = {}          # the worker's memory: lost in a crash
        self.completed: set[str] = set()
        self.stuck: dict[str, str] = {}                  # workflow -> the non-determinism error
        self.in_flight: dict[str, dict] = {}             # workflow -> its activity execution row
        self.worker_up = True
        self.epoch = 0                                   # bumped by a crash: work in progress then is void
        self.charges = Counter()                         # workflow -> times its card was charged
        self.charge_ids: dict[str, str] = {}             # idempotency key -> the provider's charge id
        self.counter = Counter()                         # ids the outside world hands out, in order

    def simulate(self) -> DurableRun:
        sim, p = self.sim, self.p
        for i in range(p.workflows):
            sim.at(i * p.interval, self.start_workflow, f"payment-{i + 1}", i)
        if p.crash_at is not None:
            sim.at(p.crash_at, self.crash)
        sim.at(p.deploy_at, self.deploy)
        sim.run(until=p.workflows * p.interval + 200 * p.step_ticks + 2 * p.restart_ticks)
        self.summarize()
        return self.result

    # --- workflows and their steps ---------------------------------------------------------------------------
    def start_workflow(self, workflow: str, i: int) -> None:
        """The start request is durable (the engine writes WorkflowExecutionStarted) even while the worker is down."""
        order = {"orderId": f"order-{i + 1}", "item": f"sku-{100 + i}", "amountCents": 1000 + 250 * i}
        self.histories[workflow] = started(order, self.p.log_format)
        self.started_with[workflow] = CODE_LABEL[self.code]
        self.sim.log("engine", "workflow started", detail=f"{workflow} ({order['orderId']})")
        if self.worker_up:   # a worker that is down picks the workflow up from its history when it is back
            self.running[workflow] = Execution(self.code, self.histories[workflow], self.p.log_format)
            self.dispatch(workflow)

    def dispatch(self, workflow: str) -> None:
        execution = self.running[workflow]
        if execution.done:
            del self.running[workflow]
            self.completed.add(workflow)
            self.sim.log("worker", "workflow completed", detail=f"{workflow}: {json.dumps(execution.result)}")
            return
        activity = execution.waiting
        attempt = 1 + sum(e["workflow"] == workflow and e["event"] == len(execution.events) for e in
                          self.result.executions)
        took = self.p.step_ticks * self.sim.rng.lognormvariate(0, 0.3)
        row = {"workflow": workflow, "step": activity.name, "event": len(execution.events), "attempt": attempt,
               "start": round(self.sim.now, 6), "end": round(self.sim.now + took, 6), "outcome": "completed"}
        self.result.executions.append(row)
        self.in_flight[workflow] = row
        self.sim.log("worker", "activity started", detail=Text("df.du.started", workflow=workflow, step=activity.name,
                                                               attempt=attempt))
        self.sim.after(took / 2, self.side_effect, workflow, activity, row, self.epoch)
        self.sim.after(took, self.finish_activity, workflow, row, self.epoch)

    def side_effect(self, workflow: str, activity: Activity, row: dict, epoch: int) -> None:
        """Halfway through, the step acts on the outside world (the provider charges the card)."""
        if epoch != self.epoch:
            return
        if activity.name == "charge_card":
            key = f"{workflow}/{row['event']}" if self.p.idempotency_keys else None
            if key in self.charge_ids:
                row["charge"] = self.charge_ids[key]
                self.sim.log("provider", "duplicate key: stored charge", detail=f"{workflow}: {row['charge']}")
                return
            self.counter["charge"] += 1
            self.charges[workflow] += 1
            row["charge"] = f"ch-{self.counter['charge']:04d}"
            if key:
                self.charge_ids[key] = row["charge"]
            self.sim.log("provider", "card charged", detail=f"{workflow}: {row['charge']}, {activity.input}")
        else:
            self.counter[activity.name] += 1

    def finish_activity(self, workflow: str, row: dict, epoch: int) -> None:
        if epoch != self.epoch:
            return
        self.in_flight.pop(workflow, None)
        n = self.counter[row["step"]]
        result = {"reserve_inventory": {"reservationId": f"r-{n}"}, "fraud_check": {"score": n % 7},
                  "charge_card": {"chargeId": row.get("charge", "")}, "ship_order": {"tracking": f"TRK{n:05d}"},
                  "send_receipt": {"messageId": f"m-{n}"}}[row["step"]]
        self.sim.log("worker", "activity completed", detail=f"{workflow}: {row['step']} -> {json.dumps(result)}")
        if workflow in self.stuck:   # the engine records the result; the blocked workflow cannot use it
            self.histories[workflow].append(encode_event(self.p.log_format, {
                "eventId": len(self.histories[workflow]) + 1, "eventType": "ActivityTaskCompleted",
                "name": row["step"], "payload": json.dumps(result, separators=(",", ":"))}))
            return
        self.running[workflow].complete(result)
        self.dispatch(workflow)

    # --- the worker's life: a crash, a deploy; both make it replay ---------------------------------------------
    def crash(self) -> None:
        """The worker process dies: every workflow's state in memory and every activity in flight is gone."""
        self.worker_up = False
        self.epoch += 1
        for row in self.in_flight.values():
            row["end"], row["outcome"] = round(self.sim.now, 6), "lost in the crash"
        self.sim.log("worker", "crashed", detail=Text("df.du.crashed", activities=count(len(self.in_flight), "activity"),
                                                      workflows=count(len(self.running), "workflow")))
        self.in_flight.clear()
        self.running.clear()
        self.sim.after(self.p.restart_ticks, self.restart, Text("df.du.why.crash"))

    def deploy(self) -> None:
        """New code: the old worker drains its in-flight activities; the new one replays every open workflow."""
        self.code = self.p.change
        self.sim.log("worker", "deployed", detail=Text("df.du.deployed", code=CODE_LABEL[self.code],
                                                       change=CHANGES[self.code]))
        if self.worker_up:
            for workflow in list(self.running):
                self.replay(workflow, Text("df.du.why.deploy"), keep_in_flight=True)

    def restart(self, why: str) -> None:
        self.worker_up = True
        self.sim.log("worker", "back up", detail=why)
        for workflow in self.histories:
            if workflow not in self.completed:
                self.replay(workflow, why, keep_in_flight=False)

    def replay(self, workflow: str, why: str, keep_in_flight: bool) -> None:
        history = self.histories[workflow]
        events = len(history)
        try:
            execution = Execution(self.code, history, self.p.log_format)
        except NonDeterminism as e:
            self.running.pop(workflow, None)
            self.stuck[workflow] = e.args[0]
            self.result.replays.append({"time": round(self.sim.now, 6), "workflow": workflow, "why": why,
                                        "code": self.code, "events": events, "results from the log": 0,
                                        "outcome": "non-determinism", "error": e.args[0]})
            self.sim.log("worker", "non-determinism error", detail=Text("df.du.of", workflow=workflow, what=e.args[0]))
            return
        self.stuck.pop(workflow, None)
        self.running[workflow] = execution
        self.result.replays.append({"time": round(self.sim.now, 6), "workflow": workflow, "why": why,
                                    "code": self.code, "events": events, "results from the log": execution.from_log,
                                    "outcome": "replayed", "error": ""})
        self.sim.log("worker", "replayed", detail=Text("df.du.replayed", workflow=workflow, events=count(events, "event"),
                                                       results=count(execution.from_log, "result")))
        if not (keep_in_flight and workflow in self.in_flight):
            self.dispatch(workflow)

    # --- what to notice -------------------------------------------------------------------------------------
    def summarize(self) -> None:
        r, p = self.result, self.p
        for workflow, history in self.histories.items():
            events = [decode_event(p.log_format, data) for data in history]
            r.log += [{"workflow": workflow, "event": e["eventId"], "type": e["eventType"], "name": e["name"],
                       "payload": e["payload"], "bytes": len(data), "data": data} for e, data in zip(events, history)]
            done = events[-1]["eventType"] == "WorkflowExecutionCompleted"
            steps = [e["name"] for e in events if e["eventType"] == "ActivityTaskScheduled"]
            r.workflows.append({
                "workflow": workflow, "started under": self.started_with[workflow],
                "status": "completed" if done else "stuck" if workflow in self.stuck else "open",
                "steps": " → ".join(steps), "marker": any(e["eventType"] == "MarkerRecorded" for e in events),
                "charges": self.charges[workflow], "result": events[-1]["payload"] if done else "",
                "error": self.stuck.get(workflow, ""), "events": len(events), "bytes": sum(map(len, history))})
        replayed = [x for x in r.replays if x["outcome"] == "replayed"]
        scheduled = sum(x["type"] == "ActivityTaskScheduled" for x in r.log)
        r.counters = {
            "workflows": len(r.workflows), "completed": sum(w["status"] == "completed" for w in r.workflows),
            "stuck": sum(w["status"] == "stuck" for w in r.workflows),
            "open": sum(w["status"] == "open" for w in r.workflows),
            "replays": len(replayed), "results from the log": sum(x["results from the log"] for x in replayed),
            "non-determinism errors": len(r.replays) - len(replayed),
            "activity executions": len(r.executions), "steps scheduled": scheduled,
            "lost in the crash": sum(x["outcome"] == "lost in the crash" for x in r.executions),
            "charged, then lost": sum(x["outcome"] == "lost in the crash" and "charge" in x for x in r.executions),
            "charges": sum(self.charges.values()), "double charges": sum(n > 1 for n in self.charges.values()),
            "with the patch": sum(w["marker"] for w in r.workflows),
            "old branch": len({x["workflow"] for x in replayed if x["code"] == "patched"}
                              - {w["workflow"] for w in r.workflows if w["marker"]}),
            "log events": len(r.log), "log bytes": sum(x["bytes"] for x in r.log)}
        r.notes = _notes(p, r)


def _notes(p: Params, r: DurableRun) -> list[str]:
    c, out = r.counters, []
    out.append(Text("df.du.recorded", events=count(c["log events"], "event"), bytes=c["log bytes"],
                    format=formats.get(p.log_format).title))
    if c["replays"]:
        out.append(Text("df.du.replays", replays=count(c["replays"], "replay"),
                        results=count(c["results from the log"], "step_result")))
    retried = c["activity executions"] - c["steps scheduled"]   # only a crash makes a step run twice
    if c["lost in the crash"]:
        out.append(Text("df.du.killed", killed=count(c["lost in the crash"], "step"), again=count(retried, "step")))
    if c["charged, then lost"]:
        out.append(Text("df.du.charged_keys" if p.idempotency_keys else "df.du.charged_no_keys",
                        charges=count(c["charged, then lost"], "charge"), twice=count(c["double charges"], "workflow")))
    if c["non-determinism errors"]:
        first = next(x for x in r.replays if x["outcome"] == "non-determinism")
        out.append(Text("df.du.stuck", workflows=count(c["stuck"], "workflow"), first=first["workflow"],
                        error=first["error"]))
    elif p.change == "patched" and c["replays"]:
        out.append(Text("df.du.patched", marked=count(c["with the patch"], "workflow"),
                        old=count(c["old branch"], "workflow")))
    elif p.change != "none" and c["replays"]:
        out.append(Text("df.du.not_reached"))
    return out
