"""An oracle for reads across schema versions: the raw libraries only (fastavro; protobuf with a
descriptor set compiled by grpcio-tools' protoc; thriftpy2), no code from formats/ or evolution/.

`read(format_id, writer_text, reader_text, record)` writes `record` with the writer's schema and
reads the bytes with the reader's, and returns ("failed", reason) or ("read", record as the
library hands it back, with only the fields the data set: reader-filled defaults are not
compared). The two checks a library leaves to its callers, and which the lab's readers make as
C++ and Java readers do, are made here from the schemas: a required field the data lacks
(protobuf's IsInitialized, thriftpy2's spec flag), and a Thrift compact list whose item type is
not the reader's (thriftpy2 does not look; only i16, i32 and i64 share one encoding).
"""
import io
import json
import os
import tempfile

import fastavro
import grpc_tools
import thriftpy2.transport
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message import DecodeError
from google.protobuf.message_factory import GetMessageClass
from grpc_tools import protoc
from thriftpy2.parser.parser import parse_fp
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory
from thriftpy2.thrift import TType


def read(format_id: str, writer_text: str, reader_text: str, record: dict):
    return {"avro": _avro, "protobuf": _protobuf, "thrift-binary": _thrift,
            "thrift-compact": _thrift}[format_id](format_id, writer_text, reader_text, record)


# --- Avro -------------------------------------------------------------------------------------------------

def _avro(_, writer_text, reader_text, record):
    writer = fastavro.parse_schema(json.loads(writer_text))
    reader = fastavro.parse_schema(json.loads(reader_text))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, writer, record)
    try:
        return "read", fastavro.schemaless_reader(io.BytesIO(out.getvalue()), writer, reader)
    except Exception as e:   # fastavro's resolution and decoding errors have no common base class
        return "failed", f"{type(e).__name__}: {e}"


# --- Protobuf ---------------------------------------------------------------------------------------------

_classes: dict[str, type] = {}


def message_class(text: str):
    """The first message of a .proto, compiled by protoc into a pool of its own."""
    if text not in _classes:
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "oracle.proto"), "w", encoding="utf-8") as f:
                f.write(text)
            out = os.path.join(tmp, "set.pb")
            wkt = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
            assert protoc.main(["protoc", f"--proto_path={tmp}", f"--proto_path={wkt}",
                                f"--descriptor_set_out={out}", "--include_imports", "oracle.proto"]) == 0
            with open(out, "rb") as f:
                files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
        pool = descriptor_pool.DescriptorPool()
        for file in files.file:
            pool.Add(file)
        first = files.file[-1]
        name = ".".join(p for p in (first.package, first.message_type[0].name) if p)
        _classes[text] = GetMessageClass(pool.FindMessageTypeByName(name))
    return _classes[text]


def _field(descriptor, key: str):
    return next(f for f in descriptor.fields if key in (f.name, f.json_name))


def _fill(message, record: dict) -> None:
    for key, value in record.items():
        if value is None:
            continue
        f = _field(message.DESCRIPTOR, key)
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            getattr(message, f.name).update(value)
        elif f.message_type is not None:
            items = value if f.is_repeated else [value]
            for item in items:
                _fill(getattr(message, f.name).add() if f.is_repeated else getattr(message, f.name), item)
        elif f.is_repeated:
            getattr(message, f.name).extend(_scalar(f, v) for v in value)
        else:
            setattr(message, f.name, _scalar(f, value))


def _scalar(f, value):
    if f.enum_type is not None and isinstance(value, str):
        return f.enum_type.values_by_name[value].number
    if f.type == FD.TYPE_BYTES and isinstance(value, str):
        return value.encode("utf-8")
    return value


def _present(message) -> dict:
    """The fields the bytes set, by JSON name; enums by name when the reader's enum has one."""
    out = {}
    for f, value in message.ListFields():
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            out[f.json_name] = {str(k): v for k, v in value.items()}
        elif f.message_type is not None:
            out[f.json_name] = [_present(v) for v in value] if f.is_repeated else _present(value)
        elif f.enum_type is not None:
            name = (lambda n: f.enum_type.values_by_number[n].name if n in f.enum_type.values_by_number else n)
            out[f.json_name] = [name(v) for v in value] if f.is_repeated else name(value)
        else:
            out[f.json_name] = list(value) if f.is_repeated else value
    return out


def _protobuf(_, writer_text, reader_text, record):
    message = message_class(writer_text)()
    _fill(message, record)
    data = message.SerializeToString()
    try:
        got = message_class(reader_text).FromString(data)
    except DecodeError as e:
        return "failed", f"DecodeError: {e}"
    if not got.IsInitialized():
        return "failed", "a required field is missing: " + ", ".join(got.FindInitializationErrors())
    return "read", _present(got)


