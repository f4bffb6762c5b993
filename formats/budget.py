"""Caches bounded by bytes, not by entries: one shared by every session, safe across threads.

An entry count says nothing about memory here: one compiled schema is 200 bytes or 20 MB, one
annotated record 10 KB or 40 MB, depending on what a visitor typed. `budgeted(max_bytes, size)`
keeps the most recently used results while their estimated bytes (key included) fit the budget;
a result larger than the whole budget is returned but not kept. Concurrent calls with the same
key compute once: thirty students opening the same preset wait for one encode, not thirty.

Pure Python (no streamlit): the core's compiled schemas and the app's caches (ui/cache.py,
ui/flow.py) share it. Sizes are estimates a test holds against tracemalloc (tests/test_budget.py).
"""
import functools
import operator
import pickle
import sys
import threading
from collections import OrderedDict
from i18n import Text

MB = 1024 * 1024
CACHES: list["Budgeted"] = []   # every budgeted cache in the process, for tests and the budget total

_ATOMS = (str, bytes, bytearray, int, float, complex, bool, type(None))


def data_size(value, *_arguments, **_keywords) -> int:
    """Bytes held by a value made of dicts, lists, tuples, sets, strings, numbers (a parsed record,
    rows of a run, keys), counting each object once. Other objects count their own size only.
    Numbers are counted at each use (no less than they hold, and cheaper than looking them up), None
    and booleans not at all (one of each per process): an Explorer edit sizes thirteen walks."""
    seen, stack, total = set(), [value], 0
    getsizeof, pop, extend, add = sys.getsizeof, stack.pop, stack.extend, seen.add
    while stack:
        obj = pop()
        kind = type(obj)
        if kind is int or kind is float:
            total += getsizeof(obj)
            continue
        if obj is None or kind is bool or id(obj) in seen:
            continue
        add(id(obj))
        total += getsizeof(obj)
        if kind is str or kind is bytes:
            continue
        if kind is Text:   # a catalogue message keeps its values beside its English
            total += getsizeof(obj._args)
            extend(obj._args)
            continue
        if isinstance(obj, dict):
            extend(obj.keys())
            extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            extend(obj)
        elif not isinstance(obj, _ATOMS):
            slots = _slots_of(kind)
            if slots is not None:   # a slotted dataclass (a Span: a walk's thousands of them)
                extend(slots(obj))
            if hasattr(obj, "__dict__"):   # a dataclass, a Params
                stack.append(vars(obj))
    return total


@functools.cache
def _slots_of(cls: type) -> "_Slots | None":
    names = tuple(n for c in cls.__mro__ for n in _slot_names(c))
    return _Slots(names) if names else None


class _Slots:
    """The values of an object's slots as one tuple (operator.attrgetter: a Span's eight in one call)."""

    def __init__(self, names: tuple):
        self.names = names
        self._get = operator.attrgetter(*names) if len(names) > 1 else lambda o: (getattr(o, names[0]),)

    def __call__(self, obj) -> tuple:
        try:
            return self._get(obj)
        except AttributeError:   # a slot never set
            return tuple(getattr(obj, n, None) for n in self.names)


def _slot_names(cls: type) -> tuple:
    slots = cls.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


class Budgeted:
    """The cache behind one decorated function (see `budgeted`)."""

    def __init__(self, fn, max_bytes: int, size, copy: bool, key=None):
        self.fn, self.max_bytes, self.size, self.copy, self.key = fn, max_bytes, size, copy, key
        self.entries: OrderedDict = OrderedDict()   # key -> (value, bytes), least recently used first
        self.bytes = 0
        self._lock = threading.Lock()
        self._computing: dict = {}                  # key -> lock held by the thread computing it
        functools.update_wrapper(self, fn)
        CACHES.append(self)

    def __call__(self, *args, **kwargs):
        key = self.key(*args, **kwargs) if self.key else args + tuple(sorted(kwargs.items()))
        while True:
            with self._lock:
                if key in self.entries:
                    self.entries.move_to_end(key)
                    return self._out(self.entries[key][0])
                flight = self._computing.get(key)
                if flight is None:
                    flight = self._computing[key] = threading.Lock()
                    flight.acquire()
                    break
            with flight:   # another thread is computing this key: wait for it, then look again
                pass
        try:
            value = self.fn(*args, **kwargs)   # an exception propagates and is not kept
            stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if self.copy else value
            nbytes = data_size(key) + (sys.getsizeof(stored) if self.copy else self.size(value, *args, **kwargs))
            self._keep(key, stored, nbytes)
            return self._out(stored) if self.copy else value
        finally:
            with self._lock:
                del self._computing[key]
            flight.release()

    def _out(self, stored):
        return pickle.loads(stored) if self.copy else stored

    def _keep(self, key, stored, nbytes: int) -> None:
        if nbytes > self.max_bytes:
            return
        with self._lock:
            if key in self.entries:
                self.bytes -= self.entries.pop(key)[1]
            self.entries[key] = (stored, nbytes)
            self.bytes += nbytes
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()
            self.bytes = 0


def budgeted(max_bytes: int, size=data_size, copy: bool = False, key=None):
    """Cache a function of hashable arguments in at most `max_bytes`, shared by all threads.

    `size(value, *args)` estimates the bytes a result holds (default: `data_size` of the value). `copy=True` keeps
    results pickled and hands each caller its own copy (its size is then exact): for small plain
    results a caller may modify, such as rows a page turns into DataFrames. `key(*args, **kwargs)` names
    an entry when the arguments are not hashable themselves (default: the arguments).
    """
    return lambda fn: Budgeted(fn, max_bytes, size, copy, key)
