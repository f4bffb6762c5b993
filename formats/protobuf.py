"""Protocol Buffers: protobuf 7 writes and reads; a hand-written walk labels each byte (figure 4-4).

The schema is .proto text (proto2, proto3 or editions), compiled by grpcio-tools'
protoc into a fresh descriptor pool per schema (formats._protobuf_compile). The record
type is the first top-level message in the file: the first message in the .proto is
the record. Record keys are the fields' JSON names (`userName` for `user_name`); the
.proto names are accepted too.

    >>> from formats import protobuf
    >>> Person = protobuf.message_class('syntax = "proto3"; message Person { string name = 1; }')
    >>> Person(name="Martin").SerializeToString()
    b'\\n\\x06Martin'
"""
import re

from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message import DecodeError

from formats import paths
from formats._protobuf_compile import RECORD_RULE, compile_schema
from formats._protobuf_walk import is_map, type_name, walk
from formats.base import Format
from formats.errors import FormatError, describe, expected
from formats.facts import numbers
from formats.facts.numbers import DOUBLE_MAX, FLOAT32_MAX
from formats.facts.protobuf import NAMES, RANGES, checks_utf8
from formats.record import MAX_DEPTH, integer_type
from formats.spans import Decoded
from formats.wire import preview
from i18n import Text

# checks_utf8: the one place that decides whether a string field refuses bytes that are not UTF-8
# (the walk here and evolution's rules both ask it)
__all__ = ["FORMAT", "RECORD_RULE", "checks_utf8", "message_class", "message_to_record", "record_to_message"]

# what a schema inferred from a record declares for integers, in order: int64 as the book does, uint64 past 2^63−1
_INFERRED_INTS = tuple((name, *RANGES[name]) for name in ("int64", "uint64"))
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def message_class(schema_text: str):
    """The generated class of the record message (the first message in the .proto)."""
    return compile_schema(FORMAT.need_schema(schema_text)).record_class


def record_to_message(record: dict, schema_text: str):
    """A message of the record type holding `record`; FormatError names the path of any mismatch."""
    message = message_class(schema_text)()
    _fill(message, record, "", 0)
    missing = next(_missing_required(message, ""), None)
    if missing:
        path, field = missing
        raise FormatError(Text("err.pb.required", path=path, tag=field.number), path=path)
    return message


def message_to_record(message, defaulted: list | None = None) -> dict:
    """The message as a record: JSON names, enums by name, bytes as bytes, maps with text keys.
    `defaulted`, if given, collects the paths of the fields the data did not have (filled in)."""
    return _record(message, "", [] if defaulted is None else defaulted)


class ProtobufFormat(
        Format, id="protobuf", title="Protocol Buffers", schema_language="proto", family="protobuf",
        spends=Text("fmt.spends.protobuf")):
    def write(self, record, schema_text):
        return record_to_message(record, schema_text).SerializeToString()

    def annotate(self, data, schema_text):
        descriptor = None if schema_text is None else compile_schema(self.need_schema(schema_text)).record
        return walk(data, descriptor).spans

    def read(self, data, schema_text, writer_schema_text=None):
        schema = compile_schema(self.need_schema(schema_text))
        walked = walk(data, schema.record)   # malformed bytes: a FormatError with the byte offset
        message = schema.record_class()
        try:
            message.ParseFromString(data)
        except DecodeError:
            raise FormatError(Text("err.pb.parse", name=schema.record.name)) from None
        missing = next(_missing_required(message, ""), None) if not message.IsInitialized() else None
        if missing:
            path, field = missing
            raise FormatError(Text("fmt.protobuf.required_missing", path=path, tag=field.number), path=path)
        defaulted: list[str] = []
        record = _record(message, "", defaulted)
        names = _writer_names(data, writer_schema_text)
        skipped = list(dict.fromkeys(names.get(u.offset, u.path) for u in walked.unknown))
        notes = list(dict.fromkeys([u.why for u in walked.unknown if u.why] + walked.changed))
        if skipped:
            notes.append(Text("fmt.protobuf.kept_note"))
        return Decoded(record, skipped, defaulted, list(skipped), notes)

    def default_schema(self, record):
        taken = {"Record"}
        root = _infer_message("Record", [record], "", taken, 0)
        return 'syntax = "proto3";\n\n' + "\n".join(_render(root, 0)) + "\n"

    def comparable(self, record):
        return _comparable([record])[0]


# -- record -> message ------------------------------------------------------------------------

