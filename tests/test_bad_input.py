"""Bad input of every kind a user can type or paste: a FormatError that says what and where.

One table across record text, each schema language, records that do not fit their schema, and
bytes no format can read. Every message is checked for its point (the substring) and for
showing no internals (a temp path, a traceback, a library repr: tests.support.format_error).
"""
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats import compare
from formats.pasted import parse_pasted
from tests.support import book_record, format_error

PERSON = sample_data.load("person").schemas
BOOK = book_record()
ENUM_AVSC = ('{"type": "record", "name": "R", "fields": [{"name": "s", "type": '
             '{"type": "enum", "name": "Colour", "symbols": ["RED"]}}]}')

CASES = [
    # record text
    # record text: where and why come from the text, not from the json module's wording (which
    # Python 3.13 changed: "Illegal trailing comma" at the comma where 3.11 points after it)
    ("record: trailing comma", formats.parse_record, ('{"a": 1,}',), "line 1, column 8: a comma before the closing }"),
    ("record: trailing comma, spaced", formats.parse_record, ('{"a": [1, 2 , ],\n "b": 1}',),
     "line 1, column 13: a comma before the closing ]"),
    ("record: missing comma", formats.parse_record, ('{"a": "x" "b"}',), "line 1, column 11"),
    ("record: missing colon", formats.parse_record, ('{"a" 1}',), "line 1, column 6: expected a colon"),
    ("record: single quotes", formats.parse_record, ("{'a': 1}",), "line 1, column 2: JSON takes double quotes"),
    ("record: unquoted text", formats.parse_record, ('{"a": hello}',), "line 1, column 7: hello is not a value"),
    ("record: leading zero", formats.parse_record, ('{"a": 07}',), "line 1, column 7: a number cannot start with 0"),
    ("record: unclosed string", formats.parse_record, ('{"a": "x}',), "line 1, column 7: a string that starts here"),
    ("record: bad escape", formats.parse_record, ('{"a": "\\q"}',), "line 1, column 8: a backslash escape"),
    ("record: short \\u", formats.parse_record, ('{"a": "\\u12"}',), "line 1, column 8: \\u must be followed"),
    ("record: raw tab", formats.parse_record, ('{"a": "\t"}',), "line 1, column 8: a raw control character"),
    ("record: ends early", formats.parse_record, ('{"a": [1,\n',), "line 1, column 10: the text ends too early"),
    ("record: extra text", formats.parse_record, ('{"a": 1} {"b": 2}',), "line 1, column 10: there is more text"),
    ("record: an array", formats.parse_record, ("[1, 2]",), "must be a JSON object"),
    ("record: NaN", formats.parse_record, ('{"a": 1,\n "b": NaN}',), "line 2, column 7: NaN is not a JSON value"),
    ("record: -Infinity", formats.parse_record, ('{"a": -Infinity}',), "line 1, column 7: -Infinity is not"),
    ("record: lone high surrogate", formats.parse_record, ('{"userName": "\\ud800"}',),
     "line 1, column 15: \\ud800 is half of a UTF-16 surrogate pair"),
    ("record: lone low surrogate in a name", formats.parse_record, ('{"\\udfff": 1}',), "line 1, column 3: \\udfff"),
    ("record: raw lone surrogate", formats.parse_record, ('{"a": "x\udc00"}',), "line 1, column 9: a lone surrogate"),
    ("record: too deep", formats.parse_record, ('{"a":' + "[" * 40 + "]" * 40 + "}",), "the limit is 32"),
    ("record: empty", formats.parse_record, ("  ",), "the record is empty"),
    ("record: 1e400", formats.parse_record, ('{"a": [1, 1e400]}',), "line 1, column 11: the number 1e400 is too large"),
    ("record: 50 digits", formats.parse_record, ('{"a": ' + "9" * 50 + "}",), "50 digits"),
    # a schema derived from a record holds its integers, or says which fits no integer type of the
    # language: Avro's long and Thrift's i64 are signed 64-bit (Avro spec "Primitive Types", Thrift
    # IDL "Base Types"); protobuf has uint64 for 2^63..2^64-1 ("Scalar Value Types")
    ("record: 2^63 in Avro", compare.derive_schema, ("avsc", {"n": 2 ** 63}),
     "n: 9223372036854775808 fits no Avro integer type (long holds −2^63 to 2^63−1; Avro has no unsigned"),
    ("record: 2^63 in Thrift", compare.derive_schema, ("thrift", {"a": {"n": [1, 2 ** 63]}}),
     "a.n[1]: 9223372036854775808 fits no Thrift integer type"),
    ("record: 2^64 in protobuf", compare.derive_schema, ("proto", {"n": 2 ** 64}),
     "n: 18446744073709551616 fits no Protocol Buffers integer type (int64 holds −2^63 to 2^63−1; uint64"),
    ("record: -1 and 2^63 in protobuf", compare.derive_schema, ("proto", {"n": [-1, 2 ** 63]}),
     "n: -1 and 9223372036854775808 need one type"),
    ("record: msgpack int range", formats.encode, ("msgpack", {"a": [1, 2 ** 64]}), "a[1]: 18446744073709551616"),
    ("record: bson int range", formats.encode, ("bson", {"a": 2 ** 63}), "a: 9223372036854775808"),
    ("record: xml control char", formats.encode, ("xml", {"a": "bell\x07"}), "U+0007"),
    # Avro schema text
    ("avsc: JSON syntax", formats.encode, ("avro", BOOK, '{"type": "record", "name": "P", "fields": [}'),
     "line 1, column 44"),
    ("avsc: unknown type", formats.encode, ("avro", BOOK, '{"type": "record", "name": "P", "fields": '
                                                          '[{"name": "userName", "type": "strng"}]}'),
     'did you mean "string"'),
    ("avsc: record without name", formats.encode, ("avro", BOOK, '{"type": "record", "fields": []}'),
     'needs a "name"'),
    ("avsc: default of the wrong type", formats.encode,
     ("avro", {"a": 1}, '{"type": "record", "name": "P", "fields": [{"name": "a", "type": "int", '
                        '"default": "x"}]}'), 'the default "x" does not fit'),
    ("avsc: not a record", formats.encode, ("avro", BOOK, '"string"'), "must be a record"),
    # .proto text
    ("proto: unknown type", formats.encode, ("protobuf", BOOK, "message Person {\n  required strin user_name = 1;\n}"),
     "line 2, column 12"),
    ("proto: absolute import", formats.encode, ("protobuf", BOOK, 'import "/etc/passwd";\nmessage P {}'),
     'cannot import "/etc/passwd"'),
    ("proto: .. import", formats.encode, ("protobuf", BOOK, 'import "../secret.proto";\nmessage P {}'),
     'cannot import "../secret.proto"'),
    ("proto: field number twice", formats.encode,
     ("protobuf", BOOK, 'syntax = "proto3";\nmessage P { string a = 1; string b = 1; }'), "line 2, column 38"),
    ("proto: no message", formats.encode, ("protobuf", BOOK, "enum E { A = 0; }"), "defines no message"),
    # Thrift IDL
    ("thrift: unknown type", formats.encode, ("thrift-binary", BOOK, "struct Person {\n  1: required strin userName\n}"),
     "line 2, column 15"),
    ("thrift: include", formats.encode, ("thrift-binary", BOOK, 'include "../../etc/passwd.thrift"\nstruct P {}'),
     "include is not supported"),
    ("thrift: field id twice", formats.encode, ("thrift-compact", BOOK, "struct P {\n 1: string a,\n 1: string b\n}"),
     "line 3"),
    ("thrift: comment never closed", formats.encode, ("thrift-compact", BOOK, "struct P { 1: string a /* never"),
     "never closed"),
    # records that do not fit their schema
    ("mismatch: avro string field", formats.encode, ("avro", {"userName": 1, "interests": []}, PERSON["avsc"]),
     "userName: expected a string, got the integer 1"),
    ("mismatch: protobuf int64 field", formats.encode,
     ("protobuf", {"userName": "M", "favoriteNumber": "abc"}, PERSON["proto"]), "favoriteNumber: expected an integer"),
    ("mismatch: protobuf required", formats.encode, ("protobuf", {"favoriteNumber": 1}, PERSON["proto"]),
     "userName (field tag 1) is required"),
    ("mismatch: thrift unknown field", formats.encode, ("thrift-compact", {"userName": "M", "city": "x"},
                                                        PERSON["thrift"]), "city: struct Person has no field"),
    ("mismatch: thrift required", formats.encode, ("thrift-binary", {"favoriteNumber": 1}, PERSON["thrift"]),
     "userName"),
    ("mismatch: int32 range", formats.encode, ("protobuf", {"a": 2 ** 40}, 'syntax = "proto3"; message M { int32 a = 1; }'),
     "a: 1099511627776 is outside the int32 range"),
    ("mismatch: enum symbol", formats.encode, ("avro", {"s": "PURPLE"}, ENUM_AVSC), "'PURPLE' is not a symbol"),
    ("mismatch: avro unknown field", formats.encode, ("avro", {**BOOK, "city": "x"}, PERSON["avsc"]), "city"),
    # bytes no format can read
    ("bytes: protobuf cut short", formats.decode, ("protobuf", bytes.fromhex("0a064d61"), PERSON["proto"]),
     "byte 2: the data ends inside"),
    ("bytes: protobuf schemaless cut short", formats.annotate, ("protobuf", bytes.fromhex("0a064d61")), "byte 2"),
    ("bytes: avro cut short", formats.annotate, ("avro", bytes.fromhex("0c4d61"), PERSON["avsc"]), "byte 1"),
    ("bytes: avro without schema", formats.annotate, ("avro", bytes.fromhex("0c4d61")), "cannot be read without"),
    ("bytes: msgpack bad type byte", formats.annotate, ("msgpack", bytes.fromhex("83c1")), "byte 1: 0xc1"),
    ("bytes: bson length", formats.annotate, ("bson", bytes.fromhex("ff000000")), "byte 0: the document length"),
    ("bytes: thrift binary cut short", formats.annotate, ("thrift-binary", bytes.fromhex("0b0001000000064d61")),
     "byte 7"),
    ("bytes: thrift compact no stop", formats.annotate, ("thrift-compact", bytes.fromhex("18064d617274696e")),
     "byte 8"),
    ("bytes: cbor map cut short", formats.annotate, ("cbor", bytes.fromhex("a3")), "byte 1"),
    ("bytes: json literal", formats.annotate, ("json", b'{"a": tru}'), "byte 6"),
    ("bytes: xml mismatched tag", formats.decode, ("xml", b"<record><a>1</b></record>"), "byte 12"),
    ("bytes: csv ragged row", formats.decode, ("csv", b"a,b\r\n1,2,3\r\n"), "row 2 has 3 cells"),
    # pasted text
    ("pasted: typo in spaced hex", parse_pasted, ("0a 06 zz",), "hex digit 5 is 'z'"),
    ("pasted: odd hex digits", parse_pasted, ("0a0",), "odd number of hex digits"),
    ("pasted: neither", parse_pasted, ("hello, world!",), "neither hex nor valid base64"),
]


