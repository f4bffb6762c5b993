"""Avro IDL (.avdl), the schema language for people, and Avro's JSON (.avsc, .avpr), the one for machines.

    >>> print(to_avsc("schema Person; record Person { string userName; long? favoriteNumber = null; }"), end="")
    {
      "type": "record",
      "name": "Person",
      "fields": [
        {"name": "userName", "type": "string"},
        {"name": "favoriteNumber", "type": ["null", "long"], "default": null}
      ]
    }

No maintained Python library parses Avro IDL, so this module is a translator written by hand for
Avro 1.12's IDL: the grammar (share/idl_grammar/org/apache/avro/idl/Idl.g4) and the Java reader
(lang/java/idl, IdlReader) of Apache Avro 1.12 are the reference, and Apache Avro's own test inputs
and expected outputs are tests/vectors/avro_idl. `to_avsc` writes what Avro's tools write: the main
schema (`schema Person;`), the protocol (.avpr), or the list of named types. `to_idl` prints a
schema or protocol as IDL that translates back to the same JSON.

One difference on purpose: `import` is refused (this lab never reads a file that schema text names).
"""
import bisect
import difflib
import functools
import json
import math
import re
from dataclasses import dataclass

from formats import _avro_schema
from formats.base import MAX_SCHEMA_BYTES
from formats.errors import FormatError, describe
from i18n import Text

__all__ = ["IdlFile", "read", "record_schema", "to_avsc", "to_idl"]

KEYWORDS = frozenset(
    "protocol namespace import idl schema enum fixed error record array map union boolean int long float "
    "double string bytes null true false decimal date time_ms timestamp_ms local_timestamp_ms uuid void "
    "oneway throws".split())
# keyword -> (the Avro type, its logical type)
_PRIMITIVES = {"boolean": ("boolean", None), "int": ("int", None), "long": ("long", None),
               "float": ("float", None), "double": ("double", None), "bytes": ("bytes", None),
               "string": ("string", None), "null": ("null", None), "date": ("int", "date"),
               "time_ms": ("int", "time-millis"), "timestamp_ms": ("long", "timestamp-millis"),
               "local_timestamp_ms": ("long", "local-timestamp-millis"), "uuid": ("string", "uuid")}
_NAMED = ("record", "error", "enum", "fixed")
# the keys each kind of JSON object owns; every other key is a property (`@name(value)` in IDL)
_OWN_KEYS = {"record": ("type", "name", "namespace", "doc", "fields", "aliases"),
             "enum": ("type", "name", "namespace", "doc", "symbols", "default", "aliases"),
             "fixed": ("type", "name", "namespace", "doc", "size", "aliases"),
             "array": ("type", "items"), "map": ("type", "values"), "primitive": ("type",),
             "field": ("name", "type", "doc", "default", "order", "aliases"),
             "message": ("doc", "request", "response", "errors", "one-way"),
             "protocol": ("protocol", "namespace", "doc", "types", "messages")}
_OWN_KEYS["error"] = _OWN_KEYS["record"]
# properties Avro's Java library refuses to set by annotation (its *_RESERVED sets)
_RESERVED = {"type": {"doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type",
                      "aliases"},
             "named": {"doc", "fields", "items", "name", "size", "symbols", "values", "type"},
             "enum": {"doc", "fields", "items", "name", "size", "symbols", "values", "type", "default"},
             "field": {"default", "doc", "name", "type"},
             "message": {"doc", "response", "request", "errors", "one-way"},
             "protocol": {"protocol", "doc", "messages", "types", "errors"}}
# what to write instead of a reserved property (err.idl.reserved.<hint>)
_RESERVED_HINTS = {"doc": "doc", ("type", "aliases"): "type_aliases", ("type", "namespace"): "type_namespace"}
_ORDERS = ("ascending", "descending", "ignore")
_MAX_DEPTH = 32         # types inside types, and JSON values inside JSON values
_MISSING = object()

# ---- the lexer (Idl.g4's lexer rules) ----------------------------------------------------------

_STRING = re.compile(r'"(?:[^\\\n\r\x08\x0c\t"]|\\(?:[nrbft\\\'"]|[0-3][0-7]{2}|[0-7]{1,2}|u[0-9a-fA-F]{4}))*"')
_ESCAPE = re.compile(r"\\(?:([nrbft\\'\"])|([0-7]{1,3})|u([0-9a-fA-F]{4}))")
_INT = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|[1-9][0-9]*|0[0-7]*)[lL]?")
_FLOAT = re.compile(r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?"
                    r"|[0-9]+(?:[eE][+-]?[0-9]+[fFdD]?|[fFdD])"
                    r"|(0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)")
_PUNCTUATION = "(){}[]<>:;,@=?.-"
_WHITESPACE = re.compile(r"[ \t\n\r\f]*")
_ASCII_CONTINUE = re.compile(r"[A-Za-z0-9_]*")
_LINE_END = re.compile(r"\r\n?|\n")
# Java's \R and \h, for the doc-comment indent rules below
_NL = r"(?:\r\n|[\n\x0b\x0c\r\x85\u2028\u2029])"
_H = r"[ \t\xa0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]"
_DOT = r"[^\n\r\x85\u2028\u2029]"
_STAR_INDENT = re.compile(rf"(?P<stars>\*{{1,2}}){_DOT}*(?:{_NL}{_H}*(?P=stars){_DOT}*)*")
_WS_INDENT = re.compile(rf"{_DOT}*{_NL}(?P<indent>{_H}*){_DOT}*(?:{_NL}(?P=indent){_DOT}*)*")
_JAVA_TRIM = "".join(map(chr, range(33)))


@dataclass(frozen=True, eq=False)
class _Token:
    kind: str            # "word" (a name or keyword), "string", "int", "float", "punct", "eof"
    text: str
    value: object        # the name without backticks, the decoded string or number
    offset: int
    keyword: str | None = None      # the keyword this word is, unless it was written in backticks
    docs: tuple = ()     # the /** doc comments */ right before this token: (offset, text)


def _part_end(text: str, i: int) -> int:
    """The end of an identifier part (a Unicode XID_Start or _, then XID_Continue) at i, or i."""
    if i >= len(text) or not text[i].isidentifier():
        return i
    i += 1
    while True:
        i = _ASCII_CONTINUE.match(text, i).end()
        if i < len(text) and ord(text[i]) > 127 and ("a" + text[i]).isidentifier():
            i += 1
        else:
            return i


def _unit_end(text: str, i: int) -> int:
    if text.startswith("`", i):
        j = _part_end(text, i + 1)
        return j + 1 if j > i + 1 and text.startswith("`", j) else i
    return _part_end(text, i)


def _word_end(text: str, i: int) -> int:
    """The end of an IdentifierToken: parts joined by . or -, each maybe in backticks (`string`)."""
    j = _unit_end(text, i)
    while j > i and j < len(text) and text[j] in ".-":
        k = _unit_end(text, j + 1)
        if k == j + 1:
            break
        j = k
    return j


