"""A model of the reader's code for schemaless formats (JSON, MessagePack).

With no schema, field names travel with the data and compatibility is whatever the
reading code makes of them. The model: the code expects certain keys, each holding a
certain kind of JSON value (taken from the record its version writes); some keys are
optional (the code falls back to a default when they are absent); and a policy decides
what happens to keys it does not expect: "ignore" drops them, "strict" rejects the
record. Under both policies a missing required key, or a value of the wrong kind, is
an error the code meets at run time.
"""
from dataclasses import dataclass, field

from formats.errors import FormatError
from i18n import Text, chain

POLICIES = {policy: Text(f"ev.policy.{policy}") for policy in ("ignore", "strict")}   # policy -> what it does
DEFAULT_POLICY = "ignore"


def kind(value) -> str:
    """The JSON kind of a value: object, array, string, number, boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "bytes"   # MessagePack's bin type


@dataclass(frozen=True)
class Reading:
    """What the reader's code made of one record.

    `record` holds the keys the code kept (None when it gave up); `ignored` the keys it
    dropped or rejected; `defaulted` the optional keys it did not find; `missing` the
    required keys it did not find (or found null); `wrong_kind` (key, expected, found).
    """
    record: dict | None
    ignored: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    wrong_kind: list[tuple[str, str, str]] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class SchemalessReader:
    """The reading code: `expects` maps each key it looks up to the kind of value it expects."""
    expects: dict
    optional: frozenset = frozenset()
    policy: str = DEFAULT_POLICY

    def __post_init__(self):
        if self.policy not in POLICIES:
            raise FormatError(f"unknown policy {self.policy!r}; choose one of {', '.join(POLICIES)}")

    @classmethod
    def expecting(cls, record: dict, optional=(), policy: str = DEFAULT_POLICY) -> "SchemalessReader":
        """The code of the version that writes `record`: it expects that record's keys and kinds."""
        return cls({k: kind(v) for k, v in record.items()}, frozenset(optional), policy)

    def read(self, record: dict) -> Reading:
        ignored = [k for k in record if k not in self.expects]
        absent = [k for k in self.expects if record.get(k) is None]
        missing = [k for k in absent if k not in self.optional]
        defaulted = [k for k in absent if k in self.optional]
        wrong_kind = [(k, want, kind(record[k])) for k, want in self.expects.items()
                      if record.get(k) is not None and want != "null" and kind(record[k]) != want]
        problems = []
        if ignored and self.policy == "strict":
            problems.append(Text("ev.schemaless.rejects", n=len(ignored), keys=_keys(ignored)))
        if missing:
            problems.append(Text("ev.schemaless.needs", keys=_keys(missing)))
        problems += [Text("ev.schemaless.expects", key=k, want=Text(f"ev.kind.{want}"), got=Text(f"ev.kind.{got}"))
                     for k, want, got in wrong_kind]
        error = Text("ev.schemaless.fails", problems=chain("ev.reason.then", problems)) if problems else None
        kept = None if error else {k: v for k, v in record.items() if k in self.expects}
        return Reading(kept, ignored, defaulted, missing, wrong_kind, error)


def _keys(keys) -> str:
    return ", ".join(f"`{k}`" for k in keys)

