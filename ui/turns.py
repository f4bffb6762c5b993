"""Page runs take turns: at most TURNS of this process's sessions run their page at once; the rest wait.

Python runs one thread at a time, so thirty students' reruns, interleaved, all finish together after
thirty reruns' time, each holding its half-built encodings all the while (a ~90 KB record: ~25 MB of
spans). Taken in turns, the first answers after one rerun and the median after half of them, and at
most TURNS runs' work is in memory at once (bench/bench_load.py, bench/bench_memory.py). Two, not one:
one student's 1 MB record (~3 s) does not hold up the whole hall. A fragment's rerun (one card's page
picker) does not run the page, so it takes no turn.

ENCODING_LAB_TURNS sets the number (a replica with more cores than one Python can use gains nothing
from more). Pure Python: app.py takes a turn around `page.run()`.
"""
import collections
import os
import threading

TURNS = max(1, int(os.environ.get("ENCODING_LAB_TURNS", "2")))


class Turns:
    """`n` turns, given in the order they were asked for: a turn given back goes straight to the longest
    waiter. (A semaphore lets a newcomer take a turn before a woken waiter does: under a class's steady
    load one student could be passed over again and again; 60 sessions' slowest edit went from 2.6 s to 3.4 s.)"""

    def __init__(self, n: int):
        self._free = n
        self._lock = threading.Lock()
        self._waiting: collections.deque[threading.Event] = collections.deque()

    def __enter__(self):
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return self
            mine = threading.Event()
            self._waiting.append(mine)
        mine.wait()   # given by __exit__, already counted as taken
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


_turns = Turns(TURNS)


def turn() -> Turns:
    """`with turn():` holds one of the TURNS while the block runs (given back however it ends: st.stop, a rerun)."""
    return _turns
