"""Avro: fastavro's bytes, the annotating walk over them, schema resolution and the container file."""
import io
import json
import threading
import zlib

import fastavro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats
from formats import avro, paths
from formats.scalars import unzigzag
from sample_data import load, names
from tests.strategies import records
from tests.support import book_record, check_walk, format_error, same_value

PERSON = load("person").schemas["avsc"]
BOOK_HEX = "0c4d617274696e02f2140416646179647265616d696e670e6861636b696e6700"


def schema(*fields, name="Person", **extra) -> str:
    return json.dumps({"type": "record", "name": name, **extra, "fields": list(fields)})


def field(name, type_, **extra) -> dict:
    return {"name": name, "type": type_, **extra}


# ---- the book's figure 4-5 --------------------------------------------------------------------

def test_book_record_is_32_bytes_as_in_figure_4_5():
    enc = formats.encode("avro", book_record(), PERSON)
    assert enc.data.hex() == BOOK_HEX and enc.size == 32
    assert check_walk(enc, book_record()) == 4
    assert [(s.kind, s.label) for s in enc.spans[:6]] == [
        ("length", "length 6"), ("value", '"Martin"'), ("type", "union branch 1 (long)"),
        ("value", "1337 (zigzag varint)"), ("count", "array block: 2 items"), ("length", "length 11")]
    assert (enc.spans[-1].kind, enc.spans[-1].label, enc.spans[-1].path) == ("terminator", "end of array",
                                                                              "interests")
    assert "no field tag or name" in enc.spans[0].explanation


def test_plain_long_saves_the_union_byte():
    plain = schema(field("userName", "string"), field("favoriteNumber", "long"),
                   field("interests", {"type": "array", "items": "string"}))
    assert formats.encode("avro", book_record(), plain).size == 31
    assert formats.encode("avro", book_record()).size == 31   # the inferred schema says "long" too


def test_annotate_without_a_schema_explains_why_it_cannot():
    with pytest.raises(formats.FormatError, match="no field tags or names.*writer"):
        formats.annotate("avro", bytes.fromhex(BOOK_HEX))


# ---- every preset --------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", names())
def test_presets_encode_walk_and_round_trip(preset):
    p = load(preset)
    record = formats.parse_record(p.record_text)
    for format_id in ("avro", "avro-container"):
        enc = formats.encode(format_id, record, p.schemas["avsc"])
        assert formats.decode(format_id, enc.data, p.schemas["avsc"]).record == record
        if format_id == "avro":
            check_walk(enc, record)
        else:
            check_container_walk(enc, record)


def test_profile_preset_labels_enums_and_map_keys():
    p = load("profile")
    enc = formats.encode("avro", formats.parse_record(p.record_text), p.schemas["avsc"])
    by_label = {s.label: s for s in enc.spans}
    assert by_label["ACTIVE (enum index 0)"].scalar == "enum(zigzag):0=ACTIVE,1=SUSPENDED,2=DELETED"
    assert (by_label['key "theme"'].kind, by_label['key "theme"'].path) == ("name", "preferences.theme")
    assert by_label["map block: 3 entries"].kind == "count" and by_label["end of map"].kind == "terminator"


def test_weather_preset_int_long_double_and_union_with_null():
    p = load("weather")
    record = formats.parse_record(p.record_text)
    enc = formats.encode("avro", record, p.schemas["avsc"])
    sizes = {s.path: s.size for s in enc.spans if s.kind == "value"}
    assert sizes["temperatureC"] == 8 and sizes["readings[3]"] == 10 and sizes["readings[2]"] == 5
    record["temperatureC"] = None
    enc = formats.encode("avro", record, p.schemas["avsc"])
    assert [s.label for s in enc.spans if s.path == "temperatureC"] == ["union branch 0 (null)"]
    with pytest.raises(formats.FormatError, match=r"altitudeM: 3000000000 does not fit an int \(32-bit"):
        formats.encode("avro", {**record, "altitudeM": 3_000_000_000}, p.schemas["avsc"])


# ---- the schema inferred from a record -----------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(records())
def test_inferred_schema_walk_and_round_trip(record):
    fmt = formats.get("avro")
    enc = formats.encode("avro", record)
    check_walk(enc, record)
    assert formats.decode("avro", enc.data, enc.schema_text).record == fmt.comparable(record)
    assert formats.annotate("avro", enc.data, enc.schema_text).spans == enc.spans


@settings(max_examples=25, deadline=None)
@given(records(max_depth=1))
def test_inferred_schema_container_round_trip(record):
    enc = formats.encode("avro-container", record)
    check_container_walk(enc, record)
    assert formats.decode("avro-container", enc.data).record == formats.get("avro-container").comparable(record)