def _field_named(descriptor, key: str):
    """The field a record key names: its .proto name, its JSON name, or either in another style."""
    field = descriptor.fields_by_name.get(key)
    if field is None:
        field = next((f for f in descriptor.fields if f.json_name == key), None)
    if field is None:
        field = next((f for f in descriptor.fields if paths.normalized(f.name) == paths.normalized(key)), None)
    return field


def _fill(message, record, path: str, depth: int) -> None:
    descriptor = message.DESCRIPTOR
    if not isinstance(record, dict):
        raise FormatError(Text("err.value.expected", where=path or Text("err.the_record"),
                               what=Text("err.pb.a_message", name=descriptor.name), got=describe(record)), path=path)
    if depth > MAX_DEPTH:
        raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
    chosen: dict[str, str] = {}   # oneof name -> the record key that set it
    for key, value in record.items():
        field = _field_named(descriptor, key)
        here = paths.key(path, key)
        if field is None:
            raise FormatError(Text("err.pb.no_field_record" if not path else "err.pb.no_field", where=here,
                                   name=descriptor.name, rule=RECORD_RULE, key=repr(key)), path=here)
        if value is None:
            continue   # protobuf has no null: the field is simply not written
        oneof = field.containing_oneof
        if oneof is not None and chosen.setdefault(oneof.name, key) != key:
            raise FormatError(Text("err.pb.oneof", where=here, first=chosen[oneof.name], key=key, oneof=oneof.name), path=here)
        target = getattr(message, field.name)
        if is_map(field):
            _fill_map(target, field, value, here, depth)
        elif field.is_repeated:
            if not isinstance(value, list):
                raise expected(here, Text("err.pb.a_list", type=type_name(field)), value)
            for i, item in enumerate(value):
                item_path = paths.index(here, i)
                if item is None:
                    raise FormatError(Text("err.pb.repeated_null", where=item_path), path=item_path)
                if field.message_type is not None:
                    _fill(target.add(), item, item_path, depth + 1)
                else:
                    target.append(_python_value(field, item, item_path))
        elif field.message_type is not None:
            target.SetInParent()   # an empty object is still a message that is there
            _fill(target, value, here, depth + 1)
        else:
            setattr(message, field.name, _python_value(field, value, here))


def _fill_map(target, field, value, path: str, depth: int) -> None:
    if not isinstance(value, dict):
        raise expected(path, Text("err.pb.an_object", type=type_name(field)), value)
    key_field, value_field = field.message_type.fields_by_number[1], field.message_type.fields_by_number[2]
    for text, item in value.items():
        here = paths.key(path, text)
        key = _map_key(key_field, text, here)
        if item is None:
            raise FormatError(Text("err.pb.map_null", where=here), path=here)
        if value_field.message_type is not None:
            _fill(target[key], item, here, depth + 1)
        else:
            target[key] = _python_value(value_field, item, here)


def _map_key(field, text: str, path: str):
    """A record's map key (always text) as the key type: "42" for int64, "true" for bool."""
    if field.type == FD.TYPE_STRING:
        return text
    if field.type == FD.TYPE_BOOL:
        if text not in ("true", "false"):
            raise FormatError(Text("err.pb.bool_key", where=path), path=path)
        return text == "true"
    if not re.fullmatch(r"-?\d{1,20}", text):
        raise FormatError(Text("err.pb.int_key", where=path, key=preview(text), type=type_name(field)), path=path)
    return _python_value(field, int(text), path)


def _python_value(field, value, path: str):
    """A JSON value as the field's Python type, with the range checks protobuf would otherwise
    fail (or, for float, silently turn into infinity)."""
    t = field.type
    proto_type = type_name(field)
    if t == FD.TYPE_BOOL:
        if isinstance(value, bool):
            return value
        raise expected(path, Text("err.pb.a_bool"), value)
    if NAMES[t] in RANGES:
        if not isinstance(value, int) or isinstance(value, bool):
            raise expected(path, Text("err.pb.an_integer", type=proto_type), value)
        low, high = RANGES[NAMES[t]]
        if not low <= value <= high:
            raise FormatError(Text("err.pb.range", where=path, value=value, type=proto_type, low=low, high=high), path=path)
        return value
    if t in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise expected(path, Text("err.pb.a_number", type=proto_type), value)
        try:
            number = float(value)
        except OverflowError:   # an integer beyond any double
            number = float("inf")
        if abs(number) > (FLOAT32_MAX if t == FD.TYPE_FLOAT else DOUBLE_MAX):
            raise FormatError(Text("err.pb.too_large", where=path, value=value, type=proto_type), path=path)
        return number
    if t == FD.TYPE_BYTES and isinstance(value, (bytes, bytearray)):
        return bytes(value)   # as read() gives bytes fields back: a read-modify-write round trip
    if t in (FD.TYPE_STRING, FD.TYPE_BYTES):
        if not isinstance(value, str):
            raise expected(path, Text("err.pb.a_string", type=proto_type), value)
        return value.encode("utf-8") if t == FD.TYPE_BYTES else value
    if t == FD.TYPE_ENUM:
        enum = field.enum_type
        if isinstance(value, str) and value in enum.values_by_name:
            return enum.values_by_name[value].number
        if isinstance(value, int) and not isinstance(value, bool) and (
                value in enum.values_by_number or not enum.is_closed and numbers.fits(value, numbers.INT32)):
            return value
        names = ", ".join(v.name for v in enum.values)
        raise FormatError(Text("err.pb.enum", where=path, value=describe(value), name=enum.name, names=names), path=path)
    raise FormatError(Text("err.pb.unsupported", where=path, type=proto_type), path=path)


