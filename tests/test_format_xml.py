"""XML: ElementTree writes and parses by the lab's mapping; the scanner labels every byte."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
import sample_data
from formats.record import MAX_DEPTH, json_text
from formats.xml import MAPPING_RULE
from tests.strategies import records
from tests import support
from tests.support import nested, book_record, check_walk, format_error

FMT = formats.get("xml")
BOOK = (b"<record><userName>Martin</userName><favoriteNumber>1337</favoriteNumber>"
        b"<interests><item>daydreaming</item><item>hacking</item></interests></record>")


def round_trip(record) -> dict:
    return support.round_trip("xml", record)


def test_book_record_spells_every_field_name_twice():
    enc = formats.encode("xml", book_record())
    assert enc.data == BOOK and enc.size == 148
    assert check_walk(enc, book_record()) == 4
    assert [(s.kind, s.label) for s in enc.spans[:5]] == [
        ("header", "<record> root element"), ("name", "start tag <userName>"), ("value", '"Martin"'),
        ("name", "end tag </userName>"), ("name", "start tag <favoriteNumber>")]
    assert [(s.kind, s.label) for s in enc.spans if s.path == "interests[0]"] == [
        ("punctuation", "<item> (item 0)"), ("value", '"daydreaming"'), ("punctuation", "</item>")]
    assert enc.bytes_by_kind()["name"] == 2 * len("<userName><favoriteNumber><interests>") + 3
    assert "twice" in enc.spans[3].explanation


@given(st.one_of(st.integers(), st.integers(min_value=-10**300, max_value=10**300),
                 st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none()))
def test_a_scalar_is_written_as_json_spells_it(value):
    """The XML and CSV writers spell a number or a literal as the record's JSON does (formats.record.json_text,
    which takes repr where json.dumps would give the same): 1337, 1.5, 1e+16 as 1e16, true, null."""
    assert json_text(value) == json.dumps(value)
    if not isinstance(value, bool) and value is not None:
        text = formats.encode("xml", {"n": value}).data.decode()
        assert f"<n>{json.dumps(value)}</n>" in text


def test_reading_gives_text_back():
    decoded = formats.decode("xml", BOOK)
    assert decoded.record == {"userName": "Martin", "favoriteNumber": "1337", "interests": ["daydreaming", "hacking"]}
    assert FMT.comparable(book_record()) == decoded.record
    assert any("without an external schema" in note for note in decoded.notes)


def test_mapping_rule_is_shown_to_the_user():
    for words in ("<record>", "<item>", 'null="true"', "key=", "text"):
        assert words in MAPPING_RULE


@pytest.mark.parametrize("record,xml,back", [
    ({"n": 7, "f": 1e-07, "t": True, "s": "7"}, b"<n>7</n><f>1e-07</f><t>true</t><s>7</s>",
     {"n": "7", "f": "1e-07", "t": "true", "s": "7"}),                        # a number and its digits look alike
    ({"l": [], "o": {}, "s": ""}, b"<l /><o /><s />", {"l": "", "o": "", "s": ""}),   # three empties, one reading
    ({"x": None, "l": [None]}, b'<x null="true" /><l><item null="true" /></l>', {"x": None, "l": [None]}),
    ({"o": {"item": 5}}, b"<o><item>5</item></o>", {"o": ["5"]}),            # a field named item reads as a list
    ({"item": 5}, b"<item>5</item>", {"item": "5"}),                         # ... except at the top
    ({"o": {"item": 1, "b": 2}}, b"<o><item>1</item><b>2</b></o>", {"o": {"item": "1", "b": "2"}}),
    ({"l": [[1, 2], [], {"a": 1}]}, b"<l><item><item>1</item><item>2</item></item><item /><item><a>1</a></item></l>",
     {"l": [["1", "2"], "", {"a": "1"}]}),
    ({"s": "a\r\nb\rc\td"}, b"<s>a\r\nb\rc\td</s>", {"s": "a\nb\nc\td"}),    # parsers normalise line ends
    ({"s": "<&>\"']]>"}, b"<s>&lt;&amp;&gt;\"']]&gt;</s>", {"s": "<&>\"']]>"}),
    ({"2026-11-25": 3, "a b": {"xmlns": 1}}, b'<item key="2026-11-25">3</item><item key="a b"><item key="xmlns">1'
                                             b'</item></item>', {"2026-11-25": "3", "a b": {"xmlns": "1"}}),
    ({"k": {"": None, "\n": "x"}}, b'<k><item key="" null="true" /><item key="&#10;">x</item></k>',
     {"k": {"": None, "\n": "x"}}),
])
def test_the_mapping_and_its_ambiguities(record, xml, back):
    enc = formats.encode("xml", record)
    assert enc.data == b"<record>" + xml + b"</record>"
    assert round_trip(record) == back


def test_keyed_entries_spell_the_name_once():
    enc = formats.encode("xml", {"m": {"2026-11-25": 3}})
    spans = [(s.kind, s.label) for s in enc.spans if s.path == 'm["2026-11-25"]']
    assert spans == [("punctuation", '<item key=…> for field "2026-11-25"'), ("punctuation", "whitespace"),
                     ("punctuation", 'key="'), ("name", 'field name "2026-11-25"'), ("punctuation", '"'),
                     ("punctuation", ">"), ("value", '"3"'), ("punctuation", "</item>")]


@pytest.mark.parametrize("preset", sample_data.names())
def test_presets_encode_walk_and_round_trip(preset):
    round_trip(formats.parse_record(sample_data.load(preset).record_text))


@settings(max_examples=80, deadline=None)
@given(records())
def test_walk_and_round_trip(record):
    round_trip(record)


# every character XML 1.0 can hold, markup and line ends included
_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(
    chr(c) for c in range(32) if c not in (9, 10, 13)) + "\ufffe\uffff"), max_size=12)
_SCALARS = st.one_of(_XML_TEXT, st.integers(-2 ** 100, 2 ** 100), st.floats(allow_nan=False), st.booleans(),
                     st.none())
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_XML_TEXT, inner, max_size=4)), max_leaves=16)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_XML_TEXT, _VALUES, max_size=5))
def test_any_names_big_numbers_floats_and_markup_walk_and_round_trip(record):
    round_trip(record)


def test_nesting_up_to_the_limit_and_no_further():
    round_trip(nested(MAX_DEPTH))
    assert "nests more than 32 levels" in format_error(formats.encode, "xml", nested(MAX_DEPTH + 1)).message
    deep = b"<record>" + b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1) + b"</record>"
    assert "nesting deeper than 32 levels" in format_error(formats.annotate, "xml", deep).message


PASTED = """\ufeff<?xml version="1.0" encoding="UTF-8"?>
<!-- a catalog entry -->
<book id="b1" lang='en'>
  <title>Designing &amp; Data &#x41;&#66;</title>
  <price currency="EUR">39.99</price>
  <note><![CDATA[<raw> & stuff]]></note>
  <split>x<!-- between -->y</split>
  <tags><item>a</item><item/><item null="true"/></tags>
  <?app hint?>
  <item key="first name">Ada</item>
