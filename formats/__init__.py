"""The encoding core: every format written by its real library and walked byte by byte.

    >>> import formats
    >>> person = formats.parse_record('{"userName": "Martin", "favoriteNumber": 1337, '
    ...                               '"interests": ["daydreaming", "hacking"]}')
    >>> formats.encode("msgpack", person).size
    66

`encode` is "the library writes, then `annotate` walks": one annotating walk per
format serves both freshly written bytes and bytes pasted by a user. The core
never imports streamlit.
"""
import importlib

from formats import wire
from formats.base import Format
from formats.errors import FormatError
from formats.record import parse_record
from formats.spans import KINDS, Decoded, Encoded, Span
from i18n import Text

__all__ = ["FORMATS", "SCHEMA_LANGUAGES", "VIEWS", "Decoded", "Encoded", "Format", "FormatError", "KINDS",
           "Span", "annotate", "decode", "default_schema", "encode", "format_of_language", "get", "parse_record",
           "recognise", "write"]

# format id -> (module, attribute). Modules load on first use: protoc and thriftpy2's
# parser cost start-up time a page showing only JSON should not pay.
_REGISTRY = {
    "json": ("formats.json", "FORMAT"),
    "xml": ("formats.xml", "FORMAT"),
    "wbxml": ("formats.wbxml", "FORMAT"),
    "csv": ("formats.csv", "FORMAT"),
    "bson": ("formats.bson", "FORMAT"),
    "msgpack": ("formats.msgpack", "FORMAT"),
    "cbor": ("formats.cbor", "FORMAT"),
    "ubjson": ("formats.ubjson", "FORMAT"),
    "thrift-binary": ("formats.thrift", "BINARY"),
    "thrift-compact": ("formats.thrift", "COMPACT"),
    "protobuf": ("formats.protobuf", "FORMAT"),
    "avro": ("formats.avro", "FORMAT"),
    "pickle": ("formats.pickle", "FORMAT"),
}
FORMATS: tuple[str, ...] = tuple(_REGISTRY)

# More views of the same formats, not in the side-by-side list: Avro as files, messages and rows frame it.
_EXTRA = {
    "avro-container": ("formats.avro", "CONTAINER"),
    "avro-single-object": ("formats.avro", "SINGLE_OBJECT"),
    "avro-confluent": ("formats.avro", "CONFLUENT"),
    "avro-versioned": ("formats.avro", "VERSIONED"),
}
VIEWS: tuple[str, ...] = FORMATS + tuple(_EXTRA)

# Format.schema_language -> its name (fmt.schema_language.*); avdl: the same schema as Avro IDL, for people to
# edit (formats.avro_idl), which no format reads
SCHEMA_LANGUAGES = {language: Text(f"fmt.schema_language.{language}") for language in ("avsc", "avdl", "proto", "thrift")}

MAX_DATA_BYTES = 8 * 1024 * 1024


def get(format_id: str) -> Format:
    """The Format object for an id in FORMATS (or an extra view such as avro-container)."""
    try:
        module, attribute = _REGISTRY.get(format_id) or _EXTRA[format_id]
    except KeyError:
        raise FormatError(Text("err.lib.unknown_format", id=repr(format_id), choices=", ".join(FORMATS))) from None
    return getattr(importlib.import_module(module), attribute)


def format_of_language(language: str) -> str:
    """The first format in FORMATS whose schemas are in `language`: its inference serves the language."""
    return next(fid for fid in FORMATS if get(fid).schema_language == language)


def default_schema(format_id: str, record: dict) -> str | None:
    """The schema text inferred from `record` in the format's own schema language; None if schemaless."""
    return get(format_id).default_schema(record)


def encode(format_id: str, record: dict, schema_text: str | None = None, *,
           until: int | None = None) -> Encoded:
    """The exact bytes the real library writes for `record`, annotated.

    A schema format with no schema text uses `default_schema(format_id, record)`.
    `until`: label only the bytes up to this offset (see `annotate`).
    """
    data, schema_text = write(format_id, record, schema_text)
    return _walk(get(format_id), data, schema_text, until, written=True)


def write(format_id: str, record: dict, schema_text: str | None = None) -> tuple[bytes, str | None]:
    """Only the library's bytes, unlabelled, and the schema they were written with (inferred from
    the record when a schema format gets none): for sizes, and for labelling later, a page at a time."""
    fmt = get(format_id)
    if not isinstance(record, dict):
        raise FormatError(Text("err.record.must_be_object"))
    if fmt.schema_language and schema_text is None:
        schema_text = fmt.default_schema(record)
    return fmt.write(record, schema_text), schema_text


def annotate(format_id: str, data: bytes, schema_text: str | None = None, *,
             until: int | None = None, written: bool = False) -> Encoded:
    """Walk any bytes (pasted, or written by another schema version) and label every byte.

    With `until`, the walk may stop once it has labelled the bytes before that offset
    (`Encoded.complete` is then False): a page of a 1 MB encoding costs a page of walking.
    Errors after the stop point are not found. A FormatError from the walk carries the labelled
    prefix in `error.walked`. `written`: the bytes are `write`'s for a record (the explorer's), not
    pasted: a walk stopped early may then trust the writer (a page of pickle.dumps output needs only
    the opcodes up to it, where a crafted pickle's may be placed by an opcode far later).
    """
    fmt = get(format_id)
    _check_size(data)
    return _walk(fmt, bytes(data), schema_text, until, written)


def _walk(fmt: Format, data: bytes, schema_text: str | None, until: int | None, written: bool = False) -> Encoded:
    with wire.annotation(until, written) as current:
        try:
            return Encoded(fmt.id, data, fmt.annotate(data, schema_text), schema_text)
        except wire.WalkStopped as stopped:
            return Encoded(fmt.id, data, stopped.spans, schema_text, complete=False)
        except FormatError as e:
            if current.walker is not None and e.walked is None:   # the bytes labelled before the failing one
                e.walked = Encoded(fmt.id, data, list(current.walker.spans), schema_text, complete=False)
            raise


def recognise(format_id: str, data: bytes, schema_text: str | None = None) -> tuple[str, str]:
    """The view in VIEWS that fits `data` best, and a sentence saying why (empty when it is
    `format_id` itself): Avro bytes starting with "Obj" 1 are a container file, with C3 01 a
    single object."""
    return get(format_id).recognise(bytes(data), schema_text)


def decode(format_id: str, data: bytes, schema_text: str | None = None,
           writer_schema_text: str | None = None) -> Decoded:
    """Read bytes back with the real library.

    `schema_text` is the reader's schema; `writer_schema_text`, when given, is the
    schema the data was written with (Avro resolves one against the other;
    Protobuf and Thrift read by tag and report what the reader did not know).
    """
    fmt = get(format_id)
    _check_size(data)
    return fmt.read(bytes(data), schema_text, writer_schema_text)


def _check_size(data: bytes) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise FormatError(Text("err.lib.not_bytes"))
    if len(data) > MAX_DATA_BYTES:
        raise FormatError(Text("err.too_large", what=Text("err.lib.the_data"), size=len(data), limit=MAX_DATA_BYTES))
