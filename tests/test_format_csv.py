"""CSV: the csv module writes a header row and a data row by FLATTEN_RULE; the tokenizer labels every byte."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats.csv import FLATTEN_RULE
from formats.record import MAX_DEPTH
from tests.strategies import records
from tests import support
from tests.support import nested, book_record, check_walk, format_error

FMT = formats.get("csv")
BOOK = b"userName,favoriteNumber,interests[0],interests[1]\r\nMartin,1337,daydreaming,hacking\r\n"


def round_trip(record) -> dict:
    return support.round_trip("csv", record)


def test_book_record_names_each_column_once():
    enc = formats.encode("csv", book_record())
    assert enc.data == BOOK and enc.size == 84
    assert check_walk(enc, book_record()) == 4
    assert [(s.kind, s.label, s.path) for s in enc.spans[:4]] == [
        ("name", 'column "userName"', "userName"), ("punctuation", ",", ""),
        ("name", 'column "favoriteNumber"', "favoriteNumber"), ("punctuation", ",", "")]
    assert [(s.kind, s.label) for s in enc.spans[7:10]] == [
        ("punctuation", "line end CRLF"), ("value", '"Martin"'), ("punctuation", ",")]
    assert formats.decode("csv", BOOK).record == {"userName": "Martin", "favoriteNumber": "1337",
                                                  "interests": ["daydreaming", "hacking"]}


def test_flatten_rule_is_shown_to_the_user():
    for words in ("customer.address.city", "interests[0]", "lines[0].sku", "null", "text"):
        assert words in FLATTEN_RULE


def test_order_preset_flattens_nested_records_and_lists_of_records():
    record = formats.parse_record(sample_data.load("order").record_text)
    enc = formats.encode("csv", record)
    header = enc.data.split(b"\r\n")[0].decode()
    assert header == ("orderId,customer.name,customer.address.street,customer.address.city,customer.address.postcode,"
                      "lines[0].sku,lines[0].quantity,lines[0].unitPrice,lines[1].sku,lines[1].quantity,"
                      "lines[1].unitPrice,giftWrap,note")
    assert formats.decode("csv", enc.data).record["lines"][1] == {"sku": "PEN-07", "quantity": "10",
                                                                  "unitPrice": "1.25"}


def test_names_that_are_not_identifiers_are_quoted_in_the_column():
    enc = formats.encode("csv", {"loginCounts": {"2026-11-25": 3}, "a.b": 1})
    assert enc.data == b'"loginCounts[""2026-11-25""]","[""a.b""]"\r\n3,1\r\n'
    assert round_trip({"loginCounts": {"2026-11-25": 3}, "a.b": 1}) == {"loginCounts": {"2026-11-25": "3"}, "a.b": "1"}


@pytest.mark.parametrize("record,csv_,back", [
    ({"n": 7, "f": 1e-07, "t": False, "s": "7"}, b"n,f,t,s\r\n7,1e-07,false,7\r\n",
     {"n": "7", "f": "1e-07", "t": "false", "s": "7"}),
    ({"z": None, "l": [], "o": {}, "s": ""}, b"z,l,o,s\r\n,,,\r\n", {"z": "", "l": "", "o": "", "s": ""}),
    ({"l": []}, b'l\r\n""\r\n', {"l": ""}),                    # one empty cell is written "" (not a blank line)
    ({"c": "a,b", "q": 'say "hi"', "n": "1\r\n2\n3\r4"}, b'c,q,n\r\n"a,b","say ""hi""","1\r\n2\n3\r4"\r\n',
     {"c": "a,b", "q": 'say "hi"', "n": "1\r\n2\n3\r4"}),
    ({"s": "  padded  ", "u": "Оймякон 🥶"}, "s,u\r\n  padded  ,Оймякон 🥶\r\n".encode(),
     {"s": "  padded  ", "u": "Оймякон 🥶"}),
    ({"m": [[1], [], {"a": None}]}, b"m[0][0],m[1],m[2].a\r\n1,,\r\n", {"m": [["1"], "", {"a": ""}]}),
])
def test_flattening_and_what_comes_back(record, csv_, back):
    assert formats.encode("csv", record).data == csv_
    assert round_trip(record) == back


@pytest.mark.parametrize("preset", sample_data.names())
def test_presets_encode_walk_and_round_trip(preset):
    round_trip(formats.parse_record(sample_data.load(preset).record_text))


@settings(max_examples=80, deadline=None)
@given(records())
def test_walk_and_round_trip(record):
    round_trip(record)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)   # NUL, CR, LF, quotes too
_SCALARS = st.one_of(_TEXT, st.integers(-2 ** 100, 2 ** 100), st.floats(allow_nan=False), st.booleans(), st.none())
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=16)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=5))
def test_any_names_and_text_big_numbers_and_floats_walk_and_round_trip(record):
    round_trip(record)


