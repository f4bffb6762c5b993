"""The change catalogue: the book's Person (v1) in three schema languages, and the changes
chapter 4 (5 in the second edition) discusses, each giving the v2 schemas and the record v2 code writes.

Every v2 schema is v1 with a few exact text edits, so the page can show a diff and no
schema is written out twice. Where a change has no meaning in a family (Avro has no
field tags; Thrift has no 32-bit float; JSON has no aliases) the change says why
instead of inventing an analogue.
"""
import copy
import json
from dataclasses import dataclass, field
from types import MappingProxyType

import formats
from formats.errors import FormatError
from i18n import Text

# the formats the evolution pages run, by family (Format.family) and schema language
FAMILY_OF_FORMAT = {fid: formats.get(fid).family
                    for fid in ("avro", "protobuf", "thrift-binary", "thrift-compact", "json", "msgpack")}
FAMILIES = tuple(dict.fromkeys(FAMILY_OF_FORMAT.values()))   # avro, protobuf, thrift, schemaless
LANGUAGE_OF = {formats.get(fid).family: formats.get(fid).schema_language for fid in FAMILY_OF_FORMAT
               if formats.get(fid).schema_language}
LANGUAGES = tuple(LANGUAGE_OF.values())   # avsc, proto, thrift: the languages a format reads
FAMILY_OF_LANGUAGE = {language: family for family, language in LANGUAGE_OF.items()}

# One line per field, as it sits in each language's text; edits name these lines.
FIELD_LINES = {
    "avsc": {
        "userName": '{"name": "userName", "type": "string"}',
        "favoriteNumber": '{"name": "favoriteNumber", "type": ["null", "long"], "default": null}',
        "interests": '{"name": "interests", "type": {"type": "array", "items": "string"}}',
        "age": '{"name": "age", "type": "int", "default": 0}',
        "height": '{"name": "height", "type": "float", "default": 0.0}',
        "status": '{"name": "status", "type": {"type": "enum", "name": "Status", '
                  '"symbols": ["ONLINE", "AWAY", "OFFLINE"]}, "default": "ONLINE"}',
    },
    "proto": {
        "userName": "required string user_name = 1;",
        "favoriteNumber": "optional int64 favorite_number = 2;",
        "interests": "repeated string interests = 3;",
        "age": "optional int32 age = 4;",
        "height": "optional float height = 5;",
        "status": "optional Status status = 6;",
    },
    "thrift": {
        "userName": "1: required string userName",
        "favoriteNumber": "2: optional i64 favoriteNumber",
        "interests": "3: optional list<string> interests",
        "age": "4: optional i32 age",
        "height": "5: optional double height",
        "status": "6: optional Status status",
    },
}
# what comes between two field lines (the last line has none after it)
_SEPARATOR = {"avsc": ",\n    ", "proto": "\n  ", "thrift": ",\n  "}
_FRAME = {
    "avsc": '{{\n  "type": "record",\n  "name": "Person",\n  "fields": [\n    {fields}\n  ]\n}}\n',
    "proto": ('syntax = "proto2";\n\nenum Status {{\n  ONLINE = 0;\n  AWAY = 1;\n  OFFLINE = 2;\n}}\n\n'
              "message Person {{\n  {fields}\n}}\n"),
    "thrift": ("enum Status {{\n  ONLINE = 0,\n  AWAY = 1,\n  OFFLINE = 2\n}}\n\n"
               "struct Person {{\n  {fields}\n}}\n"),
}
BASE_V1 = MappingProxyType({
    language: _FRAME[language].format(fields=_SEPARATOR[language].join(lines.values()))
    for language, lines in FIELD_LINES.items()
})
BASE_RECORD = MappingProxyType({
    "userName": "Martin",
    "favoriteNumber": 1337,
    "interests": ["daydreaming", "hacking"],
    "age": 42,
    "height": 1.75,
    "status": "AWAY",
})


# --- edits: exact text substitutions of BASE_V1, each must match exactly once in the text it edits ---

def swap(language: str, name: str, line: str) -> tuple[str, str]:
    return FIELD_LINES[language][name], line


def drop(language: str, name: str) -> tuple[str, str]:
    """Remove a field line that is not the last one (with the separator after it)."""
    return FIELD_LINES[language][name] + _SEPARATOR[language], ""


def append(language: str, line: str) -> tuple[str, str]:
    last = FIELD_LINES[language]["status"]
    return last, last + _SEPARATOR[language] + line


def move_to_end(language: str, name: str) -> tuple[tuple[str, str], ...]:
    return drop(language, name), append(language, FIELD_LINES[language][name])


