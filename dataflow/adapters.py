"""The real codec the simulations run on: code versions of one record type, each with its
schemas, writing and reading through formats/ (the real libraries).

    >>> codec = for_change("protobuf", "add-optional-field")
    >>> reading = codec.decode(1, codec.encode(2, codec.record(2)), writer_version=2)
    >>> reading.status, reading.ignored   # old code ignores the new field: forward compatible
    ('ok', ('email',))

Two sources of versions: a change from the evolution catalogue (v1 and v2), and the
Person table's own history in dataflow/history (v1, v2, v3) for the databases page.
"""
import copy
import functools
import json
import threading
from pathlib import Path

import formats
from dataflow.codec import Reading
from evolution import catalogue, resolve
from evolution.rules import COMPATIBLE, INCOMPATIBLE, LOSSY
from evolution.schemaless import DEFAULT_POLICY, POLICIES, SchemalessReader
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

    Reads are classified by evolution.resolve (compatible, lossy, incompatible become
    "ok", "lossy", "failed"). A schemaless format has no reader schema, so the reader's
    code plays its part (evolution.schemaless): it expects the keys of its own version's
    record, treats as optional those with a default in that version's .avsc, and drops
    (policy "ignore") or rejects ("strict") keys it does not know.
    """

    def __init__(self, format_id: str, schemas: dict[int, dict[str, str]], records: dict[int, dict],
                 policy: str = DEFAULT_POLICY):
        if policy not in POLICIES:
            raise FormatError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
        self.format_id = format_id
        self.policy = policy
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
        data = self._remember(key, lambda: self._format.write(record, self.schema_text(version)))
        self._remember(("source", version, data), lambda: copy.deepcopy(record))
        return data

    def decode(self, version: int, data: bytes, writer_version: int) -> Reading:
        return self._remember(("decode", version, writer_version, bytes(data)),
                              lambda: self._read(version, bytes(data), writer_version))

    def rewrite(self, version: int, data: bytes, writer_version: int, edits: dict) -> bytes:
        """Read-modify-write by code version `version`, the way the library does it: protobuf parses into
        a message (which keeps unknown fields), the others decode into a record and write that."""
        schema = self.schema_text(version)
        if self.format_id == "protobuf":
            from google.protobuf.message import DecodeError, EncodeError

            from formats import protobuf
            try:
                message = protobuf.message_class(schema).FromString(data)
                for name, value in edits.items():
                    setattr(message, _proto_field(message, name), value)
                return message.SerializeToString()
            except (DecodeError, EncodeError, TypeError, ValueError) as e:
                raise FormatError(f"v{version} code cannot read and rewrite this row: {e}") from None
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
        """evolution.read_across on the record the writer wrote (for bytes from elsewhere, the record
        they hold as their writer reads them back): it writes that record with the writer's schema,
        reads it with the reader's and classifies what arrived.

        The record writes back to exactly these bytes (always, for bytes this codec wrote), so the
        outcome is about these bytes; bytes holding more than their writer's schema knows
        (protobuf's unknown fields after an old reader's read-modify-write) are read again directly.
        """
        writer_schema, reader_schema = self.schema_text(writer_version), self.schema_text(version)
        if version == writer_version:   # code reading its own version's data: no evolution involved
            try:
                decoded = self._format.read(data, reader_schema, writer_schema)
            except FormatError as e:
                return Reading("failed", error=e.message)
            return Reading("ok", decoded.record, defaulted=tuple(decoded.defaulted))
        with self._lock:
            meant = self._memo.get(("source", writer_version, data))
        if meant is None:
            try:
                meant = self._format.read(data, writer_schema).record
            except FormatError as e:
                return Reading("failed", error=e.message)
        outcome = resolve.read_across(self.format_id, meant, writer_schema, reader_schema,
                                      reader=self._reader(version))
        record = outcome.read_record
        if outcome.encoded.data != data and not outcome.error:
            try:
                record = self._format.read(data, reader_schema, writer_schema).record
            except FormatError as e:
                return Reading("failed", error=e.message)
        lost = tuple(outcome.lost) + tuple(f"{path} (changed)" for path, _, _ in outcome.changed)
        return Reading(_STATUS[outcome.status], record, lost, outcome.error or "", tuple(outcome.defaulted),
                       tuple(outcome.ignored))

    def _reader(self, version: int):
        """The reading code of a schemaless format: the keys of its version's record, optional where
        that version's .avsc gives a default; None for a format with schemas."""
        if self._format.schema_language:
            return None
        return SchemalessReader.expecting(self._records[version],
                                          catalogue.optional_fields(self.schema_text(version, "avsc")), self.policy)


_STATUS = {COMPATIBLE: "ok", LOSSY: "lossy", INCOMPATIBLE: "failed"}


def _proto_field(message, name: str) -> str:
    """The .proto name of the field a record key names (its JSON name or its own)."""
    for f in message.DESCRIPTOR.fields:
        if name in (f.name, f.json_name):
            return f.name
    raise FormatError(f"the message has no field {name!r}")


@functools.lru_cache(maxsize=128)   # one codec (and its memo) per format and change, shared by sessions
def for_change(format_id: str, change_id: str, policy: str = DEFAULT_POLICY) -> FormatCodec:
    """v1 and v2 of a change from the evolution catalogue, in `format_id` (`policy`: how schemaless
    reading code treats keys it does not know)."""
    change = catalogue.change(change_id)
    why_not = change.why_not(format_id)
    if why_not:
        raise FormatError(f"{change.title} does not apply to {formats.get(format_id).title}: {why_not}")
    v1, v2 = {}, {}
    for language in LANGUAGES:
        v1[language], v2[language] = change.schemas(language)
    return FormatCodec(format_id, {1: v1, 2: v2}, {1: change.record_v1, 2: change.record_v2}, policy)


@functools.lru_cache(maxsize=16)
def history(format_id: str) -> FormatCodec:
    """The Person table's three versions (dataflow/history): v2 adds interests, v3 adds email."""
    schemas = {v: {language: (_HISTORY / f"v{v}.{language}").read_text(encoding="utf-8") for language in LANGUAGES}
               for v in HISTORY_RECORDS}
    return FormatCodec(format_id, schemas, copy.deepcopy(HISTORY_RECORDS))
