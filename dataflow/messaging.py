"""Message-passing dataflow: a producer, a broker, consumers.

The producer names a topic, never a consumer's address; the broker keeps each message
until a consumer acknowledges it. That buys what the book lists: the broker buffers
while a consumer is down, redelivers what a crashed consumer never acknowledged (so a
message can be handled twice: at-least-once), and hands one message to several
subscriber groups (fan-out) or to one of several competing consumers. Payloads are the
real bytes the codec writes, read by the consumer's code version.
"""
from collections import Counter, deque
from dataclasses import dataclass, field

from dataflow.codec import Codec, read_modify_write
from dataflow.engine import Run, Simulation, check, count
from evolution.catalogue import FAMILY_OF_FORMAT
from i18n import Text

GROUP_NAMES = ("billing", "shipping", "analytics", "search", "email", "audit", "fraud", "ledger", "crm", "ml")


@dataclass(frozen=True)
class Params:
    ticks: int = 60
    messages_per_tick: float = 2.0
    handle_ticks: float = 0.25         # mean time a consumer spends on one message
    down_from: int = 15                # outage: the consumer is down in [down_from, down_until)
    down_until: int = 30
    crash: float = 0.05                # redelivery: probability a consumer crashes inside a message
    restart_ticks: float = 2.0
    consumers: int = 3                 # subscriber groups (fan-out) or consumers on one queue
    writer_version: int | None = None  # None: the newest version
    reader_version: int | None = None
    seed: int = 1


@dataclass
class MessagingRun(Run):
    """`deliveries`: one row per message handed to a consumer (time, message, group, consumer,
    attempt, status, bytes); `series`: one row per tick (queue depths, counts)."""
    deliveries: list[dict] = field(default_factory=list)


def _validate(p: Params, codec: Codec) -> None:
    check("ticks", p.ticks, 10, 500)
    check("messages per tick", p.messages_per_tick, 0.1, 20)
    check("handling time", p.handle_ticks, 0.01, 5)
    check("crash probability", p.crash, 0.0, 0.9)
    check("restart ticks", p.restart_ticks, 0.1, 50)
    check("consumers", p.consumers, 1, len(GROUP_NAMES))
    check("seed", p.seed, 0, 2 ** 32)
    for name in ("writer_version", "reader_version"):
        if getattr(p, name) is not None:
            check(name.replace("_", " "), getattr(p, name), codec.versions[0], codec.versions[-1])


class _Consumer:
    def __init__(self, name: str, group: "_Group"):
        self.name, self.group = name, group
        self.up = True
        self.current: dict | None = None     # the one message being handled


class _Group:
    """A subscriber group on a topic: its own queue, consumers competing for its messages."""

    def __init__(self, broker: "_Broker", name: str, consumers: int, on_handled):
        self.broker, self.name, self.on_handled = broker, name, on_handled
        self.queue: deque = deque()
        self.consumers = [_Consumer(f"{name}-{i + 1}" if consumers > 1 else name, self) for i in range(consumers)]
        self.turn = 0

    def dispatch(self) -> None:
        while self.queue:
            idle = [c for c in self.consumers if c.up and c.current is None]
            if not idle:
                return
            consumer = idle[self.turn % len(idle)]
            self.turn += 1
            self.broker.deliver(consumer, self.queue.popleft())