</book>
""".encode()


def test_pasted_xml_with_attributes_comments_cdata_and_a_declaration():
    enc = formats.annotate("xml", PASTED)
    decoded = formats.decode("xml", PASTED)
    assert decoded.record == {"@id": "b1", "@lang": "en", "title": "Designing & Data AB",
                              "price": {"@currency": "EUR", "#text": "39.99"}, "note": "<raw> & stuff",
                              "split": "xy", "tags": ["a", "", None], "first name": "Ada"}
    assert check_walk(enc, decoded.record) == 9
    labels = {(s.kind, s.label) for s in enc.spans}
    assert {("header", "byte order mark"), ("header", "XML declaration"), ("punctuation", "comment"),
            ("header", "<book> root element"), ("name", "attribute currency"), ("type", 'null="true"'),
            ("punctuation", "processing instruction"), ("value", '"<raw> & stuff"')} <= labels


@pytest.mark.parametrize("record,needle", [
    ({"s": "bell\x07"}, "s: XML 1.0 cannot hold the character U+0007"),
    ({"a": [{"b": "\x00"}]}, "a[0].b: XML 1.0 cannot hold the character U+0000"),
    ({"a": {"\x1b[0m": 1}}, "a[\"\\u001b[0m\"]: the field name: XML 1.0 cannot hold the character U+001B"),
    ({"s": "\ufffe"}, "s: XML 1.0 cannot hold the character U+FFFE"),
    ({"b": b"raw"}, "b: a Python bytes is not a JSON value"),
    ({"s": "\ud800"}, "s: the text holds a lone surrogate"),
])
def test_records_xml_cannot_hold(record, needle):
    assert needle in format_error(formats.encode, "xml", record).message


@pytest.mark.parametrize("data,needle", [
    (b"", "byte 0: there is no XML element here"),
    (b"<record>\xff</record>", "byte 8: not valid UTF-8 text"),
    (BOOK[:55], "byte 55: the element <favoriteNumber> (byte 35) is never closed"),
    (BOOK[:60], "byte 60: the end tag </fav> is not closed by >"),
    (BOOK[:-1], "byte 147: the end tag </record> is not closed by >"),
    (BOOK.replace(b"</userName>", b"</username>"), "byte 24: </username> does not close <userName> (opened at byte 8)"),
    (b"hello<record/>", "byte 0: text outside the root element"),
    (b"<record/><record/>", "byte 9: a second root element"),
    (b'<!DOCTYPE r [<!ENTITY a "aa">]><record/>', "byte 0: DOCTYPE and other <! declarations are not read here"),
    (b"<record><a>x<b>1</b></a></record>", "byte 11: <a> mixes text with elements"),
    (b"<record><a>1</a><a>2</a></record>", "byte 16: the field 'a' appears twice inside <record>"),
    (b'<r xmlns="urn:x"/>', "byte 3: 'xmlns' uses an XML namespace"),
    (b"<x:r/>", "byte 1: 'x:r' uses an XML namespace"),
    (b"<record><a>&nbsp;</a></record>", "line 1, column 12 (byte 11): undefined entity"),
    (b"<record><a>&#0;</a></record>", "line 1, column 12 (byte 11): reference to invalid character number"),
    (b"<record><a>&#99999999;</a></record>", "byte 11: a character reference &#…; names no Unicode character"),
    (b'<?xml version="1.0" encoding="latin-1"?><r/>', "byte 30: the XML declares encoding latin-1"),
    (b"<record a=1/>", "byte 9: the attribute a needs a value in quotes"),
    (b"<record><1a/></record>", "line 1, column 10 (byte 9): not well-formed (invalid token)"),
    (b"<record>\n<a>\x01</a></record>", "line 2, column 4 (byte 12): not well-formed (invalid token)"),
])
def test_bad_xml_is_a_format_error_with_where(data, needle):
    assert needle in format_error(formats.decode, "xml", data).message


def test_every_truncation_of_the_book_is_a_format_error():
    for cut in range(len(BOOK)):
        format_error(formats.annotate, "xml", BOOK[:cut])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(PASTED) - 1), st.binary(min_size=1, max_size=3))
def test_corrupted_xml_gives_a_format_error_or_agrees_with_elementtree(offset, value):
    data = PASTED[:offset] + value + PASTED[offset + len(value):]
    try:
        enc = formats.annotate("xml", data)
    except formats.FormatError:
        return
    check_walk(enc, formats.decode("xml", data).record)


def test_a_walk_stopped_early_takes_each_shape_from_the_whole_document():
    """A page of a large XML document is labelled from a scan of that page alone, the rest left to
    expat: an element's shape (list or object, MAPPING_RULE read backwards) can hang on a child far
    past the stop point. <people><item>…</item><other/></people> is an object with the fields item
    and other; with a second <item> instead of <other/> it is a list: the first <item> is people.item
    in one and people[0] in the other, though the two documents differ only 2 KB after it."""
    long = "x" * 2000
    for second, path in (("<other/>", "people.item"), ("<item>y</item>", "people[0]")):
        data = f"<record><people><item>{long}</item>{second}</people></record>".encode()
        whole = formats.annotate("xml", data)
        assert "<item>" in whole.spans[2].label and whole.spans[2].path == path
        for until in (1, 20, 22, 23, 100, 1024, 2030):
            part = formats.annotate("xml", data, until=until)
            assert not part.complete and part.labelled >= until
            assert part.spans == whole.spans[:len(part.spans)], until


def test_a_walk_stopped_early_on_a_broken_document_finds_its_error_as_the_whole_walk_does():
    """expat refuses the document, so the walk scans it as a whole walk does: an error before the
    stop point is reported at its byte; one after it is not reached (formats.annotate), and the
    labels before the stop are those of the whole walk's labelled prefix."""
    data = b"<record><a>1</a>" + b"<b>2</b>" * 200 + b"<c>3</d></record>"
    broken = data.index(b"</d>")
    with pytest.raises(formats.FormatError) as whole:
        formats.annotate("xml", data)
    assert whole.value.offset == broken
    for until in (broken + 1, len(data) - 1):
        with pytest.raises(formats.FormatError) as e:
            formats.annotate("xml", data, until=until)
        assert e.value.offset == broken
    for until in (10, 1024):
        part = formats.annotate("xml", data, until=until)
        assert part.spans == whole.value.walked.spans[:len(part.spans)] and part.labelled >= until
