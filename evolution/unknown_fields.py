"""Unknown fields on read-modify-write (the book's figure 4-7).

New code writes a record with a field old code does not know; old code reads it, changes
one field, and writes the record back with its own (old) schema. Whether the new field
survives depends on where the old code keeps what it read:

- Protobuf: python protobuf parses into a message that keeps unknown fields and writes
  them back out, so the new field survives (this module uses the message class itself).
- Thrift: a thriftpy2 struct has attributes only for the fields of its IDL: the new field
  is gone once the struct is written (this module uses the struct class and protocol itself).
- Avro: the old reader's schema resolves the new writer's data into a record of the old
  fields only (fastavro gives a dict): the new field is gone.
"""
from dataclasses import dataclass, field
from typing import Any

import formats
from evolution import catalogue
from evolution.catalogue import FAMILY_OF_FORMAT, LANGUAGE_OF
from evolution.resolve import Counterparts, blank, same, spans_of
from formats import paths
from formats.errors import FormatError
from formats.spans import Encoded, Span
from i18n import Text

RMW_FORMATS = ("avro", "protobuf", "thrift-binary", "thrift-compact")


@dataclass
class RoundTrip:
    format_id: str
    change_id: str | None         # the catalogue change, or None for two versions of the user's own
    modified: tuple[str, Any]     # the one field old code changed, and its new value
    before: Encoded               # new code's bytes, annotated with the new (v2) writer's schema
    after: Encoded                # old code's bytes after the change, annotated with its own (v1) schema
    unknown: list[str]            # fields new code wrote that old code's schema does not have
    kept: list[str]               # of those, the ones still in the bytes old code wrote back
    lost: list[str]               # ... and the ones it dropped
    lost_spans: list[Span]        # where the lost fields were in `before`
    reread: dict                  # `after` read again by new code
    update: Any = None            # what new code reads for the field old code changed (None: nothing)
    update_arrived: bool = True   # False: old code's change never reaches new code (say, a moved tag)
    update_note: str = ""         # why, when it does not (a Text)
    notes: list[Text] = field(default_factory=list)


def read_modify_write(format_id: str, change_id: str, field_name: str = "favoriteNumber",
                      value: Any = 42) -> RoundTrip:
    """Old (v1) code reads the bytes new (v2) code wrote for `change_id`, sets `field_name` to
    `value` and writes the record back with the v1 schema."""
    _check(format_id)
    change = catalogue.change(change_id)
    family = FAMILY_OF_FORMAT[format_id]
    why_not = change.why_not(family)
    if why_not:
        raise FormatError(Text("ev.error.does_not_apply", change=change.title, format=formats.get(format_id).title,
                               why=why_not))
    v1, v2 = change.schemas(LANGUAGE_OF[family])
    trip = round_trip(format_id, v1, v2, change.record_v2, field_name, value)
    trip.change_id = change_id
    return trip


def round_trip(format_id: str, old_schema_text: str, new_schema_text: str, record: dict,
               field_name: str | None = None, value: Any = None) -> RoundTrip:
    """Old code (`old_schema_text`) reads the bytes new code (`new_schema_text`) wrote for `record`,
    sets `field_name` to `value` (None: `an_edit` of what old code read) and writes the record back
    with its own schema; new code reads the result again."""
    _check(format_id)
    family = FAMILY_OF_FORMAT[format_id]
    v1, v2 = old_schema_text, new_schema_text
    before = formats.encode(format_id, record, v2)
    if field_name is None:
        try:
            field_name, value = an_edit(formats.decode(format_id, before.data, v1, v2).record)
        except FormatError as e:
            raise FormatError(Text("ev.rmw.cannot_read", message=e.message)) from None
    try:
        data = _REWRITE[family](format_id, before.data, v1, v2, field_name, value)
    except FormatError as e:
        raise FormatError(Text("ev.rmw.cannot_rewrite", message=e.message)) from None
    after = formats.annotate(format_id, data, v1)
    reread = formats.decode(format_id, data, v2, v1).record
    counterparts = Counterparts(family, v2, v1)
    unknown = [k for k, v in record.items() if not blank(v) and counterparts.reader_key(k) is None]
    back = Counterparts(family, v1, v2)   # which v2 field each of old code's fields lands in when reread
    modified_key = back.reader_key(field_name)
    kept = [k for k in unknown if k != modified_key and same(record[k], paths.value_at(reread, k, None))]
    lost = [k for k in unknown if k not in kept]
    update = paths.value_at(reread, modified_key, None) if modified_key else None
    arrived = modified_key is not None and same(value, update)
    why_lost = "" if arrived else _update_lost(field_name, value, modified_key, update, reread, family)
    return RoundTrip(format_id, None, (field_name, value), before, after, unknown, kept, lost,
                     spans_of(before, lost), reread, update, arrived, why_lost, [Text(f"ev.rmw.why.{family}")])


