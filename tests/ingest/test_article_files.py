import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from laborwatch.parsers.article_files import (
    ArticleFileError,
    ArticleFolderError,
    first_sentence,
    read_article_file,
    read_article_folder,
)

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "articles"


def test_front_matter_sets_title_url_published(tmp_path: Path) -> None:
    file = tmp_path / "a.md"
    file.write_text(
        "---\n"
        "title: Mill to cut 80 jobs\n"
        "url: https://news.example.org/mill\n"
        "published: 2024-03-05T09:30:00-05:00\n"
        "---\n"
        "# Mill to cut 80 jobs\n\n"
        "The **Valley Paper** mill will cut 80 jobs, [the company](https://x.org) said.\n",
        encoding="utf-8",
    )
    article = read_article_file(file, source="folder-x", position=4)
    assert article.title == "Mill to cut 80 jobs"
    assert article.url == "https://news.example.org/mill"
    assert article.published == datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    assert article.published.tzinfo is UTC
    assert article.source == "folder-x" and article.position == 4
    assert article.text == (
        "Mill to cut 80 jobs\n\nThe Valley Paper mill will cut 80 jobs, the company said."
    )
    assert article.raw is not None and article.raw.startswith("---\ntitle: Mill")


def test_front_matter_date_only_and_naive_times_are_utc(tmp_path: Path) -> None:
    file = tmp_path / "b.txt"
    file.write_text("---\npublished: 2024-06-01\n---\nBody text here.\n", encoding="utf-8")
    assert read_article_file(file, source="s").published == datetime(2024, 6, 1, tzinfo=UTC)


def test_without_front_matter_title_is_first_sentence(tmp_path: Path) -> None:
    file = tmp_path / "c.txt"
    file.write_text(
        "Gov. Dannel P. Malloy said 4,200 state employees may be laid off. Talks go on.\n\nMore.",
        encoding="utf-8",
    )
    article = read_article_file(file, source="s")
    assert article.title == "Gov. Dannel P. Malloy said 4,200 state employees may be laid off."
    assert article.published is None and article.url is None


def test_first_sentence_is_capped_at_a_word() -> None:
    long = "word " * 100
    title = first_sentence(long)
    assert len(title) <= 201 and title.endswith("…") and " wor…" not in title


def test_seed_articles_read_with_original_raw() -> None:
    articles = read_article_folder(SAMPLES, source="samples")
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert [a.position for a in articles] == list(range(len(names)))
    first = articles[0]
    raw = (SAMPLES / names[0]).read_text(encoding="utf-8")
    assert first.raw == raw
    assert first.title.startswith("In the midst of discussions with state employee unions, Gov.")
    assert "$2 billion of savings and concessions" in first.text
    assert "\n\n" in first.text  # paragraphs kept


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Café workers at Nestlé: 120 jobs cut.")
    file = tmp_path / "d.txt"
    file.write_text(decomposed, encoding="utf-8")
    article = read_article_file(file, source="s")
    assert article.text == unicodedata.normalize("NFC", decomposed)
    assert article.raw == decomposed  # raw keeps the original