class _Source:
    """The text, its tokens, and offsets turned into lines and columns."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tokens = self._lex()

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def error(self, offset: int, message: str) -> FormatError:
        line, column = self.where(offset)
        return FormatError(Text("err.line_col", line=line, column=column, message=message), line=line, column=column)

    def _lex(self) -> list[_Token]:
        text, pos, tokens, docs = self.text, 0, [], []
        while True:
            pos = _WHITESPACE.match(text, pos).end()
            if pos == len(text) or text[pos] == "\x1a":   # the old end-of-file character ends the text
                tokens.append(_Token("eof", "", None, pos, docs=tuple(docs)))
                return tokens
            if text.startswith("/**/", pos):
                pos += 4
            elif text.startswith("/*", pos):
                end = text.find("*/", pos + 3)
                if end < 0:
                    raise self.error(pos, Text("err.idl.comment"))
                if text.startswith("/**", pos):
                    docs.append((pos, text[pos + 3:end]))
                pos = end + 2
            elif text.startswith("//", pos):
                end = _LINE_END.search(text, pos)
                pos = end.end() if end else len(text)
            else:
                token = self._token(pos, tuple(docs))
                tokens.append(token)
                docs = []
                pos = token.offset + len(token.text)

    def _token(self, pos: int, docs: tuple) -> _Token:
        text = self.text
        if text[pos] == '"':
            m = _STRING.match(text, pos)
            if not m:
                raise self.error(pos, Text("err.idl.string"))
            return _Token("string", m.group(), _unescape(self, m), pos, docs=docs)
        # longest match wins; on a tie an integer beats a float beats a name (the grammar's rule order)
        word = _word_end(text, pos) - pos
        numeric = text[pos] in "0123456789+-.NI"
        integer = numeric and _INT.match(text, pos)
        number = numeric and _FLOAT.match(text, pos)
        n_int = integer.end() - pos if integer else 0
        n_float = number.end() - pos if number else 0
        if n_int and n_int >= max(n_float, word):
            return _Token("int", integer.group(), _integer(self, integer.group(), pos), pos, docs=docs)
        if n_float and n_float >= word:
            return _Token("float", number.group(), _float(number), pos, docs=docs)
        if word:
            name = text[pos:pos + word]
            keyword = name if name in KEYWORDS else None
            return _Token("word", name, name.replace("`", ""), pos, keyword, docs)
        if text[pos] in _PUNCTUATION:
            return _Token("punct", text[pos], text[pos], pos, docs=docs)
        raise self.error(pos, Text("err.idl.character", char=repr(text[pos])))


def _unescape(source: _Source, m: re.Match) -> str:
    def one(e: re.Match) -> str:
        simple, octal, hex4 = e.groups()
        if simple:
            return {"n": "\n", "r": "\r", "b": "\b", "f": "\f", "t": "\t"}.get(simple, simple)
        return chr(int(octal, 8)) if octal else chr(int(hex4, 16))
    value = _ESCAPE.sub(one, m.group()[1:-1])
    try:   # Java strings are UTF-16: \ud83d\ude00 is one character
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise source.error(m.start(), Text("err.idl.surrogate")) from None


def _integer(source: _Source, text: str, pos: int) -> int:
    digits = text.rstrip("lL")
    sign, digits = (-1, digits[1:]) if digits.startswith("-") else (1, digits)
    if digits[:2] in ("0x", "0X"):
        value = int(digits[2:], 16)
    else:
        value = int(digits, 8) if len(digits) > 1 and digits.startswith("0") else int(digits)
    value *= sign
    if not -(2 ** 63) <= value < 2 ** 63:
        raise source.error(pos, Text("err.idl.number", number=text))
    return value


def _float(m: re.Match) -> float:
    text = m.group()
    if m.group(1):   # hexadecimal: 0x1.8p3
        return float.fromhex(("-" if text.startswith("-") else "") + m.group(1))
    return float(text.rstrip("fFdD"))


def _doc_text(comment: str) -> str:
    """A doc comment's text as Avro keeps it: trimmed, and the `*` or indent that starts each line removed."""
    text = comment.strip(_JAVA_TRIM)
    stars = _STAR_INDENT.fullmatch(text)
    if stars:
        return re.sub(rf"(?:^|({_NL}){_H}*){re.escape(stars['stars'])}{_H}?", lambda m: m[1] or "", text)
    indent = _WS_INDENT.fullmatch(text)
    if indent:
        return re.sub(f"({_NL}){re.escape(indent['indent'])}", lambda m: m[1], text)
    return text


# ---- the reader: tokens -> Avro's types ---------------------------------------------------------

class _Ref:
    """A named type used by name, resolved once everything is read (IDL allows forward references).
    `where`: the IDL token, or the place in the JSON; `plain`: the name as written."""

    def __init__(self, fullname: str, where, plain: str):
        self.fullname, self.where, self.plain = fullname, where, plain


def _resolved(t, lookup):
    """`t` with every _Ref replaced by lookup(ref) (unions and array/map types are changed in place)."""
    if isinstance(t, _Ref):
        return lookup(t)
    if isinstance(t, list):
        t[:] = [_resolved(b, lookup) for b in t]
    elif t["type"] in ("array", "map"):
        part = "items" if t["type"] == "array" else "values"
        t[part] = _resolved(t[part], lookup)
    return t


class _Optional(list):
    """`T?`: the union [null, T]; a field whose default is not null turns it into [T, null]."""


def _fullname(name: str, namespace: str | None) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _namespace_of(fullname: str) -> str | None:
    return fullname.rpartition(".")[0] or None


def _valid_name(name: str) -> bool:
    """Avro 1.12's names: a letter or _, then letters, digits and _ (Unicode letters and digits too)."""
    return bool(name) and (name[0] == "_" or name[0].isalpha()) and all(
        c == "_" or c.isalpha() or c.isdecimal() for c in name)


@dataclass(frozen=True)
class IdlFile:
    """What an .avdl file declares, as Avro's own tools write it."""
    kind: str                   # "schema" (`schema Person;`), "protocol" (an .avpr) or "types" (named types)
    json: str                   # the JSON text: the main schema, the protocol, or the list of named types
    warnings: tuple[str, ...]   # doc comments Avro ignores because nothing follows them
    main_at: tuple[int, int]    # line and column of `schema` or `protocol` (1, 1 when there is neither)


def read(idl_text: str) -> IdlFile:
    """Translate Avro IDL; FormatError with line and column for anything Avro would refuse."""
    return _read_cached(_within_limit(idl_text, Text("err.idl.the_idl")))