def apply_edits(text: str, edits) -> str:
    for old, new in edits:
        if text.count(old) != 1:
            raise ValueError(f"edit target {old!r} occurs {text.count(old)} times")
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Change:
    """A change from v1 to v2. `variants`: family -> the text edits of its v1 schema (() for the
    schemaless family, which has none), or None where the change has no meaning in that family.
    Its words (title, summary, and each family's paragraph) are the catalogue's, under
    `ev.change.<id>`."""
    id: str
    variants: MappingProxyType
    _record_v1: MappingProxyType = field(repr=False)
    _record_v2: MappingProxyType = field(repr=False)

    @property
    def title(self) -> Text:
        return Text(f"ev.change.{self.id}.title")

    @property
    def summary(self) -> Text:
        return Text(f"ev.change.{self.id}.summary")

    @property
    def record_v1(self) -> dict:
        """The record v1 code writes (a fresh copy)."""
        return copy.deepcopy(dict(self._record_v1))

    @property
    def record_v2(self) -> dict:
        """The record v2 code writes (a fresh copy)."""
        return copy.deepcopy(dict(self._record_v2))

    def record(self, version: int) -> dict:
        return self.record_v1 if version == 1 else self.record_v2

    def applies(self, family: str) -> bool:
        return self._variant(family) is not None

    def why_not(self, family: str) -> Text | None:
        """Why the change has no meaning in `family`, or None when it applies."""
        return None if self.applies(family) else self.explain(family)

    def schemas(self, language: str) -> tuple[str, str | None]:
        """(v1 text, v2 text) in `language` ("avsc", "proto", "thrift"); v2 is None when the
        change does not apply (see `why_not`)."""
        if language not in LANGUAGES:
            raise FormatError(f"unknown schema language {language!r}; choose one of {', '.join(LANGUAGES)}")
        edits = self._variant(FAMILY_OF_LANGUAGE[language])
        if edits is None:
            return BASE_V1[language], None
        return BASE_V1[language], apply_edits(BASE_V1[language], edits)

    def explain(self, family: str) -> Text:
        """One paragraph on what the change does in `family`, in that format's own terms
        (or why it does not apply)."""
        self._variant(family)
        return Text(f"ev.change.{self.id}.{FAMILY_OF_FORMAT.get(family, family)}")

    def _variant(self, family: str):
        family = FAMILY_OF_FORMAT.get(family, family)
        if family not in FAMILIES:
            raise FormatError(f"unknown format family {family!r}; choose one of {', '.join(FAMILIES)}")
        return self.variants[family]


def _change(id, *, avro, protobuf, thrift, schemaless, record_v2, record_v1=BASE_RECORD):
    return Change(id, MappingProxyType({"avro": avro, "protobuf": protobuf, "thrift": thrift,
                                        "schemaless": schemaless}),
                  MappingProxyType(record_v1), MappingProxyType(record_v2))


def _with(**fields) -> dict:
    return {**BASE_RECORD, **fields}


def _without(name: str) -> dict:
    return {k: v for k, v in BASE_RECORD.items() if k != name}


def _renamed(old: str, new: str) -> dict:
    return {(new if k == old else k): v for k, v in BASE_RECORD.items()}


def _moved_to_end(name: str) -> dict:
    return {**_without(name), name: BASE_RECORD[name]}


