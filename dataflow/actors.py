"""Distributed actors: private state, a mailbox, one message at a time.

Actors are spread over nodes; a sender addresses an actor by name and the runtime
finds its node (location transparency, as in Akka, Orleans and Erlang/OTP). A message
to an actor on the same node is handed over in memory; one to another node is
encoded by the sender's code version and decoded by the receiver's, with the real
codec. Upgrading the nodes one at a time therefore mixes versions on the wire. The
actor model allows messages to be lost; this simulation loses some on purpose.
"""
from collections import Counter, deque
from dataclasses import dataclass, field

from dataflow.codec import Codec, cross_version_counts, cross_version_notes, direction
from dataflow.engine import Run, Simulation, check, count, timeline
from i18n import Text


@dataclass(frozen=True)
class Params:
    nodes: int = 3
    actors: int = 9
    ticks: int = 60
    messages_per_tick: float = 12.0
    handle_ticks: float = 0.6      # mean time an actor spends on one message: busy enough that mailboxes fill
    loss: float = 0.02             # probability a message between nodes is lost
    upgrade_at: int = 10           # nodes restart onto the new code one at a time from here
    restart_ticks: float = 4.0
    seed: int = 1


@dataclass
class ActorRun(Run):
    """`actors`: per actor its node, messages handled, state, peak mailbox and peak in-flight count
    (never above 1); `node_states`: per tick and node, version and up/down; `mailboxes`: per tick
    and actor, messages waiting in its mailbox; `crossings`: remote messages per (writer version,
    reader version, status); `series`: per tick, messages handled, lost in the network, dead
    letters, unreadable."""
    actors: list[dict] = field(default_factory=list)
    node_states: list[dict] = field(default_factory=list)
    mailboxes: list[dict] = field(default_factory=list)
    crossings: list[dict] = field(default_factory=list)


def run(codec: Codec, params: Params = Params()) -> ActorRun:
    p = params
    check("nodes", p.nodes, 1, 10)
    check("actors", p.actors, 2, 100)
    check("ticks", p.ticks, 10, 500)
    check("messages per tick", p.messages_per_tick, 0.1, 50)
    check("handling time", p.handle_ticks, 0.01, 5)
    check("loss", p.loss, 0.0, 0.9)
    check("upgrade tick", p.upgrade_at, 0, p.ticks)
    check("restart ticks", p.restart_ticks, 0.1, 50)
    check("seed", p.seed, 0, 2 ** 32)
    return _System(codec, p).simulate()


class _Actor:
    def __init__(self, name: str, node: str):
        self.name, self.node = name, node
        self.mailbox: deque = deque()
        self.state = 0                 # private: only this actor's own handler touches it
        self.in_flight = 0
        self.peak_in_flight = 0
        self.peak_mailbox = 0
        self.handled = 0
        self.epoch = 0                 # bumped when its node restarts: work in progress then is void