def record_schema(idl_text: str) -> str:
    """The .avsc of the record an IDL file names with `schema Person;`: what a page encodes with."""
    result = read(idl_text)
    main = json.loads(result.json)
    if result.kind == "schema" and isinstance(main, dict) and main.get("type") in ("record", "error"):
        return result.json
    line, column = result.main_at
    if main == []:
        why = Text("err.idl.main.nothing")
    elif result.kind == "types":
        why = Text("err.idl.main.types")
    elif result.kind == "protocol":
        why = Text("err.idl.main.protocol")
    else:
        kind = "union" if isinstance(main, list) else main if isinstance(main, str) else main["type"]
        why = Text(f"err.idl.main.other.{'an' if kind[0] in 'aeio' else 'a'}", kind=kind)
    raise FormatError(Text("err.line_col", line=line, column=column, message=why), line=line, column=column)


def _within_limit(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise FormatError(Text("err.idl.not_text", what=what))
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_SCHEMA_BYTES:
        raise FormatError(Text("err.too_large", what=what, size=size, limit=MAX_SCHEMA_BYTES))
    return text


def to_avsc(idl_text: str) -> str:
    """Avro IDL -> Avro's JSON: the schema named by `schema …;`, the protocol, or the list of named types."""
    return read(idl_text).json


@functools.lru_cache(maxsize=64)   # results are immutable text; 64 × (64 KB in + its JSON out) at most
def _read_cached(idl_text: str) -> IdlFile:
    reader = _Reader(_Source(idl_text.removeprefix("\ufeff")))
    reader.idl_file()
    return reader.result()


class _Reader:
    def __init__(self, source: _Source):
        self.source = source
        self.tokens = source.tokens
        self.i = 0
        self.depth = 0
        self.namespaces: list[str | None] = [None]
        self.named: dict[str, dict] = {}        # fullname -> definition, in the order declared
        self.protocol: dict | None = None
        self.main = _MISSING
        self.main_at = (1, 1)
        self.defaults: list[tuple[dict, _Token]] = []
        self.unions: list[tuple[list, _Token]] = []
        self.used_docs: set[int] = set()
        self.notes: list[tuple[int, str]] = []    # (offset, warning)

    # -- tokens
    def peek(self, k: int = 0) -> _Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.peek()
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    @staticmethod
    def is_(token: _Token, text: str) -> bool:
        """Is the token this punctuation mark or this keyword (not in backticks)?"""
        return token.text == text and token.kind == "punct" or token.keyword == text

    def error(self, token: _Token, message: str) -> FormatError:
        return self.source.error(token.offset, message)

    def found(self, token: _Token) -> str:
        if token.kind == "eof":
            return Text("err.idl.found.end")
        if token.kind == "punct":
            return f"'{token.text}'"
        if token.kind == "word":
            return Text("err.idl.found.word", text=token.text)
        return Text(f"err.idl.found.{'string' if token.kind == 'string' else 'number'}", text=token.text[:30])

    def expect(self, text: str, what: str) -> _Token:
        if not self.is_(self.peek(), text):
            raise self.missing(what)
        return self.advance()

    def identifier(self, what: str) -> _Token:
        if self.peek().kind != "word":
            raise self.missing(what)
        return self.advance()

    def missing(self, what: str) -> FormatError:
        """Point where the missing piece goes: after the previous token when the next one is on a later line."""
        found, offset = self.peek(), self.peek().offset
        if self.i:
            previous = self.tokens[self.i - 1]
            end = previous.offset + len(previous.text)
            if "\n" in self.source.text[end:offset]:
                offset = end
        return self.source.error(offset, Text("err.idl.expected", what=what, found=self.found(found)))

    def doc(self, first: _Token) -> str | None:
        """The doc comment right before the first token of a declaration (Avro ignores any others)."""
        if not first.docs:
            return None
        offset, text = first.docs[-1]
        self.used_docs.add(offset)
        return _doc_text(text)

    @property
    def namespace(self) -> str | None:
        return self.namespaces[-1]

    # -- the file
    def idl_file(self) -> None:
        if self.is_(self.peek(), "namespace"):
            self.advance()
            name = self.identifier(Text("err.idl.want.namespace"))
            self.check_namespace(name.value, name)
            self.namespaces.append(name.value)
            self.expect(";", Text("err.idl.want.semicolon_namespace"))
        if self.is_(self.peek(), "schema"):
            self.main_at = self.source.where(self.advance().offset)
            self.main = self.full_type()
            self.expect(";", Text("err.idl.want.semicolon_main"))
        while self.peek().kind != "eof":
            first = self.peek()
            self.refuse_import()
            props = self.properties()
            if self.is_(self.peek(), "protocol") and first is self.tokens[0]:
                self.protocol_declaration(first, props)
            elif self.peek().keyword in _NAMED:   # no messages outside a protocol: always a declaration
                self.named_declaration(first, props)
            elif self.is_(self.peek(), "protocol"):
                raise self.error(self.peek(), Text("err.idl.protocol_first"))
            elif self.is_(self.peek(), "schema"):
                raise self.error(self.peek(), Text("err.idl.schema_first"))
            else:
                raise self.error(self.peek(), Text("err.idl.declaration", found=self.found(self.peek())))

    def refuse_import(self) -> None:
        first, kind, location = self.peek(), self.peek(1), self.peek(2)
        if self.is_(first, "import") and not (kind.kind == "word" and self.is_(location, "(")):   # not a message
            what = f"import {kind.text} {location.text}" if location.kind == "string" else "import"
            raise self.error(first, Text("err.idl.import", what=what))

    def declaration_ahead(self) -> bool:
        """A record, error, enum or fixed declaration, unless it reads as a message returning such a type."""
        token = self.peek()
        if token.keyword not in _NAMED:
            return False
        message = self.peek(1).kind == "word" and self.is_(self.peek(2), "(") and not (
            token.keyword == "fixed" and self.peek(3).kind == "int")
        return not message

    def protocol_declaration(self, first: _Token, props: list) -> None:
        self.main_at = self.source.where(self.advance().offset)
        name = self.identifier(Text("err.idl.want.protocol_name"))
        namespace, _, _, others = self.split(props, "protocol")
        namespace = self.namespace_for(name, namespace)
        self.protocol = {"protocol": self.type_name(name), "namespace": namespace, "doc": self.doc(first),
                         "props": others, "messages": {}}
        self.namespaces.append(namespace)
        self.expect("{", Text("err.idl.want.open_protocol"))
        while not self.is_(self.peek(), "}"):
            if self.peek().kind == "eof":
                raise self.error(self.peek(), Text("err.idl.protocol_open", name=name.value))
            first = self.peek()
            self.refuse_import()
            props = self.properties()
            if self.declaration_ahead():
                self.named_declaration(first, props)
            else:
                self.message(first, props)
        self.advance()
        if self.peek().kind != "eof":
            raise self.error(self.peek(), Text("err.idl.after_protocol"))

    # -- names
    def check_namespace(self, namespace: str, token: _Token) -> None:
        for part in namespace.split("."):
            if not _valid_name(part):
                raise self.error(token, Text("err.idl.bad_namespace", namespace=namespace))

    def namespace_for(self, name: _Token, annotated) -> str | None:
        """A dotted name's own namespace, else @namespace, else the enclosing one; "" is no namespace."""
        if "." in name.value:
            namespace = name.value.rpartition(".")[0]
        else:
            namespace = self.namespace if annotated is None else annotated
        if namespace:
            self.check_namespace(namespace, name)
        return namespace or None

    def type_name(self, token: _Token) -> str:
        name = token.value.rpartition(".")[2]
        if not _valid_name(name):
            raise self.error(token, Text("err.idl.bad_name", name=name))
        if name in _PRIMITIVES:
            raise self.error(token, Text("err.avsc.primitive_name", name=name))
        return name

    def plain_name(self, token: _Token, what: str) -> str:
        if not _valid_name(token.value):
            raise self.error(token, Text(f"err.idl.bad_kind_name.{what}", name=token.value))
        return token.value

    def define(self, t: dict, token: _Token) -> None:
        full = _fullname(t["name"], t["namespace"])
        if full in self.named:
            raise self.error(token, Text("err.idl.type_twice", full=full))
        self.named[full] = t

    # -- annotations
    def properties(self) -> list[tuple[str, object, _Token, _Token]]:
        props = []
        while self.is_(self.peek(), "@"):
            self.advance()
            name = self.identifier(Text("err.idl.want.property"))
            self.expect("(", Text("err.idl.want.property_open", name=name.value))
            value_token = self.peek()
            value = self.json_value()
            self.expect(")", Text("err.idl.want.property_close", name=name.value))
            props.append((name.value, value, name, value_token))
        return props

    def split(self, props: list, where: str):
        """@namespace, @aliases and @order where Avro gives them a meaning; the rest are properties."""
        specials = {"protocol": ("namespace",), "named": ("namespace", "aliases"), "enum": ("namespace", "aliases"),
                    "field": ("aliases", "order")}.get(where, ())
        namespace, aliases, order, others = None, [], "ascending", {}
        for name, value, name_token, value_token in props:
            if name in specials and name == "namespace":
                if not isinstance(value, str):
                    raise self.error(value_token, Text("err.idl.namespace_string"))
                namespace = value
            elif name in specials and name == "aliases":
                if not (isinstance(value, list) and all(isinstance(a, str) for a in value)):
                    raise self.error(value_token, Text("err.idl.aliases_list"))
                aliases += [a for a in value if a not in aliases]
            elif name in specials and name == "order":
                if not (isinstance(value, str) and value.lower() in _ORDERS):
                    raise self.error(value_token, Text("err.idl.order"))
                order = value.lower()
            elif name in _RESERVED[where]:
                hint = _RESERVED_HINTS.get((where, name), _RESERVED_HINTS.get(name))
                raise self.error(name_token, Text(f"err.idl.reserved.{hint or 'plain'}", name=name))
            elif name in others and others[name] != value:
                raise self.error(name_token, Text("err.idl.given_twice", name=name))
            else:
                if where == "type" and name == "order":
                    self.notes.append((name_token.offset, Text("err.idl.order_on_type")))
                others[name] = value
        return namespace, aliases, order, others

    # -- declarations
    def named_declaration(self, first: _Token, props: list) -> None:
        keyword = self.advance().keyword
        name = self.identifier(Text(f"err.idl.want.name.{keyword}"))
        namespace, aliases, _, others = self.split(props, "enum" if keyword == "enum" else "named")
        namespace = self.namespace_for(name, namespace)
        t = {"type": keyword, "name": self.type_name(name), "namespace": namespace}
        doc = self.doc(first)
        if doc is not None:
            t["doc"] = doc
        t["aliases"] = [_fullname(a, namespace) for a in aliases]
        if not all(_valid_name(part) for a in aliases for part in a.split(".")):
            raise self.error(name, Text("err.idl.alias_name"))
        self.define(t, name)
        if keyword == "fixed":
            self.expect("(", Text("err.idl.want.size_open"))
            t["size"] = self.small_int(self.peek(), Text("err.idl.want.size"), 0)
            self.expect(")", Text("err.idl.want.size_close"))
            self.expect(";", Text("err.idl.want.semicolon_fixed"))
        elif keyword == "enum":
            self.enum_body(t)
        else:
            self.record_body(t)
        t.update(others)
        _decimal_scale(t)

    def enum_body(self, t: dict) -> None:
        self.expect("{", Text("err.idl.want.open_enum"))
        t["symbols"] = []
        while not self.is_(self.peek(), "}"):
            self.properties()   # Avro 1.12 accepts and drops annotations on a symbol
            token = self.identifier(Text("err.idl.want.symbol"))
            symbol = self.plain_name(token, "symbol")
            if symbol in t["symbols"]:
                raise self.error(token, Text("err.idl.symbol_twice", name=t["name"], symbol=symbol))
            t["symbols"].append(symbol)
            if not self.is_(self.peek(), "}"):
                self.expect(",", Text("err.idl.want.comma_symbols"))
        self.advance()
        if self.is_(self.peek(), "="):
            self.advance()
            token = self.identifier(Text("err.idl.want.default_symbol"))
            if token.value not in t["symbols"]:
                raise self.error(token, Text("err.idl.default_symbol", value=token.value, name=t["name"]))
            t["default"] = token.value
            self.expect(";", Text("err.idl.want.semicolon_enum"))

    def record_body(self, t: dict) -> None:
        self.namespaces.append(t["namespace"])
        self.expect("{", Text(f"err.idl.want.open.{t['type']}", name=t["name"]))
        t["fields"] = []
        while not self.is_(self.peek(), "}"):
            if self.peek().kind == "eof":
                raise self.error(self.peek(), Text(f"err.idl.never_closed.{t['type']}", name=t["name"]))
            self.field_declaration(t["fields"], Text(f"err.avsc.type_named.{t['type']}", name=t["name"]), ";")
        self.advance()
        self.namespaces.pop()

    def field_declaration(self, fields: list, owner: str, end: str) -> None:
        """`type name [= default], name2 …;`; a message parameter (end ',' or ')') has one name."""
        first = self.peek()
        type_doc = self.doc(first)
        t = self.full_type()
        while True:
            self.variable(t, type_doc, fields, owner)
            if end != ";" or not self.is_(self.peek(), ","):
                break
            self.advance()
        if end == ";":
            self.expect(";", Text("err.idl.want.semicolon_field"))

    def variable(self, t, type_doc, fields: list, owner: str) -> None:
        first = self.peek()
        props = self.properties()
        token = self.identifier(Text("err.idl.want.field_name"))
        name = self.plain_name(token, "field")
        if any(f["name"] == name for f in fields):
            raise self.error(token, Text("err.idl.field_twice", owner=owner, name=name))
        doc = self.doc(first)
        doc = type_doc if doc is None else doc
        default, default_token = _MISSING, None
        if self.is_(self.peek(), "="):
            self.advance()
            default_token = self.peek()
            default = self.json_value()
        _, aliases, order, others = self.split(props, "field")
        if isinstance(t, _Optional):
            t = [t[1], t[0]] if default is not _MISSING and default is not None else list(t)
        field = {"name": name, "type": t}
        if doc is not None:
            field["doc"] = doc
        if default is not _MISSING:
            field["default"] = default
            self.defaults.append((field, default_token))
        if order != "ascending":
            field["order"] = order
        if aliases:
            field["aliases"] = aliases
        field.update(others)
        fields.append(field)

    def message(self, first: _Token, props: list) -> None:
        doc = self.doc(first)
        _, _, _, others = self.split(props, "message")
        response_token = self.peek()
        if self.is_(response_token, "void"):
            self.advance()
            response = {"type": "null"}
        else:
            response = self.plain_type()
        name = self.identifier(Text("err.idl.want.message_name"))
        if name.value in self.protocol["messages"]:
            raise self.error(name, Text("err.idl.message_twice", name=name.value))
        self.plain_name(name, "message")
        self.expect("(", Text("err.idl.want.parameters", name=name.value))
        request: list = []
        while not self.is_(self.peek(), ")"):
            self.field_declaration(request, Text("err.idl.the_message", name=name.value), ",")
            if not self.is_(self.peek(), ")"):
                self.expect(",", Text("err.idl.want.comma_parameters"))
        self.advance()
        message = {"doc": doc, "props": others, "request": request, "response": response}
        if self.is_(self.peek(), "oneway"):
            self.advance()
            if not (isinstance(response, dict) and response.get("type") == "null" and len(response) == 1):
                raise self.error(response_token, Text("err.idl.one_way", name=name.value))
            message["one-way"] = True
        elif self.is_(self.peek(), "throws"):
            self.advance()
            message["errors"] = [self.reference(self.identifier(Text("err.idl.want.error_type")))]
            while self.is_(self.peek(), ","):
                self.advance()
                message["errors"].append(self.reference(self.identifier(Text("err.idl.want.error_type"))))
        self.expect(";", Text("err.idl.want.semicolon_message"))
        self.protocol["messages"][name.value] = message

    # -- types
    def full_type(self):
        """Annotations, then a type: `@logicalType("timestamp-micros") long`."""
        props = self.properties()
        token = self.peek()
        t = self.plain_type()
        if props:
            target = t[1] if isinstance(t, _Optional) else t
            if isinstance(target, _Ref):
                raise self.error(token, Text("err.idl.reference_props", name=target.fullname, prop=props[0][0]))
            if isinstance(target, list):
                raise self.error(props[0][2], Text("err.idl.union_props"))
            _, _, _, others = self.split(props, "type")
            for key, value in others.items():
                if key in target and target[key] != value:
                    raise self.error(props[0][2], Text("err.idl.contradicts", key=key))
                target[key] = value
            _decimal_scale(target)
        return t

    def plain_type(self):
        token = self.peek()
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(token, Text("err.idl.types_deep", limit=_MAX_DEPTH))
        try:
            t = self.composite_type(token)
            if t is not None:
                if self.is_(self.peek(), "?"):
                    raise self.error(self.peek(), Text("err.idl.optional"))
                return t
            if token.keyword in _PRIMITIVES:
                self.advance()
                base, logical = _PRIMITIVES[token.keyword]
                t = {"type": base, "logicalType": logical} if logical else {"type": base}
            elif self.is_(token, "decimal") and self.is_(self.peek(1), "("):
                t = self.decimal()
            elif token.kind == "word":
                t = self.reference(self.advance())
            else:
                raise self.error(token, Text("err.idl.type", found=self.found(token)))
            if self.is_(self.peek(), "?"):
                self.advance()
                t = _Optional([{"type": "null"}, t])
                self.unions.append((t, token))
            return t
        finally:
            self.depth -= 1

    def composite_type(self, token: _Token):
        if (self.is_(token, "array") or self.is_(token, "map")) and self.is_(self.peek(1), "<"):
            self.advance()
            self.advance()
            inner = self.full_type()
            self.expect(">", Text("err.idl.want.close_angle", keyword=token.keyword))
            return {"type": "array", "items": inner} if token.keyword == "array" else {"type": "map", "values": inner}
        if self.is_(token, "union") and self.is_(self.peek(1), "{"):
            self.advance()
            self.advance()
            branches = [self.full_type()]
            while self.is_(self.peek(), ","):
                self.advance()
                branches.append(self.full_type())
            self.expect("}", Text("err.idl.want.close_union"))
            self.unions.append((branches, token))
            return branches
        return None

    def decimal(self) -> dict:
        self.advance()
        self.advance()
        precision = self.small_int(self.peek(), Text("err.idl.want.precision"), 1)
        scale = 0
        if self.is_(self.peek(), ","):
            self.advance()
            scale_token = self.peek()
            scale = self.small_int(scale_token, Text("err.idl.want.scale"), 0)
            if scale > precision:
                raise self.error(scale_token, Text("err.idl.scale", scale=scale, precision=precision))
        self.expect(")", Text("err.idl.want.close_decimal"))
        return {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}

    def small_int(self, token: _Token, what: str, least: int) -> int:
        if token.kind != "int" or token.text[-1] in "lL" or not least <= token.value < 2 ** 31:
            raise self.error(token, Text("err.idl.whole", what=what, least=least, most=2 ** 31 - 1))
        return self.advance().value

    def reference(self, token: _Token) -> _Ref:
        return _Ref(_fullname(token.value, self.namespace), token, token.value)

    # -- JSON values (defaults and annotations)
    def json_value(self):
        token = self.advance()
        if token.kind in ("string", "int", "float"):
            return token.value
        if token.keyword in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.keyword]
        if not (self.is_(token, "[") or self.is_(token, "{")):
            raise self.error(token, Text("err.idl.json_value", found=self.found(token)))
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(token, Text("err.idl.value_deep", limit=_MAX_DEPTH))
        close = "]" if token.text == "[" else "}"
        items: list = []
        obj: dict = {}
        while not self.is_(self.peek(), close):
            if close == "}":
                key = self.advance()
                if key.kind != "string":
                    raise self.error(key, Text("err.idl.key", found=self.found(key)))
                self.expect(":", Text("err.idl.want.colon"))
                obj[key.value] = self.json_value()
            else:
                items.append(self.json_value())
            if not self.is_(self.peek(), close):
                self.expect(",", Text("err.idl.want.comma_or", close=close))
        self.advance()
        self.depth -= 1
        return obj if close == "}" else items

    # -- the whole file read: resolve names, check unions and defaults, write the JSON
    def result(self) -> IdlFile:
        for t in self.named.values():
            for field in t.get("fields", ()):
                field["type"] = self.resolve(field["type"])
        if self.main is not _MISSING:
            self.main = self.resolve(self.main)
        if self.protocol:
            for message in self.protocol["messages"].values():
                for field in message["request"]:
                    field["type"] = self.resolve(field["type"])
                message["response"] = self.resolve(message["response"])
                message["errors"] = [self.resolve(e) for e in message.get("errors", ())]
        for branches, token in self.unions:
            self.check_union([self.resolve(b) for b in branches], token)
        for field, token in self.defaults:
            why = _avro_schema.default_error(field["default"], field["type"])
            if why:
                raise self.error(token, Text("err.idl.default", name=field["name"], why=why))
        ignored = [(offset, Text("err.idl.doc_ignored"))
                   for token in self.tokens for offset, _ in token.docs if offset not in self.used_docs]
        warnings = tuple(self.source.error(offset, text).message for offset, text in sorted(ignored + self.notes))
        writer = _JsonWriter()
        if self.protocol:
            return IdlFile("protocol", _dumps(writer.protocol(self.protocol, self.named)), warnings, self.main_at)
        if self.main is not _MISSING:
            return IdlFile("schema", _dumps(writer.type(self.main, None)), warnings, self.main_at)
        types = [_JsonWriter().type(t, None) for t in self.named.values()]
        return IdlFile("types", _dumps(types), warnings, self.main_at)

    def resolve(self, t):
        return _resolved(t, self.lookup)

    def lookup(self, ref: _Ref) -> dict:
        if ref.fullname in self.named:
            return self.named[ref.fullname]
        known = [name.rpartition(".")[2] for name in self.named] + list(_PRIMITIVES)
        close = difflib.get_close_matches(ref.plain, known, n=1)
        raise self.error(ref.where, Text("err.idl.unknown_like", name=ref.fullname, like=close[0]) if close else
                         Text("err.idl.unknown", name=ref.fullname))

    def check_union(self, branches: list, token: _Token) -> None:
        seen = set()
        for branch in branches:
            if isinstance(branch, list):
                raise self.error(token, Text("err.idl.nested_union"))
            key = _fullname(branch["name"], branch["namespace"]) if branch["type"] in _NAMED else branch["type"]
            if key in seen:
                raise self.error(token, Text("err.idl.union_twice", type=key))
            seen.add(key)


