"""Thrift IDL from user text, and records <-> thriftpy2 structs.

thriftpy2 parses the IDL (its own ply grammar). What this module adds:
- the parser is built once and fed from memory: `thriftpy2.load()` would cache modules by
  name in `sys.modules` and follow `include "../x.thrift"` on disk; `parse_fp` over a
  StringIO does neither, and refuses `include`;
- errors as "line L, column C: ...";
- the record type: the first struct no other struct uses (so helper structs may come
  before or after it), which for a file with one struct is that struct;
- a path-aware walk from a JSON record to a struct instance (ranges, enums, binary).
"""
import io
import keyword
import linecache
import math
import re
import threading
import types
from dataclasses import dataclass

from ply import lex, yacc
from thriftpy2.parser import lexer as thrift_lexer
from thriftpy2.parser import parser as thrift_parser
from thriftpy2.parser.exc import ThriftLexerError
from thriftpy2.thrift import TType

from formats import paths
from formats.budget import MB, budgeted
from formats.errors import FormatError, expected
from formats.facts.numbers import SIGNED
from formats.facts.thrift import INT_BITS, NAMES
from formats.record import MAX_DEPTH, line_col
from formats.record import at as _at
from i18n import Text
from formats.wire import preview


# Words the IDL itself rejects as names, and names a thriftpy2 struct instance cannot hold
# as attributes (they are its own machinery, or not Python identifiers).
RESERVED = (set(thrift_lexer.keywords) | set(thrift_lexer.thrift_reserved_keywords)
            | set(keyword.kwlist) | {"true", "false"})
THRIFTPY_ATTRIBUTES = {"thrift_spec", "default_spec", "_tspec"}


# -- the parser ---------------------------------------------------------------------------

def t_ignore_BLOCKCOMMENT(t):
    r'/\*[^*]*\*+(?:[^/*][^*]*\*+)*/'
    t.lexer.lineno += t.value.count("\n")


# thriftpy2's three /* comment */ rules backtrack exponentially on an unclosed comment
# ("/* ////…" takes a minute at 60 KB); one linear rule replaces them.
_LEXER_RULES = types.SimpleNamespace(**{
    name: rule for name, rule in vars(thrift_lexer).items()
    if name not in ("t_ignore_SILLYCOMM", "t_ignore_MULTICOMM", "t_ignore_DOCTEXT")
} | {"t_ignore_BLOCKCOMMENT": t_ignore_BLOCKCOMMENT})


class _Parser:
    """thriftpy2's yacc parser, always fed by our lexer, remembering each token's position.

    thriftpy2 hands its `lexer` argument only a line reset and lets ply parse from ply's
    module-global "last built lexer"; passing the lexer explicitly makes the parse use ours.
    """

    def __init__(self):
        self.lexer = lex.lex(module=_LEXER_RULES, errorlog=lex.NullLogger())
        self._yacc = yacc.yacc(module=thrift_parser, debug=False, write_tables=False,
                               errorlog=yacc.NullLogger())
        self.tokens: list[tuple[int, int, str]] = []   # (start, end, type) of each token read

    @property
    def context(self):
        return self._yacc.context

    @context.setter
    def context(self, value):   # thriftpy2 sets its parse context here before parse()
        self._yacc.context = value

    def parse(self, text: str):
        self.tokens = []
        return self._yacc.parse(text, lexer=self.lexer, tokenfunc=self._token)

    def _token(self):
        tok = self.lexer.token()
        if tok is not None:
            self.tokens.append((tok.lexpos, self.lexer.lexpos, tok.type))
        return tok


_PARSER = _Parser()
_LOCK = threading.Lock()   # ply's lexer and parser hold state; sessions are threads


@dataclass(frozen=True, eq=False)
class Schema:
    """One compiled IDL text: thriftpy2's module and the struct a record is."""
    text: str
    module: types.ModuleType
    record_type: type


def compile_schema(text: str) -> Schema:
    """The compiled IDL (cached by text); FormatError "line L, column C: ..." when it is not valid."""
    with _LOCK:
        return _compile(text)


