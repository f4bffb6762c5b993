"""Issue 14 item 4: the errors a student's bad input causes read in Russian (no English per the detector,
tests/russian.py) and still say where; in English they are unchanged."""
import pytest

import formats
from formats import avro_idl
from formats.pasted import read_pasted
from i18n import Text
from tests.russian import english

PERSON_PROTO = 'syntax = "proto3";\nmessage Person {\n  string user_name = 1\n}\n'
PERSON_THRIFT = "struct Person {\n  1: required strin userName\n}\n"
PERSON_AVSC = '{"type": "record", "name": "Person",\n "fields": [{"name": "userName", "type": "strin"}]}'

AVSC = '{{"type": "record", "name": "P", "fields": [{}]}}'

CASES = {   # id -> (what raises, the English message, where the Russian must still point)
    "json": (lambda: formats.parse_record('{"userName": "Martin",\n "favoriteNumber": 1337,}'),
             "line 2, column 24: a comma before the closing }: JSON allows no trailing comma "
             "(the record is not valid JSON)", ("строка 2", "столбец 24")),
    "json-quotes": (lambda: formats.parse_record("{'userName': 'Martin'}"),
                    'line 1, column 2: JSON takes double quotes "…", not single quotes (the record is not valid JSON)',
                    ("строка 1", "столбец 2")),
    "proto": (lambda: formats.encode("protobuf", {"userName": "Martin"}, PERSON_PROTO),
              'line 4, column 1: Expected ";".', ("строка 4", "столбец 1")),
    "thrift": (lambda: formats.encode("thrift-binary", {"userName": "Martin"}, PERSON_THRIFT),
               "line 2, column 15: unknown type 'strin': declare it (struct, enum or typedef) in this schema",
               ("строка 2", "столбец 15")),
    "avsc": (lambda: formats.encode("avro", {"userName": "Martin"}, PERSON_AVSC),
             'schema: field "userName": unknown type "strin" (did you mean "string"?)', ('поле "userName"',)),
    "truncated": (lambda: formats.annotate("protobuf", bytes.fromhex("0a 06 4d 61 72")),
                  "byte 2: the data ends inside a length-delimited value (6 bytes needed, 3 left)", ("байт 2",)),
    "hex": (lambda: read_pasted("0a 06 4d 6g"), "hex digit 8 is 'g', which is not 0-9 or a-f", ("цифра 8", "'g'")),
    "hex-odd": (lambda: read_pasted("0a 06 4"), "an odd number of hex digits (5 so far, ending in '4'): a byte "
                                                "is missing a digit", ("5", "'4'")),
    "idl": (lambda: avro_idl.read("schema Person;\nrecord Person {\n  string userName\n}\n"),
            "line 3, column 18: expected ';' to end the field (or ',' and another name), found '}'",
            ("строка 3", "столбец 18", "';'")),
    "idl-unknown": (lambda: avro_idl.read("schema Person;\nrecord Person { strin userName; }\n"),
                    "line 2, column 17: unknown type strin (did you mean string?)", ("строка 2", "strin")),
    "avsc-items": (lambda: formats.encode("avro", {"interests": []}, AVSC.format(
        '{"name": "interests", "type": {"type": "array", "items": "strin"}}')),
        'schema: the items of field "interests": unknown type "strin" (did you mean "string"?)',
        ('элементы поля "interests"',)),
    "avsc-default": (lambda: formats.encode("avro", {}, AVSC.format('{"name": "userName", "type": "string", "default": 1}')),
                     'schema: field "userName": the default 1 does not fit the field\'s type: expected a string, got '
                     'the integer 1', ('поле "userName"', "целое число 1")),
    "avro-range": (lambda: formats.encode("avro", {"n": 2 ** 40}, AVSC.format('{"name": "n", "type": "int"}')),
                   "n: 1099511627776 does not fit an int (32-bit integer, -2147483648 to 2147483647)",
                   ("n:", "1099511627776", "int")),
    "proto-range": (lambda: formats.encode("protobuf", {"n": 2 ** 40}, 'syntax = "proto3";\nmessage P { int32 n = 1; }\n'),
                    "n: 1099511627776 is outside the int32 range -2147483648 to 2147483647", ("n:", "int32")),
    "proto-field": (lambda: formats.encode("protobuf", {"x": 1}, 'syntax = "proto3";\nmessage P { int32 n = 1; }\n'),
                    "x: message P (the first message in the .proto is the record) has no field 'x': add it to the "
                    "schema or derive the schema from the record", ("x:", "'x'")),
    "thrift-required": (lambda: formats.encode("thrift-binary", {}, "struct P { 1: required string userName }\n"),
                        "userName: the schema says this field is required, but the record does not have it",
                        ("userName:",)),
    "inferred-range": (lambda: formats.default_schema("protobuf", {"n": 2 ** 70}),
                       "n: 1180591620717411303424 fits no Protocol Buffers integer type (int64 holds −2^63 to 2^63−1; "
                       "uint64 holds 0 to 2^64−1)", ("n:", "int64", "uint64")),
    "pickle-code": (lambda: formats.decode("pickle", b"cos\nsystem\n(S'echo hi'\ntR."),
                    "byte 0: GLOBAL imports os.system. Unpickling these bytes would run that code, so this lab never "
                    "unpickles bytes it did not write: the walk above is their disassembly", ("байт 0", "os.system")),
}


def _error(case: str) -> formats.FormatError:
    with pytest.raises(formats.FormatError) as raised:
        CASES[case][0]()
    return raised.value




@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_input_error_reads_in_russian_and_says_where(case):
    error = _error(case)
    message = error.message
    assert isinstance(message, Text), f"{case}: {message!r} is plain English"
    assert str(message) == CASES[case][1]   # English unchanged
    russian = message.render("ru")
    assert english(russian) is None, (case, russian)
    for where in CASES[case][2]:
        assert where in russian, (case, russian)


def test_protocs_own_words_stay_as_protoc_wrote_them_inside_the_russian_frame():
    russian = _error("proto").message.render("ru")
    assert russian == 'строка 4, столбец 1, сообщение protoc: `Expected ";".`'


@pytest.mark.parametrize("text,english_summary,russian", [
    ("0a-06-4d", "Read as hex separated by dashes: 3 bytes.", "Прочитано как шестнадцатеричные цифры, разделённые дефисами: 3 байта."),
    ("CgZN", "Read as base64: 3 bytes.", "Прочитано как base64: 3 байта."),
    ("00000000: 0a06 4d61  ..Ma", "Read as an xxd dump (offsets and text column dropped): 4 bytes.",
     "Прочитано как дамп xxd (смещения и текстовый столбец отброшены): 4 байта."),
])
def test_how_pasted_text_was_read_says_so_in_russian(text, english_summary, russian):
    summary = read_pasted(text).summary()
    assert str(summary) == english_summary
    assert summary.render("ru") == russian


def test_cbor_tag_names_and_the_logical_type_note_read_in_russian():
    from formats.facts.cbor import TAGS
    assert all(isinstance(name, Text) and english(name.render("ru")) is None for name in TAGS.values())
    schema = formats.encode("avro", {"day": 1}, AVSC.format(
        '{"name": "day", "type": {"type": "int", "logicalType": "date"}}')).schema_text
    from formats._avro_schema import parse
    note, = parse(schema).notes
    assert str(note) == 'field "day": the logical type \'date\' is read as its underlying int'
    assert note.render("ru") == 'поле "day": логический тип \'date\' читается как лежащий в его основе int'
