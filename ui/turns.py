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
import contextlib
import os
import threading

TURNS = max(1, int(os.environ.get("ENCODING_LAB_TURNS", "2")))
_turns = threading.BoundedSemaphore(TURNS)


@contextlib.contextmanager
def turn():
    """Hold one of the TURNS while the block runs (released however it ends: st.stop, a rerun)."""
    with _turns:
        yield
