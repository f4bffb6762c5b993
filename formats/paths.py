"""Record paths as the spans name them: `userName`, `interests[1]`, `address.city`."""
import json
import re

# a field name, or `#3` for a field known only by its tag (schemaless Protobuf/Thrift)
_IDENT = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*|#\d+)\Z")
_SEGMENT = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_]*|#\d+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


_PLAIN: dict[str, bool] = {}   # name -> whether it is a plain identifier: the writers ask once a field a row
_PLAIN_MAX = 20_000            # names a record may bring (map keys): bounded, ~2 MB


def key(parent: str, name: str) -> str:
    """The path of field or map key `name` inside `parent`."""
    plain = _PLAIN.get(name)
    if plain is None:
        plain = _IDENT.match(name) is not None
        if len(_PLAIN) >= _PLAIN_MAX:
            _PLAIN.clear()
        _PLAIN[name] = plain
    if not plain:
        step = "[" + json.dumps(name, ensure_ascii=False) + "]"
        return parent + step
    return f"{parent}.{name}" if parent else name


def key_text(key) -> str:
    """A map key that is not text, as a record (a JSON object) names it: numbers and literals as
    JSON spells them, bytes as hex."""
    if isinstance(key, str):
        return key
    if isinstance(key, (bytes, bytearray)):
        return bytes(key).hex()
    return json.dumps(key)


def index(parent: str, i: int) -> str:
    return f"{parent}[{i}]"


def steps(path: str) -> list[str | int]:
    """`a.b[2]` -> ['a', 'b', 2]."""
    out: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _SEGMENT.match(path, pos)
        if not m:
            raise ValueError(f"not a record path: {path!r}")
        name, number, quoted = m.groups()
        out.append(name if name is not None else int(number) if number is not None else json.loads(quoted))
        pos = m.end()
    return out


def join(parent: str, steps) -> str:
    """The path `steps` lead to from `parent`: ('lines', 0, 'sku') -> `lines[0].sku`."""
    for step in steps:
        parent = index(parent, step) if isinstance(step, int) and not isinstance(step, bool) else key(parent, step)
    return parent


_MISSING = object()


def value_at(record, path: str, default=_MISSING):
    """The value at `path` in a decoded record (dicts and lists)."""
    value = record
    for step in steps(path):
        if isinstance(step, str) and isinstance(value, dict) and step not in value:
            # `user_name` in a .proto is `userName` in the record: match across naming styles
            step = next((k for k in value if isinstance(k, str) and normalized(k) == normalized(step)), step)
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            if default is _MISSING:
                raise KeyError(path) from None
            return default
    return value


def leaves(record, parent: str = ""):
    """Every (path, value) of a record, containers included, depth first."""
    if isinstance(record, dict):
        for name, value in record.items():
            p = key(parent, name)
            yield p, value
            yield from leaves(value, p)
    elif isinstance(record, list):
        for i, value in enumerate(record):
            p = index(parent, i)
            yield p, value
            yield from leaves(value, p)


def normalized(path: str) -> str:
    """Compare paths across naming styles: `user_name` and `userName` are one field
    (protobuf's JSON names are lowerCamelCase of the .proto names)."""
    return path.replace("_", "").lower()


def within(path: str, prefix: str) -> bool:
    """Is `path` the field `prefix` or inside it? (`interests[1]` is within `interests`)."""
    p, q = normalized(path), normalized(prefix)
    return p == q or p.startswith(q + ".") or p.startswith(q + "[")