# --- Thrift -----------------------------------------------------------------------------------------------

_FACTORY = {"thrift-binary": TBinaryProtocolFactory(), "thrift-compact": TCompactProtocolFactory()}
_ZIGZAG = {TType.I16, TType.I32, TType.I64}
_modules: dict[str, object] = {}


def _root(text: str):
    """The record struct: the first one no other struct uses (the lab's convention, by the spec)."""
    if text not in _modules:
        _modules[text] = parse_fp(io.StringIO(text), f"oracle{len(_modules)}_thrift", enable_cache=False)
    module = _modules[text]
    structs = [v for v in vars(module).values() if isinstance(v, type) and hasattr(v, "thrift_spec")
               and not hasattr(v, "_VALUES_TO_NAMES")]
    used = {id(s[2]) for c in structs for s in c.thrift_spec.values() if len(s) == 4}
    return next(c for c in structs if id(c) not in used)


def _struct(cls, record: dict):
    kwargs = {}
    for tag, spec in cls.thrift_spec.items():
        if spec[1] not in record or record[spec[1]] is None:
            continue
        kwargs[spec[1]] = _value(spec[0], spec[2] if len(spec) == 4 else None, record[spec[1]])
    return cls(**kwargs)


def _value(ttype, extra, value):
    if ttype == TType.STRUCT:
        return _struct(extra, value)
    if ttype in (TType.LIST, TType.SET):
        item = extra if isinstance(extra, int) else extra[0]
        item_extra = None if isinstance(extra, int) else extra[1]
        return [_value(item, item_extra, v) for v in value]
    if ttype == TType.I32 and hasattr(extra, "_NAMES_TO_VALUES") and isinstance(value, str):
        return extra._NAMES_TO_VALUES[value]
    return value


def _plain(ttype, extra, value):
    if ttype == TType.STRUCT:
        return _as_record(value)
    if ttype in (TType.LIST, TType.SET):
        item = extra if isinstance(extra, int) else extra[0]
        item_extra = None if isinstance(extra, int) else extra[1]
        return [_plain(item, item_extra, v) for v in value]
    if ttype == TType.I32 and hasattr(extra, "_VALUES_TO_NAMES"):
        return extra._VALUES_TO_NAMES.get(value, value)
    return value


def _as_record(obj) -> dict:
    out = {}
    for spec in obj.thrift_spec.values():
        value = getattr(obj, spec[1])
        if value is not None:
            out[spec[1]] = _plain(spec[0], spec[2] if len(spec) == 4 else None, value)
    return out


def _misread(writer_cls, reader_cls) -> str | None:
    """A compact list field (at any depth) whose item type the reader does not share: thriftpy2 misreads."""
    for tag, r in reader_cls.thrift_spec.items():
        w = writer_cls.thrift_spec.get(tag)
        if w is None or w[0] != r[0] or len(w) != 4 or len(r) != 4:
            continue
        if r[0] == TType.STRUCT:
            found = _misread(w[2], r[2])
            if found:
                return found
        if r[0] in (TType.LIST, TType.SET):
            wi, ri = (x if isinstance(x, int) else x[0] for x in (w[2], r[2]))
            if wi != ri and not {wi, ri} <= _ZIGZAG and {wi, ri} != {TType.STRING, TType.BINARY}:
                return f"{r[1]}: items of type {wi} read as {ri}"
    return None


def _missing_required(obj) -> str | None:
    for spec in obj.thrift_spec.values():
        value = getattr(obj, spec[1])
        if value is None and spec[-1] is True:
            return spec[1]
        if spec[0] == TType.STRUCT and value is not None:
            found = _missing_required(value)
            if found:
                return f"{spec[1]}.{found}"
    return None


def _thrift(format_id, writer_text, reader_text, record):
    factory = _FACTORY[format_id]
    writer_cls, reader_cls = _root(writer_text), _root(reader_text)
    out = thriftpy2.transport.TMemoryBuffer()
    factory.get_protocol(out).write_struct(_struct(writer_cls, record))
    if format_id == "thrift-compact" and _misread(writer_cls, reader_cls):
        return "failed", "compact items of another type: " + _misread(writer_cls, reader_cls)
    got = reader_cls()
    try:
        factory.get_protocol(thriftpy2.transport.TMemoryBuffer(out.getvalue())).read_struct(got)
    except Exception as e:   # thriftpy2 raises bare struct and protocol errors
        return "failed", f"{type(e).__name__}: {e}"
    missing = _missing_required(got)
    if missing:
        return "failed", f"the required field {missing} is missing"
    return "read", _as_record(got)