def _check(format_id: str) -> None:
    if format_id not in RMW_FORMATS:
        raise FormatError(Text("ev.rmw.formats", formats=", ".join(RMW_FORMATS)))


def _update_lost(field_name: str, value, new_key: str | None, update, reread: dict, family: str) -> Text:
    """Why new code does not see old code's change."""
    by = "name" if family == "avro" else "tag"
    if new_key is None:
        own = paths.value_at(reread, field_name, None)
        reads = (Text(f"ev.rmw.knows_under_other_{by}", field=field_name, own=repr(own)) if own is not None
                 else Text(f"ev.rmw.no_field_under_{by}"))
        return Text("ev.rmw.never_arrives", field=field_name, value=repr(value), reads=reads)
    return Text(f"ev.rmw.other_value_wins_{by}", field=field_name, value=repr(value), key=new_key, update=repr(update))


def an_edit(record: dict) -> tuple[str, Any]:
    """The change old code makes: a new number in its first number field, else new text in its first
    text field, else (nothing to edit) its first field written back as it was."""
    for name, value in record.items():
        if isinstance(value, int) and not isinstance(value, bool):
            return name, value + 1
    for name, value in record.items():
        if isinstance(value, str):
            return name, value + " (edited)"
    name = next(iter(record))
    return name, record[name]


def _protobuf(format_id, data, v1, v2, field_name, value) -> bytes:
    from google.protobuf.message import DecodeError, EncodeError

    from formats.protobuf import message_class
    cls = message_class(v1)
    try:
        message = cls.FromString(data)   # parse, keeping unknown fields
    except DecodeError:
        raise FormatError(Text("ev.rmw.cannot_parse", name=cls.DESCRIPTOR.name)) from None
    target = next((f for f in message.DESCRIPTOR.fields
                   if paths.normalized(field_name) in (paths.normalized(f.name), paths.normalized(f.json_name))),
                  None)
    if target is None or target.is_repeated or target.message_type is not None:
        raise FormatError(Text("ev.rmw.no_single_field", field=field_name))
    if target.enum_type is not None and isinstance(value, str):
        known = target.enum_type.values_by_name.get(value)
        if known is None:
            raise FormatError(Text("ev.rmw.no_symbol", enum=target.enum_type.name, value=value))
        value = known.number
    try:
        setattr(message, target.name, value)
        return message.SerializeToString()
    except (TypeError, ValueError):
        raise FormatError(Text("ev.rmw.cannot_hold", field=field_name, value=repr(value))) from None
    except EncodeError:
        raise FormatError(Text("ev.rmw.required_unset")) from None


def _thrift(format_id, data, v1, v2, field_name, value) -> bytes:
    from thriftpy2.transport import TMemoryBuffer

    from formats.thrift import struct_class
    formats.decode(format_id, data, v1, v2)   # bytes the old schema cannot take: a FormatError that says why
    factory = formats.get(format_id).factory
    obj = struct_class(v1)()
    factory.get_protocol(TMemoryBuffer(data)).read_struct(obj)   # thriftpy2 keeps only the IDL's fields
    spec = next((s for s in obj.thrift_spec.values() if paths.normalized(s[1]) == paths.normalized(field_name)),
                None)
    if spec is None or spec[0] in (12, 13, 14, 15):   # struct, map, set, list
        raise FormatError(Text("ev.rmw.no_single_field", field=field_name))
    enum = spec[2] if len(spec) == 4 else None
    if enum is not None and isinstance(value, str):
        if value not in enum._NAMES_TO_VALUES:
            raise FormatError(Text("ev.rmw.no_symbol", enum=enum.__name__, value=value))
        value = enum._NAMES_TO_VALUES[value]
    setattr(obj, spec[1], value)
    out = TMemoryBuffer()
    try:
        factory.get_protocol(out).write_struct(obj)
    except Exception:   # thriftpy2 raises bare struct/type errors for a value of the wrong type
        raise FormatError(Text("ev.rmw.cannot_hold", field=field_name, value=repr(value))) from None
    return out.getvalue()


def _avro(format_id, data, v1, v2, field_name, value) -> bytes:
    record = formats.decode(format_id, data, v1, v2).record   # fastavro resolves into the old fields only
    key = next((k for k in record if paths.normalized(k) == paths.normalized(field_name)), None)
    if key is None:
        raise FormatError(Text("ev.rmw.no_field", field=field_name))
    record[key] = value
    return formats.encode(format_id, record, v1).data


_REWRITE = {"protobuf": _protobuf, "thrift": _thrift, "avro": _avro}