class _Broker:
    """Topics by name, each with subscriber groups; a message stays until a consumer acks it."""

    def __init__(self, sim: Simulation, codec: Codec, p: Params, result: MessagingRun, crash: float = 0.0):
        self.sim, self.codec, self.p, self.result, self.crash_probability = sim, codec, p, result, crash
        self.topics: dict[str, list[_Group]] = {}
        self.reader_version = p.reader_version or codec.versions[-1]
        self.attempts = Counter()           # (group, message id) -> deliveries
        self.handled = Counter()            # (group, message id) -> times its effect was applied
        self.crashed_inside: set = set()    # (group, message id) a consumer crashed while handling
        self.dead_letters: set = set()      # (group, message id) the consumer's code could not read
        self.lossy: set = set()             # (group, message id) read, but a value the consumer has a field for
                                            # was lost or changed on the way

    def subscribe(self, topic: str, group: str, consumers: int = 1, on_handled=None) -> _Group:
        g = _Group(self, group, consumers, on_handled)
        self.topics.setdefault(topic, []).append(g)
        return g

    def publish(self, topic: str, message: dict, sender: str = "producer") -> None:
        """The sender names a topic; every subscriber group gets its own copy."""
        self.sim.log(sender, "published", message["version"], Text("df.mq.published", id=message["id"], topic=repr(topic)),
                     peer="broker")
        for g in self.topics[topic]:
            g.queue.append(message)
            g.dispatch()

    def deliver(self, consumer: _Consumer, message: dict) -> None:
        sim, key = self.sim, (consumer.group.name, message["id"])
        self.attempts[key] += 1
        consumer.current = message
        reading = self.codec.decode(self.reader_version, message["data"], message["version"])
        self.result.deliveries.append({
            "time": round(sim.now, 6), "message": message["id"], "group": consumer.group.name,
            "consumer": consumer.name, "attempt": self.attempts[key], "status": reading.status,
            "bytes": len(message["data"])})
        sim.log(consumer.name, "delivered" if self.attempts[key] == 1 else "redelivered", self.reader_version,
                Text("df.mq.delivered", id=message["id"], n=len(message["data"])), peer="broker")
        if reading.failed:   # a message this code cannot read goes to the dead-letter queue
            self.dead_letters.add(key)
            sim.log(consumer.name, "dead-lettered", self.reader_version, reading.error, peer="broker")
            consumer.current = None
            return
        if reading.status == "lossy":
            self.lossy.add(key)
        took = self.p.handle_ticks * sim.rng.expovariate(1.0)
        if sim.rng.random() < self.crash_probability:
            sim.after(sim.rng.uniform(0, took), self.crash, consumer, message)
        sim.after(took / 2, self.apply, consumer, message)
        sim.after(took, self.ack, consumer, message)

    def apply(self, consumer: _Consumer, message: dict) -> None:
        """The consumer's side effect (a database write, an email) happens before its ack."""
        if consumer.current is message:
            self.handled[consumer.group.name, message["id"]] += 1

    def ack(self, consumer: _Consumer, message: dict) -> None:
        if consumer.current is not message:
            return
        consumer.current = None
        self.sim.log(consumer.name, "acked", self.reader_version, Text("df.mq.message", id=message["id"]), peer="broker")
        if consumer.group.on_handled:
            consumer.group.on_handled(consumer, message)
        consumer.group.dispatch()

    def crash(self, consumer: _Consumer, message: dict) -> None:
        """No ack will come: the broker puts the message back at the head of the queue."""
        if consumer.current is not message:
            return
        self.crashed_inside.add((consumer.group.name, message["id"]))
        self.sim.log(consumer.name, "crashed", self.reader_version, Text("df.mq.crashed", id=message["id"]))
        consumer.current = None
        self.set_up(consumer, False)
        consumer.group.queue.appendleft(message)
        self.sim.after(self.p.restart_ticks, self.set_up, consumer, True)

    def set_up(self, consumer: _Consumer, up: bool) -> None:
        """Down takes no new messages; a message already being handled is finished first."""
        consumer.up = up
        self.sim.log(consumer.name, "back up" if up else "down", self.reader_version)
        if up:
            consumer.group.dispatch()

    @property
    def unreadable(self) -> int:
        return len(self.dead_letters)

    def account(self, group: str, sent: int) -> dict:
        """Where each of the `sent` messages (ids 1..sent) ended up in `group`: handled (of which `read lossy`:
        the consumer's code read it but a value it has a field for did not arrive or arrived changed),
        dead-lettered, still waiting (queued or being handled when the run ended), or lost (none of these)."""
        g = next(g for groups in self.topics.values() for g in groups if g.name == group)
        waiting = {m["id"] for m in g.queue} | {c.current["id"] for c in g.consumers if c.current}
        handled = {i for (name, i), n in self.handled.items() if name == group and n}
        dead = {i for name, i in self.dead_letters if name == group}
        lossy = {i for name, i in self.lossy if name == group} & handled
        return {"handled": len(handled), "read lossy": len(lossy), "dead-lettered": len(dead),
                "still waiting": len(waiting - handled - dead),
                "lost": len(set(range(1, sent + 1)) - handled - dead - waiting)}

    def queued(self) -> tuple[int, int]:
        """Messages waiting in all queues, and their bytes."""
        waiting = [m for groups in self.topics.values() for g in groups for m in g.queue]
        return len(waiting), sum(len(m["data"]) for m in waiting)


def _workload(sim: Simulation, codec: Codec, p: Params) -> list[dict]:
    """The messages and when they are sent, drawn first so every variant of a scenario gets the same."""
    version = p.writer_version or codec.versions[-1]
    data = codec.encode(version, codec.record(version))
    out, t = [], sim.rng.expovariate(p.messages_per_tick)
    while t < p.ticks:
        out.append({"id": len(out) + 1, "time": t, "version": version, "data": data})
        t += sim.rng.expovariate(p.messages_per_tick)
    return out