# Traced: a compiled IDL holds up to ~210 bytes per character of its text (64 KB of one-field
# structs: 2,000 classes, ~13 MB); tests/test_budget.py holds the estimate against RSS.
BYTES_PER_CHAR = 256


@budgeted(48 * MB, size=lambda schema, text: BYTES_PER_CHAR * len(text))
def _compile(text: str) -> Schema:
    known = set(linecache.cache)
    try:
        module = thrift_parser.parse_fp(io.StringIO(text), "schema_thrift", lexer=_PARSER.lexer,
                                        parser=_PARSER, enable_cache=False)
    except Exception as e:   # any failure to parse user text is the text's fault: say where
        raise _schema_error(e, text) from None
    finally:
        _forget_generated_source(known)
    _check_built(module, text)
    meta = getattr(module, "__thrift_meta__", {})
    structs = meta.get("structs", [])
    if not structs:
        raise FormatError(Text("err.thrift_record.no_struct"))
    for cls in structs + meta.get("unions", []) + meta.get("exceptions", []):
        _check_struct(cls, text)
    return Schema(text, module, _record_type(structs, meta))


def _forget_generated_source(known: set) -> None:
    """thriftpy2 files the source of every struct's generated __init__ in linecache.cache (for
    tracebacks) under "<generated Name.__init__>" and never removes it: struct names a visitor
    invents would grow it for ever. Drop what this parse added (no traceback here needs it)."""
    for name in list(linecache.cache):
        if name not in known and name.startswith("<generated "):
            linecache.cache.pop(name, None)


def _check_built(module: types.ModuleType, text: str) -> None:
    """ply takes a SyntaxError raised inside a grammar action as a cue for error recovery and
    silently drops the definition: thriftpy2 raises one compiling a struct's __init__ when a
    field is named None, async or another Python keyword. Find what the tokens declare but
    the module lacks."""
    meta = getattr(module, "__thrift_meta__", {})
    tokens = _PARSER.tokens
    for i, (_, _, kind) in enumerate(tokens[:-1]):
        if kind not in ("STRUCT", "UNION", "EXCEPTION", "ENUM"):
            continue
        start, end, _ = tokens[i + 1]
        name = text[start:end]
        if any(cls.__name__ == name for cls in meta.get(kind.lower() + "s", [])):
            continue
        for word_start, word_end, word_kind in tokens[i + 2:]:
            word = text[word_start:word_end]
            if word == "}":
                break
            if word_kind == "IDENTIFIER" and keyword.iskeyword(word):
                raise _at(text, word_start, Text("err.thrift.python_keyword", name=word))
        raise _at(text, start, Text("err.thrift.cannot_compile", kind=kind.lower(), name=name))


def _record_type(structs: list[type], meta) -> type:
    used = {ref for cls in structs + meta.get("unions", []) + meta.get("exceptions", [])
            for f in fields(cls).values() for ref in _struct_refs(f.type) if ref is not cls}
    return next((cls for cls in structs if cls not in used), structs[0])


def _struct_refs(t):
    ttype, detail = type_of(t)
    if ttype == TType.STRUCT:
        yield detail
    elif ttype in (TType.LIST, TType.SET):
        yield from _struct_refs(detail)
    elif ttype == TType.MAP:
        yield from _struct_refs(detail[0])
        yield from _struct_refs(detail[1])


def _check_struct(cls: type, text: str) -> None:
    lines = cls.__thrift_field_linenos__
    for f in fields(cls).values():
        where = _field_position(text, lines.get(f.name), f.name)
        if not -2 ** 15 <= f.id < 2 ** 15:
            raise _at(text, where, Text("err.thrift.field_id", id=f.id, name=f.name))
        if f.name in THRIFTPY_ATTRIBUTES or (f.name.startswith("__") and f.name.endswith("__")):
            raise _at(text, where, Text("err.thrift.attribute", name=f.name))
        if _too_deep(f.type, MAX_DEPTH):
            raise _at(text, where, Text("err.thrift.too_deep", name=f.name, limit=MAX_DEPTH))


