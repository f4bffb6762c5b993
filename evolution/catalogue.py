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
class NotApplicable:
    """A change with no meaning in a family, and the reason shown instead of a v2 schema."""
    reason: str


@dataclass(frozen=True)
class Variant:
    """How one family spells a change: text edits of its v1 schema, and what happens, in its terms."""
    edits: tuple[tuple[str, str], ...]
    explanation: str


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    summary: str
    variants: MappingProxyType          # family -> Variant | NotApplicable ("schemaless": str | NotApplicable)
    _record_v1: MappingProxyType = field(repr=False)
    _record_v2: MappingProxyType = field(repr=False)

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
        return not isinstance(self._variant(family), NotApplicable)

    def why_not(self, family: str) -> str | None:
        """Why the change has no meaning in `family`, or None when it applies."""
        variant = self._variant(family)
        return variant.reason if isinstance(variant, NotApplicable) else None

    def schemas(self, language: str) -> tuple[str, str | None]:
        """(v1 text, v2 text) in `language` ("avsc", "proto", "thrift"); v2 is None when the
        change does not apply (see `why_not`)."""
        if language not in LANGUAGES:
            raise FormatError(f"unknown schema language {language!r}; choose one of {', '.join(LANGUAGES)}")
        variant = self._variant(FAMILY_OF_LANGUAGE[language])
        if isinstance(variant, NotApplicable):
            return BASE_V1[language], None
        return BASE_V1[language], apply_edits(BASE_V1[language], variant.edits)

    def explain(self, family: str) -> str:
        """One paragraph on what the change does in `family`, in that format's own terms
        (or why it does not apply)."""
        variant = self._variant(family)
        if isinstance(variant, NotApplicable):
            return variant.reason
        return variant if isinstance(variant, str) else variant.explanation

    def _variant(self, family: str):
        family = FAMILY_OF_FORMAT.get(family, family)
        if family not in FAMILIES:
            raise FormatError(f"unknown format family {family!r}; choose one of {', '.join(FAMILIES)}")
        return self.variants[family]