def _sample(sim: Simulation, p: Params, rows: list, measure) -> None:
    for t in range(p.ticks + 1):
        sim.at(t, lambda t=t: rows.append({"tick": t, **measure(t)}))


def _drain(sim: Simulation, p: Params) -> None:
    """After the last send, let the backlog drain (for a while: an overloaded consumer may never catch up)."""
    sim.run(until=p.ticks * 20)


def _waiting_note(account: dict) -> list[str]:
    n = account["still waiting"]
    return [Text("df.mq.waiting", n=count(n, "message"))] if n else []


# --- 1. a consumer outage: through a broker versus direct calls ----------------------------------------

def outage(codec: Codec, params: Params = Params()) -> MessagingRun:
    """The consumer is down in [down_from, down_until). The same messages go once through a broker
    (queue "orders") and once as direct calls to the consumer's address. No crashes here."""
    _validate(params, codec)
    check("outage start", params.down_from, 0, params.ticks)
    check("outage end", params.down_until, params.down_from, params.ticks)
    p = params
    sim = Simulation(p.seed)
    result = MessagingRun(p.seed, sim.events)
    broker = _Broker(sim, codec, p, result)
    consumer = broker.subscribe("orders", "consumer").consumers[0]
    direct = Counter()
    direct_up = [True]

    def call(message: dict) -> None:
        """A direct call reaches the consumer only if it is up right now; nothing keeps it for later."""
        if direct_up[0]:
            direct["handled"] += 1
            sim.log("producer", "called directly", message["version"], Text("df.mq.message", id=message["id"]),
                    peer="direct consumer")
        else:
            direct["lost"] += 1
            sim.log("producer", "call failed: consumer down", message["version"],
                    Text("df.mq.message_lost", id=message["id"]), peer="direct consumer")

    def outage_edge(up: bool) -> None:
        direct_up[0] = up
        broker.set_up(consumer, up)

    sent = Counter()
    for message in _workload(sim, codec, p):
        sim.at(message["time"], _send, sent, lambda m: (broker.publish("orders", m), call(m)), message)
    sim.at(p.down_from, outage_edge, False)
    sim.at(p.down_until, outage_edge, True)
    _sample(sim, p, result.series, lambda t: {
        "sent": sent["sent"], "broker: handled": sum(broker.handled.values()), "broker: queued": broker.queued()[0],
        "broker: queued bytes": broker.queued()[1], "direct: handled": direct["handled"],
        "direct: lost": direct["lost"], "consumer up": int(direct_up[0])})
    _drain(sim, p)
    peak = max(row["broker: queued"] for row in result.series)
    peak_bytes = max(row["broker: queued bytes"] for row in result.series)
    account = broker.account("consumer", sent["sent"])
    result.counters = {"sent": sent["sent"], **{f"broker: {k}": v for k, v in account.items()},
                       "broker: peak queue": peak, "direct: handled": direct["handled"],
                       "direct: lost": direct["lost"]}
    result.counters["broker: peak queue bytes"] = peak_bytes
    result.notes = [
        Text("df.mq.outage_broker", start=p.down_from, end=p.down_until, peak=count(peak, "message"),
             bytes=peak_bytes, format=codec.format_id, handled=account["handled"], sent=sent["sent"],
             lossily=Text("df.mq.of_them_lossy", n=account["read lossy"]) if account["read lossy"] else "",
             lost=account["lost"]),
        Text("df.mq.outage_direct", lost=count(direct["lost"], "message")),
    ] + _lossy_note(account["read lossy"]) + _waiting_note(account) + _unreadable_note(broker)
    return result


def _send(sent: Counter, send, message: dict) -> None:
    sent["sent"] += 1
    send(message)


def _lossy_note(n: int, unit: str = "message") -> list[str]:
    """Messages the consumer's code decoded with a value lost or changed: counted apart from failed reads."""
    return [Text("df.mq.lossy", n=n, what=count(n, unit))] if n else []


def _unreadable_note(broker: _Broker) -> list[str]:
    return [Text("df.mq.unreadable", messages=count(broker.unreadable, "message"),
                 version=broker.reader_version)] if broker.unreadable else []


# --- 2. a consumer crashes mid-message: redelivery, duplicates ------------------------------------------