def _decimal_scale(t: dict) -> None:
    """Avro's Java library completes a valid decimal annotated by hand with "scale": 0, as its spec defaults."""
    if t.get("logicalType") == "decimal" and t["type"] in ("bytes", "fixed") and "scale" not in t:
        precision = t.get("precision")
        if isinstance(precision, int) and not isinstance(precision, bool) and 0 < precision < 2 ** 31 and (
                t["type"] == "bytes" or precision <= math.floor(math.log10(2) * (8 * t["size"] - 1))):
            t["scale"] = 0


# ---- Avro's JSON, written as Avro's Java library writes it ---------------------------------------

def _json_value(value):
    """Jackson writes NaN and infinities as strings ("NaN", "-Infinity"); so does Avro's output."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def _dumps(obj) -> str:
    return _avro_schema.pretty(obj) + "\n"


def _props(t: dict, kind: str) -> dict:
    return {k: _json_value(v) for k, v in t.items() if k not in _OWN_KEYS[kind]}


class _JsonWriter:
    """A named type is written in full where it first appears, then by name (short in its own namespace)."""

    def __init__(self):
        self.written: set[str] = set()
        self.depth = 0

    def type(self, t, space: str | None):
        if isinstance(t, list):
            return [self.type(b, space) for b in t]
        kind = t["type"]
        if kind not in _NAMED:
            out = {"type": kind}
            if kind in ("array", "map"):
                part = "items" if kind == "array" else "values"
                out[part] = self.nested(t[part], space)
            out.update(_props(t, kind if kind in ("array", "map") else "primitive"))
            return out if len(out) > 1 else kind
        full = _fullname(t["name"], t["namespace"])
        if full in self.written:
            return t["name"] if t["namespace"] in (None, space) else full
        self.written.add(full)
        out = {"type": kind, "name": t["name"]}
        ns = t["namespace"]
        if ns != space:
            out["namespace"] = ns or ""
        if "doc" in t:
            out["doc"] = t["doc"]
        if kind == "fixed":
            out["size"] = t["size"]
        elif kind == "enum":
            out["symbols"] = t["symbols"]
            if "default" in t:
                out["default"] = t["default"]
        else:
            out["fields"] = [self.field(f, ns) for f in t["fields"]]
        out.update(_props(t, kind))
        if t["aliases"]:
            out["aliases"] = [a.rpartition(".")[2] if _namespace_of(a) == ns else a for a in t["aliases"]]
        return out

    def nested(self, t, space):
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise FormatError(Text("err.idl.schema_deep", limit=_MAX_DEPTH))
        try:
            return self.type(t, space)
        finally:
            self.depth -= 1

    def field(self, f: dict, space: str | None) -> dict:
        out = {"name": f["name"], "type": self.nested(f["type"], space)}
        for key in ("doc", "default", "order", "aliases"):
            if key in f:
                out[key] = _json_value(f[key])
        out.update(_props(f, "field"))
        return out

    def protocol(self, p: dict, named: dict) -> dict:
        space = p["namespace"]
        out = {"protocol": p["protocol"]}
        if space:
            out["namespace"] = space
        if p["doc"] is not None:
            out["doc"] = p["doc"]
        out.update(_json_value(p["props"]))
        out["types"] = [self.type(t, space) for full, t in named.items() if full not in self.written]
        out["messages"] = {}
        for name, m in p["messages"].items():
            message = {"doc": m["doc"]} if m["doc"] is not None else {}
            message.update(_json_value(m["props"]))
            message["request"] = [self.field(f, space) for f in m["request"]]
            message["response"] = self.type(m["response"], space)
            if m.get("errors"):
                message["errors"] = self.type(m["errors"], space)
            if m.get("one-way"):
                message["one-way"] = True
            out["messages"][name] = message
        return out


# ---- the printer: Avro's JSON -> IDL ------------------------------------------------------------

def to_idl(json_text: str) -> str:
    """An Avro schema (.avsc) or protocol (.avpr) printed as Avro IDL that translates back to it."""
    return _to_idl_cached(_within_limit(json_text, Text("err.the_schema")))


@functools.lru_cache(maxsize=64)
def _to_idl_cached(json_text: str) -> str:
    obj = _avro_schema.load(json_text)
    model = _JsonReader()
    if isinstance(obj, dict) and "protocol" in obj:
        return _Printer(model.named).protocol(model.protocol(obj))
    main = model.type(obj, None, Text("err.the_schema"))
    model.resolve_all()
    return _Printer(model.named).schema(model.resolve(main))


def _fail(where: str, message: str) -> FormatError:
    return FormatError(Text("err.idl.at", where=where, message=message))


class _JsonReader:
    """Avro's JSON into the reader's model (named types as shared dicts), for printing."""

    def __init__(self):
        self.named: dict[str, dict] = {}
        self.refs: list = []

    def type(self, t, ns: str | None, where: str):
        if isinstance(t, str):
            if t in _PRIMITIVES and _PRIMITIVES[t][1] is None:
                return {"type": t}
            return _Ref(_fullname(t, ns), where, t)
        if isinstance(t, list):
            if not t:
                raise _fail(where, Text("err.avsc.empty_union"))
            if any(isinstance(b, list) for b in t):
                raise _fail(where, Text("err.idl.json.nested_union"))
            return [self.type(b, ns, Text("err.idl.json.branch", where=where, i=i)) for i, b in enumerate(t)]
        if not isinstance(t, dict) or not isinstance(t.get("type"), str):
            raise _fail(where, Text("err.idl.json.not_type", got=describe(t)))
        kind = t["type"]
        if kind in _NAMED:
            return self.named_type(t, ns, where)
        if kind in ("array", "map"):
            part = "items" if kind == "array" else "values"
            if part not in t:
                raise _fail(where, Text(f"err.idl.json.needs_{part}"))
            out = dict(t)
            out[part] = self.type(t[part], ns, Text(f"err.idl.json.{part}", where=where))
            return out
        if kind in _PRIMITIVES and _PRIMITIVES[kind][1] is None:
            return dict(t)
        if len(t) == 1:
            return _Ref(_fullname(kind, ns), where, kind)
        raise _fail(where, Text("err.idl.json.unknown", name=kind))

    def named_type(self, t: dict, ns: str | None, where: str) -> dict:
        name = t.get("name")
        if not isinstance(name, str) or not all(_valid_name(part) for part in name.split(".")):
            raise _fail(where, Text("err.idl.json.name", type=t["type"]))
        namespace = t.get("namespace", ns) if "." not in name else name.rpartition(".")[0]
        if not (namespace is None or isinstance(namespace, str)):
            raise _fail(where, Text("err.idl.json.namespace"))
        namespace = namespace or None
        full = _fullname(name.rpartition(".")[2], namespace)
        where = Text(f"err.avsc.type_named.{t['type']}", name=full)
        if full in self.named:
            raise _fail(where, Text("err.idl.json.twice"))
        aliases = t.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            raise _fail(where, Text("err.avsc.aliases"))
        out = dict(t, name=name.rpartition(".")[2], namespace=namespace,
                   aliases=[_fullname(a, namespace) for a in aliases])
        self.named[full] = out
        size = t.get("size")
        if t["type"] == "fixed" and not (isinstance(size, int) and not isinstance(size, bool) and 0 <= size < 2 ** 31):
            raise _fail(where, Text("err.idl.json.size"))
        if t["type"] == "enum" and not (isinstance(t.get("symbols"), list)
                                        and all(isinstance(s, str) for s in t["symbols"])):
            raise _fail(where, Text("err.idl.json.symbols"))
        if t["type"] in ("record", "error"):
            if not isinstance(t.get("fields"), list):
                raise _fail(where, Text("err.idl.json.fields"))
            out["fields"] = [self.field(f, namespace, where) for f in t["fields"]]
        return out

    def field(self, f, ns: str | None, where: str) -> dict:
        if not (isinstance(f, dict) and isinstance(f.get("name"), str) and "type" in f):
            raise _fail(where, Text("err.idl.json.field"))
        aliases = f.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            raise _fail(Text("err.idl.json.in_field", where=where, name=f["name"]), Text("err.avsc.aliases"))
        out = dict(f, type=self.type(f["type"], ns, Text("err.idl.json.in_field", where=where, name=f["name"])))
        if out.get("order", "ascending") == "ascending":
            out.pop("order", None)
        if not aliases:
            out.pop("aliases", None)
        return out

    def protocol(self, p: dict) -> dict:
        name = p["protocol"]
        if not isinstance(name, str):
            raise _fail(Text("err.idl.json.the_protocol"), Text("err.idl.json.protocol_name"))
        ns = p.get("namespace") if "." not in name else name.rpartition(".")[0]
        if not (ns is None or isinstance(ns, str)):
            raise _fail(Text("err.idl.json.the_protocol"), Text("err.idl.json.namespace"))
        ns = ns or None
        types, messages = p.get("types", []), p.get("messages", {})
        if not isinstance(types, list) or not isinstance(messages, dict):
            raise _fail(Text("err.idl.json.the_protocol"), Text("err.idl.json.types"))
        for t in types:
            self.type(t, ns, Text("err.idl.json.protocol_types"))
        out = {"protocol": name.rpartition(".")[2], "namespace": ns, "doc": p.get("doc"),
               "props": _props(p, "protocol"), "messages": {}}
        for mname, m in messages.items():
            where = Text("err.idl.json.message", name=mname)
            if not (isinstance(m, dict) and isinstance(m.get("request"), list)):
                raise _fail(where, Text("err.idl.json.request"))
            errors = m.get("errors", [])
            if not isinstance(errors, list):
                raise _fail(where, Text("err.idl.json.errors"))
            out["messages"][mname] = {
                "doc": m.get("doc"), "props": _props(m, "message"),
                "request": [self.field(f, ns, where) for f in m["request"]],
                "response": self.type(m.get("response", "null"), ns, where),
                "errors": [self.type(e, ns, where) for e in errors], "one-way": m.get("one-way") is True}
        self.resolve_all()
        for m in out["messages"].values():
            for f in m["request"]:
                f["type"] = self.resolve(f["type"])
            m["response"] = self.resolve(m["response"])
            m["errors"] = [self.resolve(e) for e in m["errors"]]
        return out

    def resolve(self, t):
        return _resolved(t, self.lookup)

    def lookup(self, ref: _Ref) -> dict:
        """A name resolves in its namespace, then (as Avro's Java library allows) with no namespace."""
        for full in (ref.fullname, ref.plain):
            if full in self.named:
                return self.named[full]
        raise _fail(ref.where, Text("err.idl.json.unknown", name=ref.plain))

    def resolve_all(self) -> None:
        for t in self.named.values():
            for f in t.get("fields", ()):
                f["type"] = self.resolve(f["type"])


class _Printer:
    """The model as IDL, in the layout of Avro's own IDL files (two-space indents, one field a line)."""

    def __init__(self, named: dict):
        self.named = named

    def schema(self, main) -> str:
        named_main = isinstance(main, dict) and main["type"] in _NAMED
        ns = main["namespace"] if named_main else next((t["namespace"] for t in self.named.values()), None)
        lines = [f"namespace {self.name(ns)};", ""] if ns else []
        lines += [f"schema {self.type(main, ns)};", ""]
        for t in self.named.values():
            lines += self.declaration(t, ns, "") + [""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def protocol(self, p: dict) -> str:
        ns = p["namespace"]
        lines = self.doc(p["doc"], "")
        if ns:
            lines.append(f"@namespace({self.value(ns)})")
        lines += self.annotations(p["props"], "protocol", "", "the protocol")
        lines.append(f"protocol {self.name(p['protocol'])} {{")
        for t in self.named.values():
            lines += self.declaration(t, ns, "  ") + [""]
        for name, m in p["messages"].items():
            lines += self.message(name, m, ns) + [""]
        if lines[-1] == "":
            lines.pop()
        return "\n".join(lines + ["}"]) + "\n"

    # -- pieces
    def name(self, name: str) -> str:
        """A name as an IDL identifier; keywords in backticks (`error`)."""
        if not (all(_valid_name(part) for part in name.split(".")) and _word_end(name, 0) == len(name)):
            raise FormatError(Text("err.idl.print.name", name=name))
        return f"`{name}`" if name in KEYWORDS or name in ("NaN", "Infinity") else name

    @staticmethod
    def value(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    def annotations(self, props: dict, where: str, indent: str, what: str) -> list[str]:
        out = []
        for key, value in props.items():
            if key in _RESERVED[where] or _word_end(key, 0) != len(key):
                raise FormatError(Text("err.idl.print.property", what=what, key=key))
            out.append(f"{indent}@{f'`{key}`' if key in ('NaN', 'Infinity') else key}({self.value(value)})")
        return out

    def doc(self, doc, indent: str) -> list[str]:
        if not isinstance(doc, str) or not doc.strip(_JAVA_TRIM):
            return []
        if "*/" in doc:
            raise FormatError(Text("err.idl.print.doc", doc=repr(doc[:40])))
        lines = re.split(_NL, doc)
        if len(lines) == 1 and doc == doc.strip(_JAVA_TRIM) and not doc.startswith("*"):
            return [f"{indent}/** {doc} */"]
        return [f"{indent}/**"] + [f"{indent} * {line}".rstrip(" ") if not line else f"{indent} * {line}"
                                   for line in lines] + [f"{indent} */"]

    def declaration(self, t: dict, ns, indent: str) -> list[str]:
        kind, own_ns = t["type"], t["namespace"]
        what = Text(f"err.avsc.type_named.{kind}", name=_fullname(t["name"], own_ns))
        lines = self.doc(t.get("doc"), indent)
        if own_ns != ns:
            lines.append(f"{indent}@namespace({self.value(own_ns or '')})")
        if t["aliases"]:
            aliases = [a.rpartition(".")[2] if _namespace_of(a) == own_ns else a for a in t["aliases"]]
            lines.append(f"{indent}@aliases({self.value(aliases)})")
        lines += self.annotations(_props(t, kind), "enum" if kind == "enum" else "named", indent, what)
        name = self.name(t["name"])
        if kind == "fixed":
            return lines + [f"{indent}fixed {name}({t['size']});"]
        if kind == "enum":
            symbols = ", ".join(self.name(s) for s in t["symbols"])
            default = f" = {self.name(t['default'])};" if "default" in t else ""
            return lines + [f"{indent}enum {name} {{", f"{indent}  {symbols}", f"{indent}}}{default}"]
        lines.append(f"{indent}{kind} {name} {{")
        for f in t["fields"]:
            lines += self.doc(f.get("doc"), indent + "  ")
            lines.append(f"{indent}  {self.variable(f, own_ns, what)};")
        return lines + [f"{indent}}}"]

    def variable(self, f: dict, ns, what: str) -> str:
        """`type @aliases([…]) @order("…") @prop(…) name = default` (a field or a message parameter)."""
        what = Text("err.idl.json.in_field", where=what, name=f["name"])
        words = [self.type(f["type"], ns, f.get("default", _MISSING))]
        if f.get("aliases"):
            words.append(f"@aliases({self.value(f['aliases'])})")
        if "order" in f:
            if not (isinstance(f["order"], str) and f["order"].lower() in _ORDERS):
                raise FormatError(Text("err.idl.print.order", what=what))
            words.append(f'@order("{f["order"].lower()}")')
        words += self.annotations(_props(f, "field"), "field", "", what)
        words.append(self.name(f["name"]) + (f" = {self.default(f['type'], f['default'])}" if "default" in f else ""))
        return " ".join(words)

    def default(self, t, value) -> str:
        """Avro's Java library writes a NaN or infinite float default as the string "NaN": write it back bare."""
        first = t[0] if isinstance(t, list) else t
        if value in ("NaN", "Infinity", "-Infinity") and first["type"] in ("float", "double"):
            return value
        return self.value(value)

    def message(self, name: str, m: dict, ns) -> list[str]:
        lines = self.doc(m["doc"], "  ") + self.annotations(m["props"], "message", "  ", f"message {name}")
        response = m["response"]
        result = "void" if response == {"type": "null"} else self.type(response, ns)
        params = [(self.doc(f.get("doc"), "    "), self.variable(f, ns, Text("err.idl.json.message", name=name))) for f in m["request"]]
        if m["one-way"]:
            tail = " oneway"
        else:
            tail = " throws " + ", ".join(self.type(e, ns) for e in m["errors"]) if m["errors"] else ""
        head = f"  {result} {self.name(name)}("
        if not any(doc for doc, _ in params):
            return lines + [head + ", ".join(text for _, text in params) + f"){tail};"]
        lines.append(head)
        for i, (doc, text) in enumerate(params):
            lines += doc + [f"    {text}{',' if i < len(params) - 1 else ''}"]
        return lines + [f"  ){tail};"]

    def type(self, t, ns, default=_MISSING) -> str:
        """A type where it is used; `T?` where IDL's shorthand gives back the same union."""
        if isinstance(t, list):
            kinds = [b["type"] for b in t]
            if len(t) == 2 and "null" in kinds and kinds[0] != kinds[1]:
                other = t[1] if kinds[0] == "null" else t[0]
                null_first = kinds[0] == "null"
                if other["type"] not in ("array", "map") and null_first == (default is _MISSING or default is None):
                    return self.type(other, ns) + "?"
            return "union { " + ", ".join(self.type(b, ns) for b in t) + " }"
        kind = t["type"]
        if kind in _NAMED:
            full = _fullname(t["name"], t["namespace"])
            if t["namespace"] == ns:
                return self.name(t["name"])
            if t["namespace"] is None:
                raise FormatError(Text("err.idl.print.no_namespace", full=full, ns=ns))
            return self.name(full)
        props = _props(t, kind if kind in ("array", "map") else "primitive")
        if kind in ("array", "map"):
            text = f"{kind}<{self.type(t['items' if kind == 'array' else 'values'], ns)}>"
        else:
            text = self.primitive(kind, props)
        return " ".join(self.annotations(props, "type", "", Text("err.idl.print.the_type", kind=kind)) + [text])

    @staticmethod
    def primitive(kind: str, props: dict) -> str:
        """The IDL keyword for a primitive or logical type; the properties it spells are taken out of `props`."""
        logical = props.get("logicalType")
        for keyword, spelled in _PRIMITIVES.items():
            if spelled == (kind, logical):
                props.pop("logicalType", None)
                return keyword
        precision, scale = props.get("precision"), props.get("scale")
        if (kind, logical) == ("bytes", "decimal") and all(
                isinstance(n, int) and not isinstance(n, bool) for n in (precision, scale)) \
                and 0 < precision < 2 ** 31 and 0 <= scale <= precision:
            for key in ("logicalType", "precision", "scale"):
                del props[key]
            return f"decimal({precision},{scale})"
        return kind
