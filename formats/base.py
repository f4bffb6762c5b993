"""What every format module provides; the registry in formats/__init__ calls only this."""
from formats.errors import FormatError
from formats.spans import Decoded, Span
from i18n import Text

MAX_SCHEMA_BYTES = 64 * 1024


class Format:
    """One encoding. Subclasses fill in the four operations with the real library.

    `write` is the library's encoder; `annotate` is this project's annotating walk
    over any bytes (written by hand: no library labels its bytes); `read` is the
    library's decoder, with schema resolution where the format has it.
    """
    id: str = ""
    title: str = ""
    schema_language: str | None = None   # "avsc", "proto", "thrift" or None (schemaless)
    family: str = "schemaless"           # "avro", "protobuf", "thrift": formats that share schemas and rules
    is_text: bool = False
    spends: str = ""                     # one line: what this format spends bytes on
    mapping_rule: str = ""               # how a record maps onto a format that has no records (XML, CSV)
    rewrites: str | None = None          # the format whose bytes `rewrite` turns into this one's (WBXML: XML)

    def __init_subclass__(cls, **about):
        """A format's description is given where its class is declared:
        `class BSONFormat(Format, id="bson", title="BSON", spends=…)`."""
        super().__init_subclass__()
        for name, value in about.items():
            if not hasattr(Format, name):
                raise TypeError(f"a Format has no {name!r}")
            setattr(cls, name, value)

    def write(self, record: dict, schema_text: str | None) -> bytes:
        raise NotImplementedError

    def annotate(self, data: bytes, schema_text: str | None) -> list[Span]:
        raise NotImplementedError

    def rewrite(self, data: bytes) -> bytes:
        """This format's bytes from the bytes `rewrites` names, written for the same record (a cache
        that holds those already need not write them twice: ui/cache.written)."""
        raise NotImplementedError

    def read(self, data: bytes, schema_text: str | None,
             writer_schema_text: str | None = None) -> Decoded:
        raise NotImplementedError

    def default_schema(self, record: dict) -> str | None:
        return None

    def recognise(self, data: bytes, schema_text: str | None = None) -> tuple[str, str]:
        """Another view of this format the bytes announce by their first bytes (see formats.recognise)."""
        return self.id, ""

    def comparable(self, record: dict) -> dict:
        """The record as this format gives it back: what survives a round trip.

        Identity for most formats; XML and CSV turn every value into text, Protobuf and
        Thrift have no null (a null field is simply not written).
        """
        return record

    def need_schema(self, schema_text: str | None) -> str:
        """The schema text, or a FormatError if it is missing or too large."""
        if schema_text is None or not schema_text.strip():
            raise FormatError(Text("err.lib.needs_schema", title=self.title))
        size = len(schema_text.encode("utf-8"))
        if size > MAX_SCHEMA_BYTES:
            raise FormatError(Text("err.too_large", what=Text("err.the_schema"), size=size, limit=MAX_SCHEMA_BYTES))
        return schema_text
