"""The discrete-event core every simulation runs on.

A seeded `random.Random`, a time-ordered queue (heapq) of scheduled actions and a log
of what happened. No wall clock and no threads: the same seed gives the same run,
event for event, in the same order (ties in time keep the order they were scheduled in).
"""
import heapq
import itertools
import random
import re
from dataclasses import dataclass, field

from formats.errors import FormatError
from i18n import Text

MAX_STEPS = 500_000   # a run that needs more than this is a bug or absurd parameters, never a hang


@dataclass(frozen=True)
class Event:
    """One thing that happened: who (node), what (kind), with which code version, and the other party."""
    time: float
    node: str
    kind: str
    version: int | None = None
    detail: str = ""
    peer: str = ""


@dataclass
class Run:
    """What a simulation returns: plain rows a page turns into DataFrames and plots.

    `events`: the log, in the simulation's own time unit (ticks; milliseconds for services,
    months for databases); `series`: one dict per time step (counts, queue depths...);
    `counters`: the totals the page shows as metrics; `notes`: "what to notice",
    computed from this run.
    """
    seed: int
    events: list[Event] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    counters: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def event_rows(self) -> list[dict]:
        return [dict(vars(e)) for e in self.events]   # asdict copies deeply: 10x slower, for flat rows


class Simulation:
    """The clock, the queue, the random source and the log of one run."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.now = 0.0
        self.events: list[Event] = []
        self._queue: list = []
        self._order = itertools.count()   # breaks ties in time: first scheduled, first run

    def at(self, time: float, action, *args) -> None:
        """Run `action(*args)` at simulated `time` (never in the past)."""
        heapq.heappush(self._queue, (max(time, self.now), next(self._order), action, args))

    def after(self, delay: float, action, *args) -> None:
        self.at(self.now + delay, action, *args)

    def log(self, node: str, kind: str, version: int | None = None, detail: str = "", peer: str = "") -> None:
        self.events.append(Event(round(self.now, 6), node, kind, version, detail, peer))

    def run(self, until: float) -> None:
        """Process scheduled actions in time order up to and including `until`."""
        for _ in range(MAX_STEPS):
            if not self._queue or self._queue[0][0] > until:
                self.now = max(self.now, until)
                return
            time, _, action, args = heapq.heappop(self._queue)
            self.now = time
            action(*args)
        raise RuntimeError(f"the simulation did not finish within {MAX_STEPS:,} steps")


def timeline(events: list[Event], width: float, kinds: dict[str, str]) -> list[dict]:
    """Events counted per time window of `width`: one row per window, a column per label in `kinds`
    (event kind -> column label), for a stacked bar chart."""
    end = max((e.time for e in events), default=0.0)
    rows = [{"time": i * width, **dict.fromkeys(kinds.values(), 0)} for i in range(int(end // width) + 1)]
    for e in events:
        if e.kind in kinds:
            rows[int(e.time // width)][kinds[e.kind]] += 1
    return rows


def check(name: str, value, low, high) -> None:
    """A parameter out of range is the user's doing: say which and what is allowed."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise FormatError(Text("df.check.range", name=_param(name), low=low, high=high, value=repr(value)))


def check_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise FormatError(Text("df.check.choice", name=_param(name), choices=", ".join(map(str, choices)),
                               value=repr(value)))


def _param(name: str) -> Text:
    return Text("df.param." + key_part(name))


def key_part(name: str) -> str:
    """A name as part of a catalogue key: "dead letter: node down" -> "dead_letter_node_down"."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def count(n, unit: str) -> Text:
    """`n` of a unit as each language writes it ("3 nodes", "3 узла"): the catalogue's `df.n.<unit>`."""
    return Text(f"df.n.{unit}", n=n)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"
