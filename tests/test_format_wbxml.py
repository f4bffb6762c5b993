"""WBXML 1.3, encoded by hand from the specification and checked with libwbxml2's own decoder.

WAP-192-WBXML-20010725-a: section 5.4 (version 0x03, public id, charset as a MIBenum, the string
table), 5.8.2 (a tag token's bit 7 says attributes follow, bit 6 content), 7.1 (global tokens:
END 0x01, STR_I 0x03, LITERAL 0x04). Debian's libwbxml2-utils is installed by .ci/run; wbxml2xml
refuses public id 1 ("unknown") unless a language is forced, and our tags are all literals, so the
forced language's code pages are never used.
"""
import shutil
import subprocess
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings

import formats
from tests.strategies import records
from tests.support import book_record, check_walk, format_error

WBXML2XML = shutil.which("wbxml2xml")


def libwbxml_reads(data: bytes, tmp_path) -> ET.Element:
    """libwbxml2 reads the bytes back (-k: keep whitespace-only text, which it drops as ignorable by default)."""
    assert WBXML2XML, "wbxml2xml is missing: apt-get install libwbxml2-utils (.ci/run does); tests do not skip"
    source, target = tmp_path / "in.wbxml", tmp_path / "out.xml"
    source.write_bytes(data)
    subprocess.run([WBXML2XML, "-l", "WML13", "-m", "0", "-k", "-o", str(target), str(source)], check=True,
                   capture_output=True)
    return ET.fromstring(target.read_bytes())


def same_tree(a: ET.Element, b: ET.Element) -> bool:
    return (a.tag == b.tag and a.attrib == b.attrib and (a.text or "") == (b.text or "") and len(a) == len(b)
            and all(same_tree(x, y) for x, y in zip(a, b)))


def test_the_book_record_in_wbxml(tmp_path):
    enc = formats.encode("wbxml", book_record())
    assert enc.data[:4] == bytes([0x03, 0x01, 0x6A, 46]) and enc.size == 104
    check_walk(enc, formats.get("wbxml").comparable(book_record()))
    assert [s.label for s in enc.spans if s.kind == "name"] == [
        'name "record" (offset 0)', 'name "userName" (offset 7)', 'name "favoriteNumber" (offset 16)',
        'name "interests" (offset 31)', 'name "item" (offset 41)']   # "item" once, used twice
    xml = ET.fromstring(formats.encode("xml", book_record()).data)
    assert same_tree(libwbxml_reads(enc.data, tmp_path), xml)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(record=records())
def test_libwbxml_reads_what_the_encoder_writes(record, tmp_path):
    data = formats.encode("wbxml", record).data
    assert same_tree(libwbxml_reads(data, tmp_path), ET.fromstring(formats.encode("xml", record).data))


def test_nulls_entries_and_empty_values_follow_the_xml_mapping(tmp_path):
    record = {"m": {"2026-11-25": 3}, "n": None, "e": "", "o": {"a": [1, 2]}}
    enc = formats.encode("wbxml", record)
    check_walk(enc, formats.get("wbxml").comparable(record))
    assert formats.decode("wbxml", enc.data).record == {"m": {"2026-11-25": "3"}, "n": None, "e": "",
                                                         "o": {"a": ["1", "2"]}}
    assert same_tree(libwbxml_reads(enc.data, tmp_path), ET.fromstring(formats.encode("xml", record).data))


def test_bad_bytes_name_their_offset():
    data = formats.encode("wbxml", book_record()).data
    assert "byte 3: the string table" in format_error(formats.annotate, "wbxml", data[:3] + b"\x7f" + data[4:]).message \
        or "string table" in format_error(formats.annotate, "wbxml", data[:3] + b"\x7f" + data[4:]).message
    assert "charset 4" in format_error(formats.annotate, "wbxml", b"\x03\x01\x04\x00").message
    assert "does not start a string" in format_error(formats.annotate, "wbxml", b"\x03\x01\x6a\x02a\x00\x04\x01").message