def _missing_required(message, path: str):
    """(path, field) of every required field not set, nested messages included."""
    for field in message.DESCRIPTOR.fields:
        if field.is_required and not message.HasField(field.name):
            yield paths.key(path, field.json_name), field
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        here = paths.key(path, field.json_name)
        if is_map(field):
            if field.message_type.fields_by_number[2].message_type is not None:
                for key, item in value.items():
                    yield from _missing_required(item, paths.key(here, paths.key_text(key)))
        elif field.is_repeated:
            for i, item in enumerate(value):
                yield from _missing_required(item, paths.index(here, i))
        else:
            yield from _missing_required(value, here)


# -- message -> record ------------------------------------------------------------------------

def _record(message, path: str, defaulted: list) -> dict:
    """The record; paths of fields the data did not have but the reader filled in go to `defaulted`."""
    out = {}
    present = {field.number for field, _ in message.ListFields()}
    for field in message.DESCRIPTOR.fields:
        key = field.json_name
        here = paths.key(path, key)
        value = getattr(message, field.name)
        if is_map(field):
            value_field = field.message_type.fields_by_number[2]
            out[key] = {paths.key_text(k): _plain(value_field, v, paths.key(here, paths.key_text(k)), defaulted)
                        for k, v in value.items()}
        elif field.is_repeated:
            out[key] = [_plain(field, v, paths.index(here, i), defaulted) for i, v in enumerate(value)]
        elif field.has_presence and field.number not in present:
            # absent: a message or proto3 `optional` stays absent; a proto2 [default = X] reads as X
            if field.message_type is not None or field.containing_oneof is not None or not field.has_default_value:
                continue
            out[key] = _plain(field, value, here, defaulted)
        else:   # no presence (proto3 without optional): absent and zero look the same
            out[key] = _plain(field, value, here, defaulted)
        if field.number not in present:
            defaulted.append(here)
    return out


def _plain(field, value, path: str, defaulted: list):
    if field.message_type is not None:
        return _record(value, path, defaulted)
    if field.enum_type is not None:
        known = field.enum_type.values_by_number.get(value)
        return known.name if known is not None else value
    return value


def _writer_names(data: bytes, writer_schema_text: str | None) -> dict[int, str]:
    """Tag offset -> field path in the writer's schema, to name what the reader skipped."""
    if writer_schema_text is None:
        return {}
    try:
        schema = compile_schema(FORMAT.need_schema(writer_schema_text))
    except FormatError as e:
        raise FormatError(Text("err.pb.writer_schema", message=e.message), line=e.line, column=e.column) from None
    try:
        return walk(data, schema.record).fields
    except FormatError:
        return {}   # the data does not fit the writer's schema: skipped fields keep their #tags


# -- schema inference -------------------------------------------------------------------------

class _Message:
    def __init__(self, name: str):
        self.name = name
        self.fields: dict[str, tuple] = {}   # record key -> (type: str | _Message, repeated, only null)


def _infer_message(name: str, objects: list, path: str, taken: set, depth: int) -> _Message:
    """One message type for all `objects` (a list of records shares one type)."""
    if depth > MAX_DEPTH:
        raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
    message = _Message(name)
    values: dict[str, list] = {}
    for obj in objects:
        for key, value in obj.items():
            values.setdefault(key, []).append(value)
    json_names: dict[str, str] = {}
    for key in values:
        here = paths.key(path, key)
        if not _IDENTIFIER.match(key):
            raise FormatError(Text("err.pb.field_name", where=here, key=repr(key)), path=here)
        other = json_names.setdefault(_json_name(key), key)
        if other != key:
            raise FormatError(Text("err.pb.json_name", where=here, key=repr(key), other=repr(other),
                                   name=repr(_json_name(key))), path=here)
    scope = taken | set(values)   # a nested type may not share a name with a field beside it
    for key, items in values.items():
        message.fields[key] = _infer_field(key, items, paths.key(path, key), scope, taken, depth)
    return message


