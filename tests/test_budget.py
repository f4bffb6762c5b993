"""Memory bounded by bytes: every cache keeps within its budget, its size estimates are honest
(held against tracemalloc, or RSS where the library allocates in C), and the budgets add up to
less than a small server has. See formats/budget.py."""
import gc
import json
import linecache
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats import budget
from formats._avro_schema import BYTES_PER_CHAR as AVRO_BYTES_PER_CHAR
from formats._protobuf_compile import BYTES_PER_CHAR as PROTO_BYTES_PER_CHAR
from formats._thrift_schema import BYTES_PER_CHAR as THRIFT_BYTES_PER_CHAR
from formats._thrift_schema import compile_schema as compile_thrift
from formats.budget import MB, budgeted, data_size
from tests.browser import ROOT

PROCESS_LIMIT = 500 * MB   # issue 10: whatever one or thirty visitors type
BASELINE = 150 * MB        # a server with every page loaded once, before any cache fills (measured ~130)


def all_caches() -> list:
    import ui.cache  # noqa: F401  (importing registers the app's caches)
    import ui.flow  # noqa: F401
    for fid in formats.FORMATS:
        formats.get(fid)   # loads the format modules and their schema caches
    return budget.CACHES


def test_the_budgets_of_every_cache_add_up_to_what_a_small_server_has():
    caches = all_caches()
    names = {f"{c.__module__}.{c.__qualname__}" for c in caches}
    assert {"ui.cache.annotate", "ui.cache.written", "ui.cache.parsed", "ui.flow.scenario",
            "formats._thrift_schema._compile", "formats._protobuf_compile.compile_schema",
            "formats._avro_schema._parse_cached"} <= names
    assert BASELINE + sum(c.max_bytes for c in caches) <= PROCESS_LIMIT


def test_no_page_or_widget_caches_by_entry_count():
    """st.cache_data/st.cache_resource bound entries, not bytes (one entry can be 40 MB): every cache
    of the app goes through formats.budget."""
    for path in sorted((ROOT / "ui").glob("*.py")) + sorted((ROOT / "app_pages").glob("*.py")):
        text = path.read_text()
        assert "st.cache_data" not in text and "st.cache_resource" not in text, path.name


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5000)), max_size=80))
def test_a_budgeted_cache_never_holds_more_than_its_budget(calls):
    made = []

    @budgeted(20_000, size=lambda value, key, n: n)
    def compute(key, n):
        made.append(key)
        return key

    for key, n in calls:
        assert compute(key, n) == key
        assert compute.bytes <= compute.max_bytes
        assert compute.bytes == sum(b for _, b in compute.entries.values())
    budget.CACHES.remove(compute)


def test_least_recently_used_goes_first_and_an_oversized_result_is_not_kept():
    @budgeted(1500, size=lambda value, key, n: n)   # plus ~130 bytes for each key
    def compute(key, n):
        return object()

    a, b = compute("a", 400), compute("b", 400)
    assert compute("a", 400) is a          # a hit, and now the most recent
    compute("c", 400)                      # b goes
    assert list(compute.entries) == [("a", 400), ("c", 400)]
    assert compute("b", 400) is not b
    big = compute("big", 5000)
    assert ("big", 5000) not in compute.entries and big is not None
    budget.CACHES.remove(compute)


def test_errors_are_not_kept_and_copies_are_the_callers_own():
    calls = []

    @budgeted(MB, copy=True)
    def rows(n):
        calls.append(n)
        if n < 0:
            raise ValueError("negative")
        return [{"n": n}]

    with pytest.raises(ValueError):
        rows(-1)
    with pytest.raises(ValueError):
        rows(-1)
    first = rows(1)
    first[0]["n"] = 99                     # a page turning rows into a DataFrame may modify them
    assert rows(1) == [{"n": 1}] and calls == [-1, -1, 1]
    budget.CACHES.remove(rows)


def test_thirty_sessions_asking_for_the_same_result_compute_it_once():
    calls = []

    @budgeted(MB)
    def slow(key):
        calls.append(key)
        time.sleep(0.2)
        return [key]

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow("person"))) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["person"] and len(results) == 30 and all(r is results[0] for r in results)
    budget.CACHES.remove(slow)


