"""The entry script and the first page, driven through AppTest."""
from tests.pages import page

BOOK_SIZES = {"JSON": 81, "MessagePack": 66, "Thrift BinaryProtocol": 59, "Thrift CompactProtocol": 34,
              "Protocol Buffers": 33, "Avro": 32}


def test_overview_shows_the_six_book_sizes():
    at = page("app_pages/overview.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    sizes = dict(zip(table["format"], table["bytes"]))
    for title, size in BOOK_SIZES.items():
        assert sizes[title] == size, (title, sizes)
    assert sizes["BSON"] == 96 and sizes["CBOR"] == 66


def test_app_entry_runs_the_default_page():
    at = page("app.py").run()
    assert not at.exception
    assert at.title[0].value == "The chapter as a path"


def test_about_page_maps_the_chapter_to_the_lab():
    at = page("app_pages/about.py").run()
    assert not at.exception
    ideas = at.table[0].value
    assert len(ideas) >= 12 and "Rolling upgrade" in " ".join(ideas["where"])


def test_the_chapter_is_named_by_both_editions_numbers():
    """The chapter is 4 in the first edition and 5 in the second: every place that names it says both."""
    from tests.pages import ROOT, texts
    for name in ("app_pages/about.py", "app_pages/overview.py"):
        at = page(name).run()
        said = " ".join(texts(at))
        assert "chapter 4 in the first edition" in said and "chapter 5 in the second" in said, name
    readme = (ROOT / "README.md").read_text()
    assert "chapter 4 in the first edition, chapter 5 in the second" in readme.replace("\n", " ")