def _too_deep(t, levels_left: int) -> bool:
    ttype, detail = type_of(t)
    if levels_left < 0:
        return True
    if ttype in (TType.LIST, TType.SET):
        return _too_deep(detail, levels_left - 1)
    if ttype == TType.MAP:
        return _too_deep(detail[0], levels_left - 1) or _too_deep(detail[1], levels_left - 1)
    return False


# -- schema errors, reworded ----------------------------------------------------------------

# thriftpy2/ply message -> what a student reads (err.thrift.<key>); the message's groups are the values a, b
_MESSAGES = [
    (r"Illegal character '(.*)' at line \d+", "illegal_character"),
    (r"Cannot use reserved language keyword: '(.*)' at line", "reserved"),
    (r"Unexpected escaping character: (.)", "escape"),
    (r"Unexpected (include) statement", "include"),
    (r"No type found: '(.*)', at line", "unknown_type"),
    (r"Type error for (?:field|constant) (\S+) at line", "type_error"),
    (r"'(.*)' type is already defined", "twice"),
    (r"'(-?\d+):(.*)' field identifier/name has already been used", "field_twice"),
    (r"Can't find name '(.*)' at line", "unknown_constant"),
    (r"No enum value or constant found named '(.*)'", "not_constant"),
    (r"Couldn't find a named value in enum (\S+) for value (-?\d+)", "enum_value"),
    (r"No field named '(.*)' was found in struct of type '(.*)'", "no_field"),
    (r"Field '(.*)' was required to create constant for type '(.*)'", "constant_required"),
    (r"'(.*)' function is already defined in service", "function_twice"),
    (r"Can't find service '(.*)' for service", "unknown_service"),
    (r"Can't extends '(.*)', not a service", "not_service"),
]


def _schema_error(error: Exception, text: str) -> FormatError:
    message = str(error)
    if "Grammar error at EOF" in message:
        return _at(text, len(text.rstrip()), Text("err.thrift.ends_early"))
    if "Grammar error" in message:
        start, end, _ = _PARSER.tokens[-1]
        word = text[start:end]
        why = Text("err.thrift.keyword" if word in thrift_lexer.keywords else "err.thrift.unexpected",
                   word=preview(word), name=word)
        return _at(text, start, why)
    why, names = _reword(message)
    if isinstance(error, ThriftLexerError):
        # ply stops at a bad character; a token rule that raised matched at lexmatch.start()
        lexer = _PARSER.lexer
        at = lexer.lexpos if message.startswith("Illegal") else lexer.lexmatch.start()
        if text.startswith("/*", at):
            why = Text("err.thrift.comment")
        return _at(text, at, why)
    return _at(text, _near(text, message, names), why)


def _reword(message: str) -> tuple[str, set[str]]:
    """What a student reads, and the names the message is about (to find them in the text)."""
    for pattern, key in _MESSAGES:
        m = re.search(pattern, message)
        if m:
            return Text(f"err.thrift.{key}", **dict(zip("ab", m.groups()))), set(m.groups())
    if "integer string conversion" in message:
        return Text("err.thrift.digits"), set()
    return Text("err.thrift.cannot_compile_this"), set()


def _near(text: str, message: str, names: set[str]) -> int:
    """Where a semantic error (raised after the parser read past it) points: the last token
    spelling a name the message is about, on the line it names; else the last token read."""
    tokens = _PARSER.tokens or [(0, 0, "")]
    line = re.search(r"at line (\d+)", message)
    for start, end, _ in reversed(tokens):
        if text[start:end] in names and (not line or line_col(text, start)[0] == int(line[1])):
            return start
    if line:
        return _line_start(text, int(line[1]))
    return tokens[-1][0]


def _field_position(text: str, line: int | None, name: str) -> int:
    start = _line_start(text, line or 1)
    m = re.compile(r"\b" + re.escape(name) + r"\b").search(text, start)
    return m.start() if m else start


def _line_start(text: str, line: int) -> int:
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at




# -- types and fields ------------------------------------------------------------------------

def type_of(t) -> tuple[int, object]:
    """thriftpy2 spells a type as a TType number, or (TType, detail) where detail is the
    struct or enum class, the item type of a list/set, or (key, value) of a map."""
    return t if isinstance(t, tuple) else (t, None)