def redelivery(codec: Codec, params: Params = Params()) -> MessagingRun:
    """Consumers on one queue crash inside a message with probability `crash`; the broker redelivers."""
    _validate(params, codec)
    p = params
    sim = Simulation(p.seed)
    result = MessagingRun(p.seed, sim.events)
    broker = _Broker(sim, codec, p, result, crash=p.crash)
    broker.subscribe("orders", "worker", p.consumers)
    sent = Counter()
    for message in _workload(sim, codec, p):
        sim.at(message["time"], _send, sent, lambda m: broker.publish("orders", m), message)
    _sample(sim, p, result.series, lambda t: {
        "sent": sent["sent"], "handled": sum(broker.handled.values()), "queued": broker.queued()[0],
        "crashes": len(broker.crashed_inside)})
    _drain(sim, p)
    duplicates = [key for key, n in broker.handled.items() if n > 1]
    redelivered = sum(n - 1 for n in broker.attempts.values())
    crashes = sum(e.kind == "crashed" for e in result.events)
    account = broker.account("worker", sent["sent"])
    result.counters = {
        "sent": sent["sent"], **account, "crashes": crashes, "redeliveries": redelivered,
        "duplicates": len(duplicates),
        "duplicates without a crash": sum(key not in broker.crashed_inside for key in duplicates)}
    c = result.counters
    result.notes = [
        Text("df.mq.crashes", crashes=count(crashes, "time"), redelivered=count(redelivered, "message"),
             lost=count(account["lost"], "message")),
        Text("df.mq.duplicates", n=len(duplicates), messages=count(len(duplicates), "message"),
             also=Text("df.mq.duplicates_crash_only") if c["duplicates without a crash"] == 0 else "")
        if duplicates else Text("df.mq.no_duplicates"),
    ] + _lossy_note(account["read lossy"]) + _waiting_note(account) + _unreadable_note(broker)
    return result


# --- 3. fan-out versus competing consumers ---------------------------------------------------------------

def fan_out(codec: Codec, params: Params = Params()) -> MessagingRun:
    """The same messages to one topic with `consumers` subscriber groups (each gets every message), and
    to one queue shared by `consumers` competing consumers (each message goes to one of them)."""
    _validate(params, codec)
    p = params
    sim = Simulation(p.seed)
    result = MessagingRun(p.seed, sim.events)
    fan = _Broker(sim, codec, p, MessagingRun(p.seed))
    for name in GROUP_NAMES[:p.consumers]:
        fan.subscribe("orders", name)
    shared = _Broker(sim, codec, p, MessagingRun(p.seed))
    shared.subscribe("orders", "worker", p.consumers)
    sent = Counter()
    for message in _workload(sim, codec, p):
        sim.at(message["time"], _send, sent, lambda m: (fan.publish("orders", m), shared.publish("orders", m)),
               message)
    _drain(sim, p)
    for topology, broker in (("fan-out", fan), ("competing consumers", shared)):
        result.deliveries += [{**row, "topology": topology} for row in broker.result.deliveries]
    received = Counter((row["topology"], row["consumer"]) for row in result.deliveries)
    result.series = [{"topology": t, "consumer": c, "messages": n} for (t, c), n in sorted(received.items())]
    per_message = Counter(row["message"] for row in result.deliveries if row["topology"] == "competing consumers")
    result.counters = {"sent": sent["sent"],
                       "fan-out deliveries": sum(n for (t, _), n in received.items() if t == "fan-out"),
                       "competing deliveries": sum(per_message.values()),
                       "messages seen by two competing consumers": sum(n > 1 for n in per_message.values()),
                       "read lossy": sum(row["status"] == "lossy" for row in result.deliveries),
                       "dead-lettered": sum(row["status"] == "failed" for row in result.deliveries)}
    result.counters |= {f"{c} received": n for (t, c), n in sorted(received.items()) if t == "competing consumers"}
    shares = ", ".join(f"{c} {n}" for (t, c), n in sorted(received.items()) if t == "competing consumers")
    result.notes = [
        Text("df.mq.fan_out", groups=count(p.consumers, "subscriber_group"), sent=sent["sent"],
             deliveries=result.counters["fan-out deliveries"]),
        Text("df.mq.competing", sent=sent["sent"], shares=shares),
        Text("df.mq.topic_only"),
    ] + _lossy_note(result.counters["read lossy"], "delivery") + \
        _unreadable_note(fan) + _unreadable_note(shared)
    return result


# --- 4. one-way messages versus request/reply over a reply queue ------------------------------------------

