"""Avro schemas: user .avsc text checked with errors that name the field, parsed by fastavro, cached.

fastavro's own checks are thin (a misspelt type is `UnknownType('lon')`, a bad default dumps
the schema), so a first pass over the JSON does the Avro specification's checks and says
where; fastavro then parses the checked copy with a fresh named-type registry per schema.
"""
import difflib
import functools
import json
import re
from dataclasses import dataclass

import fastavro
from fastavro.schema import SchemaParseException, UnknownType

from formats import paths
from formats.budget import MB, budgeted
from formats.errors import FormatError, describe
from formats.facts.avro import NAMED, PRIMITIVES
from formats.facts.numbers import INT32, INT64, fits
from formats.record import MAX_DEPTH, integer_type, load_json
from i18n import Text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SCHEMA_DEPTH = 4 * MAX_DEPTH   # a record level costs up to 3 JSON levels: { "fields": [ {


@dataclass(frozen=True, eq=False)
class AvroSchema:
    """A checked schema. `parsed` is fastavro's form, shared by every session: never mutate it."""
    text: str
    plain: dict              # the checked JSON fastavro parsed (what a container file embeds)
    parsed: dict
    notes: tuple[str, ...]   # things worth telling the student (a logical type read as its base type)

    @functools.cached_property
    def fingerprint(self) -> bytes:
        """CRC-64-AVRO of the parsing canonical form, as the single-object encoding writes it."""
        canonical = fastavro.schema.to_parsing_canonical_form(self.parsed)
        return bytes.fromhex(fastavro.schema.fingerprint(canonical, "CRC-64-AVRO"))

    def deref(self, t):
        """A type with named references looked up and {"type": "long"} flattened to "long"."""
        if isinstance(t, str):
            return t if t in PRIMITIVES else self.parsed["__named_schemas"][t]
        if isinstance(t, dict) and t["type"] in PRIMITIVES:
            return t["type"]
        return t


def kind(t) -> str:
    """The Avro type of a dereferenced type: a primitive name, union, record, enum, fixed, array or map."""
    if isinstance(t, str):
        return t
    if isinstance(t, list):
        return "union"
    return "record" if t["type"] == "error" else t["type"]


def short_name(t) -> str:
    """`long`, `Person`, `array`: what the book writes after "union branch 1"."""
    if isinstance(t, dict):
        return t["name"].rsplit(".", 1)[-1] if t["type"] in NAMED + ("error",) else t["type"]
    return t.rsplit(".", 1)[-1] if isinstance(t, str) else "union"


def type_text(schema: AvroSchema, t, depth: int = 0) -> str:
    """A type as a student reads it: `long`, `record Person`, `array of string`, `union [null, long]`."""
    t = schema.deref(t)
    k = kind(t)
    if k in PRIMITIVES:
        return k
    if k == "union":
        return Text("err.avsc.type_union", branches=", ".join(short_name(b) for b in t))
    if k in ("array", "map"):
        inner = t["items" if k == "array" else "values"]
        return Text(f"fmt.avro.type_{k}", items=type_text(schema, inner, depth + 1) if depth < 3 else short_name(inner))
    return Text("fmt.avro.type_fixed", name=short_name(t), n=t["size"]) if k == "fixed" else \
        Text(f"err.avsc.type_named.{k}", name=short_name(t))


def parse(text: str) -> AvroSchema:
    """The checked, parsed schema for `text` (cached by text; FormatError with line/column or field)."""
    return _parse_cached(text)


# Measured: a parsed schema holds up to ~31 bytes (RSS) per character of its text (60 KB of nested
# records). The cached AvroSchema is read-only, so sessions (threads) can share it.
BYTES_PER_CHAR = 48