def is_enum(t) -> bool:
    ttype, detail = type_of(t)
    return ttype == TType.I32 and detail is not None


def type_name(t) -> str:
    ttype, detail = type_of(t)
    if ttype in (TType.LIST, TType.SET):
        return f"{'list' if ttype == TType.LIST else 'set'}<{type_name(detail)}>"
    if ttype == TType.MAP:
        return f"map<{type_name(detail[0])}, {type_name(detail[1])}>"
    return detail.__name__ if detail is not None else NAMES[ttype]


@dataclass(frozen=True)
class Field:
    id: int
    name: str
    type: object
    required: bool
    default: object


@budgeted(4 * MB)   # walks and conversions ask once per struct instance
def fields(cls: type) -> dict[int, Field]:
    """A struct's fields by field id, in IDL order (shared: do not modify)."""
    defaults = dict(cls.default_spec)
    out = {}
    for fid, spec in cls.thrift_spec.items():
        ttype, name, *detail, required = spec
        out[fid] = Field(fid, name, (ttype, detail[0]) if detail else ttype, required, defaults.get(name))
    return out


# -- records <-> structs -------------------------------------------------------------------

def record_to_struct(record: dict, schema: Schema):
    """A struct instance of the record type holding `record`; FormatError names the path."""
    return _to_struct(schema.record_type, record, "", 0)


@budgeted(1 * MB)
def _fields_by_name(cls: type) -> dict[str, Field]:
    """A struct's fields by name (shared: do not modify): a list of 10,000 rows asks 10,000 times."""
    return {f.name: f for f in fields(cls).values()}


def _to_struct(cls: type, value, path: str, depth: int):
    if not isinstance(value, dict):
        raise expected(path, Text("err.thrift_record.a_struct", name=cls.__name__), value)
    by_name = _fields_by_name(cls)
    for key in value:
        if key not in by_name:
            near = [n for n in by_name if paths.normalized(n) == paths.normalized(key)]
            where = paths.key(path, key)
            raise FormatError(Text("err.thrift_record.no_field_like", where=where, name=cls.__name__, key=repr(key),
                                   like=repr(near[0])) if near else
                              Text("err.thrift_record.no_field", where=where, name=cls.__name__, key=repr(key)), path=where)
    obj = cls()
    for f in by_name.values():
        child = paths.key(path, f.name)
        if value.get(f.name) is not None:
            setattr(obj, f.name, to_value(f.type, value[f.name], child, depth + 1))
        elif f.default is not None:
            # thriftpy2 writes an IDL default for an absent field: it must fit the field too
            setattr(obj, f.name, to_value(f.type, from_value(f.type, f.default), child, depth + 1))
        elif f.required:
            raise FormatError(Text("err.thrift_record.required", where=child), path=child)
    return obj


def to_value(t, value, path: str, depth: int):
    """A JSON value as thriftpy2 writes type `t`."""
    if depth > MAX_DEPTH:
        raise FormatError(Text("err.record.nests", where=path, limit=MAX_DEPTH), path=path)
    ttype, detail = type_of(t)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_enum(t):
        if isinstance(value, str) and value in detail._NAMES_TO_VALUES:
            return detail._NAMES_TO_VALUES[value]
        if isinstance(value, int) and not isinstance(value, bool):
            return _in_range(value, 32, path, type_name(t))
        raise expected(path, Text("err.thrift_record.one_of", names=", ".join(detail._NAMES_TO_VALUES), name=detail.__name__)
                       if detail._NAMES_TO_VALUES else Text("err.thrift_record.no_values", name=detail.__name__), value)
    if ttype == TType.BOOL and isinstance(value, bool):
        return value
    if ttype in INT_BITS and isinstance(value, int) and not isinstance(value, bool):
        return _in_range(value, INT_BITS[ttype], path, NAMES[ttype])
    if ttype == TType.DOUBLE and number:
        return float(value)
    if ttype in (TType.STRING, TType.BINARY) and isinstance(value, str):
        try:
            raw = value.encode("utf-8")
        except UnicodeEncodeError:
            raise FormatError(Text("err.thrift_record.surrogate", where=path),
                              path=path) from None
        return raw if ttype == TType.BINARY else value
    if ttype == TType.BINARY and isinstance(value, bytes):
        return value
    if ttype in (TType.LIST, TType.SET) and isinstance(value, list):
        items = [_item(detail, v, paths.index(path, i), depth + 1) for i, v in enumerate(value)]
        if ttype == TType.SET:
            _check_unique(value, path)
        return items
    if ttype == TType.MAP and isinstance(value, dict):
        key_type, value_type = detail
        return {_key(key_type, k, paths.key(path, str(k)), depth + 1):
                _item(value_type, v, paths.key(path, str(k)), depth + 1) for k, v in value.items()}
    if ttype == TType.STRUCT:
        return _to_struct(detail, value, path, depth)
    raise expected(path, _expected(t), value)


