"""A rolling upgrade: N nodes behind a load balancer move from the old code to the new.

Each request goes to a healthy node, reads a record another node wrote to the shared
store and writes one of its own with its code version. During a rolling upgrade old
and new code run side by side, so new code reads old data (backward compatibility)
and old code reads new data (forward compatibility), through the real codec.
Upgraded k nodes at a time, the service never goes dark; all at once, it does.

A restarted node must pass a health check (reading the newest record in the store
with its new code) before the balancer sends it traffic. If the check fails the
rollout stops there, as a careful deployment would.
"""
from collections import Counter
from dataclasses import dataclass, field

from dataflow.codec import Codec, cross_version_counts, cross_version_notes, direction
from dataflow.engine import Run, Simulation, check, check_choice, count
from i18n import Text

STRATEGIES = ("rolling", "all-at-once")
RECENT = 20          # a request reads one of the last RECENT records other nodes wrote
PRELOADED = 5        # records the old code wrote before the run starts


@dataclass(frozen=True)
class Params:
    nodes: int = 4
    strategy: str = "rolling"
    batch_size: int = 1            # nodes restarted together in a rolling upgrade
    ticks: int = 60
    upgrade_at: int = 5            # the tick the rollout starts
    restart_ticks: int = 4         # a node is down this long while it restarts
    health_check_ticks: int = 2    # then checked this long before it gets traffic
    pause_ticks: int = 2           # watch the upgraded nodes this long before the next batch
    requests_per_tick: float = 4.0
    seed: int = 1


@dataclass
class UpgradeRun(Run):
    """`node_states`: per tick and node, its version and state (up, restarting, health check,
    failed check); `reads`: every failed or lossy read, who wrote and who read;
    `crossings`: read counts per (writer version, reader version, status)."""
    node_states: list[dict] = field(default_factory=list)
    reads: list[dict] = field(default_factory=list)
    crossings: list[dict] = field(default_factory=list)


def run(codec: Codec, params: Params = Params()) -> UpgradeRun:
    """Simulate the upgrade from codec.versions[0] to codec.versions[-1]."""
    _validate(params)
    return _Cluster(codec, params).simulate()


def _validate(p: Params) -> None:
    check("nodes", p.nodes, 1, 20)
    check_choice("strategy", p.strategy, STRATEGIES)
    check("batch size", p.batch_size, 1, p.nodes)
    check("ticks", p.ticks, 10, 500)
    check("upgrade tick", p.upgrade_at, 0, p.ticks - 1)
    check("restart ticks", p.restart_ticks, 1, 50)
    check("health check ticks", p.health_check_ticks, 0, 50)
    check("pause ticks", p.pause_ticks, 0, 50)
    check("requests per tick", p.requests_per_tick, 0.1, 50)
    check("seed", p.seed, 0, 2 ** 32)


