"""Presets: a record and its hand-written schemas, one folder each. The book's Person comes first."""
import functools
from dataclasses import dataclass
from pathlib import Path

from i18n import Text

_HERE = Path(__file__).parent

# folder -> (title, a catalogue Text; what it shows)
_PRESETS = {
    "person": (Text("preset.person"), "Martin Kleppmann's example record from \"Encoding and Evolution\" "
               "(chapter 4 in the first edition, 5 in the second; figures 4-1 to 4-5), "
               "with the schemas as printed in the book (Protobuf in proto2)."),
    "order": (Text("preset.order"), "Records inside records and a list of records: nested messages, structs and "
              "Avro records; a float price and an empty string."),
    "profile": (Text("preset.profile"), "An enum status, a list of enum roles and two maps: how each schema "
                "language spells enums and maps, and what they cost on the wire."),
    "weather": (Text("preset.weather"), "Multi-byte UTF-8 (Cyrillic, an emoji), negative numbers and the "
                "64-bit limits: zigzag vs two's complement varints."),
}
SCHEMA_FILES = {"avsc": "schema.avsc", "avdl": "schema.avdl", "proto": "schema.proto", "thrift": "schema.thrift"}


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    record_text: str
    schemas: dict   # schema language -> schema text


def names() -> list[str]:
    return list(_PRESETS)


@functools.cache   # four small folders, read once per process: the preset picker names every preset on each run
def load(name: str) -> Preset:
    """The preset `name` (shared: read it, do not change it)."""
    title, description = _PRESETS[name]
    folder = _HERE / name
    schemas = {lang: (folder / file).read_text(encoding="utf-8")
               for lang, file in SCHEMA_FILES.items() if (folder / file).exists()}
    return Preset(name, title, description, (folder / "record.json").read_text(encoding="utf-8"), schemas)


def big_record(target_bytes: int = 1_000_000) -> dict:
    """A deterministic record of about `target_bytes` of compact JSON: a list of Person-like rows.

    For timing and for the explorer's paging; every format and inferred schema can hold it.
    """
    words = ("daydreaming", "hacking", "climbing", "jazz", "databases", "ферменты", "🧬 biology", "go")
    people = []
    size = 0
    i = 0
    while size < target_bytes:
        person = {"userName": f"user{i:06d}", "favoriteNumber": (i * 7919) % 100_000 - 50_000,
                  "score": i / 7, "active": i % 3 == 0,
                  "interests": [words[(i + k) % len(words)] for k in range(i % 4)]}
        people.append(person)
        size += 95 + 12 * len(person["interests"])
        i += 1
    return {"source": "big_record", "people": people}