def traced(fn):
    """(result, bytes it still holds) as tracemalloc sees them."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        gc.collect()
        return result, tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("format_id", formats.FORMATS)
def test_the_size_of_an_annotated_record_is_estimated_honestly(format_id):
    record = sample_data.big_record(15_000)   # ~150 rows: every kind of span many times over
    data, schema = formats.write(format_id, record)
    formats.annotate(format_id, data, schema)   # warm: compiled schemas are not part of the result
    encoded, held = traced(lambda: formats.annotate(format_id, data, schema))
    assert data_size(encoded) >= 0.9 * held


def test_a_slotted_object_counts_what_its_slots_hold_set_or_not():
    class Pair:
        __slots__ = ("first", "second")

    pair, unset = Pair(), Pair()
    pair.first, pair.second = "x" * 10_000, ["y" * 10_000]
    unset.first = "z" * 10_000
    assert data_size(pair) >= 20_000 and data_size([pair, pair]) < 21_000 + sys.getsizeof([pair, pair]) + 200
    assert 10_000 <= data_size(unset) < 11_000


def test_the_size_of_a_parsed_record_is_estimated_honestly():
    text = json.dumps(sample_data.big_record(100_000))
    record, held = traced(lambda: formats.parse_record(text))
    assert data_size(record) >= 0.9 * held


def test_distinct_large_records_keep_the_app_caches_within_their_budgets():
    from ui import cache
    for i in range(2):                     # each edit a new ~90 KB record: ~70 MB of annotations, twice the budget in all
        record = sample_data.big_record(90_000)
        record["source"] = f"edit {i}"
        text = json.dumps(record)
        for fid in formats.FORMATS:
            cache.encode(fid, text, None)
        for language in {formats.get(fid).schema_language for fid in formats.FORMATS} - {None}:
            cache.derive_schema(language, text)
    for c in all_caches():
        assert c.bytes <= c.max_bytes, c.__qualname__
    assert cache.annotate.bytes > cache.annotate.max_bytes / 2   # the budget, not the input, bounded it


def many_structs(seed: int, limit: int = formats.base.MAX_SCHEMA_BYTES - 1000) -> str:
    """A maximal Thrift IDL: as many one-field structs as the schema limit allows."""
    out, size, i = [], 0, 0
    while size < limit:
        out.append(f"struct S{seed}x{i} {{ 1: i32 f{i} }}\n")
        size += len(out[-1])
        i += 1
    return "".join(out)


def test_thrift_generated_source_does_not_pile_up_in_linecache():
    compile_thrift(many_structs(0, 2000))
    before = len(linecache.cache)
    for seed in range(1, 40):
        compile_thrift(many_structs(seed, 2000))
    assert len(linecache.cache) <= before


# Compiled schemas, measured by RSS in a fresh process: protobuf's pool lives in C, out of
# tracemalloc's sight. Each language's worst case we know: thousands of tiny named types.
MAXIMAL = {
    "thrift": (THRIFT_BYTES_PER_CHAR, "formats._thrift_schema", "compile_schema",
               "''.join(f'struct S{k}x{i} {{ 1: i32 f{i} }}\\n' for i in range(1500))"),
    "proto": (PROTO_BYTES_PER_CHAR, "formats._protobuf_compile", "compile_schema",
              "'syntax = \"proto3\";\\n' + ''.join(f'message M{k}x{i} {{ int32 f{i} = 1; }}\\n' for i in range(1600))"),
    "avsc": (AVRO_BYTES_PER_CHAR, "formats._avro_schema", "parse",
             "json.dumps({'type': 'record', 'name': f'R{k}', 'fields': [{'name': f'f{i}', 'type': 'int'}"
             " for i in range(1800)]})"),
}


@pytest.mark.parametrize("language", MAXIMAL)
def test_a_compiled_schema_holds_no_more_than_its_estimate(language):
    per_char, module, function, make = MAXIMAL[language]
    script = textwrap.dedent(f"""
        import gc, json
        from {module} import {function} as compile
        from formats import budget
        for c in budget.CACHES:
            c.max_bytes = 1 << 40          # keep everything: this measures what one entry holds
        def rss():
            with open("/proc/self/status") as f:
                return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))
        compile({make.replace("{k}", "warm")})
        gc.collect()
        start, chars = rss(), 0
        for k in range(6):
            text = {make}
            compile(text)
            chars += len(text)
        gc.collect()
        print(rss() - start, chars)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    grown, chars = map(int, out.stdout.split())
    assert chars > 6 * 30_000                 # near the 64 KB schema limit, so the worst case
    assert grown <= per_char * chars, f"{grown / chars:.0f} bytes per character"