class _Cluster:
    def __init__(self, codec: Codec, p: Params):
        self.codec, self.p = codec, p
        self.sim = Simulation(p.seed)
        self.old, self.new = codec.versions[0], codec.versions[-1]
        self.nodes = [f"node-{i + 1}" for i in range(p.nodes)]
        self.version = dict.fromkeys(self.nodes, self.old)
        self.state = dict.fromkeys(self.nodes, "up")
        self.store: list[tuple[str, int, bytes]] = []    # (writer node, writer version, bytes)
        # what each version's code writes (the real bytes, encoded once: every request writes the same record)
        self.payload = {v: codec.encode(v, codec.record(v)) for v in codec.versions}
        self.next_node = 0                                # the balancer's round robin
        size = p.nodes if p.strategy == "all-at-once" else p.batch_size
        self.batches = [self.nodes[i:i + size] for i in range(0, p.nodes, size)]
        self.per_tick = [Counter() for _ in range(p.ticks)]
        self.crossings: Counter = Counter()
        self.result = UpgradeRun(p.seed, self.sim.events)
        self.down_since: float | None = None
        self.downtime = 0.0
        self.rollout_end: float | None = None
        self.halted_at = ""
        self.failed_checks = 0

    def simulate(self) -> UpgradeRun:
        sim, p = self.sim, self.p
        for i in range(PRELOADED):
            node = self.nodes[i % len(self.nodes)]
            self.store.append((node, self.old, self.payload[self.old]))
        for t in range(p.ticks):
            sim.at(t, self.snapshot, t)
        sim.at(p.upgrade_at, self.stop_batch, 0)
        sim.after(sim.rng.expovariate(p.requests_per_tick), self.request)
        sim.run(until=p.ticks)
        if self.down_since is not None:
            self.downtime += p.ticks - self.down_since
        self.summarize()
        return self.result

    # --- the deployment -------------------------------------------------------------------
    def healthy(self) -> list[str]:
        return [n for n in self.nodes if self.state[n] == "up"]

    def set_state(self, node: str, state: str, kind: str) -> None:
        self.state[node] = state
        self.sim.log(node, kind, self.version[node])
        up = bool(self.healthy())
        if not up and self.down_since is None:
            self.down_since = self.sim.now
        elif up and self.down_since is not None:
            self.downtime += self.sim.now - self.down_since
            self.down_since = None

    def stop_batch(self, i: int) -> None:
        for node in self.batches[i]:
            self.set_state(node, "restarting", "stopped for upgrade")
        self.sim.after(self.p.restart_ticks, self.start_batch, i)

    def start_batch(self, i: int) -> None:
        for node in self.batches[i]:
            self.version[node] = self.new
            self.set_state(node, "health check", "started new code")
        self.sim.after(self.p.health_check_ticks, self.check_batch, i)

    def check_batch(self, i: int) -> None:
        """The health check reads the newest record in the store with the new code."""
        writer, writer_version, data = self.store[-1]
        reading = self.codec.decode(self.new, data, writer_version)
        for node in self.batches[i]:
            if reading.failed:
                self.failed_checks += 1
                self.set_state(node, "failed check", "health check failed")
                self.halted_at = self.halted_at or node
                self.note_read(node, writer, writer_version, reading)
            else:
                self.set_state(node, "up", "healthy")
        if reading.failed:
            return
        if i + 1 < len(self.batches):
            self.sim.after(self.p.pause_ticks, self.stop_batch, i + 1)
        else:
            self.rollout_end = self.sim.now

    # --- the traffic --------------------------------------------------------------------------
    def request(self) -> None:
        sim = self.sim
        if sim.now >= self.p.ticks:
            return
        tick = self.per_tick[int(sim.now)]
        tick["requests"] += 1
        sim.after(sim.rng.expovariate(self.p.requests_per_tick), self.request)
        healthy = self.healthy()
        if not healthy:
            tick["unavailable"] += 1
            sim.log("balancer", "no healthy node")
            return
        node = healthy[self.next_node % len(healthy)]
        self.next_node += 1
        version = self.version[node]
        others = [entry for entry in self.store[-RECENT:] if entry[0] != node]
        if others:
            writer, writer_version, data = sim.rng.choice(others)
            reading = self.codec.decode(version, data, writer_version)
            self.crossings[writer_version, version, reading.status] += 1
            if reading.status != "ok":
                self.note_read(node, writer, writer_version, reading)
                tick[f"{reading.status} reads"] += 1
            if reading.failed:
                return
        self.store.append((node, version, self.payload[version]))
        tick["served"] += 1
        sim.log(node, "served", version, peer=writer if others else "")

    def note_read(self, node: str, writer: str, writer_version: int, reading) -> None:
        version = self.version[node]
        what = "read failed" if reading.failed else "lossy read"
        detail = reading.error if reading.failed else Text("df.lost", fields=", ".join(reading.lost))
        self.sim.log(node, what, version, detail, peer=writer)
        self.result.reads.append({
            "time": round(self.sim.now, 6), "writer": writer, "writer_version": writer_version,
            "reader": node, "reader_version": version, "status": reading.status,
            "direction": direction(version, writer_version), "lost": ", ".join(reading.lost),
            "error": reading.error})

    def snapshot(self, t: int) -> None:
        for node in self.nodes:
            self.result.node_states.append(
                {"tick": t, "node": node, "version": self.version[node], "state": self.state[node]})
        self.per_tick[t]["healthy nodes"] = len(self.healthy())
        self.per_tick[t]["new code nodes"] = sum(v == self.new for v in self.version.values())

    # --- what to notice -------------------------------------------------------------------------
    def summarize(self) -> None:
        r = self.result
        for t, counts in enumerate(self.per_tick):
            r.series.append({"tick": t, **{k: counts[k] for k in (
                "requests", "served", "unavailable", "failed reads", "lossy reads",
                "healthy nodes", "new code nodes")}})
        r.crossings = [{"writer_version": w, "reader_version": v, "status": s, "reads": n,
                        "direction": direction(v, w)} for (w, v, s), n in sorted(self.crossings.items())]
        total = Counter()
        for counts in self.per_tick:
            total.update(counts)
        cross = Counter()
        for (w, v, s), n in self.crossings.items():
            if w != v:
                cross[direction(v, w), s] += n
        r.counters = {
            "requests": total["requests"], "served": total["served"], "unavailable": total["unavailable"],
            "failed reads": total["failed reads"], "lossy reads": total["lossy reads"],
            "failed health checks": self.failed_checks, "downtime ticks": round(self.downtime, 6),
            "nodes upgraded": sum(v == self.new and self.state[n] == "up" for n, v in self.version.items()),
            "cross-version reads": sum(cross.values()),
            "backward reads": sum(c for (d, _), c in cross.items() if d.startswith("backward")),
            "forward reads": sum(c for (d, _), c in cross.items() if d.startswith("forward")),
            "nodes on new code": sum(v == self.new for v in self.version.values()),
            "fewest healthy nodes": min(row["healthy nodes"] for row in r.series),
            "batches": len(self.batches),
            **cross_version_counts(cross),
        }
        if self.rollout_end is not None:
            r.counters["rollout end tick"] = self.rollout_end
            r.counters["rollout ticks"] = self.rollout_end - self.p.upgrade_at
        r.notes = self.notes(r.counters, cross)

    def notes(self, c: dict, cross: Counter) -> list[str]:
        """What to notice, every number one of the run's counters (or a parameter)."""
        p, out = self.p, []
        n = p.nodes
        if self.halted_at:
            out.append(Text("df.up.halted", at=self.halted_at))
        elif self.rollout_end is not None:
            out.append(Text("df.up.done", nodes=count(n, "node"), end=c["rollout end tick"], ticks=c["rollout ticks"],
                            batches=count(c["batches"], "batch")))
        else:
            out.append(Text("df.up.unfinished", n=c["nodes on new code"], total=n))
        if c["downtime ticks"]:
            out.append(Text("df.up.downtime", ticks=c["downtime ticks"], requests=count(c["unavailable"], "request")))
        else:
            out.append(Text("df.up.no_downtime", n=c["fewest healthy nodes"], total=n))
        backward, forward = c["backward reads"], c["forward reads"]
        if p.strategy == "all-at-once" and not forward:
            out.append(Text("df.up.all_at_once"))
        if backward or forward:
            out.append(Text("df.up.shared", backward=count(backward, "time"), forward=count(forward, "time")))
        fields = sorted({f.split(" (")[0] for row in self.result.reads if row["status"] == "lossy"
                         for f in row["lost"].split(", ") if f})
        return out + cross_version_notes(c, "read", Text("df.up.when_failed"), fields)
