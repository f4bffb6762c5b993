"""Public conformance vectors through the core and the Decode page (issue 11): MongoDB's BSON corpus,
the examples of RFC 8949 appendix A (cbor/test-vectors) and msgpack-test-suite, committed unchanged
in tests/vectors/ (see its README for the sources). Every vector is walked (`annotate`: the spans
tile the bytes and every value span is the decoded value at its path) and read (`decode`: the value
the vector says), and the vectors are pasted in every form of tests/test_pasted.FORMS.
"""
import json
import math
from pathlib import Path

import pytest

import formats
from formats.pasted import read_pasted
from tests.pages import page
from tests.support import check_walk, format_error, same_value
from tests.test_pasted import FORMS, paste
from ui.show import jsonable

VECTORS = Path(__file__).parent / "vectors"


def _bson_cases():
    for path in sorted((VECTORS / "bson-corpus").glob("*.json")):
        suite = json.loads(path.read_text())
        for case in suite.get("valid", []):
            for key in ("canonical_bson", "degenerate_bson"):
                if key in case:
                    yield pytest.param(case, key, id=f"{path.stem}: {case['description']} ({key})")


def _bson_errors():
    for path in sorted((VECTORS / "bson-corpus").glob("*.json")):
        for case in json.loads(path.read_text()).get("decodeErrors", []):
            yield pytest.param(case["bson"], id=f"{path.stem}: {case['description']}")


def _plain_json(text: str | None):
    """The vector's Extended JSON as a plain value, or None where it needs $-types to say it."""
    if text is None or "$" in text:
        return None
    return json.loads(text)


@pytest.mark.parametrize("case,key", list(_bson_cases()))
def test_bson_corpus_valid_documents(case, key):
    data = bytes.fromhex(case[key])
    decoded = formats.decode("bson", data)
    check_walk(formats.annotate("bson", data), decoded.record)
    expected = _plain_json(case.get("relaxed_extjson", case.get("canonical_extjson")))
    if expected is not None:
        assert decoded.record == expected


@pytest.mark.parametrize("hex_text", list(_bson_errors()))
def test_bson_corpus_decode_errors_are_refused_with_a_message(hex_text):
    format_error(formats.decode, "bson", bytes.fromhex(hex_text))


CBOR = json.loads((VECTORS / "cbor" / "appendix_a.json").read_text())
# RFC 8949 appendix A items the JSON cannot hold ("diagnostic" only), as this lab reads them: tags
# keep their content as written, undefined is null, simple values their number, map keys are text
CBOR_DIAGNOSTIC = {
    "f97c00": math.inf, "f97e00": math.nan, "f9fc00": -math.inf, "fa7f800000": math.inf,
    "fa7fc00000": math.nan, "faff800000": -math.inf, "fb7ff0000000000000": math.inf,
    "fb7ff8000000000000": math.nan, "fbfff0000000000000": -math.inf, "f7": None, "f0": 16, "f8ff": 255,
    "c074323031332d30332d32315432303a30343a30305a": "2013-03-21T20:04:00Z", "c11a514b67b0": 1363896240,
    "c1fb41d452d9ec200000": 1363896240.5, "d74401020304": b"\x01\x02\x03\x04", "d818456449455446": b"dIETF",
    "d82076687474703a2f2f7777772e6578616d706c652e636f6d": "http://www.example.com", "40": b"",
    "4401020304": b"\x01\x02\x03\x04", "a201020304": {"1": 2, "3": 4}, "5f42010243030405ff": b"\x01\x02\x03\x04\x05",
}
# RFC 7049's simple(24) as f8 18: RFC 8949 section 3.3 and appendix F.1 make it not well-formed
CBOR_NOT_WELL_FORMED = {"f818"}


def _same(expected, got) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(got, float) and math.isnan(got)
    return got == expected or same_value(expected, got)


@pytest.mark.parametrize("case", CBOR, ids=[c["hex"][:24] for c in CBOR])
def test_rfc_8949_appendix_a(case):
    data = bytes.fromhex(case["hex"])
    if case["hex"] in CBOR_NOT_WELL_FORMED:
        assert "must be written in the initial byte" in format_error(formats.annotate, "cbor", data).message
        return
    decoded = formats.decode("cbor", data)
    check_walk(formats.annotate("cbor", data), decoded.record if isinstance(decoded.record, (dict, list)) else None)
    expected = case["decoded"] if "decoded" in case else CBOR_DIAGNOSTIC[case["hex"]]
    assert _same(expected, decoded.record), (case, decoded.record)