# What a session keeps between runs is its own state, not the page's work: Streamlit holds each widget's
# format_func and callbacks in the session until the next run (and a disconnected session for two
# minutes), and a function written on a page holds the page's whole namespace in its __globals__.

def _reachable(root, into_pages: bool):
    """Every object reachable from `root` (not through modules or classes), each once; a function's
    globals only if they are a page script's namespace (Streamlit runs a page in a fresh module named
    __main__) and `into_pages`."""
    seen, stack = set(), [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType)):
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, types.FunctionType):
            if into_pages and _of_a_page(obj):
                stack.append(obj.__globals__)
            stack.extend(c.cell_contents for c in obj.__closure__ or ())
            stack.extend(obj.__defaults__ or ())
        else:
            stack.extend(gc.get_referents(obj))


def _of_a_page(fn) -> bool:
    return fn.__globals__.get("__name__") == "__main__"


def _page_functions(root) -> list[str]:
    """Functions reachable from `root` that were written in a page script."""
    return [f"{o.__qualname__} of {o.__globals__.get('__file__')}" for o in _reachable(root, into_pages=False)
            if isinstance(o, types.FunctionType) and _of_a_page(o)]


def _held(root) -> int:
    """Bytes reachable from `root`, a page's namespace included wherever one of its functions is."""
    return sum(map(sys.getsizeof, _reachable(root, into_pages=True)))


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "app_pages").glob("*.py")))
def test_a_session_keeps_no_function_of_its_page(name):
    from tests.pages import page
    at = page(f"app_pages/{name}.py")
    at.run()
    assert not at.exception
    assert _page_functions(at.session_state._state) == []


def test_an_explorer_session_on_a_large_record_keeps_its_record_not_its_encodings():
    """Before: ~19 MB a session (the page's spans, via its formats picker's format_func); now its inputs."""
    from tests.pages import page
    record = sample_data.big_record(90_000)
    record["source"] = "kept"
    at = page("app_pages/explorer.py")
    at.run()
    at.text_area(key="ex.record").set_value(json.dumps(record)).run()
    assert not at.exception and len(at.get("html")) > 3
    assert _held(at.session_state._state) < 2 * MB


def test_a_page_is_drawn_inside_a_turn_and_waits_for_one(monkeypatch):
    """app.py runs the page inside one of ui.turns' turns, given back however the run ends."""
    from tests.pages import page
    from ui import turns
    entered, hall = [], turns.Turns(1)

    class Counted:
        def __enter__(self):
            hall.__enter__()
            entered.append(True)

        def __exit__(self, *exc):
            hall.__exit__(*exc)

    monkeypatch.setattr(turns, "_turns", Counted())
    for _ in range(2):
        at = page("app.py").run()
        assert not at.exception and at.title[0].value == "The chapter as a path"
    assert len(entered) == 2 and hall._free == 1

    titles = []
    with hall:   # every turn taken: the page waits for one
        waiting = threading.Thread(target=lambda: titles.append(page("app.py").run().title[0].value))
        waiting.start()
        waiting.join(timeout=3)
        assert waiting.is_alive() and not titles and len(entered) == 2
    waiting.join()
    assert titles == ["The chapter as a path"] and len(entered) == 3


def test_no_more_than_the_turns_run_at_once():
    from ui import turns
    hall, inside, most, lock = turns.Turns(2), [0], [0], threading.Lock()

    def run():
        with hall:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    students = [threading.Thread(target=run) for _ in range(8)]
    for s in students:
        s.start()
    for s in students:
        s.join()
    assert most[0] == 2 and inside[0] == 0 and hall._free == 2


def test_turns_go_to_the_longest_waiter():
    """A turn given back goes to whoever asked first, never to a newcomer (ui/turns.py)."""
    from ui import turns
    hall, served = turns.Turns(1), []
    hall.__enter__()

    def student(n):
        with hall:
            served.append(n)

    queue = []
    for n in range(5):
        queue.append(threading.Thread(target=student, args=(n,)))
        queue[-1].start()
        while len(hall._waiting) < n + 1:   # the student is in the queue before the next arrives
            time.sleep(0.001)
    hall.__exit__(None, None, None)
    with hall:   # a newcomer waits behind all five
        served.append("newcomer")
    for q in queue:
        q.join()
    assert served == [0, 1, 2, 3, 4, "newcomer"]
    assert hall._free == 1 and not hall._waiting
