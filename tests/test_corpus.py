from pathlib import Path

import pytest

from kg.corpus import decode, list_articles, parse_document, read_corpus, read_document
from kg.errors import InputError

ARTICLE = """Section News

Rebels flee the city

By Jane Roe

Photo of the city at night. [Photo courtesy of Someone]

Photo of the city at night. [Photo courtesy of Someone]

The rebels fled the city on Monday, officials said.

Subscribe to our newsletter and stay updated!

Jane Roe is a journalist who covers the region.
@janeroe

Do you like this article?

3 Comment(s)
Great piece. A Reader, Somewhere
"""


def test_title_byline_and_furniture_are_metadata_not_text():
    doc = parse_document("a", "a.txt", ARTICLE)
    texts = [s.text for s in doc.segments]
    assert doc.title == "Rebels flee the city"
    assert doc.creator == "Jane Roe"
    assert texts == ["Rebels flee the city", "Photo of the city at night.", "The rebels fled the city on Monday, officials said."]
    assert not any("Subscribe" in t or "journalist" in t or "Reader" in t or "Section News" in t for t in texts)


def test_segments_point_into_the_original_text():
    doc = parse_document("a", "a.txt", ARTICLE)
    for seg in doc.segments:
        assert doc.text[seg.start : seg.end] == seg.text


def test_source_line_and_writes_byline():
    doc = parse_document("b", "b.txt", "Title here\nSource: https://example.org/a\n\nCracks are showing, writes Ann Lee.\nMore text.")
    assert doc.source == "https://example.org/a"
    assert doc.creator == "Ann Lee"
    assert doc.segments[1].text == "Cracks are showing"


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty file"), (b"   \n ", "empty file"), (b"abc\x00\x01def", "binary"),
     (b"\x81\x8d\x8f\x90\x9d" * 20, "not UTF-8 .* no other encoding fits"),
     (b"\x01\x02\x03\xff\xfe\xfa" * 100, "not UTF-8 .* no other encoding fits")],
)
def test_undecodable_input_is_named_with_its_reason(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")


def test_utf16_with_bom_is_read():
    assert decode("Rebels fled.".encode("utf-16"), "x.txt") == "Rebels fled."


def test_legacy_encodings_are_detected():
    assert decode("The rebels \u201cfled\u201d Mosul \u2013 officials said.".encode("cp1252"), "x.txt") == \
        "The rebels \u201cfled\u201d Mosul \u2013 officials said."
    assert decode("Caf\u00e9 au lait.".encode("latin-1"), "x.txt") == "Caf\u00e9 au lait."
    russian = "Повстанцы бежали из Мосула в Сирию, сообщили официальные лица в понедельник."
    assert decode(russian.encode("cp1251"), "x.txt") == russian


def test_bad_files_are_skipped_and_good_ones_read(tmp_path: Path):
    (tmp_path / "good.txt").write_text("Rebels flee\n\nThe rebels fled Mosul.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "garbled.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)
    (tmp_path / "latin1.txt").write_bytes("Rebels flee\n\nThe caf\xe9 owner fled Mosul.".encode("latin-1"))
    docs, skipped = read_corpus(tmp_path)
    assert [d.id for d in docs] == ["good", "latin1"]
    assert sorted(Path(p).name for p, _ in skipped) == ["empty.txt", "garbled.txt"]
    with pytest.raises(InputError, match="empty.txt: empty file"):
        read_corpus(tmp_path, fail_fast=True)


def test_html_page_is_reduced_to_its_text(tmp_path: Path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><title>Rebels flee</title><meta name="author" content="Ann Lee">'
        '<meta property="article:published_time" content="2017-03-14"><script>var x=1;</script></head>'
        '<body><nav><a href="/">Home</a> <a href="/w">World</a></nav><article>'
        "<p>The rebels fled Mosul on Monday, officials said, after weeks of fighting.</p>"
        "<p>ISIS executed three men accused of spying.</p></article><footer>Contact us</footer></body></html>",
        encoding="utf-8")
    doc = read_document(page)
    assert (doc.title, doc.creator, doc.date) == ("Rebels flee", "Ann Lee", "2017-03-14")
    assert [s.text for s in doc.segments][-1] == "ISIS executed three men accused of spying."
    assert "var x" not in doc.text and "Home" not in doc.text and "Contact" not in doc.text


def test_size_limit_says_how_to_raise_it(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="--max-bytes"):
        read_document(big, max_bytes=100)


def test_missing_or_empty_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no such folder"):
        list_articles(tmp_path / "nope")
    with pytest.raises(InputError, match="no .txt"):
        list_articles(tmp_path)