def test_html_article_file(tmp_path: Path) -> None:
    file = tmp_path / "e.html"
    file.write_text(
        "<html><head><title>Plant closes | Gazette</title><script>x=1</script></head><body>"
        "<nav>Menu</nav><article><h1>Plant closes</h1><p>The plant will close and lay off "
        "220 workers.</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_article_file(file, source="s")
    assert article.title == "Plant closes"
    assert "lay off 220 workers" in article.text and "Menu" not in article.text
    assert article.raw is not None and "<script>" in article.raw


def test_windows_1252_file_is_decoded(tmp_path: Path) -> None:
    file = tmp_path / "f.txt"
    file.write_bytes("The union\u2019s 1,200 members voted.".encode("cp1252"))
    assert read_article_file(file, source="s").text == "The union\u2019s 1,200 members voted."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("---\ntitle: [unclosed\n---\nText", "not valid YAML"),
        ("---\n- a\n- b\n---\nText", "must be a mapping"),
        ("---\ntitel: Typo\n---\nText", "unknown front matter key(s) ['titel']"),
        ("---\npublished: last tuesday\n---\nText", "'published' is not a date"),
        ("", "holds no text"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "bad.txt"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(ArticleFileError) as caught:
        read_article_file(file, source="s")
    assert message in str(caught.value) and str(file) in str(caught.value)


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(ArticleFileError, match="no such file"):
        read_article_file(tmp_path / "missing.txt", source="s")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ArticleFileError, match="not an article file"):
        read_article_file(tmp_path / "x.pdf", source="s")


def test_folder_sorted_by_name_and_bad_files_do_not_lose_good_ones(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second story about 20 jobs.", encoding="utf-8")
    (tmp_path / "a.md").write_text("First story about 10 jobs.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("---\ntitle: [\n---\nBroken", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    with pytest.raises(ArticleFolderError) as caught:
        read_article_folder(tmp_path, source="s")
    error = caught.value
    assert [a.title for a in error.articles] == [
        "First story about 10 jobs.",
        "Second story about 20 jobs.",
    ]
    assert [p.name for p, _ in error.errors] == ["c.txt"]
    assert "c.txt" in str(error)
    (tmp_path / "c.txt").unlink()
    assert [a.position for a in read_article_folder(tmp_path, source="s")] == [0, 1]


def test_gzipped_article_files_read_like_the_plain_ones(tmp_path: Path) -> None:
    import gzip

    html = "<html><head><title>Plant to close</title></head><body><article><p>Acme will lay off 300 workers at its Dayton plant, the company said on Monday in a notice.</p></article></body></html>"  # noqa: E501
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    (tmp_path / "c.TXT.GZ").write_bytes(gzip.compress(b"Acme will lay off 300 workers."))
    plain = read_article_file(tmp_path / "a.html", source="s")
    packed = read_article_file(tmp_path / "b.html.gz", source="s")
    assert (packed.title, packed.text) == (plain.title, plain.text)
    assert "300 workers" in packed.text and packed.title == "Plant to close"
    assert [a.text for a in read_article_folder(tmp_path, source="s")][1:] == [
        packed.text,
        "Acme will lay off 300 workers.",
    ]


def test_bad_gzip_files_and_bombs_are_one_clear_error(tmp_path: Path) -> None:
    import gzip

    import laborwatch.parsers.article_files as article_files

    fake = tmp_path / "fake.html.gz"
    fake.write_text("<p>not compressed</p>", encoding="utf-8")
    with pytest.raises(ArticleFileError, match=r"fake\.html\.gz: not a gzip file"):
        read_article_file(fake, source="s")
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress(b"Acme will lay off 300 workers. " * 50)[:40])
    with pytest.raises(ArticleFileError, match=r"cut\.txt\.gz: not a readable gzip file"):
        read_article_file(cut, source="s")
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"0" * (article_files.MAX_ARTICLE_BYTES + 10)))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ArticleFileError, match="bytes once decompressed"):
        read_article_file(bomb, source="s")


@pytest.mark.parametrize(
    "published", ["0001-01-01T00:00:00", "9999-12-31", "0001-01-01T00:00:00+05:00"]
)
def test_impossible_front_matter_dates_are_unknown(tmp_path: Path, published: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: T\npublished: {published}\n---\nAcme cut 30 jobs.\n")
    assert read_article_file(path, source="s").published is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_files_with_a_utf16_or_utf32_byte_order_mark_are_read(
    tmp_path: Path, encoding: str
) -> None:
    text = "Acme will lay off 350 workers in Toledo — its biggest cut."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the mark a text editor writes
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    article = read_article_file(path, source="s")
    assert article.text == text and article.title == text
