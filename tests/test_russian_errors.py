"""Issue 14 item 4: the errors a student's bad input causes read in Russian (no English per the detector,
tests/russian.py) and still say where; in English they are unchanged."""
import pytest

import formats
from formats.pasted import read_pasted
from i18n import Text
from tests.russian import english

PERSON_PROTO = 'syntax = "proto3";\nmessage Person {\n  string user_name = 1\n}\n'
PERSON_THRIFT = "struct Person {\n  1: required strin userName\n}\n"
PERSON_AVSC = '{"type": "record", "name": "Person",\n "fields": [{"name": "userName", "type": "strin"}]}'

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