@budgeted(24 * MB, size=lambda schema, text: BYTES_PER_CHAR * len(text))
def _parse_cached(text: str) -> AvroSchema:
    obj = load(text)
    if not (isinstance(obj, dict) and obj.get("type") in ("record", "error")):
        raise FormatError(Text("err.avsc.not_record"))
    checker = _Checker()
    plain = checker.check(obj, "", "", "")
    try:
        parsed = fastavro.parse_schema(plain)   # named_schemas=None: a fresh registry for this schema
    except (SchemaParseException, UnknownType, KeyError, TypeError, ValueError) as e:
        raise FormatError(Text("err.avsc.fastavro", message=library_message(e))) from None
    return AvroSchema(text, plain, parsed, tuple(checker.notes))


def load(text: str):
    """Schema text -> its JSON value (any JSON: a record, a union, a protocol); FormatError with line/column."""
    return load_json(text, Text("err.the_schema"), _SCHEMA_DEPTH)


def default_error(value, t) -> str | None:
    """Why `value` cannot be a field's default for type `t`, or None if it can (the specification's rules).

    `t` is a type with its named types inlined as objects (no references by name): the Avro IDL
    translator checks defaults on the types it built.
    """
    return _Checker().default_error(value, t, "")


def library_message(error: Exception) -> str:
    """fastavro's message without the schema, list or repr it often appends."""
    text = str(error)
    for cut in (" {", " [", "<", "(type"):
        text = text.split(cut, 1)[0]
    return text.strip()[:160] or type(error).__name__


def _where(fpath: str, role: str = "") -> str:
    """Where in the schema: `field "a.b"`, `the items of field "a.b"`, `branch 1 of the union in the
    top-level record`. `role`: "", "items", "values" or "branch <i>" (a type inside the field's type)."""
    if not role:
        return Text("err.avsc.field", path=fpath) if fpath else Text("err.avsc.top")
    kind, _, i = role.partition(" ")
    return Text(f"err.avsc.role.{kind}.{'field' if fpath else 'top'}", path=fpath, i=int(i or 0))


def _fail(fpath: str, role: str, message: str) -> FormatError:
    return FormatError(Text("err.avsc.at", where=_where(fpath, role), message=message), path=fpath or None)


