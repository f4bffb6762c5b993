"""The real codec the simulations run on: code versions of one record type, each with its
schemas, writing and reading through formats/ (the real libraries).

    >>> codec = for_change("protobuf", "add-optional-field")
    >>> codec.decode(1, codec.encode(2, codec.record(2)), writer_version=2).status
    'lossy'

Two sources of versions: a change from the evolution catalogue (v1 and v2), and the
Person table's own history in dataflow/history (v1, v2, v3) for the databases page.
"""
import copy
import functools
import json
import math
import threading
from pathlib import Path

import formats
from dataflow.codec import Reading
from evolution import catalogue
from formats import paths
from formats.errors import FormatError

LANGUAGES = ("avsc", "proto", "thrift")
MEMO_SIZE = 20_000
_HISTORY = Path(__file__).parent / "history"
HISTORY_RECORDS = {
    1: {"userName": "Martin", "favoriteNumber": 1337},
    2: {"userName": "Martin", "favoriteNumber": 1337, "interests": ["daydreaming", "hacking"]},
    3: {"userName": "Martin", "favoriteNumber": 1337, "interests": ["daydreaming", "hacking"],
        "email": "martin@example.com"},
}


class FormatCodec:
    """Versions of one record type in one format. Bytes are written and read by the format's
    library; results are memoized per instance (the same bytes always read the same way).

    A schemaless format has no reader schema, so the reader's code plays its part: it knows
    the fields of its own version, ignores (loses) keys it does not know, fills a missing
    field that has a default in that version's .avsc with that default, and fails on a
    missing field that has none.
    """

    def __init__(self, format_id: str, schemas: dict[int, dict[str, str]], records: dict[int, dict]):
        self.format_id = format_id
        self.versions = tuple(sorted(records))
        self._format = formats.get(format_id)
        self._schemas = schemas
        self._records = records
        self._memo: dict = {}
        self._lock = threading.Lock()   # a page may share one codec between sessions (threads)

    def schema_text(self, version: int, language: str | None = None) -> str | None:
        return self._schemas[version].get(language or self._format.schema_language)

    def record(self, version: int) -> dict:
        return copy.deepcopy(self._records[version])

    def encode(self, version: int, record: dict) -> bytes:
        key = ("encode", version, json.dumps(record, sort_keys=True, default=repr))
        return self._remember(key, lambda: self._format.write(record, self.schema_text(version)))

    def decode(self, version: int, data: bytes, writer_version: int) -> Reading:
        return self._remember(("decode", version, writer_version, bytes(data)),
                              lambda: self._read(version, bytes(data), writer_version))

    def rewrite(self, version: int, data: bytes, writer_version: int, edits: dict) -> bytes:
        """Read-modify-write by code version `version`, the way the library does it: protobuf parses into
        a message (which keeps unknown fields), the others decode into a record and write that."""
        schema = self.schema_text(version)
        if self.format_id == "protobuf":
            from formats import protobuf
            message = protobuf.message_class(schema).FromString(data)
            for name, value in edits.items():
                setattr(message, _proto_field(message, name), value)
            return message.SerializeToString()
        record = formats.decode(self.format_id, data, schema, self.schema_text(writer_version)).record
        return self._format.write({**record, **edits}, schema)

    def _remember(self, key, compute):
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            if len(self._memo) >= MEMO_SIZE:   # many seeds' rows: start over rather than grow forever
                self._memo.clear()
            return self._memo.setdefault(key, value)

    def _read(self, version: int, data: bytes, writer_version: int) -> Reading:
        try:
            decoded = formats.decode(self.format_id, data, self.schema_text(version),
                                     self.schema_text(writer_version))
        except FormatError as e:
            return Reading("failed", error=e.message)
        if not self._format.schema_language:
            return self._read_schemaless(version, decoded.record)
        lost = list(decoded.skipped)
        if writer_version != version:   # what the writer meant: the same bytes read with its own schema
            meant = self._format.read(data, self.schema_text(writer_version)).record
            lost += [f"{name} (changed)" for name in _changed(meant, decoded.record)]
        return Reading("lossy" if lost else "ok", decoded.record, tuple(lost), defaulted=tuple(decoded.defaulted))

    def _read_schemaless(self, version: int, record: dict) -> Reading:
        known = self._records[version]
        defaults = {f["name"]: f["default"] for f in json.loads(self.schema_text(version, "avsc"))["fields"]
                    if "default" in f}
        missing = [k for k in known if k not in record]
        required = [k for k in missing if k not in defaults]
        if required:
            return Reading("failed", error=f"v{version} code needs {', '.join(required)} but the record has "
                                           f"no such key")
        lost = tuple(k for k in record if k not in known)
        model = {k: record[k] if k in record else copy.deepcopy(defaults[k]) for k in known}
        return Reading("lossy" if lost else "ok", model, lost, defaulted=tuple(missing))


def _changed(meant: dict, got: dict) -> list[str]:
    """Fields both sides have whose values differ: truncated, narrowed, a list cut to one item."""
    by_name = {paths.normalized(k): v for k, v in got.items()}
    return [k for k, v in meant.items() if paths.normalized(k) in by_name and not _same(v, by_name[paths.normalized(k)])]


def _same(a, b) -> bool:
    """Equal as values, whatever the representation: text and its UTF-8 bytes, float32 rounding."""
    if isinstance(a, (bytes, str)) and isinstance(b, (bytes, str)):
        return (a.encode() if isinstance(a, str) else a) == (b.encode() if isinstance(b, str) else b)
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-6)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _proto_field(message, name: str) -> str:
    """The .proto name of the field a record key names (its JSON name or its own)."""
    for f in message.DESCRIPTOR.fields:
        if name in (f.name, f.json_name):
            return f.name
    raise FormatError(f"the message has no field {name!r}")


@functools.lru_cache(maxsize=128)   # one codec (and its memo) per format and change, shared by sessions
def for_change(format_id: str, change_id: str) -> FormatCodec:
    """v1 and v2 of a change from the evolution catalogue, in `format_id`."""
    change = catalogue.change(change_id)
    why_not = change.why_not(format_id)
    if why_not:
        raise FormatError(f"{change.title} does not apply to {formats.get(format_id).title}: {why_not}")
    v1, v2 = {}, {}
    for language in LANGUAGES:
        v1[language], v2[language] = change.schemas(language)
    return FormatCodec(format_id, {1: v1, 2: v2}, {1: change.record_v1, 2: change.record_v2})


@functools.lru_cache(maxsize=16)
def history(format_id: str) -> FormatCodec:
    """The Person table's three versions (dataflow/history): v2 adds interests, v3 adds email."""
    schemas = {v: {language: (_HISTORY / f"v{v}.{language}").read_text(encoding="utf-8") for language in LANGUAGES}
               for v in HISTORY_RECORDS}
    return FormatCodec(format_id, schemas, copy.deepcopy(HISTORY_RECORDS))