def request_reply(codec: Codec, params: Params = Params()) -> MessagingRun:
    """A requester sends to queue "quotes" with reply_to and a correlation id; `consumers` competing
    responders answer on the requester's reply queue, in whatever order they finish."""
    _validate(params, codec)
    p = params
    sim = Simulation(p.seed)
    result = MessagingRun(p.seed, sim.events)
    broker = _Broker(sim, codec, p, result)
    reply_queue = "replies.requester"
    pending: dict[str, float] = {}
    rows: list[dict] = []

    def respond(responder: _Consumer, request: dict) -> None:
        reply = {**request, "id": Text("df.mq.reply_to", id=request["id"]), "correlation_id": request["correlation_id"]}
        broker.publish(request["reply_to"], reply, sender=responder.name)

    def matched(requester: _Consumer, reply: dict) -> None:
        sent_at = pending.pop(reply["correlation_id"])
        rows.append({"correlation_id": reply["correlation_id"], "sent": round(sent_at, 6),
                     "replied": round(sim.now, 6), "round_trip": round(sim.now - sent_at, 6)})
        sim.log("requester", "matched reply", reply["version"], Text("df.mq.correlation", id=reply["correlation_id"]))

    broker.subscribe("quotes", "responder", p.consumers, on_handled=respond)
    broker.subscribe(reply_queue, "requester", on_handled=matched)

    def ask(message: dict) -> None:
        cid = f"q-{message['id']}"
        pending[cid] = sim.now
        broker.publish("quotes", {**message, "reply_to": reply_queue, "correlation_id": cid}, sender="requester")

    sent = Counter()
    for message in _workload(sim, codec, p):
        sim.at(message["time"], _send, sent, ask, message)
    _drain(sim, p)
    order = [int(row["correlation_id"][2:]) for row in rows]
    out_of_order = sum(a > b for a, b in zip(order, order[1:]))
    result.series = rows
    result.counters = {"requests": sent["sent"], "replies matched": len(rows), "unanswered": len(pending),
                       "replies out of order": out_of_order,
                       "mean round trip": round(sum(r["round_trip"] for r in rows) / max(1, len(rows)), 3),
                       "read lossy": len(broker.lossy), "dead-lettered": broker.unreadable}
    result.notes = [
        Text("df.mq.replies", n=len(rows), sent=sent["sent"], queue=repr(reply_queue),
             overtook=count(out_of_order, "time"), responders=p.consumers),
        Text("df.mq.round_trip", ticks=result.counters["mean round trip"]),
    ] + _lossy_note(len(broker.lossy)) + _unreadable_note(broker)
    return result


# --- 5. a consumer that republishes: are the fields it does not know kept? ------------------------------------

HOLDS = {   # how a consumer's library holds the message it will write back
    "protobuf": Text("df.mq.holds.protobuf"), "avro": Text("df.mq.holds.avro"), "thrift": Text("df.mq.holds.thrift"),
    "schemaless": Text("df.mq.holds.schemaless"),
}


def republish(codec: Codec, edit=lambda record: ("favoriteNumber", 42)) -> dict:
    """A consumer on old code (the codec's first version) takes a message new code (the last version) wrote
    to "orders", changes one field, and publishes the result to "orders.enriched"; a consumer on new code
    reads it there. The fields the old consumer did not know are kept or lost by how its library holds the
    message (dataflow.codec.read_modify_write: figure 4-7, in a pipeline of consumers)."""
    new, old = codec.versions[-1], codec.versions[0]
    update = read_modify_write(codec, codec.encode(new, codec.record(new)), new, old, edit)
    update["format"], update["holds"] = codec.format_id, HOLDS[FAMILY_OF_FORMAT[codec.format_id]]
    if "error" in update:
        update["note"] = Text("df.mq.republish_failed", error=update["error"])
        return update
    kept = Text("df.mq.kept", fields=", ".join(update["kept"])) if update["kept"] else ""
    lost = Text("df.mq.lost", fields=", ".join(update["lost"]), new=new, reads=", ".join(
        f"{k} = {update['after_record'].get(k)!r}" for k in update["lost"])) if update["lost"] else ""
    update["note"] = Text("df.mq.republished", old=old, field=update["field"], after=len(update["after"]),
                          before=len(update["before"]), fields=", ".join(update["unknown_to_editor"]) or
                          Text("df.mq.none"), outcome=[part for part in (kept, lost) if part])
    return update


def queue_versus_log(run: MessagingRun) -> str:
    """What this run's queues kept after their consumers acknowledged, and what a log would still hold."""
    size = {d["message"]: d["bytes"] for d in run.deliveries}   # each message once, as a log stores it
    queues = len({d["group"] for d in run.deliveries})
    acked = sum(e.kind == "acked" for e in run.events)
    return Text("df.mq.queues_and_logs", queues=count(queues, "queue"), acked=count(acked, "delivery"),
                messages=count(len(size), "message"), bytes=sum(size.values()))
