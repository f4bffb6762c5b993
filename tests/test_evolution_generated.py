"""Generated schemas: a table's columns give an Avro schema and a Protobuf schema, and old rows are read
after the table changed, by fastavro and by protobuf (through formats).

Avro specification, "Schema Resolution": the writer's and the reader's fields are matched by name; a
field the reader lacks is ignored, one the writer lacks takes the reader's default. Protocol Buffers,
"Updating A Message Type": do not change the field number of an existing field, and reserve the
numbers of deleted fields so they are never reused; a field whose wire type does not match is kept as
an unknown field.
"""
from hypothesis import given, settings, strategies as st

from evolution import generated
from tests.pages import html_bodies, page, texts
from tests.support import format_error

POOL = [generated.Column(n, t) for n, t in (("id", "long"), ("name", "string"), ("email", "string"),
                                            ("age", "long"), ("score", "double"), ("active", "boolean"))]


def lines(columns) -> str:
    return "\n".join(f"{c.name} {c.type}" for c in columns)


def test_dropping_a_column_shifts_the_naive_tags_and_protobuf_misreads_silently():
    read = generated.read_after_change(generated.V1, generated.V2)   # drops name (tag 2), adds active
    assert read["avro"].counts["misread"] == 0 and read["avro"].counts["as written"] == 15
    naive = read["protobuf"]
    first = {c["column"]: c for c in naive.cells if c["row"] == 1}
    assert first["email"]["holds"] == "Ada" and first["email"]["status"] == "misread"      # name's bytes, tag 2
    assert first["active"]["holds"] is True and "20 read as True" in first["active"]["why"]  # age's varint, tag 4
    assert first["age"]["status"] == "missing" and "unknown field" in first["age"]["why"]   # email's string, tag 3
    kept = read["protobuf-kept"]
    assert "reserved 2;" in kept.schema_after and kept.counts["misread"] == 0


def test_the_generated_schemas_are_what_the_libraries_accept():
    columns = generated.parse_columns("id bigint\nname varchar(80)\nscore double precision\nok bool")
    assert [c.type for c in columns] == ["long", "string", "double", "boolean"]
    assert '"type": ["null", "long"], "default": null' in generated.avro_schema(columns)
    assert "optional int64 id = 1;" in generated.proto_schema(columns)
    tags, reserved = generated.kept_tags(columns, columns[2:] + columns[:1])
    assert tags == {"score": 3, "ok": 4, "id": 1} and reserved == (2,)


columns = st.lists(st.sampled_from(POOL), min_size=1, max_size=6, unique=True)


@settings(max_examples=25, deadline=None)
@given(before=columns, after=columns)
def test_by_name_and_by_kept_tag_no_old_row_lands_in_another_column(before, after):
    read = generated.read_after_change(lines(before), lines(after), n_rows=2)
    for reader in ("avro", "protobuf-kept"):
        assert read[reader].counts["misread"] == read[reader].counts["a dropped column's"] == 0
        common = {c.name for c in before} & {c.name for c in after}
        assert all(cell["status"] == "as written" for cell in read[reader].cells if cell["column"] in common)


@settings(max_examples=25, deadline=None)
@given(before=columns, extra=columns)
def test_columns_added_at_the_end_keep_every_naive_tag(before, extra):
    after = before + [c for c in extra if c not in before]
    naive = generated.read_after_change(lines(before), lines(after), n_rows=2)["protobuf"]
    assert naive.counts["misread"] == naive.counts["missing"] == 0


def test_bad_columns_say_which_line():
    assert "line 2: write a column as `name type`" in format_error(generated.parse_columns, "id bigint\n2x y").message
    assert "line 3: the table already has a column 'id'" in format_error(
        generated.parse_columns, "id bigint\nname text\nID int").message
    assert "the table after the change, line 1" in format_error(
        generated.read_after_change, "id bigint", "id blob").message


def test_the_page_through_its_controls():
    at = page("app_pages/generated.py").run()
    assert not at.exception
    counts = {r["reader"]: r for r in at.dataframe[0].value.to_dict("records")}
    assert counts[generated.READERS["protobuf"]]["misread"] == 10 and counts[generated.READERS["avro"]]["misread"] == 0
    at.button(key="gen.Add a column").click().run()
    assert at.text_area(key="gen.after").value.endswith("active boolean")
    counts = {r["reader"]: r for r in at.dataframe[0].value.to_dict("records")}
    assert counts[generated.READERS["protobuf"]]["misread"] == 0   # a column at the end shifts no tag
    at.button(key="gen.Reorder").click().run()
    at.segmented_control(key="gen.reader").set_value("protobuf").run()
    cells = at.dataframe[1].value
    assert (cells["status"] == "misread").any()
    assert any("field tag 1" in b for b in html_bodies(at))   # row 1's bytes, labelled by the new schema
    at.text_area(key="gen.after").set_value("id bigint\nname blob").run()
    assert not at.exception and "line 2" in at.error[0].value
    assert at.text_area(key="gen.after").value == "id bigint\nname blob"


def test_the_page_is_in_the_evolve_section_and_on_the_about_map():
    at = page("app.py").run()
    at.switch_page("app_pages/generated.py").run()
    assert not at.exception and at.title[0].value == "Generated schemas"
    about = page("app_pages/about.py").run()
    assert "Generated schemas" in " ".join(about.table[0].value["where"])
