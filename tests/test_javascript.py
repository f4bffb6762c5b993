"""A JavaScript reader of JSON, computed with Python's floats (IEEE 754 doubles, as JavaScript's Number)."""
import json
import math

from hypothesis import given, strategies as st

from formats import javascript
from formats.facts.numbers import JS_SAFE_INTEGER
from tests.pages import page

# String(Number(text)) as node v20 printed it (checked once on this machine; CI has no node)
NODE_PRINTED = {
    "9007199254740993": "9007199254740992",          # 2^53 + 1
    "10765432100123456789": "10765432100123458000",  # Twitter's example in "Twitter IDs"
    "9223372036854775807": "9223372036854776000",    # 2^63 - 1
    "1050118621198921728": "1050118621198921700",
    "123456789012345678901234": "1.2345678901234569e+23",
    "1.0": "1", "-0": "0", "1e21": "1e+21", "0.000001": "0.000001", "1e-7": "1e-7", "0.1": "0.1",
    "2.5e-3": "0.0025", "-1.5e300": "-1.5e+300", "5e-324": "5e-324",
}


def test_number_text_prints_what_node_printed():
    for text, printed in NODE_PRINTED.items():
        assert javascript.number_text(float(text)) == printed, text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_double_prints_as_the_shortest_text_that_reads_back_as_it(x):
    """ECMAScript's Number::toString: the digits read back as the same double, and no shorter digits do."""
    text = javascript.number_text(x)
    assert float(text) == x
    digits = len(text.lstrip("-").split("e")[0].replace(".", "").strip("0"))
    if digits > 1:   # one significant digit fewer names another double
        assert float(f"{x:.{digits - 2}e}") != x


@given(st.integers(-JS_SAFE_INTEGER, JS_SAFE_INTEGER))
def test_safe_integers_come_back_whole(n):
    assert javascript.number_text(float(n)) == str(n)
    assert not javascript.readings(json.dumps({"n": n}))[0]["changed"]


def test_the_first_integer_past_2_53_is_rounded():
    row, = javascript.readings('{"next": 9007199254740993}')
    assert row["JavaScript reads"] == "9007199254740992" and row["changed"] and "2^53" in row["why"]


def test_json_cannot_tell_an_integer_from_a_float():
    row, = javascript.readings('{"score": 1.0}')
    assert row["Python reads"] == "float" and row["JavaScript reads"] == "1" and row["changed"]


def test_base64_is_a_third_larger():
    cost = javascript.base64_cost(3000)
    assert cost["Base64 characters"] == 4000
    assert cost["JSON"] == 4000 + len('{"thumbnail":""}')
    assert cost["MessagePack"] == 3000 + 1 + len("\xa9thumbnail") + 3   # map, key, bin 16 header
    assert math.isclose(cost["JSON"] / cost["MessagePack"], 4 / 3, rel_tol=0.01)


def test_the_book_page_shows_the_javascript_reader_through_its_controls():
    at = page("app_pages/overview.py").run()
    at.text_area(key="bk.js").set_value('{"id": 9007199254740993, "ok": 2}').run()
    assert not at.exception
    table = at.dataframe[1].value
    assert list(table["JavaScript reads"]) == ["9007199254740992", "2"]
    assert list(table["changed"]) == [True, False]
    at.slider(key="bk.bytes").set_value(300).run()
    sizes = dict(zip(at.dataframe[2].value["format"], at.dataframe[2].value["bytes"]))
    assert sizes["JSON"] == 400 + len('{"thumbnail":""}')
    assert any("400 characters of Base64" in c.value for c in at.caption)


def test_bad_json_says_where_and_keeps_the_text():
    at = page("app_pages/overview.py").run()
    at.text_area(key="bk.js").set_value('{"id": 1,\n "x": }').run()
    assert not at.exception
    assert "line 2, column" in at.error[0].value
    assert at.text_area(key="bk.js").value == '{"id": 1,\n "x": }'
