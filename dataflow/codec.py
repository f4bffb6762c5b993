"""How simulated code versions write and read each other's bytes.

The simulations only see the `Codec` protocol: version v writes a record as bytes,
version r reads bytes a writer version w produced. The real adapter
(`dataflow.adapters`) does both with the libraries in formats/; tests may inject
a small table of verdicts instead.

The writer's version travels beside the bytes (as a schema registry id or an Avro
container header would carry the writer_schema): Avro cannot read without it.
"""
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from dataflow.engine import count
from i18n import Text


@dataclass(frozen=True)
class Reading:
    """What one reader made of one message.

    `status`: "ok" (read every value the reader has a field for), "lossy" (read, but values
    of fields the reader has did not arrive or arrived changed: `lost`), "failed" (could not
    read: `error` says why, in the student's terms).
    `defaulted`: fields the writer did not write, filled from the reader's schema.
    `ignored`: fields the writer wrote that the reader has no field for; ignoring them is
    forward compatibility, not a loss (evolution.resolve.CLASSIFICATION).
    """
    status: str
    record: dict | None = None
    lost: tuple[str, ...] = ()
    error: str = ""
    defaulted: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class Codec(Protocol):
    format_id: str
    versions: tuple[int, ...]       # oldest first

    def record(self, version: int) -> dict:
        """The record code version `version` writes (its shape follows that version's schema)."""

    def encode(self, version: int, record: dict) -> bytes:
        """The bytes code version `version` writes for `record`."""

    def decode(self, version: int, data: bytes, writer_version: int) -> Reading:
        """Code version `version` reads bytes written by `writer_version`."""


def direction(reader_version: int, writer_version: int) -> str:
    """The book's names for a read across versions."""
    if reader_version == writer_version:
        return Text("df.direction.same")
    return Text("df.direction.backward") if reader_version > writer_version else Text("df.direction.forward")


def read_modify_write(codec, data: bytes, writer_version: int, editor_version: int, edit) -> dict:
    """Code `editor_version` reads bytes `writer_version` wrote, changes one field (`edit(record)` says which,
    and to what) and writes them back the way its library does (`codec.rewrite`); the newest version reads
    the result. Which of the fields the editor did not know survived? (The book's figure 4-7; a consumer
    that republishes a message does the same.)"""
    latest = codec.versions[-1]
    before = codec.decode(latest, data, writer_version)
    saw = codec.decode(editor_version, data, writer_version)
    if before.failed or saw.failed:
        return {"error": before.error or saw.error}
    field_name, value = edit(saw.record)
    after_data = codec.rewrite(editor_version, data, writer_version, {field_name: value})
    after = codec.decode(latest, after_data, editor_version)
    unknown = [k for k in before.record if k not in saw.record]
    kept = [k for k in unknown if after.record and after.record.get(k) == before.record[k]]
    return {"writer_version": writer_version, "editor_version": editor_version, "field": field_name,
            "value": value, "before": data, "after": after_data, "before_record": before.record,
            "editor_saw": saw.record, "after_record": after.record, "unknown_to_editor": unknown, "kept": kept,
            "lost": [k for k in unknown if k not in kept]}


WAYS = ("backward", "forward")


def cross_version_counts(crossings: Counter) -> dict:
    """Reads across versions as counters: `crossings` maps (direction(...), Reading.status) to a count;
    the result has "backward ok", "backward lossy", "backward failed" and the same for "forward"."""
    out = dict.fromkeys((f"{way} {status}" for way in WAYS for status in ("ok", "lossy", "failed")), 0)
    for (way, status), n in crossings.items():
        if way != "same version":
            out[f"{way.split()[0]} {status}"] += n
    return out


def cross_version_notes(counts: dict, unit: str, when_failed: str, lossy_fields=()) -> list[str]:
    """What reads across versions say about the change, from their counters alone (`counts`: as
    cross_version_counts gives them): failed and lossy reads apart, "compatible" only when every one kept
    every value (`lossy_fields`: the fields the lossy reads lost, when known)."""
    failed = {way: counts[f"{way} failed"] for way in WAYS if counts[f"{way} failed"]}
    lossy = {way: counts[f"{way} lossy"] for way in WAYS if counts[f"{way} lossy"]}
    tried = [way for way in WAYS if any(counts[f"{way} {s}"] for s in ("ok", "lossy", "failed"))]
    out = []
    if failed:
        out.append(Text("df.cross.failed", n=count(sum(failed.values()), unit), ways=_ways(failed),
                        directions=Text(f"df.cross.not_{'_'.join(failed)}"), when_failed=when_failed))
    if lossy:
        out.append(Text("df.cross.lossy_fields" if lossy_fields else "df.cross.lossy", n=count(sum(lossy.values()), unit),
                        ways=_ways(lossy), fields=", ".join(lossy_fields)))
    if tried and not failed and not lossy:
        total = sum(counts[f"{way} ok"] for way in WAYS)
        verdict = Text("df.cross.both") if len(tried) == 2 else Text(f"df.cross.only_{tried[0]}")
        out.append(Text("df.cross.ok", n=count(total, unit), verdict=verdict))
    return out


def _ways(counts: dict) -> list:
    return [Text(f"df.cross.when_{way}", n=n) for way, n in counts.items()]