def _item(t, value, path: str, depth: int):
    if value is None:
        raise FormatError(Text("err.thrift_record.item_null", where=path), path=path)
    return to_value(t, value, path, depth)


def _key(t, key, path: str, depth: int):
    """A map key: JSON keys are text, so numbers, booleans and enums are read from it."""
    ttype, _ = type_of(t)
    if not isinstance(key, str) or ttype in (TType.STRING, TType.BINARY) or is_enum(t):
        return to_value(t, key, path, depth)
    if ttype in INT_BITS and re.fullmatch(r"-?\d{1,40}", key):
        return to_value(t, int(key), path, depth)
    if ttype == TType.BOOL and key in ("true", "false"):
        return key == "true"
    if ttype == TType.DOUBLE:
        try:
            number = float(key)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    if ttype in (TType.STRUCT, TType.LIST, TType.SET, TType.MAP):
        raise FormatError(Text("err.thrift_record.key_type", where=path, type=type_name(t)), path=path)
    raise FormatError(Text("err.thrift_record.bad_key", where=path, key=repr(key), what=_expected(t)), path=path)


def _check_unique(items: list, path: str) -> None:
    seen = {}
    for i, item in enumerate(items):
        frozen = repr(item)
        if frozen in seen:
            raise FormatError(Text("err.thrift_record.set_twice", where=paths.index(path, i), item=seen[frozen]), path=paths.index(path, i))
        seen[frozen] = i


def _in_range(value: int, bits: int, path: str, name: str) -> int:
    low, high = SIGNED[bits]
    if not low <= value <= high:
        raise FormatError(Text("err.thrift_record.range", where=path, value=value, name=name, low=low, high=high), path=path)
    return value


def _expected(t) -> str:
    ttype, _ = type_of(t)
    kind = {TType.BOOL: "boolean", TType.DOUBLE: "number", TType.STRING: "string", TType.BINARY: "string",
            TType.LIST: "list", TType.SET: "list", TType.MAP: "object", TType.STRUCT: "object"}.get(ttype, "integer")
    return Text(f"err.thrift_record.expect.{kind}", type=type_name(t))


def struct_to_record(obj) -> dict:
    """A thriftpy2 struct instance as a JSON-shaped record: fields in IDL order, unset (None)
    fields left out, enums by name, map keys as text; binary fields stay bytes."""
    record = {}
    for f in fields(type(obj)).values():
        value = getattr(obj, f.name, None)
        if value is not None:
            record[f.name] = from_value(f.type, value)
    return record


def from_value(t, value):
    ttype, detail = type_of(t)
    if ttype == TType.STRUCT:
        return struct_to_record(value)
    if ttype in (TType.LIST, TType.SET):
        return [from_value(detail, v) for v in value]
    if ttype == TType.MAP:
        return {key_text(from_value(detail[0], k)): from_value(detail[1], v) for k, v in value.items()}
    if is_enum(t):
        return detail._VALUES_TO_NAMES.get(value, value)
    return value


def key_text(key) -> str:
    """A map key as the text a JSON object (and a record path) holds."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, bytes):
        return key.decode("utf-8", "backslashreplace")
    return key if isinstance(key, str) else repr(key)
