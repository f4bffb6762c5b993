"""Where a reader finds the writer's schema. Avro bytes carry no tags and no names, so every reader needs
the exact schema they were written with, and the chapter lists where it comes from, each as real bytes:

- a large file: the object container file's header holds the whole writer's schema ("avro-container");
- a database: each row starts with its writer's schema version, and the database keeps a table of the
  versions ("avro-versioned");
- a message: Confluent's wire format carries the id a schema registry gave the writer's schema
  ("avro-confluent"); Avro's single-object encoding carries the schema's 64-bit fingerprint
  ("avro-single-object"), which a reader looks up among the schemas it knows.

The reader reads the framing's header, looks the id, version or fingerprint up in its `SchemaStore`,
and resolves that writer's schema against its own reader's schema (fastavro, the Avro specification's
"Schema Resolution").
"""
from dataclasses import dataclass

import formats
from formats import avro
from formats.errors import FormatError
from formats.spans import Decoded, Encoded
from i18n import Text, chain

FIRST_ID = 21   # registry ids are global across subjects (others took the first ones); versions count per subject
# the person the registry page's example history describes, with every field some version has
SAMPLE = {"userName": "Martin", "favoriteNumber": 1337, "interests": ["daydreaming", "hacking"], "age": 40,
          "height": 1.75, "status": "ONLINE", "email": "martin@example.com"}
# framing -> where the reader looks its header's key up (ev.lookup.where.*), and what that key is (ev.lookup.key.*)
WHERE = {framing: Text(f"ev.lookup.where.{framing}") for framing in ("avro-confluent", "avro-single-object",
                                                                      "avro-versioned")}


def _said(framing: str, key) -> Text:
    return Text(f"ev.lookup.key.{framing}", key=key)



@dataclass(frozen=True)
class SchemaStore:
    """The schemas a reader can look writers up in: `schemas` maps version -> .avsc text, `ids` maps
    version -> the registry id it was given (only registered versions have one)."""
    schemas: dict[int, str]
    ids: dict[int, int]

    @classmethod
    def registered(cls, history, versions=None) -> "SchemaStore":
        """Versions `versions` (1-based, default all) of `history` given ids in order, as a registry does."""
        versions = list(versions or range(1, len(history) + 1))
        return cls({v: history[v - 1] for v in versions}, {v: FIRST_ID + i for i, v in enumerate(versions)})

    def key(self, framing: str, version: int):
        """What a writer of `version` puts in the framing's header."""
        if framing == "avro-confluent":
            return self.ids[version]
        if framing == "avro-versioned":
            return version
        return self.fingerprint(version)

    def fingerprint(self, version: int) -> str:
        return avro.fingerprint(self.schemas[version]).hex()

    def find(self, framing: str, key) -> int:
        """The version whose key the header holds; FormatError if the store has none."""
        for version in self.schemas:
            if self.key(framing, version) == key:
                return version
        raise FormatError(Text("ev.lookup.not_found", where=WHERE[framing], what=_said(framing, key)))


@dataclass(frozen=True)
class Lookup:
    """One read: the framed bytes labelled with the writer's schema, what the header said, the version
    it named, and the record resolved against the reader's schema (defaults filled, fields ignored)."""
    framing: str
    encoded: Encoded
    key: object
    writer_version: int
    reader_version: int
    decoded: Decoded

    @property
    def steps(self) -> list[dict]:
        d = self.decoded
        resolved = [Text("ev.lookup.filled", fields=tuple(d.defaulted))] if d.defaulted else []
        resolved += [Text("ev.lookup.ignored", fields=tuple(d.skipped))] if d.skipped else []
        writer, reader = self.writer_version, self.reader_version
        return [{"step": Text("ev.lookup.step.header"), "result": _said(self.framing, self.key)},
                {"step": Text("ev.lookup.step.look_up", where=WHERE[self.framing]),
                 "result": Text("ev.lookup.the_schema", version=writer)},
                {"step": Text("ev.lookup.step.resolve", writer=writer, reader=reader),
                 "result": chain("ev.lookup.then", resolved) if resolved else Text("ev.lookup.matched")}]


def write(store: SchemaStore, framing: str, version: int, record: dict) -> bytes:
    """`record` as code of `version` writes it: the Avro body (fastavro) inside the framing."""
    schema = store.schemas[version]
    body = formats.write("avro", record_for(schema, record), schema)[0]
    return avro.framed(framing, body, schema, store.key(framing, version))


def read(store: SchemaStore, framing: str, data: bytes, reader_version: int) -> Lookup:
    """What a reader of `reader_version` does with framed bytes: header, lookup, resolution."""
    key, body = avro.unframe(framing, data)
    writer_version = store.find(framing, key)
    writer, reader = store.schemas[writer_version], store.schemas[reader_version]
    return Lookup(framing, formats.annotate(framing, data, writer), key, writer_version, reader_version,
                  formats.decode("avro", body, reader, writer))


def record_for(schema_text: str, sample: dict) -> dict:
    """The fields of `sample` the schema's record has, and the defaults of those it lacks: the record
    that version of the code writes."""
    record = {}
    for field in avro.parse_schema(schema_text)["fields"]:
        if field["name"] in sample:
            record[field["name"]] = sample[field["name"]]
        elif "default" in field:
            record[field["name"]] = field["default"]
    return record