def _change(id, title, summary, *, avro, protobuf, thrift, schemaless, record_v2, record_v1=BASE_RECORD):
    return Change(id, title, summary,
                  MappingProxyType({"avro": avro, "protobuf": protobuf, "thrift": thrift,
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
_RENAME_PROTO_TEXT = (
    "Field names never appear in Protobuf bytes, only the field tag (1 here), so old and new code "
    "read each other's data unchanged; only generated code and the JSON mapping see the new name.")
_RENAME_THRIFT_TEXT = (
    "Thrift's binary and compact encodings carry the field tag, not the name, so a rename that keeps "
    "tag 1 is invisible on the wire: both directions read fine.")

CHANGES: tuple[Change, ...] = (
    _change(
        "add-optional-field", "Add an optional field with a default",
        "v2 adds `email`: old data does not have it, old code does not know it.",
        avro=Variant((append("avsc", '{"name": "email", "type": ["null", "string"], "default": null}'),),
                     "v2's schema adds `email`, a union of null and string with default null. Avro resolves "
                     "the writer's schema against the reader's by field name: a v2 reader given v1 data finds "
                     "no `email` in the writer's schema and fills in the default; a v1 reader given v2 data "
                     "finds `email` in the writer's schema but not in its own, so it decodes the value and "
                     "throws it away. You may only add a field that has a default."),
        protobuf=Variant((append("proto", "optional string email = 7;"),),
                         "v2 adds `optional string email = 7`. A v2 reader given old bytes finds no field tag 7 "
                         "and leaves `email` unset. A v1 reader meets field tag 7, which its schema lacks; the "
                         "wire type (2, length-delimited) tells it how many bytes to skip, and python protobuf "
                         "keeps them as an unknown field. New fields must be optional and take a tag number "
                         "never used before."),
        thrift=Variant((append("thrift", "7: optional string email"),),
                       "v2 adds `7: optional string email`. A v2 reader finds no field 7 in old data and leaves "
                       "`email` unset. A v1 reader meets field tag 7, which its schema lacks; the type id next "
                       "to the tag says how to skip the value, and thriftpy2 then forgets it (it keeps no "
                       "unknown fields)."),
        schemaless="JSON and MessagePack carry every field name with the data, so `\"email\"` simply appears "
                   "in v2 records. The reader's code decides the rest: v2 code must cope with v1 records that "
                   "lack the key (here it falls back to a default), and v1 code must ignore a key it does not "
                   "expect; a strict reader that rejects unknown keys breaks.",
        record_v2=_with(email="martin@example.com"),
    ),
    _change(
        "add-required-field", "Add a field without a default (required)",
        "v2 adds `email` and insists on it: old data cannot have it.",
        avro=Variant((append("avsc", '{"name": "email", "type": "string"}'),),
                     "v2 adds `email` as a plain string with no default. A v2 reader given v1 data finds no "
                     "`email` in the writer's schema and has no default to fill in, so resolution fails. A v1 "
                     "reader skips `email` in v2 data, as it skips any field it does not know."),
        protobuf=Variant((append("proto", "required string email = 7;"),),
                         "v2 adds `required string email = 7`. Old data has no field tag 7, so a v2 reader's "
                         "message lacks a required field: python protobuf parses it, but the message is not "
                         "initialized and refuses to be serialized again; other libraries reject it on parse. "
                         "The book's rule: a field added after the first deployment must be optional or have a "
                         "default. v1 readers skip tag 7."),
        thrift=Variant((append("thrift", "7: required string email"),),
                       "v2 adds `7: required string email`. Old data has no field 7. C++ and Java readers reject "
                       "a struct that lacks a required field; thriftpy2 does not check and leaves `email` as "
                       "None, so v2 code finds a hole where its schema promised a value. v1 readers skip tag 7."),
        schemaless="v2 records carry a new `email` key that v2 code treats as mandatory, but v1 records never "
                   "have it, and with no schema nothing supplies a default. v1 code ignores the key (or, if "
                   "strict, rejects the record).",
        record_v2=_with(email="martin@example.com"),
    ),
    _change(
        "remove-optional-field", "Remove an optional field",
        "v2 stops writing and reading `favoriteNumber`, which had a default.",
        avro=Variant((drop("avsc", "favoriteNumber"),),
                     "v2 drops `favoriteNumber` (null or long, default null). A v2 reader finds the field in "
                     "v1's writer schema but not in its own, so it reads the value and discards it. A v1 reader "
                     "finds no `favoriteNumber` in v2's writer schema and fills in its default, null. You may "
                     "only remove a field that has a default."),
        protobuf=Variant((drop("proto", "favoriteNumber"),),
                         "v2 drops `optional int64 favorite_number = 2`. A v2 reader skips field tag 2 in old "
                         "data (keeping it as an unknown field); a v1 reader finds no tag 2 in new data and "
                         "leaves the field unset. Tag 2 must never be reused: mark it `reserved 2;`."),
        thrift=Variant((drop("thrift", "favoriteNumber"),),
                       "v2 drops `2: optional i64 favoriteNumber`. v2 readers skip tag 2 in old data (thriftpy2 "
                       "discards it); v1 readers find no tag 2 and leave the field None. Tag 2 must never be "
                       "reused."),
        schemaless="v2 code stops writing `favoriteNumber` and ignores it in v1 records. v1 code must treat a "
                   "missing key as 'no favourite number', which it can, because the field was optional.",
        record_v2=_without("favoriteNumber"),
    ),
    _change(
        "remove-required-field", "Remove a required field",
        "v2 drops `userName`, which v1 code insists on.",
        avro=Variant((drop("avsc", "userName"),),
                     "v2 drops `userName`, a string with no default. A v2 reader skips `userName` in v1 data. A "
                     "v1 reader finds no `userName` in v2's writer schema and has no default to fill in: "
                     "resolution fails, so old code cannot read new data."),
        protobuf=Variant((drop("proto", "userName"),),
                         "v2 drops `required string user_name = 1`. v2 readers skip tag 1 in old data, but v1 "
                         "readers still require it: the book warns that you can never remove a required field. "
                         "Python protobuf parses the message, but it is not initialized; other libraries reject "
                         "it."),
        thrift=Variant((drop("thrift", "userName"),),
                       "v2 drops `1: required string userName`. v2 readers skip tag 1. v1 readers still declare it "
                       "required: C++ and Java readers throw, and thriftpy2 quietly leaves it None, so old code "
                       "breaks when it uses the name. Only optional fields can be removed."),
        schemaless="v2 records no longer carry `userName`. v1 code expects it and finds nothing; with no schema "
                   "to say so in advance, the failure shows up in the reader's code at run time.",
        record_v2=_without("userName"),
    ),
    _change(
        "rename-field", "Rename a field",
        "v2 calls `userName` `name`.",
        avro=Variant((swap("avsc", "userName", '{"name": "name", "type": "string"}'),),
                     "v2 calls the field `name`. Avro matches fields by name, so `userName` written by v1 and "
                     "`name` expected by v2 are different fields: a v2 reader finds no `name` in the writer's "
                     "schema and, with no default, fails; a v1 reader likewise finds no `userName` in v2 data. "
                     "A rename without an alias is a removal plus an addition."),
        protobuf=Variant(_RENAME_PROTO, "v2 calls field 1 `name`. " + _RENAME_PROTO_TEXT),
        thrift=Variant(_RENAME_THRIFT, "v2 calls field 1 `name`. " + _RENAME_THRIFT_TEXT),
        schemaless="JSON and MessagePack spell out the field name in every record, so a rename is a removed "
                   "key plus a new one: v2 code looks for `name` in v1 records and finds only `userName`, and "
                   "v1 code looks for `userName` in v2 records.",
        record_v2=_renamed("userName", "name"),
    ),
    _change(
        "rename-with-alias", "Rename a field, keeping the old name as an alias",
        "v2 calls `userName` `name`; Avro's v2 schema lists `userName` as an alias.",
        avro=Variant((swap("avsc", "userName", '{"name": "name", "type": "string", "aliases": ["userName"]}'),),
                     "v2 calls the field `name` and lists `userName` in its `aliases`. Aliases belong to the "
                     "reader's schema: a v2 reader matches the writer's `userName` to its own `name` through the "
                     "alias. A v1 reader has no alias, so it still finds no `userName` in v2 data: forward "
                     "compatibility would need the old field kept, or a default on it."),
        protobuf=Variant(_RENAME_PROTO,
                         "Protobuf has no aliases and needs none: the field tag is the field's identity, so a "
                         "rename that keeps tag 1 is all it takes. " + _RENAME_PROTO_TEXT),
        thrift=Variant(_RENAME_THRIFT,
                       "Thrift has no aliases and needs none: the field tag is the field's identity, so a rename "
                       "that keeps tag 1 is all it takes. " + _RENAME_THRIFT_TEXT),
        schemaless=NotApplicable("JSON and MessagePack have no schema to hold an alias: the old name is simply "
                                 "gone from the data, exactly as in 'Rename a field'."),
        record_v2=_renamed("userName", "name"),
    ),
    _change(
        "change-tag", "Change a field's tag number",
        "v2 moves `favoriteNumber` from field tag 2 to field tag 9.",
        avro=NotApplicable("Avro has no field tags: its bytes hold only the values, in the order of the writer's "
                           "schema, and the reader matches fields by name. There is no number to change; the "
                           "closest Avro change is a rename."),
        protobuf=Variant((swap("proto", "favoriteNumber", "optional int64 favorite_number = 9;"),),
                         "v2 moves `favorite_number` from tag 2 to tag 9. The tag is the field's identity on the "
                         "wire, so this removes field 2 and adds field 9: each side skips the other's tag as "
                         "unknown and leaves its own `favorite_number` unset. No error is raised; the value "
                         "silently disappears. A tag number, once used, can never change."),
        thrift=Variant((swap("thrift", "favoriteNumber", "9: optional i64 favoriteNumber"),),
                       "v2 moves `favoriteNumber` from tag 2 to tag 9. Thrift identifies fields by tag, so each "
                       "reader sees an unknown field, skips and drops it, and leaves its own `favoriteNumber` None: "
                       "the value silently disappears in both directions."),
        schemaless=NotApplicable("JSON and MessagePack have no tags: the field name is the field's identity, and "
                                 "it does not change here."),
        record_v2=BASE_RECORD,
    ),
    _change(
        "reuse-tag", "Reuse a removed field's tag",
        "v2 deletes `favoriteNumber` and gives its tag, 2, to a new field, `email`.",
        avro=NotApplicable("Avro has no field tags: a field is its name, and the reader resolves the writer's "
                           "fields by name. There is no number to reuse; deleting `favoriteNumber` and adding "
                           "`email` are two separate changes, each judged on its own."),
        protobuf=Variant((swap("proto", "favoriteNumber", "optional string email = 2;"),),
                         "v2 deletes `favorite_number` and gives its tag, 2, to `optional string email = 2`. "
                         "Old data still holds tag 2 as a varint: a v2 reader expects a length-delimited string "
                         "there, keeps the bytes as an unknown field, and `email` stays empty; a v1 reader meets "
                         "tag 2 with a string where it expects a varint, and `favorite_number` stays empty. Had the "
                         "two types shared a wire type, each side would have read the other's value as its own "
                         "field, silently. Protobuf's rule: reserve a deleted field's number (`reserved 2;`), and "
                         "protoc refuses any later field that takes it."),
        thrift=Variant((swap("thrift", "favoriteNumber", "2: optional string email"),),
                       "v2 deletes `favoriteNumber` and gives tag 2 to `2: optional string email`. The type id next "
                       "to the tag differs (i64, string), so thriftpy2 skips the other side's value in both "
                       "directions and the field stays None. Had the types matched, the reader would have taken "
                       "the old number for the new field. Thrift IDL has no `reserved`: retired tags are kept in "
                       "a comment, and must never be used again."),
        schemaless=NotApplicable("JSON and MessagePack have no tags: a field is its key, and a new field is a new "
                                 "key. There is no number to reuse."),
        record_v2={**_without("favoriteNumber"), "email": "martin@example.com"},
    ),
    _change(
        "reorder-fields", "Reorder fields",
        "v2 declares `userName` last.",
        avro=Variant(move_to_end("avsc", "userName"),
                     "v2 lists `userName` last. Avro writes the values one after another in the order of the "
                     "writer's schema, with no names or tags, so v1 and v2 bytes differ; but the reader resolves "
                     "fields by name against the writer's schema, so both directions read correctly. This is why "
                     "an Avro reader must know the exact schema the data was written with."),
        protobuf=Variant(move_to_end("proto", "userName"),
                         "v2 declares `user_name` last. Declaration order does not matter: every field carries "
                         "its tag and the encoder writes fields in tag order, so the bytes do not even change."),
        thrift=Variant(move_to_end("thrift", "userName"),
                       "v2 declares `userName` last. Every field carries its tag and readers match fields by tag, "
                       "whatever the order of declaration, so both directions read correctly."),
        schemaless="v2 writes `userName` last. A reader looks keys up by name, so the order of keys in a JSON "
                   "object or a MessagePack map does not matter.",
        record_v2=_moved_to_end("userName"),
    ),
    _change(
        "widen-int", "Widen an integer (32 to 64 bits)",
        "v2 stores `age` in 64 bits instead of 32.",
        avro=Variant((swap("avsc", "age", '{"name": "age", "type": "long", "default": 0}'),),
                     "v2 makes `age` a long instead of an int. Avro's resolution rules promote an int written by "
                     "v1 to v2's long, but there is no rule to turn a long back into an int, so a v1 reader "
                     "cannot resolve v2's writer schema at all, even for small values."),
        protobuf=Variant((swap("proto", "age", "optional int64 age = 4;"),),
                         "v2 makes `age` int64 instead of int32. Both are varints with wire type 0, so a v2 reader "
                         "reads old data exactly. A v1 (int32) reader keeps the low 32 bits of a 64-bit value: 42 "
                         "fits, so it reads fine here, but a large value would be silently wrong."),
        thrift=Variant((swap("thrift", "age", "4: optional i64 age"),),
                       "v2 makes `age` an i64 instead of an i32. Thrift writes each field's type id next to its "
                       "tag, i32 and i64 have different ids, and thriftpy2 skips a field whose type id differs "
                       "from its schema's: `age` is silently dropped in both directions. Thrift has no widening "
                       "rule."),
        schemaless="A JSON number has no size, so 42 is written the same way by v1 and v2 code; MessagePack "
                   "picks the smallest integer encoding for each value, whatever the code's type.",
        record_v2=BASE_RECORD,
    ),
    _change(
        "widen-float", "Widen a float to a double",
        "v2 stores `height` as a 64-bit double instead of a 32-bit float.",
        avro=Variant((swap("avsc", "height", '{"name": "height", "type": "double", "default": 0.0}'),),
                     "v2 makes `height` a double instead of a float. Avro promotes a float written by v1 to v2's "
                     "double, but cannot turn a double back into a float: a v1 reader cannot resolve v2's writer "
                     "schema."),
        protobuf=Variant((swap("proto", "height", "optional double height = 5;"),),
                         "v2 makes `height` a double instead of a float, and the wire type changes with it: a "
                         "float is 4 fixed bytes (wire type 5), a double 8 (wire type 1). A reader that meets tag "
                         "5 with the wrong wire type treats it as an unknown field: python protobuf keeps the "
                         "bytes aside and leaves `height` unset, in both directions."),
        thrift=NotApplicable("Thrift IDL has a single floating-point type, `double` (64 bits): there is no float "
                             "to widen."),
        schemaless="A JSON number has no size, so 1.75 is written the same way by v1 and v2 code; MessagePack "
                   "writes a Python float as a 64-bit float either way.",
        record_v2=BASE_RECORD,
    ),
    _change(
        "narrow-int", "Narrow an integer (64 to 32 bits)",
        "v2 stores `favoriteNumber` in 32 bits; v1 data holds 2^40, which does not fit.",
        avro=Variant((swap("avsc", "favoriteNumber",
                            '{"name": "favoriteNumber", "type": ["null", "int"], "default": null}'),),
                     "v2 makes `favoriteNumber` a union of null and int instead of null and long. Avro never "
                     "narrows: a v2 reader cannot resolve v1's long branch and refuses the data, whatever the "
                     "value. The other direction is a widening (int to long) and reads fine."),
        protobuf=Variant((swap("proto", "favoriteNumber", "optional int32 favorite_number = 2;"),),
                         "v2 makes `favorite_number` int32 instead of int64. Both are varints with wire type 0, "
                         "so a v2 reader parses v1's bytes without complaint and keeps only the low 32 bits: "
                         "1099511627776 (2^40) reads as 0. The truncation is silent."),
        thrift=Variant((swap("thrift", "favoriteNumber", "2: optional i32 favoriteNumber"),),
                       "v2 makes `favoriteNumber` an i32 instead of an i64. The type id on the wire differs, so "
                       "thriftpy2 skips the field: v1's 1099511627776 and v2's 1337 both vanish when the other "
                       "side reads them, without an error."),
        schemaless="JSON numbers have no size, so 1099511627776 reads back exactly (a JavaScript reader is exact "
                   "up to 2^53); whether v2 code can keep it in a 32-bit variable is up to that code.",
        record_v1=_with(favoriteNumber=1 << 40),
        record_v2=BASE_RECORD,
    ),
    _change(
        "string-to-bytes", "Change a string to bytes",
        "v2 stores `userName` as raw bytes instead of text.",
        avro=Variant((swap("avsc", "userName", '{"name": "userName", "type": "bytes"}'),),
                     "v2 makes `userName` bytes instead of string. Both are a length followed by the bytes, and "
                     "Avro's resolution rules turn string into bytes and bytes into string, so both directions "
                     "read this record. But a string is UTF-8 text: a v1 reader given bytes that are not valid "
                     "UTF-8 fails (fastavro and Python's avro decode them; Java keeps them as they are), which is "
                     "why the static check calls v1 reading v2 incompatible although the reference checker, "
                     "following the spec's promotion, accepts it."),
        protobuf=Variant((swap("proto", "userName", "required bytes user_name = 1;"),),
                         "v2 makes `user_name` bytes instead of string. Both have wire type 2 (a length, then the "
                         "bytes), so each side reads the other's data. A string field given bytes that are not "
                         "valid UTF-8 is rejected where the field's features check UTF-8 (proto3, and editions "
                         "by default); python protobuf hands proto2 code the raw bytes."),
        thrift=Variant((swap("thrift", "userName", "1: required binary userName"),),
                       "v2 makes `userName` binary instead of string. Both have the same type id on the wire (a "
                       "length, then the bytes), so both directions read; thriftpy2 decodes a string as UTF-8 and "
                       "falls back to the raw bytes when it is not."),
        schemaless=NotApplicable("JSON has no byte strings: binary data travels as Base64 text, a third larger, "
                                 "and a reader expecting plain text would take the Base64 for the name. The "
                                 "catalogue's record holds text, so there is nothing to change here."),
        record_v2=BASE_RECORD,
    ),
    _change(
        "optional-to-repeated", "Turn a single value into a list",
        "v2 lets `favoriteNumber` hold several numbers.",
        avro=Variant((swap("avsc", "favoriteNumber",
                            '{"name": "favoriteNumber", "type": {"type": "array", "items": "long"}, "default": []}'),),
                     "v2 makes `favoriteNumber` an array of longs instead of a union of null and long. Avro's "
                     "resolution rules have nothing between an array and a union, so neither side can read the "
                     "other's data."),
        protobuf=Variant((swap("proto", "favoriteNumber", "repeated int64 favorite_number = 2;"),),
                         "v2 makes `favorite_number` repeated. An unpacked repeated field is the same tag written "
                         "once per element, so a v2 reader turns v1's single value into a one-element list, and a "
                         "v1 reader given several values keeps the last one (1337 of [7, 1337]): no error, data "
                         "lost. Proto2 repeated scalars are unpacked unless marked `[packed=true]`; a packed list "
                         "(proto3's default) has wire type 2, which a singular int64 field treats as unknown."),
        thrift=Variant((swap("thrift", "favoriteNumber", "2: optional list<i64> favoriteNumber"),),
                       "v2 makes `favoriteNumber` a list<i64> instead of an i64. The type id on the wire changes "
                       "(list instead of i64), so thriftpy2 skips the field in both directions: the numbers "
                       "silently vanish."),
        schemaless="v2 writes `favoriteNumber` as an array. The key is the same, so nothing in the data flags the "
                   "change, but v1 code expecting a number gets a list, and v2 code expecting a list gets a "
                   "number.",
        record_v2=_with(favoriteNumber=[7, 1337]),
    ),
    _change(
        "add-enum-symbol", "Add an enum symbol",
        "v2 adds BUSY to `Status` and writes it.",
        avro=Variant((('"OFFLINE"]', '"OFFLINE", "BUSY"]'),),
                     "v2 adds the symbol BUSY to `Status`. Avro writes an enum as the symbol's position in the "
                     "writer's schema and the reader resolves it by symbol name: v2 reads all of v1's symbols, "
                     "but a v1 reader given BUSY has no such symbol and fails (unless its enum names a `default` "
                     "symbol, Avro 1.9 and later)."),
        protobuf=Variant((("OFFLINE = 2;", "OFFLINE = 2;\n  BUSY = 3;"),),
                         "v2 adds `BUSY = 3` to `Status`. An enum is written as a varint of its number. A v1 reader "
                         "meets 3, which its proto2 enum does not list: python protobuf keeps it as an unknown "
                         "field and `status` reads as unset (its default, ONLINE). Proto3 enums are open and keep "
                         "unknown numbers."),
        thrift=Variant((("OFFLINE = 2", "OFFLINE = 2,\n  BUSY = 3"),),
                       "v2 adds `BUSY = 3` to `Status`. Thrift writes an enum as an i32. thriftpy2, C++ and Python "
                       "readers do not check it: a v1 reader gets the bare number 3, for which its code has no "
                       "name, and writes 3 back unchanged. Java's generated code maps a value its enum lacks to "
                       "null, and the value is lost."),
        schemaless="JSON writes the symbol as text, \"BUSY\". Nothing rejects it on read; whether v1 code copes "
                   "with a status it has never seen is up to that code.",
        record_v2=_with(status="BUSY"),
    ),
    _change(
        "remove-enum-symbol", "Remove an enum symbol",
        "v2 drops AWAY from `Status`; v1 data says AWAY.",
        avro=Variant((('"AWAY", ', ""),),
                     "v2 drops AWAY from `Status`. A v2 reader resolving v1 data that says AWAY finds no such "
                     "symbol in its schema and fails (an enum `default` symbol would be used instead, if v2 "
                     "named one). v1 readers know every symbol v2 can write."),
        protobuf=Variant((("AWAY = 1;\n  ", ""),),
                         "v2 drops `AWAY = 1`. A v2 reader given v1's status 1 finds no such number in its proto2 "
                         "enum: python protobuf keeps it as an unknown field and `status` reads as unset. v1 "
                         "readers know every number v2 writes. Reserve the number (`reserved 1;`) so that it is "
                         "never reused."),
        thrift=Variant((("AWAY = 1,\n  ", ""),),
                       "v2 drops `AWAY = 1`. thriftpy2, C++ and Python readers do not check enum values: a v2 "
                       "reader gets the bare number 1 for `status`, for which its code no longer has a name. "
                       "Java's generated code reads it as null."),
        schemaless="v1 records say \"AWAY\", a word v2 code no longer knows, and nothing in JSON flags it. v1 code "
                   "understands everything v2 writes.",
        record_v2=_with(status="OFFLINE"),
    ),
    _change(
        "optional-to-required", "Make an optional field required (Avro: remove null from the union)",
        "v2 insists on `favoriteNumber`, which v1 could leave out.",
        avro=Variant((swap("avsc", "favoriteNumber", '{"name": "favoriteNumber", "type": "long"}'),),
                     "v2 makes `favoriteNumber` a plain long: null leaves the union and the default goes. Avro's "
                     "checker asks whether every value v1 may write can be read, and v1 may write null, which a "
                     "long cannot hold, so it says incompatible, although a v1 record that holds a number reads "
                     "fine. The other way, a union with null reads any long."),
        protobuf=Variant((swap("proto", "favoriteNumber", "required int64 favorite_number = 2;"),),
                         "v2 makes `favorite_number` required. v1 data without tag 2 would leave a v2 message "
                         "uninitialized, so the rule table reports the worst case; this v1 record has the field "
                         "and reads fine. v1 readers accept everything v2 writes."),
        thrift=Variant((swap("thrift", "favoriteNumber", "2: required i64 favoriteNumber"),),
                       "v2 makes `favoriteNumber` required. v1 data without tag 2 lacks a required field (C++ and "
                       "Java readers throw, thriftpy2 leaves None), so the rule table reports the worst case; this "
                       "v1 record has the field and reads fine. v1 readers accept everything v2 writes."),
        schemaless="JSON has no notion of required: v2 code now insists on `favoriteNumber`, which v1 records "
                   "may omit. This v1 record has it, so it reads.",
        record_v2=BASE_RECORD,
    ),
    _change(
        "required-to-optional", "Make a required field optional (Avro: add null to a union)",
        "v2 lets `userName` be absent, and this v2 record has none.",
        avro=Variant((swap("avsc", "userName",
                            '{"name": "userName", "type": ["null", "string"], "default": null}'),),
                     "v2 makes `userName` a union of null and string with default null. A v2 reader reads v1's "
                     "plain string into the union. A v1 reader's `userName` has no null branch: when v2 code "
                     "writes a record without a name, as here, the v1 reader cannot resolve it and fails."),
        protobuf=Variant((swap("proto", "userName", "optional string user_name = 1;"),),
                         "v2 makes `user_name` optional, and this v2 record leaves it out. v2 readers accept "
                         "everything v1 wrote, but a v1 reader still requires tag 1: python protobuf parses the "
                         "message but it is not initialized, and stricter libraries reject it. A required field "
                         "cannot be relaxed while old readers exist."),
        thrift=Variant((swap("thrift", "userName", "1: optional string userName"),),
                       "v2 makes `userName` optional, and this v2 record leaves it out. v2 readers accept "
                       "everything v1 wrote; a v1 reader still declares tag 1 required: C++ and Java readers "
                       "throw, thriftpy2 leaves it None."),
        schemaless="v2 writes `\"userName\": null`. v1 code expects a name and gets null; nothing in the data "
                   "protects it.",
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