def test_nesting_up_to_the_limit_and_no_further():
    back = round_trip(nested(MAX_DEPTH))
    assert formats.encode("csv", nested(MAX_DEPTH)).data.startswith(b"a." * (MAX_DEPTH - 1) + b"leaf\r\n")
    assert back == FMT.comparable(nested(MAX_DEPTH))
    assert "nests more than 32 levels" in format_error(formats.encode, "csv", nested(MAX_DEPTH + 1)).message


PASTED = b"\xef\xbb\xbfFirst Name,age,address.city\r\n\r\nAda,36,London\nAlan,41,\"Wilmslow, Cheshire\"\r\n\r\n"


def test_pasted_csv_with_more_rows_blank_lines_a_bom_and_plain_headers():
    enc = formats.annotate("csv", PASTED)
    decoded = formats.decode("csv", PASTED)
    assert decoded.record == {"rows": [{"First Name": "Ada", "age": "36", "address": {"city": "London"}},
                                       {"First Name": "Alan", "age": "41", "address": {"city": "Wilmslow, Cheshire"}}]}
    assert check_walk(enc, decoded.record) == 6
    assert [(s.kind, s.label, s.path) for s in enc.spans[:2]] == [
        ("header", "byte order mark", ""), ("name", 'column "First Name"', '["First Name"]')]
    values = [s.path for s in enc.spans if s.kind == "value"]
    assert values[:3] == ['rows[0]["First Name"]', "rows[0].age", "rows[0].address.city"]
    assert ("punctuation", "empty line") in [(s.kind, s.label) for s in enc.spans]
    assert ("punctuation", "line end LF") in [(s.kind, s.label) for s in enc.spans]
    assert any("2 data rows" in note for note in decoded.notes)


@pytest.mark.parametrize("record,needle", [
    ({}, "the record has no fields"),
    ({"b": b"raw"}, "b: a Python bytes is not a JSON value"),
    ({"s": ["\ud800"]}, "s[0]: the text holds a lone surrogate"),
])
def test_records_csv_cannot_hold(record, needle):
    assert needle in format_error(formats.encode, "csv", record).message


@pytest.mark.parametrize("data,needle", [
    (b"", "byte 0: CSV here needs a header row and at least one data row"),
    (b"a,b\r\n", "byte 5: CSV here needs a header row and at least one data row"),
    (b"a,b\r\n\xff,1\r\n", "byte 5: not valid UTF-8 text"),
    (b'a,b\r\n"1,2\r\n', 'byte 5: a quoted cell is never closed by a "'),
    (b'a,b\r\n"1"x,2\r\n', "byte 8: after a quoted cell, expected a comma or a line end"),
    (b"a,b\r\n1,2,3\r\n", "byte 5: row 2 has 3 cells, but the header names 2 columns"),
    (b"a,b\r\n1\r\n", "byte 5: row 2 has 1 cell, but"),
    (b"a,a.b\r\n1,2\r\n", "byte 2: column 'a.b' treats a as an object, but an earlier column makes it one cell"),
    (b"a[0],a.b\r\n1,2\r\n", "byte 5: column 'a.b' treats a as an object, but an earlier column makes it a list"),
    (b"a.b,a\r\n1,2\r\n", "byte 4: column 'a' names a field an earlier column already holds"),
    (b"a,a\r\n1,2\r\n", "byte 2: column 'a' names a field an earlier column already holds"),
    (b"a[0],a[2]\r\n1,2\r\n", "byte 0: the columns of list a skip index 1"),
    (b"x[1]\r\n1\r\n", "byte 0: the columns of list x skip index 0"),
    (b"a\r\n" + b"x" * 200_000 + b"\r\n", "byte 3: a cell of 200,000 bytes is larger than Python's csv module reads"),
])
def test_bad_csv_is_a_format_error_with_the_offset(data, needle):
    message = format_error(formats.decode, "csv", data).message
    assert needle in message
    assert "<" not in message


def test_every_truncation_of_the_book_is_a_format_error_or_reads():
    for cut in range(len(BOOK)):
        try:
            enc = formats.annotate("csv", BOOK[:cut])
        except formats.FormatError as e:
            assert str(e).startswith("byte ")
            continue
        check_walk(enc, formats.decode("csv", BOOK[:cut]).record)   # a shorter last row can be whole


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(PASTED) - 1), st.binary(min_size=1, max_size=3))
def test_corrupted_csv_gives_a_format_error_or_agrees_with_the_csv_module(offset, value):
    data = PASTED[:offset] + value + PASTED[offset + len(value):]
    try:
        enc = formats.annotate("csv", data)
    except formats.FormatError:
        return
    check_walk(enc, formats.decode("csv", data).record)