class _System:
    def __init__(self, codec: Codec, p: Params):
        self.codec, self.p = codec, p
        self.sim = Simulation(p.seed)
        self.result = ActorRun(p.seed, self.sim.events)
        self.old, self.new = codec.versions[0], codec.versions[-1]
        self.nodes = [f"node-{i + 1}" for i in range(p.nodes)]
        self.version = dict.fromkeys(self.nodes, self.old)
        self.up = dict.fromkeys(self.nodes, True)
        self.actors = {f"actor-{i + 1}": _Actor(f"actor-{i + 1}", self.nodes[i % p.nodes]) for i in range(p.actors)}
        self.names = list(self.actors)
        # what each version's code writes on the wire (the real bytes, encoded once)
        self.payload = {v: codec.encode(v, codec.record(v)) for v in codec.versions}
        self.counts = Counter()
        self.crossings = Counter()
        self.remote_bytes = 0

    def simulate(self) -> ActorRun:
        sim, p = self.sim, self.p
        for i, node in enumerate(self.nodes):
            sim.at(p.upgrade_at + i * (p.restart_ticks + 1), self.restart, node)
        for t in range(p.ticks + 1):
            sim.at(t, self.snapshot, t)
        sim.after(sim.rng.expovariate(p.messages_per_tick), self.stimulus)
        sim.run(until=p.ticks * 20)
        self.summarize()
        return self.result

    # --- sending: by name, wherever the actor lives ---------------------------------------------------
    def stimulus(self) -> None:
        """Some actor tells another one something (a transfer, a game move...)."""
        sim = self.sim
        if sim.now >= self.p.ticks:
            return
        sender = self.names[sim.rng.randrange(len(self.names))]
        other = sim.rng.randrange(len(self.names) - 1)   # any actor but the sender
        receiver = self.names[other + (other >= self.names.index(sender))]
        if self.up[self.actors[sender].node]:   # an actor on a restarting node sends nothing
            self.tell(self.actors[sender], receiver, sim.rng.randint(1, 9))
        sim.after(sim.rng.expovariate(self.p.messages_per_tick), self.stimulus)

    def tell(self, sender: _Actor, receiver_name: str, amount: int) -> None:
        sim, receiver = self.sim, self.actors[receiver_name]
        self.counts["sent"] += 1
        if receiver.node == sender.node:   # same process: the message object itself, no encoding
            self.counts["local"] += 1
            self.arrive(receiver, {"from": sender.name, "amount": amount})
            return
        writer = self.version[sender.node]
        data = self.payload[writer]
        self.counts["remote"] += 1
        self.remote_bytes += len(data)
        if sim.rng.random() < self.p.loss:
            self.counts["lost in network"] += 1
            sim.log(sender.node, "message lost", writer, f"{sender.name} -> {receiver.name}", peer=receiver.node)
            return
        sim.after(0.05, self.receive_remote, sender, receiver, amount, writer, data)

    def receive_remote(self, sender: _Actor, receiver: _Actor, amount: int, writer: int, data: bytes) -> None:
        sim, node = self.sim, receiver.node
        if not self.up[node]:
            self.counts["dead letters"] += 1
            sim.log(node, "dead letter: node down", None, f"{sender.name} -> {receiver.name}", peer=sender.node)
            return
        reader = self.version[node]
        reading = self.codec.decode(reader, data, writer)
        self.crossings[writer, reader, reading.status] += 1
        if reading.failed:
            self.counts["unreadable"] += 1
            sim.log(node, "could not decode", reader, Text("df.ac.could_not_decode", sender=sender.name, receiver=receiver.name, error=reading.error),
                    peer=sender.node)
            return
        if reading.status == "lossy":
            self.counts["lossy"] += 1
        self.arrive(receiver, {"from": sender.name, "amount": amount})

    # --- one message at a time -------------------------------------------------------------------------
    def arrive(self, actor: _Actor, message: dict) -> None:
        actor.mailbox.append(message)
        actor.peak_mailbox = max(actor.peak_mailbox, len(actor.mailbox))
        if actor.in_flight == 0:
            self.next_message(actor)

    def next_message(self, actor: _Actor) -> None:
        if not actor.mailbox or not self.up[actor.node]:
            return
        message = actor.mailbox.popleft()
        actor.in_flight += 1
        actor.peak_in_flight = max(actor.peak_in_flight, actor.in_flight)
        self.sim.after(self.p.handle_ticks * self.sim.rng.expovariate(1.0), self.finish, actor, message,
                       actor.epoch)

    def finish(self, actor: _Actor, message: dict, epoch: int) -> None:
        if epoch != actor.epoch:   # its node restarted meanwhile: that work died with the process
            return
        actor.state += message["amount"]
        actor.handled += 1
        actor.in_flight -= 1
        self.counts["handled"] += 1
        self.sim.log(actor.node, "handled", self.version[actor.node], f"{actor.name} <- {message['from']}")
        self.next_message(actor)

    # --- the rolling upgrade --------------------------------------------------------------------------
    def restart(self, node: str) -> None:
        """The node stops: its actors' mailboxes and the messages they were handling are gone."""
        sim = self.sim
        self.up[node] = False
        dropped = 0
        for actor in self.actors.values():
            if actor.node == node:
                dropped += len(actor.mailbox) + actor.in_flight
                actor.mailbox.clear()
                actor.in_flight = 0
                actor.epoch += 1
        self.counts["dead letters"] += dropped
        sim.log(node, "stopped for upgrade", self.version[node], Text("df.ac.mailboxes_lost", n=count(dropped, "message")))
        sim.after(self.p.restart_ticks, self.start, node)

    def start(self, node: str) -> None:
        self.version[node] = self.new
        self.up[node] = True
        self.sim.log(node, "started new code", self.new)

    def snapshot(self, t: int) -> None:
        for node in self.nodes:
            self.result.node_states.append({"tick": t, "node": node, "version": self.version[node],
                                            "state": "up" if self.up[node] else "restarting"})
        for actor in self.actors.values():
            self.result.mailboxes.append({"tick": t, "actor": actor.name, "node": actor.node,
                                          "waiting": len(actor.mailbox)})

    # --- what to notice -------------------------------------------------------------------------------
    def summarize(self) -> None:
        r, c = self.result, self.counts
        r.actors = [{"actor": a.name, "node": a.node, "handled": a.handled, "state": a.state,
                     "peak mailbox": a.peak_mailbox, "peak in flight": a.peak_in_flight}
                    for a in self.actors.values()]
        r.crossings = [{"writer_version": w, "reader_version": v, "status": s, "messages": n,
                        "direction": direction(v, w)} for (w, v, s), n in sorted(self.crossings.items())]
        r.series = timeline(self.sim.events, 1.0, {
            "handled": "handled", "message lost": "lost in network", "dead letter: node down": "dead letters",
            "could not decode": "unreadable"})
        r.counters = {k: c[k] for k in ("sent", "local", "remote", "handled", "lost in network", "dead letters",
                                        "unreadable", "lossy")}
        r.counters["remote bytes"] = self.remote_bytes
        r.counters["peak in flight"] = max(a.peak_in_flight for a in self.actors.values())
        busiest = max(self.actors.values(), key=lambda a: a.peak_mailbox)
        r.counters["peak mailbox"] = busiest.peak_mailbox
        mixed = Counter()
        for (w, v, s), n in self.crossings.items():
            if w != v:
                mixed[direction(v, w), s] += n
        r.counters["cross-version"] = sum(mixed.values())
        r.counters |= cross_version_counts(mixed)
        r.notes = [
            Text("df.ac.one_at_a_time", peak=r.counters["peak in flight"], mailbox=r.counters["peak mailbox"],
                 busiest=busiest.name),
            Text("df.ac.named", local=count(c["local"], "message"), remote=count(c["remote"], "message"),
                 bytes=self.remote_bytes, format=self.codec.format_id),
            Text("df.ac.lost", network=count(c["lost in network"], "message"),
                 dead=count(c["dead letters"], "message")),
        ]
        r.notes += cross_version_notes(r.counters, "message", Text("df.ac.when_failed"))


# --- the frameworks' own encodings, and their rolling-upgrade caveats (as the chapter gives them) ------------

FRAMEWORKS = {   # id -> (title, a format id or an Erlang term shape, the caveat)
    "any": (Text("df.ac.fw.any"), None, ""),
    "akka-protobuf": (Text("df.ac.fw.akka_protobuf"), "protobuf", Text("df.ac.caveat.akka_protobuf")),
    "akka-jackson": (Text("df.ac.fw.akka_jackson"), "json", Text("df.ac.caveat.akka_jackson")),
    "erlang-records": (Text("df.ac.fw.erlang_records"), "record", Text("df.ac.caveat.erlang_records")),
    "erlang-maps": (Text("df.ac.fw.erlang_maps"), "map", Text("df.ac.caveat.erlang_maps")),
}
ORLEANS = Text("df.ac.orleans")
