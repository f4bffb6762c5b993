"""Erlang/OTP's own encoding for the actors simulation: the External Term Format, written and read by
erlang-py (a pure-Python implementation of term_to_binary/binary_to_term).

A record is a tuple whose first element is the record's name: #person{user_name, favorite_number,
interests} travels as {person, Name, Number, Interests}, and a handler written for it matches by name and
arity. Adding a field makes the tuple one longer: a node still running the old code no longer matches the
new tuple, and new code no longer matches the old one (function_clause, both ways). A map (Erlang/OTP 17,
2014) is matched by its keys: old code ignores a key it does not know, new code reads a key old code never
sent with a default (maps:get(email, M, undefined)).

    >>> codec = TermCodec("record")
    >>> codec.decode(1, codec.encode(2, codec.record(2)), writer_version=2).status
    'failed'
"""
import erlang

from dataflow.codec import Reading

FIELDS = {1: ("user_name", "favorite_number", "interests"), 2: ("user_name", "favorite_number", "interests", "email")}
OPTIONAL = ("email",)   # v2 code reads it with a default
VALUES = {"user_name": "Martin", "favorite_number": 1337, "interests": ["daydreaming", "hacking"],
          "email": "martin@example.com"}
SHAPES = ("record", "map")


def _term(value):
    """A Python value as the Erlang term the handler expects: text as binaries, lists as lists."""
    if isinstance(value, str):
        return erlang.OtpErlangBinary(value.encode("utf-8"))
    if isinstance(value, list):
        return [_term(v) for v in value]
    return value


def _value(term):
    if isinstance(term, erlang.OtpErlangBinary):
        return term.value.decode("utf-8")
    if isinstance(term, list):
        return [_value(t) for t in term]
    return term


class TermCodec:
    """The Codec of dataflow.codec for two code versions that add `email`, as a record or as a map."""
    versions = (1, 2)

    def __init__(self, shape: str):
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}")
        self.shape = shape
        self.format_id = f"Erlang terms ({shape}s)"

    def record(self, version: int) -> dict:
        return {k: VALUES[k] for k in FIELDS[version]}

    def encode(self, version: int, record: dict) -> bytes:
        if self.shape == "record":
            term = (erlang.OtpErlangAtom(b"person"), *(_term(record[k]) for k in FIELDS[version]))
        else:
            term = {erlang.OtpErlangAtom(k.encode()): _term(v) for k, v in record.items()}
        return erlang.term_to_binary(term)

    def decode(self, version: int, data: bytes, writer_version: int) -> Reading:
        term = erlang.binary_to_term(data)
        fields = FIELDS[version]
        if self.shape == "record":
            if not (isinstance(term, tuple) and term and term[0] == erlang.OtpErlangAtom(b"person")
                    and len(term) == 1 + len(fields)):
                return Reading("failed", error=f"function_clause: v{version}'s handler matches #person{{}}, a "
                                               f"{1 + len(fields)}-tuple; this message is a {len(term)}-tuple")
            return Reading("ok", {k: _value(t) for k, t in zip(fields, term[1:])})
        got = {k.value.decode(): _value(v) for k, v in term.items()}
        missing = [k for k in fields if k not in got and k not in OPTIONAL]
        if missing:
            return Reading("failed", error=f"badmatch: v{version}'s handler needs the key {missing[0]}")
        record = {k: got.get(k) for k in fields}
        return Reading("ok", record, defaulted=tuple(k for k in fields if k not in got),
                       ignored=tuple(k for k in got if k not in fields))