class _Checker:
    """The specification's rules, checked in document order (a named type must be defined before use)."""

    def __init__(self):
        self.defined: dict[str, dict] = {}   # fullname -> its checked definition
        self.notes: list[str] = []

    def check(self, t, ns: str, fpath: str, role: str):
        """`t` checked, as the plain JSON handed to fastavro (logical types and `__` keys dropped)."""
        if isinstance(t, str):
            return self.reference(t, ns, fpath, role)
        if isinstance(t, list):
            return self.union(t, ns, fpath, role)
        if not isinstance(t, dict):
            raise _fail(fpath, role, Text("err.avsc.not_type", got=describe(t)))
        if "type" not in t:
            raise _fail(fpath, role, Text("err.avsc.no_type_key"))
        k = t["type"]
        if not isinstance(k, str):
            raise _fail(fpath, role, Text("err.avsc.type_not_name", got=describe(k)))
        # fastavro trusts `__fastavro_parsed`/`__named_schemas` keys: never let user text supply them
        out = {key: value for key, value in t.items() if not key.startswith("__") and key != "logicalType"}
        if "logicalType" in t:
            self.notes.append(Text("err.avsc.logical", where=_where(fpath, role), name=repr(t["logicalType"]), type=k))
        if k in PRIMITIVES:
            return out
        if k == "array" or k == "map":
            part = "items" if k == "array" else "values"
            if part not in t:
                raise _fail(fpath, role, Text(f"err.avsc.needs_{part}"))
            out[part] = self.check(t[part], ns, fpath, part)
            return out
        if k in ("record", "error"):
            return self.record(t, out, ns, fpath, role)
        if k == "enum":
            self.define(t, out, ns, fpath, role)
            symbols = t.get("symbols")
            if not isinstance(symbols, list) or not symbols:
                raise _fail(fpath, role, Text("err.avsc.no_symbols"))
            for s in symbols:
                if not (isinstance(s, str) and _NAME.match(s)):
                    raise _fail(fpath, role, Text("err.avsc.symbol_name", symbol=json.dumps(s)))
            if len(set(symbols)) != len(symbols):
                raise _fail(fpath, role, Text("err.avsc.symbol_twice"))
            if "default" in t and t["default"] not in symbols:
                raise _fail(fpath, role, Text("err.avsc.enum_default", default=_short_json(t["default"])))
            return out
        if k == "fixed":
            self.define(t, out, ns, fpath, role)
            size = t.get("size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise _fail(fpath, role, Text("err.avsc.no_size"))
            return out
        return self.reference(k, ns, fpath, role, in_object=True)

    def reference(self, name: str, ns: str, fpath: str, role: str, in_object: bool = False):
        if name in PRIMITIVES:
            return name
        if name in NAMED or name in ("array", "map", "error"):
            raise _fail(fpath, role, Text("err.avsc.needs_object", name=name))
        full = _fullname(name, ns)
        if full in self.defined:
            if in_object:
                raise _fail(fpath, role, Text("err.avsc.by_name", name=name))
            return name
        known = list(PRIMITIVES) + [n.rsplit(".", 1)[-1] for n in self.defined]
        close = difflib.get_close_matches(name, known, n=1)
        raise _fail(fpath, role, Text("err.avsc.unknown_type_like", name=name, like=close[0]) if close else
                    Text("err.avsc.unknown_type", name=name))

    def union(self, t: list, ns: str, fpath: str, role: str):
        if not t:
            raise _fail(fpath, role, Text("err.avsc.empty_union"))
        out, seen = [], set()
        for i, branch in enumerate(t):
            if isinstance(branch, list):
                raise _fail(fpath, role, Text("err.avsc.nested_union", i=i))
            checked = self.check(branch, ns, fpath, f"branch {i}")
            key = self.branch_key(checked, ns)
            if key in seen:
                raise _fail(fpath, role, Text("err.avsc.branch_twice", type=key))
            seen.add(key)
            out.append(checked)
        return out

    def branch_key(self, t, ns: str) -> str:
        if isinstance(t, str):
            return t if t in PRIMITIVES else _fullname(t, ns)
        return _fullname(t["name"], t.get("namespace", ns)) if t["type"] in NAMED + ("error",) else t["type"]

    def define(self, t: dict, out: dict, ns: str, fpath: str, role: str) -> str:
        """Register a named type; returns the namespace its contents live in."""
        name, namespace = t.get("name"), t.get("namespace", ns)
        if not isinstance(name, str) or not name:
            raise _fail(fpath, role, Text("err.avsc.no_name", type=t["type"]))
        if not _dotted(name):
            raise _fail(fpath, role, Text("err.avsc.bad_name", name=name))
        if namespace is None:
            namespace = ""
        if not isinstance(namespace, str) or (namespace and not _dotted(namespace)):
            raise _fail(fpath, role, Text("err.avsc.namespace", namespace=json.dumps(namespace)))
        if name.rsplit(".", 1)[-1] in PRIMITIVES:
            raise _fail(fpath, role, Text("err.avsc.primitive_name", name=name))
        aliases = t.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) and _dotted(a) for a in aliases)):
            raise _fail(fpath, role, Text("err.avsc.aliases"))
        full = name if "." in name else f"{namespace}.{name}" if namespace else name
        if full in self.defined:
            raise _fail(fpath, role, Text("err.avsc.defined_twice", full=full, name=name))
        self.defined[full] = out
        return full.rsplit(".", 1)[0] if "." in full else ""

    def record(self, t: dict, out: dict, ns: str, fpath: str, role: str) -> dict:
        inner_ns = self.define(t, out, ns, fpath, role)
        fields = t.get("fields")
        if not isinstance(fields, list):
            raise _fail(fpath, role, Text("err.avsc.no_fields", name=t["name"]))
        out["fields"] = []
        names = set()
        for i, f in enumerate(fields):
            if not isinstance(f, dict) or not isinstance(f.get("name"), str):
                raise _fail(fpath, role, Text("err.avsc.field_no_name", i=i, name=t["name"]))
            name = f["name"]
            if not _NAME.match(name):
                raise _fail(f"{fpath}.{name}" if fpath else name, "",
                            Text("err.avsc.field_name", name=name))
            child = paths.key(fpath, name)
            if name in names:
                raise _fail(child, "", Text("err.avsc.field_twice", record=t["name"], name=name))
            names.add(name)
            if "type" not in f:
                raise _fail(child, "", Text("err.avsc.field_no_type"))
            field_out = {key: value for key, value in f.items() if not key.startswith("__")}
            field_out["type"] = self.check(f["type"], inner_ns, child, "")
            if "default" in f:
                why = self.default_error(f["default"], field_out["type"], inner_ns)
                if why:
                    raise _fail(child, "", Text("err.avsc.default", default=_short_json(f["default"]), why=why))
            if f.get("order", "ascending") not in ("ascending", "descending", "ignore"):
                raise _fail(child, "", Text("err.avsc.order"))
            aliases = f.get("aliases", [])
            if not (isinstance(aliases, list) and all(isinstance(a, str) and _NAME.match(a) for a in aliases)):
                raise _fail(child, "", Text("err.avsc.field_aliases"))
            out["fields"].append(field_out)
        return out

    def default_error(self, value, t, ns: str) -> str | None:
        """Why `value` cannot be the default of type `t`, or None if it can."""
        if isinstance(t, list):
            why = self.default_error(value, t[0], ns)
            return why and Text("err.avsc.union_default", first=short_name(t[0]))
        if isinstance(t, str) and t not in PRIMITIVES:
            t = self.defined[_fullname(t, ns)]
        k = t if isinstance(t, str) else "record" if t["type"] == "error" else t["type"]
        expected = _primitive_error(value, k) if k in PRIMITIVES else None
        if expected or k in PRIMITIVES:
            return expected
        if k == "enum":
            return None if value in t["symbols"] else Text("err.avsc.one_of_symbols", symbols=", ".join(t["symbols"]))
        if k == "fixed":
            ok = isinstance(value, str) and len(value) == t["size"] and all(ord(c) < 256 for c in value)
            return None if ok else Text("err.avsc.fixed_default", size=t["size"])
        if k == "array":
            if not isinstance(value, list):
                return Text("err.avsc.got", what=Text("err.avro.expect.array"), got=describe(value))
            return next(filter(None, (self.default_error(v, t["items"], ns) for v in value)), None)
        if k == "map":
            if not isinstance(value, dict):
                return Text("err.avsc.got", what=Text("err.avro.expect.map"), got=describe(value))
            return next(filter(None, (self.default_error(v, t["values"], ns) for v in value.values())), None)
        if not isinstance(value, dict):
            return Text("err.avsc.got", what=Text("err.avsc.a_record"), got=describe(value))
        inner_ns = _fullname(t["name"], t.get("namespace", ns)).rpartition(".")[0]
        names = {f["name"] for f in t.get("fields", [])}
        extra = [k for k in value if k not in names]
        if extra:
            return Text("err.avsc.no_such_field", name=t["name"], field=extra[0])
        for f in t.get("fields", []):
            if f["name"] in value:
                why = self.default_error(value[f["name"]], f["type"], inner_ns)
                if why:
                    return Text("err.avsc.in_field", name=f["name"], why=why)
            elif "default" not in f:
                return Text("err.avsc.missing", name=f["name"])
        return None


