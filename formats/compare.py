"""Across formats: total size as records accumulate (raw and gzipped), and schemas derived per language."""
import gzip

import formats
from formats.errors import FormatError


def schema_for(format_id: str, schemas: dict | None) -> str | None:
    """The user's schema text for this format's language, if there is one."""
    language = formats.get(format_id).schema_language
    return (schemas or {}).get(language) if language else None


def _varied(record, i: int):
    """Copy number i of a record, with its integers shifted by i so copies differ like real rows."""
    if isinstance(record, dict):
        return {k: _varied(v, i) for k, v in record.items()}
    if isinstance(record, list):
        return [_varied(v, i) for v in record]
    if isinstance(record, int) and not isinstance(record, bool):
        return record + i if record + i < 2 ** 31 else record
    return record


def growth(record: dict, schemas: dict | None, format_ids, counts) -> list[dict]:
    """Total bytes for n records (each encoded on its own, concatenated as in a log or a file),
    raw and gzipped, for each n in `counts`. Rows: format, records, bytes, gzip bytes."""
    rows = []
    biggest = max(counts)
    for fid in format_ids:
        try:
            first, schema = formats.write(fid, record, schema_for(fid, schemas))   # infers the schema once
            pieces = [first] + [formats.get(fid).write(_varied(record, i), schema) for i in range(1, biggest)]
        except FormatError:
            continue
        for n in counts:
            blob = b"".join(pieces[:n])
            rows.append({"format": fid, "records": n, "bytes": len(blob),
                         "gzip bytes": len(gzip.compress(blob, mtime=0))})
    return rows



def derive_schema(language: str, record: dict) -> str:
    """The schema `default_schema` infers from the record, in one schema language."""
    return formats.default_schema(formats.format_of_language(language), record)