def _msgpack_expected(case: dict):
    """msgpack-test-suite's value in the form this lab reads: binary and ext data as bytes, a
    timestamp as its seconds and nanoseconds, big numbers from their decimal text."""
    kind = next(k for k in case if k not in ("msgpack", "bignum")) if set(case) - {"msgpack", "bignum"} else "bignum"
    value = case[kind]
    if kind == "bignum":
        return int(value)
    if kind == "binary":
        return bytes.fromhex(value.replace("-", ""))
    if kind == "timestamp":
        return {"seconds": value[0], "nanoseconds": value[1]}
    if kind == "ext":
        return bytes.fromhex(value[1].replace("-", ""))
    return value


MSGPACK = [pytest.param(case, form, id=f"{group}: {form[:30]}")
           for group, cases in json.loads((VECTORS / "msgpack" / "msgpack-test-suite.json").read_text()).items()
           for case in cases for form in case["msgpack"]]


@pytest.mark.parametrize("case,form", MSGPACK)
def test_msgpack_test_suite(case, form):
    pasted = read_pasted(form)   # the suite's own dashed hex
    assert pasted.reading.startswith(("hex separated by dashes", "one hex string"))
    decoded = formats.decode("msgpack", pasted.data)
    check_walk(formats.annotate("msgpack", pasted.data),
               decoded.record if isinstance(decoded.record, (dict, list)) else None)
    assert _same(_msgpack_expected(case), decoded.record), (form, decoded.record)


# ---- every paste form, through the core and through the Decode page ---------------------------------

def _all_vectors():
    """(format, bytes, expected value) of every vector that decodes, NaN left out (it equals nothing)."""
    out = []
    for param in _bson_cases():
        case, key = param.values
        out.append(("bson", bytes.fromhex(case[key]), None))
    for case in CBOR:
        expected = case["decoded"] if "decoded" in case else CBOR_DIAGNOSTIC.get(case["hex"], math.nan)
        if case["hex"] not in CBOR_NOT_WELL_FORMED:
            out.append(("cbor", bytes.fromhex(case["hex"]), expected))
    for param in MSGPACK:
        case, form = param.values
        out.append(("msgpack", bytes.fromhex(form.replace("-", "")), _msgpack_expected(case)))
    return out


@pytest.mark.parametrize("form", FORMS)
def test_every_vector_in_every_paste_form(form):
    for format_id, data, expected in _all_vectors():
        if not data:
            continue
        text, encoding = paste(form, data)
        pasted = read_pasted(text, encoding)
        assert pasted.data == data, (form, text[:60])
        decoded = formats.decode(format_id, pasted.data)
        if expected is not None:
            assert _same(expected, decoded.record), (form, data.hex())


# a few of each suite for the page: a document, an array, a map, text, numbers, bytes, a timestamp
ON_THE_PAGE = [
    ("bson", "160000000378000E0000000261000200000062000000", {"x": {"a": "b"}}),   # document.json
    ("bson", "0F0000000578000200000000FFFF00", {"x": b"\xff\xff"}),               # binary.json, subtype 0
    ("cbor", "a26161016162820203", {"a": 1, "b": [2, 3]}),
    ("cbor", "c349010000000000000000", -18446744073709551617),
    ("cbor", "f93e00", 1.5),
    ("msgpack", "81-a1-61-01", {"a": 1}),
    ("msgpack", "b2-d0-9a-d0-b8-d1-80-d0-b8-d0-bb-d0-bb-d0-b8-d1-86-d0-b0", "Кириллица"),
    ("msgpack", "d7-ff-a1-dc-d7-c8-5a-4a-f6-a5", {"seconds": 1514862245, "nanoseconds": 678901234}),
    ("msgpack", "c4-02-00-ff", b"\x00\xff"),
]


def _page_cases():
    cases = []
    for format_id, text, expected in ON_THE_PAGE:
        data = read_pasted(text).data
        cases.append((format_id, data, formats.decode(format_id, data).record if expected is None else expected))
    return cases


@pytest.mark.parametrize("form", FORMS)
def test_the_decode_page_reads_vectors_pasted_in_every_form(form):
    reading = FORMS[form][1]
    at = page("app_pages/decode.py")
    at.run()
    for format_id, data, expected in _page_cases():
        text, encoding = paste(form, data)
        at.selectbox(key="dec.format").set_value(format_id)
        at.radio(key="dec.encoding").set_value(encoding)
        at.text_area(key="dec.data").set_value(text).run()
        assert not at.exception
        assert any(c.value.startswith(f"Read as {reading}") for c in at.caption), (form, [c.value for c in at.caption])
        assert not at.error, [e.value for e in at.error]
        assert json.loads(at.json[0].value) == jsonable(expected), (form, format_id, data.hex())