def _primitive_error(value, k: str) -> str | None:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "int": number and isinstance(value, int) and fits(value, INT32),
        "long": number and isinstance(value, int) and fits(value, INT64),
        "float": number, "double": number,
        "string": isinstance(value, str),
        "bytes": isinstance(value, str) and all(ord(c) < 256 for c in value),
    }[k]
    if ok:
        return None
    return Text("err.avsc.got", what="null" if k == "null" else Text(f"err.avsc.default_type.{k}"), got=describe(value))


def _dotted(name: str) -> bool:
    return all(_NAME.match(part) for part in name.split("."))


def _fullname(name: str, ns: str) -> str:
    return name if "." in name or not ns else f"{ns}.{name}"


def _short_json(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


# ---- the schema a record implies -------------------------------------------------------------

# JSON value -> the Avro type inferred for it; also the order of a union's branches
_JSON_KINDS = ((type(None), "null"), (bool, "boolean"), (int, "long"), (float, "double"), (str, "string"),
               (list, "array"), (dict, "record"))


def infer(record: dict) -> str:
    """An .avsc for `record`: nested objects become named records, lists arrays, null an optional string."""
    return pretty(_Inferrer().record([record], "Record", "", 0)) + "\n"


def _json_kind(value) -> str:
    for python_type, name in _JSON_KINDS:   # bool before int: True is an int to Python
        if isinstance(value, python_type):
            return name
    raise FormatError(Text("err.avsc.not_json", value=describe(value)))


class _Inferrer:
    def __init__(self):
        self.names: set[str] = set()

    def type_name(self, hint: str) -> str:
        """`shipping_address` -> ShippingAddress, made unique in the schema (Address, Address2…)."""
        base = "".join(part[:1].upper() + part[1:] for part in hint.split("_") if part)
        if not base[:1].isalpha():
            base = "Type" + base
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}{n}", n + 1
        self.names.add(name)
        return name

    def of(self, values: list, hint: str, path: str, depth: int):
        """One Avro type for every value seen at this spot (the items of all lists, say)."""
        by_kind: dict[str, list] = {}
        for v in values:
            by_kind.setdefault(_json_kind(v), []).append(v)
        branches = [self.one(k, by_kind[k], hint, path, depth)
                    for _, k in _JSON_KINDS if k in by_kind and k != "null"]
        if "null" in by_kind:
            return ["null", *(branches or ["string"])]
        if not branches:
            return "string"   # an empty list: its items could be anything; string is the common case
        return branches[0] if len(branches) == 1 else branches   # [1, "a"] -> ["long", "string"]

    def one(self, k: str, values: list, hint: str, path: str, depth: int):
        if k == "array":
            items = [item for v in values for item in v]
            return {"type": "array", "items": self.of(items, hint, paths.index(path, 0), depth + 1)}
        if k == "record":
            return self.record(values, hint, path, depth + 1)
        if k == "long":   # an array's items share one type: name the array, not its first item
            return integer_type(values, path.removesuffix("[0]"), "Avro", (("long", *INT64),))
        return k

    def record(self, dicts: list, hint: str, path: str, depth: int) -> dict:
        if depth > MAX_DEPTH:
            raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
        name = self.type_name(hint)
        keys = list(dict.fromkeys(k for d in dicts for k in d))   # every key, in first-seen order
        fields = []
        for key in keys:
            child = paths.key(path, key)
            if not _NAME.match(key):
                raise FormatError(Text("err.avsc.infer_name", where=child, key=key), path=child)
            present = [d[key] for d in dicts if key in d]
            t = self.of(present, key, child, depth)
            if len(present) < len(dicts) and not (isinstance(t, list) and t[0] == "null"):
                t = ["null", *(t if isinstance(t, list) else [t])]   # absent in some list items: optional
            field = {"name": key, "type": t}
            if isinstance(t, list) and t[0] == "null":
                field["default"] = None
            fields.append(field)
        return {"type": "record", "name": name, "fields": fields}


def pretty(obj, indent: int = 0, width: int = 100) -> str:
    """JSON with two-space indents, keeping a field or small type on one line (as .avsc files are written)."""
    flat = json.dumps(obj, ensure_ascii=False)
    if len(flat) + indent <= width and not _has_record(obj):
        return flat
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {pretty(v, indent + 2, width).lstrip()}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(obj, list):
        items = [inner + pretty(v, indent + 2, width).lstrip() for v in obj]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return flat


def _has_record(obj) -> bool:
    if isinstance(obj, dict):
        return "fields" in obj or any(_has_record(v) for v in obj.values())
    return isinstance(obj, list) and any(_has_record(v) for v in obj)