_RENAME_PROTO = (swap("proto", "userName", "required string name = 1;"),)
_RENAME_THRIFT = (swap("thrift", "userName", "1: required string name"),)
CHANGES: tuple[Change, ...] = (
    _change(
        "add-optional-field",
        avro=(append("avsc", '{"name": "email", "type": ["null", "string"], "default": null}'),),
        protobuf=(append("proto", "optional string email = 7;"),),
        thrift=(append("thrift", "7: optional string email"),),
        schemaless=(),
        record_v2=_with(email="martin@example.com"),
    ),
    _change(
        "add-required-field",
        avro=(append("avsc", '{"name": "email", "type": "string"}'),),
        protobuf=(append("proto", "required string email = 7;"),),
        thrift=(append("thrift", "7: required string email"),),
        schemaless=(),
        record_v2=_with(email="martin@example.com"),
    ),
    _change(
        "remove-optional-field",
        avro=(drop("avsc", "favoriteNumber"),),
        protobuf=(drop("proto", "favoriteNumber"),),
        thrift=(drop("thrift", "favoriteNumber"),),
        schemaless=(),
        record_v2=_without("favoriteNumber"),
    ),
    _change(
        "remove-required-field",
        avro=(drop("avsc", "userName"),),
        protobuf=(drop("proto", "userName"),),
        thrift=(drop("thrift", "userName"),),
        schemaless=(),
        record_v2=_without("userName"),
    ),
    _change(
        "rename-field",
        avro=(swap("avsc", "userName", '{"name": "name", "type": "string"}'),),
        protobuf=_RENAME_PROTO,
        thrift=_RENAME_THRIFT,
        schemaless=(),
        record_v2=_renamed("userName", "name"),
    ),
    _change(
        "rename-with-alias",
        avro=(swap("avsc", "userName", '{"name": "name", "type": "string", "aliases": ["userName"]}'),),
        protobuf=_RENAME_PROTO,
        thrift=_RENAME_THRIFT,
        schemaless=None,
        record_v2=_renamed("userName", "name"),
    ),
    _change(
        "change-tag",
        avro=None,
        protobuf=(swap("proto", "favoriteNumber", "optional int64 favorite_number = 9;"),),
        thrift=(swap("thrift", "favoriteNumber", "9: optional i64 favoriteNumber"),),
        schemaless=None,
        record_v2=BASE_RECORD,
    ),
    _change(
        "reuse-tag",
        avro=None,
        protobuf=(swap("proto", "favoriteNumber", "optional string email = 2;"),),
        thrift=(swap("thrift", "favoriteNumber", "2: optional string email"),),
        schemaless=None,
        record_v2={**_without("favoriteNumber"), "email": "martin@example.com"},
    ),
    _change(
        "reorder-fields",
        avro=move_to_end("avsc", "userName"),
        protobuf=move_to_end("proto", "userName"),
        thrift=move_to_end("thrift", "userName"),
        schemaless=(),
        record_v2=_moved_to_end("userName"),
    ),
    _change(
        "widen-int",
        avro=(swap("avsc", "age", '{"name": "age", "type": "long", "default": 0}'),),
        protobuf=(swap("proto", "age", "optional int64 age = 4;"),),
        thrift=(swap("thrift", "age", "4: optional i64 age"),),
        schemaless=(),
        record_v2=BASE_RECORD,
    ),
    _change(
        "widen-float",
        avro=(swap("avsc", "height", '{"name": "height", "type": "double", "default": 0.0}'),),
        protobuf=(swap("proto", "height", "optional double height = 5;"),),
        thrift=None,
        schemaless=(),
        record_v2=BASE_RECORD,
    ),
    _change(
        "narrow-int",
        avro=(swap("avsc", "favoriteNumber",
                            '{"name": "favoriteNumber", "type": ["null", "int"], "default": null}'),),
        protobuf=(swap("proto", "favoriteNumber", "optional int32 favorite_number = 2;"),),
        thrift=(swap("thrift", "favoriteNumber", "2: optional i32 favoriteNumber"),),
        schemaless=(),
        record_v1=_with(favoriteNumber=1 << 40),
        record_v2=BASE_RECORD,
    ),
    _change(
        "string-to-bytes",
        avro=(swap("avsc", "userName", '{"name": "userName", "type": "bytes"}'),),
        protobuf=(swap("proto", "userName", "required bytes user_name = 1;"),),
        thrift=(swap("thrift", "userName", "1: required binary userName"),),
        schemaless=None,
        record_v2=BASE_RECORD,
    ),
    _change(
        "optional-to-repeated",
        avro=(swap("avsc", "favoriteNumber",
                            '{"name": "favoriteNumber", "type": {"type": "array", "items": "long"}, "default": []}'),),
        protobuf=(swap("proto", "favoriteNumber", "repeated int64 favorite_number = 2;"),),
        thrift=(swap("thrift", "favoriteNumber", "2: optional list<i64> favoriteNumber"),),
        schemaless=(),
        record_v2=_with(favoriteNumber=[7, 1337]),
    ),
    _change(
        "add-enum-symbol",
        avro=(('"OFFLINE"]', '"OFFLINE", "BUSY"]'),),
        protobuf=(("OFFLINE = 2;", "OFFLINE = 2;\n  BUSY = 3;"),),
        thrift=(("OFFLINE = 2", "OFFLINE = 2,\n  BUSY = 3"),),
        schemaless=(),
        record_v2=_with(status="BUSY"),
    ),
    _change(
        "remove-enum-symbol",
        avro=(('"AWAY", ', ""),),
        protobuf=(("AWAY = 1;\n  ", ""),),
        thrift=(("AWAY = 1,\n  ", ""),),
        schemaless=(),
        record_v2=_with(status="OFFLINE"),
    ),
    _change(
        "optional-to-required",
        avro=(swap("avsc", "favoriteNumber", '{"name": "favoriteNumber", "type": "long"}'),),
        protobuf=(swap("proto", "favoriteNumber", "required int64 favorite_number = 2;"),),
        thrift=(swap("thrift", "favoriteNumber", "2: required i64 favoriteNumber"),),
        schemaless=(),
        record_v2=BASE_RECORD,
    ),
    _change(
        "required-to-optional",
        avro=(swap("avsc", "userName",
                            '{"name": "userName", "type": ["null", "string"], "default": null}'),),
        protobuf=(swap("proto", "userName", "optional string user_name = 1;"),),
        thrift=(swap("thrift", "userName", "1: optional string userName"),),
        schemaless=(),
        record_v2=_with(userName=None),
    ),
)

_BY_ID = {c.id: c for c in CHANGES}


def change(change_id: str) -> Change:
    try:
        return _BY_ID[change_id]
    except KeyError:
        raise FormatError(f"unknown change {change_id!r}; choose one of {', '.join(_BY_ID)}") from None


def optional_fields(avsc_text: str) -> frozenset[str]:
    """The fields an Avro record schema gives a default: the ones a reader may find missing."""
    return frozenset(f["name"] for f in json.loads(avsc_text)["fields"] if "default" in f)