def test_default_schema_names_nested_records_and_marks_nulls_optional():
    record = {"address": {"city": "London", "geo": {"lat": 51.5}}, "shipping_address": {"city": "Paris"},
              "geo": {"lat": 1.0}, "tags": [], "nickname": None,
              "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "note": "gift"}], "mixed": [1, "a", None]}
    text = formats.default_schema("avro", record)
    assert text.startswith('{\n  "type": "record",\n  "name": "Record",\n')
    parsed = json.loads(text)
    types = {f["name"]: f for f in parsed["fields"]}
    assert types["address"]["type"]["name"] == "Address"
    assert types["address"]["type"]["fields"][1]["type"]["name"] == "Geo"
    assert types["geo"]["type"]["name"] == "Geo2"
    assert types["shipping_address"]["type"]["name"] == "ShippingAddress"
    assert types["tags"]["type"] == {"type": "array", "items": "string"}
    assert types["nickname"] == {"name": "nickname", "type": ["null", "string"], "default": None}
    line = types["lines"]["type"]["items"]
    assert [f["type"] for f in line["fields"]] == ["string", ["null", "long"], ["null", "string"]]
    assert types["mixed"]["type"]["items"] == ["null", "long", "string"]
    enc = formats.encode("avro", record, text)
    check_walk(enc, record)
    back = formats.decode("avro", enc.data, text).record
    assert back["lines"][1] == {"sku": "B", "qty": None, "note": "gift"}   # absent in one item: defaulted


@pytest.mark.parametrize("record,where", [({"2026-11-25": 3}, '"2026-11-25"'), ({"a": {"b-c": 1}}, '"b-c"'),
                                          ({"xs": [{"ok": 1, "not ok": 2}]}, "not ok")])
def test_default_schema_refuses_invalid_field_names(record, where):
    with pytest.raises(formats.FormatError, match="not a valid Avro field name") as e:
        formats.default_schema("avro", record)
    assert where in str(e.value)


# ---- schema-first: every Avro type ---------------------------------------------------------------

float32s = st.floats(width=32, allow_nan=False, allow_infinity=False)
names_ = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
# JSON kinds a union tells apart: one branch of each at most
_UNION_GROUP = {"null": "null", "boolean": "boolean", "int": "integer", "long": "integer", "float": "real",
                "double": "real", "string": "text", "bytes": "text", "enum": "text", "fixed": "text",
                "array": "array", "map": "map", "record": "record"}


@st.composite
def avro_types(draw, counter, depth=0, in_union=False):
    """(type JSON, strategy of (value written, value read back)) for one random Avro type."""
    leaves = ["null", "boolean", "int", "long", "float", "double", "string", "bytes", "enum", "fixed"]
    inner = ["array", "map", "record", "union"] if depth < 3 else []
    k = draw(st.sampled_from(leaves + inner * 2 if not in_union else leaves + inner[:3]))
    counter.append(1)
    name = f"T{len(counter)}"
    if k in ("int", "long"):
        bits = 31 if k == "int" else 63
        ints = st.integers(-(2 ** bits), 2 ** bits - 1)
        return k, ints.map(lambda v: (v, v))
    if k in ("float", "double"):
        floats = float32s if k == "float" else st.floats(allow_nan=False, allow_infinity=False)
        return k, floats.map(lambda v: (v, v))
    if k in ("null", "boolean", "string"):
        plain = {"null": st.none(), "boolean": st.booleans(), "string": st.text(max_size=12)}[k]
        return k, plain.map(lambda v: (v, v))
    if k == "bytes":
        return k, st.one_of(st.binary(max_size=12).map(lambda b: (b, b)),
                            st.text(max_size=8).map(lambda s: (s, s.encode())))
    if k == "enum":
        symbols = draw(st.lists(names_, min_size=1, max_size=5, unique=True))
        return {"type": "enum", "name": name, "symbols": symbols}, st.sampled_from(symbols).map(lambda s: (s, s))
    if k == "fixed":
        size = draw(st.integers(0, 6))
        return {"type": "fixed", "name": name, "size": size}, st.binary(min_size=size, max_size=size).map(
            lambda b: (b, b))
    if k in ("array", "map"):
        t, values = draw(avro_types(counter, depth + 1))
        if k == "array":
            return {"type": "array", "items": t}, st.lists(values, max_size=4).map(
                lambda items: ([v for v, _ in items], [e for _, e in items]))
        return {"type": "map", "values": t}, st.dictionaries(st.text(max_size=6), values, max_size=4).map(
            lambda d: ({k: v for k, (v, _) in d.items()}, {k: e for k, (_, e) in d.items()}))
    if k == "record":
        return draw(avro_records(counter, depth + 1, name))
    return draw(avro_unions(counter, depth + 1))


@st.composite
def avro_unions(draw, counter, depth):
    """1-4 branches a JSON value tells apart: one per kind of JSON value, except records (told apart
    by their required first field), and no map beside a record."""
    branches, groups = [], set()
    for _ in range(draw(st.integers(1, 4))):
        t, values = draw(avro_types(counter, depth, in_union=True))
        group = _UNION_GROUP[t if isinstance(t, str) else t["type"]]
        if group in groups - {"record"} or {group, *groups} >= {"map", "record"}:
            continue
        groups.add(group)
        branches.append((t, values))
    return [t for t, _ in branches], st.one_of(*[values for _, values in branches])


@st.composite
def avro_records(draw, counter, depth, name="Record"):
    """A record; in a union its first field is required and named after it, so values pick it."""
    fields, strategies, defaults = [], {}, {}
    for i in range(draw(st.integers(1, 5))):
        fname = f"{name.lower()}_{i}"
        t, values = draw(avro_types(counter, depth))
        f = {"name": fname, "type": t}
        if i and isinstance(t, list) and t[0] == "null" and draw(st.booleans()):
            f["default"] = None
            defaults[fname] = None
        elif i and t in ("long", "string") and draw(st.booleans()):
            f["default"] = defaults[fname] = 7 if t == "long" else "seven"
        fields.append(f)
        strategies[fname] = values

    @st.composite
    def values(draw_value):
        written, expected = {}, {}
        for fname, strategy in strategies.items():
            if fname in defaults and draw_value(st.booleans()):
                expected[fname] = defaults[fname]   # left out: the writer uses the schema's default
                continue
            written[fname], expected[fname] = draw_value(strategy)
        return written, expected

    return {"type": "record", "name": name, "fields": fields}, values()


@st.composite
def schema_and_record(draw):
    t, values = draw(avro_records([], 0))
    written, expected = draw(values)
    return json.dumps(t), written, expected


@settings(max_examples=150, deadline=None)
@given(schema_and_record())
def test_schema_first_walk_and_round_trip(case):
    text, written, expected = case
    enc = formats.encode("avro", written, text)
    check_walk(enc, expected)
    assert formats.decode("avro", enc.data, text).record == expected
    # the library's own reading agrees with the bytes: fastavro with no help from the walk
    assert fastavro.schemaless_reader(io.BytesIO(enc.data), avro.parse_schema(text)) == expected


def test_union_of_records_picks_the_record_the_value_fits():
    home = {"type": "record", "name": "Home", "fields": [field("street", "string")]}
    work = {"type": "record", "name": "Work", "fields": [field("company", "string"),
                                                         field("floor", "long", default=0)]}
    text = schema(field("place", ["null", home, work]))
    enc = formats.encode("avro", {"place": {"company": "ACME"}}, text)
    assert enc.spans[0].label == "union branch 2 (Work)"
    assert formats.decode("avro", enc.data, text).record == {"place": {"company": "ACME", "floor": 0}}
    with pytest.raises(formats.FormatError, match="place.street: expected a string"):
        formats.encode("avro", {"place": {"street": 5}}, text)


def test_union_branch_follows_the_json_value():
    text = schema(field("v", ["null", "int", "double", "string", {"type": "array", "items": "long"}]))
    labels = [formats.encode("avro", {"v": v}, text).spans[0].label for v in (None, 5, 2.5, "x", [1])]
    assert labels == ["union branch 0 (null)", "union branch 1 (int)", "union branch 2 (double)",
                      "union branch 3 (string)", "union branch 4 (array)"]
    assert formats.encode("avro", {"v": 2 ** 40}, text).spans[0].label == "union branch 2 (double)"


@pytest.mark.parametrize("length", range(1, 11))
def test_varints_of_every_length(length):
    value = unzigzag(1 << 7 * (length - 1))   # the smallest zigzag value that needs `length` bytes
    text = schema(field("n", "long"))
    enc = formats.encode("avro", {"n": value}, text)
    assert enc.size == length and enc.spans[0].label == f"{value} (zigzag varint)"
    assert check_walk(enc, {"n": value}) == 1


@pytest.mark.parametrize("type_,value,size", [("long", -2 ** 63, 10), ("long", 2 ** 63 - 1, 10),
                                             ("int", -2 ** 31, 5), ("int", 2 ** 31 - 1, 5), ("long", -1, 1)])
def test_integer_limits(type_, value, size):
    text = schema(field("n", type_))
    enc = formats.encode("avro", {"n": value}, text)
    assert enc.size == size and formats.decode("avro", enc.data, text).record == {"n": value}


def test_empty_arrays_and_maps_are_one_terminator_byte():
    text = schema(field("xs", {"type": "array", "items": "long"}), field("m", {"type": "map", "values": "string"}))
    enc = formats.encode("avro", {"xs": [], "m": {}}, text)
    assert enc.data == b"\x00\x00"
    assert [(s.kind, s.label, s.path) for s in enc.spans] == [("terminator", "end of array", "xs"),
                                                              ("terminator", "end of map", "m")]


def test_negative_block_counts_carry_the_block_size():
    """Writers may give a block's size in bytes (count negated) so readers can skip it; fastavro never
    writes them, so these bytes are made by hand: block -2 (size 2): 1, 2; block 1: 3; end."""
    text = schema(field("xs", {"type": "array", "items": "long"}), field("m", {"type": "map", "values": "long"}))
    data = bytes([0x03, 0x04, 0x02, 0x04, 0x02, 0x06, 0x00,   # xs = [1, 2, 3]
                  0x01, 0x06, 0x02, 0x6B, 0x0A, 0x00])  # m = {"k": 5} in a block of -1 entries, 3 bytes
    enc = formats.annotate("avro", data, text)
    expected = {"xs": [1, 2, 3], "m": {"k": 5}}
    check_walk(enc, expected)
    assert [s.label for s in enc.spans[:3]] == ["array block: 2 items", "block size 2 bytes", "1 (zigzag varint)"]
    assert [s.path for s in enc.spans if s.kind == "value"] == ["xs[0]", "xs[1]", "xs[2]", "m.k"]
    assert formats.decode("avro", data, text).record == expected
    with pytest.raises(formats.FormatError, match="byte 0: the block's size says its items take 3 bytes"):
        formats.annotate("avro", bytes([0x03, 0x06]) + data[2:], text)


def test_logical_types_are_read_as_their_base_type():
    text = schema(field("at", {"type": "long", "logicalType": "timestamp-millis"}))
    enc = formats.encode("avro", {"at": 1_700_000_000_000}, text)
    decoded = formats.decode("avro", enc.data, text)
    assert decoded.record == {"at": 1_700_000_000_000}
    assert any("timestamp-millis" in note for note in decoded.notes)


# ---- schema evolution: writer's and reader's schemas ---------------------------------------------

def person_data(record=None) -> bytes:
    return formats.encode("avro", record or book_record(), PERSON).data


def library_read(data, writer, reader):
    return fastavro.schemaless_reader(io.BytesIO(data), avro.parse_schema(writer), avro.parse_schema(reader))


def test_old_reader_skips_a_field_it_does_not_know():
    old = schema(field("userName", "string"), field("interests", {"type": "array", "items": "string"}))
    decoded = formats.decode("avro", person_data(), old, PERSON)
    assert decoded.record == {"userName": "Martin", "interests": ["daydreaming", "hacking"]}
    assert decoded.skipped == ["favoriteNumber"] and decoded.defaulted == [] and decoded.unknown_kept == []
    assert decoded.record == library_read(person_data(), PERSON, old)


def test_new_reader_fills_a_new_field_from_its_default():
    new = schema(*json.loads(PERSON)["fields"], field("email", ["null", "string"], default=None))
    decoded = formats.decode("avro", person_data(), new, PERSON)
    assert decoded.record["email"] is None and decoded.defaulted == ["email"]
    assert decoded.record == library_read(person_data(), PERSON, new)


def test_new_field_without_default_cannot_read_old_data():
    new = schema(field("userName", "string"), field("email", "string"))
    with pytest.raises(formats.FormatError, match='email: .*no default.*"default"'):
        formats.decode("avro", person_data(), new, PERSON)
    with pytest.raises(fastavro.read.SchemaResolutionError):
        library_read(person_data(), PERSON, new)


def test_renamed_record_needs_an_alias_and_the_message_dumps_no_schema():
    renamed = schema(field("userName", "string"), name="Customer")
    with pytest.raises(formats.FormatError) as e:
        formats.decode("avro", person_data(), renamed, PERSON)
    assert '"aliases": ["Person"]' in str(e.value) and "'fields'" not in str(e.value)
    aliased = schema(field("name", "string", aliases=["userName"]), name="Customer", aliases=["Person"])
    decoded = formats.decode("avro", person_data(), aliased, PERSON)
    assert decoded.record == {"name": "Martin"} == library_read(person_data(), PERSON, aliased)
    assert decoded.skipped == ["favoriteNumber", "interests"]
    assert any("alias" in n and "userName" in n for n in decoded.notes)


def test_promotions_are_noted():
    writer = schema(field("n", "int"), field("f", "float"), field("s", "string"))
    reader = schema(field("n", "long"), field("f", "double"), field("s", "bytes"))
    data = formats.encode("avro", {"n": 7, "f": 0.5, "s": "hé"}, writer).data
    decoded = formats.decode("avro", data, reader, writer)
    assert decoded.record == {"n": 7, "f": 0.5, "s": "hé".encode()} == library_read(data, writer, reader)
    assert len(decoded.notes) == 3 and "int to long" in decoded.notes[0]


def test_type_change_without_promotion_is_an_error_with_the_path():
    reader = schema(field("interests", {"type": "array", "items": "long"}))
    message = "interests: the writer wrote array of string, but the reader's schema expects array of long"
    with pytest.raises(formats.FormatError, match=message):
        formats.decode("avro", person_data(), reader, PERSON)


def test_union_resolution():
    to_long = schema(field("favoriteNumber", "long"))
    assert formats.decode("avro", person_data(), to_long, PERSON).record == {"favoriteNumber": 1337}
    data = person_data({**book_record(), "favoriteNumber": None})
    with pytest.raises(formats.FormatError, match="favoriteNumber: the writer wrote null"):
        formats.decode("avro", data, to_long, PERSON)
    strings = schema(field("favoriteNumber", ["null", "string"]))
    with pytest.raises(formats.FormatError, match=r"union \[null, string\] has no branch"):
        formats.decode("avro", person_data(), strings, PERSON)


def test_enum_symbol_the_reader_lacks():
    def status(*symbols, **extra):
        return schema(field("s", {"type": "enum", "name": "Status", "symbols": list(symbols), **extra}))
    data = formats.encode("avro", {"s": "GONE"}, status("OK", "GONE")).data
    with_default = status("OK", "UNKNOWN", default="UNKNOWN")
    decoded = formats.decode("avro", data, with_default, status("OK", "GONE"))
    assert decoded.record == {"s": "UNKNOWN"} == library_read(data, status("OK", "GONE"), with_default)
    with pytest.raises(formats.FormatError, match="symbol GONE, which the reader's enum Status does not have"):
        formats.decode("avro", data, status("OK"), status("OK", "GONE"))


def test_nested_paths_in_skipped_and_defaulted():
    line = lambda *fs: {"type": "array", "items": {"type": "record", "name": "Line", "fields": list(fs)}}
    writer = schema(field("lines", line(field("sku", "string"), field("discount", "double"))))
    reader = schema(field("lines", line(field("sku", "string"), field("qty", "long", default=1))))
    data = formats.encode("avro", {"lines": [{"sku": "A", "discount": 0.1}, {"sku": "B", "discount": 0}]},
                          writer).data
    decoded = formats.decode("avro", data, reader, writer)
    assert decoded.record == {"lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 1}]}
    assert decoded.skipped == ["lines[0].discount", "lines[1].discount"]
    assert decoded.defaulted == ["lines[0].qty", "lines[1].qty"]


def test_skipped_paths_are_the_writers_so_they_find_the_skipped_bytes():
    place = lambda *fs: {"type": "record", "name": "Place", "fields": list(fs)}
    writer = schema(field("addr", place(field("street", "string"), field("zip", "string"))))
    reader = schema(field("address", place(field("street", "string")), aliases=["addr"]))
    enc = formats.encode("avro", {"addr": {"street": "Main St", "zip": "SW1"}}, writer)
    decoded = formats.decode("avro", enc.data, reader, writer)
    assert decoded.record == {"address": {"street": "Main St"}} and decoded.skipped == ["addr.zip"]
    assert [s.label for s in enc.spans_for(decoded.skipped[0])] == ["length 3", '"SW1"']


def test_named_types_do_not_leak_between_schemas():
    """Two schemas both define Person (and Inner) differently: each keeps its own, used alternately."""
    a = schema(field("inner", {"type": "record", "name": "Inner", "fields": [field("x", "long")]}))
    b = schema(field("inner", {"type": "record", "name": "Inner", "fields": [field("x", "string")]}))
    for _ in range(2):
        assert formats.encode("avro", {"inner": {"x": 5}}, a).data == b"\x0a"
        assert formats.encode("avro", {"inner": {"x": "hi"}}, b).data == b"\x04hi"
        assert formats.decode("avro", b"\x0a", a).record == {"inner": {"x": 5}}
        assert formats.decode("avro", b"\x04hi", b).record == {"inner": {"x": "hi"}}


def test_parsed_schemas_are_cached_and_shared_across_threads():
    assert avro.parse_schema(PERSON) is avro.parse_schema(PERSON)
    texts = [schema(field("v", t), name="Same") for t in ("long", "string", "double", "boolean")]
    values = [12, "twelve", 12.5, True]
    failures = []

    def work(i):
        for _ in range(30):
            text, value = texts[i % 4], values[i % 4]
            enc = formats.encode("avro", {"v": value}, text)
            if formats.decode("avro", enc.data, text).record != {"v": value}:
                failures.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


# ---- the object container file -------------------------------------------------------------------

def check_container_walk(enc, record):
    """check_walk for a file: the header's value spans (path "") hold the codec and the writer's
    schema, every other value span the record's value at its path."""
    check_walk(enc)
    header = [s for s in enc.spans if s.kind == "value" and not s.path]
    assert [s.label.split()[0] for s in header] == ["codec", "writer's"]
    assert json.loads(header[1].value)["type"] == "record"
    for s in enc.spans:
        if s.kind == "value" and s.path:
            assert same_value(paths.value_at(record, s.path), s.value), s


def test_container_file_embeds_the_writers_schema():
    enc = formats.encode("avro-container", book_record(), PERSON)
    assert enc.data.startswith(b"Obj\x01") and enc.data.count(avro.SYNC_MARKER) == 2
    assert enc.data.endswith(bytes.fromhex(BOOK_HEX) + avro.SYNC_MARKER)   # the block holds plain Avro
    assert formats.encode("avro-container", book_record(), PERSON).data == enc.data   # deterministic
    labels = [s.label for s in enc.spans]
    assert labels[:2] == ['magic "Obj\\x01"', "file metadata block: 2 entries"]
    assert "sync marker" in labels and "block: 1 record" in labels and "block size 32 bytes" in labels
    keys = [s.value for s in enc.spans if s.kind == "name"]
    assert keys == ["avro.codec", "avro.schema"]
    assert [s.path for s in enc.spans if s.label == '"Martin"'] == ["userName"]
    check_container_walk(enc, book_record())
    decoded = formats.decode("avro-container", enc.data)
    assert decoded.record == book_record() and "file header" in decoded.notes[0]


def test_container_with_several_records_and_a_reader_schema():
    people = [book_record(), {"userName": "Ada", "favoriteNumber": None, "interests": []}]
    data = avro.container_file(people, PERSON)
    enc = formats.annotate("avro-container", data)
    assert [s.path for s in enc.spans if s.kind == "value" and s.path.endswith("userName")] == [
        "[0].userName", "[1].userName"]
    check_walk(enc)
    assert [r for r in fastavro.reader(io.BytesIO(data))] == people
    new = schema(*json.loads(PERSON)["fields"], field("email", "string", default="none"))
    decoded = formats.decode("avro-container", data, new)
    assert decoded.record == {**book_record(), "email": "none"} and decoded.defaulted == ["email"]
    assert decoded.notes[0] == "The file holds 2 records; this is the first."
    old = schema(field("userName", "string"), field("interests", {"type": "array", "items": "string"}))
    decoded = formats.decode("avro-container", data, old)
    assert decoded.record == {"userName": "Martin", "interests": ["daydreaming", "hacking"]}
    assert decoded.skipped == ["favoriteNumber"] and decoded.defaulted == []


def test_container_refuses_what_it_cannot_walk():
    with pytest.raises(formats.FormatError, match="byte 0: this is not an Avro object container file"):
        formats.annotate("avro-container", bytes.fromhex(BOOK_HEX))
    data = avro.container_file([book_record()], PERSON)
    with pytest.raises(formats.FormatError, match=f"byte {len(data) - 16}: this should be the sync marker"):
        formats.annotate("avro-container", data[:-1] + b"?")
    with pytest.raises(formats.FormatError, match="no records"):
        formats.decode("avro-container", avro.container_file([], PERSON))


# ---- bad input -----------------------------------------------------------------------------------

BAD_WRITES = [
    ({"userName": "Martin", "favoriteNumber": "abc", "interests": []}, PERSON,
     'favoriteNumber: expected one of null, long; got the string "abc"'),
    ({"userName": "Martin", "interests": [], "age": 3}, PERSON, "age: .*add it to the schema or derive"),
    ({"favoriteNumber": 1, "interests": []}, PERSON, "userName: the record has no value .*no default"),
    ({"userName": 5, "interests": []}, PERSON, "userName: expected a string, got the integer 5"),
    ({"userName": "M", "interests": [1]}, PERSON, r"interests\[0\]: expected a string"),
    ({"n": 2 ** 63}, schema(field("n", "long")), "does not fit a long"),
    ({"f": 1e300}, schema(field("f", "float")), "too large for a float \\(32-bit\\)"),
    ({"s": "MAYBE"}, schema(field("s", {"type": "enum", "name": "S", "symbols": ["YES", "NO"]})),
     "'MAYBE' is not a symbol of the enum S"),
    ({"h": "abc"}, schema(field("h", {"type": "fixed", "name": "H", "size": 4})), "holds exactly 4 bytes"),
    ({}, '{"type": "record",\n "name": "P", "fields": [\n  {"name": "a" "type": "long"}]}', "line 3, column 16"),
    ({}, schema(field("a", "lon")), 'field "a": unknown type "lon" \\(did you mean "long"\\?\\)'),
    ({}, schema(field("a", ["string", "null"], default=None)), "first branch"),
    ({}, schema(field("a", "long"), field("a", "long")), "two fields called a"),
    ({}, schema(field("p", {"type": "record", "name": "Person", "fields": []})), "Person is defined twice"),
    ({}, '{"type": "enum", "name": "E", "symbols": ["A"]}', "top-level schema must be a record"),
]


@pytest.mark.parametrize("record,text,message", BAD_WRITES)
def test_bad_records_and_schemas(record, text, message):
    with pytest.raises(formats.FormatError, match=message) as e:
        formats.encode("avro", record, text)
    assert_readable(e.value)


BAD_DATA = [
    (bytes.fromhex(BOOK_HEX)[:5], "byte 1: the data ends inside a string"),
    (bytes.fromhex(BOOK_HEX)[:9], "byte 9: the data ends inside a varint that began at byte 8"),
    (bytes.fromhex(BOOK_HEX) + b"\x00", "byte 32: 1 bytes are left over"),
    (bytes.fromhex("0c4d617274696e04"), "byte 7: union branch 2 does not exist"),
    (bytes.fromhex("0c4d6172ff696e00"), "byte 4: a string is not valid UTF-8"),
    (bytes.fromhex("0d"), "byte 0: a length cannot be negative"),
    (bytes.fromhex("0c4d617274696e00ffffffffffffffffffff01"), "byte 8: .*varint"),
    (bytes.fromhex("0c4d617274696e00feffffff0f"), "byte 8: the array block claims 2,147,483,647 items"),
]


@pytest.mark.parametrize("data,message", BAD_DATA)
def test_bad_bytes_name_the_offset(data, message):
    for call in (lambda: formats.annotate("avro", data, PERSON), lambda: formats.decode("avro", data, PERSON)):
        with pytest.raises(formats.FormatError, match=message) as e:
            call()
        assert_readable(e.value)


def test_no_hang_or_recursion_on_hostile_schemas_and_data():
    endless = schema(field("next", "Person"))   # a record that must contain itself
    with pytest.raises(formats.FormatError, match="nests deeper than 32"):
        formats.annotate("avro", b"", endless)
    nulls = schema(field("xs", {"type": "array", "items": "null"}))
    assert formats.decode("avro", b"\x06\x00", nulls).record == {"xs": [None, None, None]}
    with pytest.raises(formats.FormatError, match="byte 0: the array block claims"):
        formats.annotate("avro", b"\xfe\xff\xff\xff\x0f\x00", nulls)
    deep = '{"type": "record", "name": "P", "fields": [{"name": "a", "type": ' * 60 + '"long"' + "}]}" * 60
    with pytest.raises(formats.FormatError, match="the schema nests .* levels deep"):
        formats.encode("avro", {}, deep)


def assert_readable(error):
    text = str(error)
    assert "/tmp" not in text and "Traceback" not in text and "<" not in text, text
    assert "__fastavro" not in text and "'fields'" not in text, text


# ---- Avro as found in the wild (issue 11, item 3) ----------------------------------------------------

def _file(codec: str, records: list) -> bytes:
    out = io.BytesIO()
    fastavro.writer(out, json.loads(PERSON), records, codec=codec)
    return out.getvalue()


def _hand_made_file(codec: str, block: bytes, count: int) -> bytes:
    """A container file written by hand (the specification's layout), for codecs and blocks fastavro
    here cannot or would not write: header map, sync marker, one block."""
    meta = io.BytesIO()
    fastavro.schemaless_writer(meta, {"type": "map", "values": "bytes"},
                               {"avro.codec": codec.encode(), "avro.schema": PERSON.encode()})
    sync = b"S" * 16
    return b"Obj\x01" + meta.getvalue() + sync + _zigzag(count) + _zigzag(len(block)) + block + sync


def _zigzag(n: int) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, "long", n)
    return out.getvalue()


@pytest.mark.parametrize("codec", ["deflate", "bzip2", "xz"])
def test_compressed_containers_are_walked_with_the_block_labelled(codec):
    """fastavro reads deflate, bzip2 and xz blocks (Avro specification, "Required Codecs" and
    "Optional Codecs"); the walk labels the compressed block as one span and walks its records
    inflated."""
    people = [book_record(), {"userName": "Ada", "favoriteNumber": None, "interests": []}]
    data = _file(codec, people)
    enc = formats.annotate("avro-container", data)
    check_walk(enc)
    block = next(s for s in enc.spans if s.label.startswith(f"{codec}-compressed block"))
    inflated = sum(formats.encode("avro", p, PERSON).size for p in people)   # plain Avro, back to back
    assert block.label.endswith(f"2 records, {inflated} bytes inflated") and "fastavro inflates" in block.explanation
    assert formats.decode("avro-container", data).record == book_record()
    assert formats.recognise("avro", data, PERSON)[0] == "avro-container"


def test_a_block_that_inflates_without_limit_is_refused():
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bomb.compress(bytes(9 * 1024 * 1024)) + bomb.flush()
    error = format_error(formats.annotate, "avro-container", _hand_made_file("deflate", block, 1))
    assert "inflates to more than 8,388,608 bytes" in error.message
    error = format_error(formats.decode, "avro-container", _hand_made_file("deflate", b"\xff\xfe", 1))
    assert "not valid deflate data" in error.message


def test_a_codec_the_lab_cannot_inflate_is_still_walked():
    data = _hand_made_file("snappy", b"\x1f" * 12, 1)
    enc = formats.annotate("avro-container", data)
    assert any(s.label == "snappy-compressed block: 1 record" for s in enc.spans)
    assert "cannot inflate snappy" in next(s for s in enc.spans if s.label.startswith("snappy")).explanation
    assert "a package this lab does not install" in format_error(formats.decode, "avro-container", data).message
    assert "not an Avro codec" in format_error(formats.annotate, "avro-container",
                                               _hand_made_file("gzip", b"x", 1)).message


def test_single_object_encoding_carries_the_writers_fingerprint():
    """Avro specification, "Single-object encoding": C3 01, the 8-byte little-endian CRC-64-AVRO
    fingerprint of the writer's schema's parsing canonical form, then the record."""
    import avro.schema
    enc = formats.encode("avro-single-object", book_record(), PERSON)
    fingerprint = avro.schema.parse(PERSON).fingerprint("CRC-64-AVRO")   # the apache library's
    assert enc.data == b"\xc3\x01" + fingerprint + bytes.fromhex(BOOK_HEX)
    check_walk(enc, book_record())
    assert [s.label for s in enc.spans[:2]] == ["single-object marker C3 01", f"schema fingerprint {fingerprint.hex()}"]
    assert formats.decode("avro-single-object", enc.data, PERSON).record == book_record()
    view, why = formats.recognise("avro", enc.data, PERSON)
    assert view == "avro-single-object" and "C3 01" in why
    other = schema(field("userName", "string"))
    relabelled = formats.annotate("avro-single-object", b"\xc3\x01" + fingerprint + b"\x02a", other)
    assert "(this schema's is " in relabelled.spans[1].label
    error = format_error(formats.decode, "avro-single-object", b"\xc3\x01" + fingerprint + b"\x02a", other)
    assert "byte 2: the data says its writer's schema has the fingerprint" in error.message


def test_confluent_wire_format_is_recognised_when_plain_avro_does_not_fit():
    """Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then plain Avro."""
    data = b"\x00\x00\x00\x01\x2a" + bytes.fromhex(BOOK_HEX)
    enc = formats.annotate("avro-confluent", data, PERSON)
    check_walk(enc, book_record())
    assert [s.label for s in enc.spans[:2]] == ["magic byte 0", "schema id 298"]
    assert formats.decode("avro-confluent", data, PERSON).record == book_record()
    view, why = formats.recognise("avro", data, PERSON)
    assert view == "avro-confluent" and "Confluent" in why
    plain = formats.encode("avro", {"userName": "", "favoriteNumber": None, "interests": []}, PERSON).data
    assert plain[0] == 0 and formats.recognise("avro", plain, PERSON) == ("avro", "")   # plain Avro stays plain
    assert formats.recognise("avro-container", data, PERSON) == ("avro-container", "")   # a chosen view stays