def _infer_field(key: str, values: list, path: str, scope: set, taken: set, depth: int) -> tuple:
    present = [v for v in values if v is not None]
    if not present:
        return "string", False, True
    lists = [v for v in present if isinstance(v, list)]
    if not lists:
        return _infer_type(key, present, path, scope, taken, depth, plural=False), False, False
    if len(lists) != len(present):
        raise FormatError(Text("err.pb.list_or_not", where=path), path=path)
    items = [item for v in lists for item in v]
    if any(isinstance(item, list) for item in items):
        raise FormatError(Text("err.pb.list_of_lists", where=path), path=path)
    if any(item is None for item in items):
        raise FormatError(Text("err.pb.list_null", where=path), path=path)
    item_type = _infer_type(key, items, path, scope, taken, depth, plural=True) if items else "string"
    return item_type, True, False


def _infer_type(key: str, values: list, path: str, scope: set, taken: set, depth: int, plural: bool):
    kinds = {"bool" if isinstance(v, bool) else "object" if isinstance(v, dict) else type(v).__name__
             for v in values}
    if kinds == {"object"}:
        name = _type_name_for(key, plural, scope)
        taken.add(name)
        return _infer_message(name, values, path, taken, depth + 1)
    if kinds == {"int"}:
        return integer_type(values, path, "Protocol Buffers", _INFERRED_INTS)
    if kinds <= {"int", "float"}:
        return "double"
    if kinds in ({"bool"}, {"str"}):
        return {"bool": "bool", "str": "string"}[kinds.pop()]
    shown = sorted(Text(f"err.pb.kind.{k}") for k in kinds)
    raise FormatError(Text("err.pb.mixed", where=path, kinds=shown), path=path)


def _type_name_for(key: str, plural: bool, scope: set) -> str:
    """`customer` -> Customer, `lines` (a list) -> Line; unique in the file."""
    words = [w for w in re.split(r"_+", key) if w]
    base = "".join(w[0].upper() + w[1:] for w in words) or "Nested"
    if plural and len(base) > 2 and base.endswith("s") and not base.endswith("ss"):
        base = base[:-1]
    name, n = base, 2
    while name in scope:
        name, n = f"{base}{n}", n + 1
    scope.add(name)
    return name


def _json_name(name: str) -> str:
    """protoc's default JSON name: user_name -> userName."""
    return re.sub(r"_+(.)?", lambda m: (m[1] or "").upper(), name)


def _render(message: _Message, indent: int) -> list[str]:
    pad = "  " * indent
    lines = [f"{pad}message {message.name} {{"]
    nested = []
    for number, (key, (kind, repeated, only_null)) in enumerate(message.fields.items(), start=1):
        if isinstance(kind, _Message):
            nested.append(kind)
        label = "repeated " if repeated else "" if isinstance(kind, _Message) else "optional "
        spelled = kind.name if isinstance(kind, _Message) else kind
        option = f' [json_name = "{key}"]' if _json_name(key) != key else ""
        comment = "  // null in the record: never written" if only_null else ""
        lines.append(f"{pad}  {label}{spelled} {key} = {number}{option};{comment}")
    for child in nested:
        lines.append("")
        lines.extend(_render(child, indent + 1))
    lines.append(f"{pad}}}")
    return lines


# -- what a round trip gives back -------------------------------------------------------------

def _comparable(objects: list) -> list:
    """Objects that share one message type, as protobuf gives them back: nulls are not written,
    and a repeated field any of them has comes back as [] in the others (no presence)."""
    out = [{k: v for k, v in obj.items() if v is not None} for obj in objects]
    repeated = {k for obj in out for k, v in obj.items() if isinstance(v, list)}
    for obj in out:
        for key in repeated:
            obj.setdefault(key, [])
    for key in dict.fromkeys(k for obj in out for k in obj):
        holders = [obj for obj in out if isinstance(obj.get(key), dict)]
        for obj, fixed in zip(holders, _comparable([obj[key] for obj in holders])):
            obj[key] = fixed
        lists = [obj for obj in out if isinstance(obj.get(key), list)]
        items = iter(_comparable([item for obj in lists for item in obj[key] if isinstance(item, dict)]))
        for obj in lists:
            obj[key] = [next(items) if isinstance(item, dict) else item for item in obj[key]]
    return out


FORMAT = ProtobufFormat()