@pytest.mark.parametrize("name,call,args,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_clear_format_error(name, call, args, expected):
    error = format_error(call, *args)
    assert expected in str(error), f"{name}: {error}"


def test_the_table_covers_every_kind_of_input():
    kinds = {name.split(":")[0] for name, *_ in CASES}
    assert kinds == {"record", "avsc", "proto", "thrift", "mismatch", "bytes", "pasted"}
    assert len(CASES) >= 30


# pieces of JSON string contents: surrogate halves as escapes, escaped backslashes before them, text
_PIECES = st.sampled_from(["\\ud83d", "\\ude00", "\\uD800", "\\uDFFF", "\\udbff", "\\udc00", "\\\\",
                           "\\\\\\\\", "\\\\ud800", "\\\\\\udc00", "\\u0041", "\\n", "u", "d83d", "a", "é", "😀"])


@settings(max_examples=300, deadline=None)
@given(strings=st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=1, max_size=4))
def test_a_lone_surrogate_escape_is_found_exactly_when_the_parsed_text_holds_one(strings):
    """JSON's \\u escapes are UTF-16 code units: a high half (D800-DBFF) must be followed by a low one
    (DC00-DFFF), which nothing else may precede (RFC 8259, section 7). json.loads gives a lone half back
    as a lone surrogate; parse_record refuses it at the escape's line and column, where the escape stands
    (after an even number of backslashes: `\\\\ud800` is a backslash and text)."""
    text = "{" + ", ".join(f'"k{i}": "{s}"' for i, s in enumerate(strings)) + "}"
    values = json.loads(text).values()
    lone = [v for v in values if not _encodes(v)]
    if not lone:
        assert formats.parse_record(text) == json.loads(text)
        return
    error = format_error(formats.parse_record, text)
    offset = error.column - 1   # one line
    assert f"line 1, column {offset + 1}: {text[offset:offset + 6]} is half of a UTF-16 surrogate pair" in error.message
    assert re.fullmatch(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", text[offset:offset + 6])
    # the first lone half: in the first string holding one, all before it decodes to whole characters,
    # and it (with the escape after it, which a high half would pair with) does not
    opening = text.index('"', text.index(":", text.rindex('"k', 0, offset))) + 1
    assert opening <= offset
    end = offset + (12 if int(text[offset + 2:offset + 6], 16) < 0xDC00 and text[offset + 6:offset + 8] == "\\u" else 6)
    assert _encodes(json.loads(f'"{text[opening:offset]}"'))
    assert not _encodes(json.loads(f'"{text[opening:end]}"'))
    assert text.rindex('"k', 0, offset) == text.index(f'"k{list(values).index(lone[0])}"')


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
