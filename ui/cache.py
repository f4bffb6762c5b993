"""The core behind the pages' caches: identical inputs across reruns and sessions are encoded once.

Every cache here is bounded in bytes (formats.budget) and shared by all sessions: a class on the
same preset pays for one encode. Results are handed out shared, never copied (an annotated page of a
1 MB record has ~10^4 spans; unpickling a copy per rerun would cost more than the walk) and never
mutated. The budgets add up to ~230 MB, with the core's compiled schemas (~130 MB) well under the
500 MB a process may use whatever visitors type (tests/test_budget.py).
"""
import hashlib
import pickle

import evolution
import formats
from evolution import lookup
from formats import compare
from formats.budget import MB, budgeted
from ui import language


@budgeted(32 * MB)
def parsed(record_text: str) -> dict:
    """The parsed record, shared: the encoders only read it (a 1 MB record parses in ~0.2 s)."""
    return formats.parse_record(record_text)


@budgeted(32 * MB)
def written(format_id: str, record_text: str, schema_text: str | None) -> tuple[bytes, str | None]:
    """The library's bytes for a record given as text (hashable), and the schema used (inferred if
    None). FormatError propagates (not cached). A format that rewrites another's bytes (WBXML
    tokenises the XML) starts from that format's cached bytes: a 1 MB record's XML is written once."""
    fmt = formats.get(format_id)
    if fmt.rewrites is not None and schema_text is None:
        return fmt.rewrite(written(fmt.rewrites, record_text, None)[0]), None
    return formats.write(format_id, parsed(record_text), schema_text)


@budgeted(64 * MB)
def annotate(format_id: str, data: bytes, schema_text: str | None, until: int | None = None,
             written: bool = False):
    return formats.annotate(format_id, data, schema_text, until=until, written=written)


@budgeted(16 * MB)
def recognise(format_id: str, data: bytes, schema_text: str | None):
    return formats.recognise(format_id, data, schema_text)


def encode(format_id: str, record_text: str, schema_text: str | None, until: int | None = None):
    """formats.encode, in two cached steps: a page of a large encoding walks only up to that page."""
    data, schema_text = written(format_id, record_text, schema_text)
    return annotate(format_id, data, schema_text, until, written=True)


@budgeted(4 * MB)
def derive_schema(language: str, record_text: str) -> str:
    return compare.derive_schema(language, parsed(record_text))


@budgeted(4 * MB)
def growth(record_text: str, schemas: tuple, format_ids: tuple, counts: tuple):
    return compare.growth(parsed(record_text), dict(schemas), format_ids, counts)


@budgeted(2 * MB)
def registrations(language: str, history: tuple) -> dict:
    """evolution.register_all_modes, shared: a class on the example history runs its 41 reference checks
    once, not on every rerun (they were half the Schema registry page's)."""
    return evolution.register_all_modes(language, history)


def digest(*args, **kwargs) -> bytes:
    """A cache key for values that are not hashable but pickle alike when equal (a SchemaStore's dicts,
    a run's rows, an Encoded)."""
    values = pickle.dumps((args, sorted(kwargs.items())), pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(values, digest_size=16).digest()


@budgeted(4 * MB, key=digest)
def schema_lookup(store: lookup.SchemaStore, framing: str, writer: int, reader: int, record: dict) -> lookup.Lookup:
    """`record` framed by `writer` code, then looked up and resolved by a `reader` (FormatError propagates)."""
    return lookup.read(store, framing, lookup.write(store, framing, writer, record), reader)


def drawing(build, *args, **kwargs) -> tuple:
    """Which drawing (a cache key): its builder, the student's language, and a digest of what it is drawn
    from (the sessions on one cached run pass equal values)."""
    return f"{build.__module__}.{build.__qualname__}", language.current(), digest(*args, **kwargs)


@budgeted(8 * MB, key=drawing)
def html(build, *args, **kwargs) -> str:
    """`build(*args, **kwargs)`: HTML drawn in the student's language, drawn once for every session that
    draws the same (a Dataflow page's labelled messages come from runs all its sessions share)."""
    return build(*args, **kwargs)
