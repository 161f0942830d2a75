"""Article files on disk (.txt, .md, .html, each also gzipped as .gz) to Articles.

A file may start with YAML front matter between `---` lines giving `title`, `url`, `published`
(and optionally `guid`, `author`, `summary`). Without it, the title is the first sentence and the
publish time is unknown."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from bs4 import UnicodeDammit

from laborwatch.domain import Article, plausible_published
from laborwatch.parsers.gzipped import GzipError, inner_suffix, maybe_gunzip
from laborwatch.parsers.html_text import extract_article_text, html_to_text
from laborwatch.redaction import public_link

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
MAX_ARTICLE_BYTES = 20_000_000  # a news article is kilobytes; anything this size is not one
_TITLE_LIMIT = 200

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_FRONT_MATTER_KEYS = frozenset({"title", "url", "published", "guid", "author", "summary"})


class ArticleFileError(ValueError):
    """An article file that cannot be read; the message names the file and the problem."""


@dataclass(slots=True)
class FolderResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)


class ArticleFolderError(ArticleFileError):
    """Some files of a folder could not be read. The readable ones are in `articles`."""

    def __init__(self, message: str, result: FolderResult) -> None:
        super().__init__(message)
        self.articles = result.articles
        self.errors = result.errors


# Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """NUL bytes near the start, and no UTF-16/32 byte-order mark to explain them."""
    return b"\x00" in data[:4096] and not data.startswith(tuple(bom for bom, _ in _BOMS))


def _decode(data: bytes, path: Path) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ArticleFileError(f"{path}: not valid {encoding.upper()} text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if looks_binary(data):
        raise ArticleFileError(f"{path}: binary data, not a text or HTML article")
    is_html = inner_suffix(path) in HTML_SUFFIXES
    dammit = UnicodeDammit(data, ["utf-8", "windows-1252"], is_html=is_html)
    if dammit.unicode_markup is None:
        raise ArticleFileError(f"{path}: cannot tell the text encoding (not UTF-8)")
    return dammit.unicode_markup


def _parse_published(value: Any, path: Path) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                raise ArticleFileError(
                    f"{path}: front matter 'published' is not a date: {value!r} "
                    "(use ISO 8601, e.g. 2024-03-05T14:00:00Z)"
                ) from None
    else:
        raise ArticleFileError(f"{path}: front matter 'published' is not a date: {value!r}")
    # A time without a zone is taken as UTC: files carry no better information.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return plausible_published(moment.astimezone(UTC))
    except (OverflowError, ValueError):  # "0001-01-01T00:00:00+05:00" has no UTC time
        return None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(front matter mapping, the rest of the text). No front matter gives an empty mapping."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ArticleFileError(f"{path}: front matter is not valid YAML: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleFileError(f"{path}: front matter must be a mapping of keys to values")
    unknown = sorted(str(key) for key in meta if key not in _FRONT_MATTER_KEYS)
    if unknown:
        raise ArticleFileError(
            f"{path}: unknown front matter key(s) {unknown}; "
            f"known: {', '.join(sorted(_FRONT_MATTER_KEYS))}"
        )
    return meta, text[match.end() :]


_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "gov", "sen", "rep", "st", "jr", "sr", "inc", "co", "corp"}
    | {"ltd", "llc", "no", "vs", "etc", "gen", "col", "lt", "sgt", "capt", "mt", "ft", "dept"}
    | {"univ", "assn", "bros", "est", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "e.g", "i.e"}
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")


def first_sentence(text: str) -> str:
    """The first sentence of the first non-empty line, skipping abbreviations like "Gov." and
    initials like "P."; cut at a word boundary if very long."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    for match in _SENTENCE_END.finditer(line):
        before = line[: match.start()].rsplit(None, 1)
        word = before[-1].lower().lstrip("(\"'“‘") if before else ""
        if match.group().startswith(".") and (
            word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        ):
            continue
        line = line[: match.end()]
        break
    if len(line) > _TITLE_LIMIT:
        line = line[:_TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return line


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.M)
_MD_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", re.M)


def markdown_to_text(text: str) -> str:
    """Markdown to plain text: headings, links, emphasis and quote marks become their words."""
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_LIST.sub("", text)
    text = _MD_QUOTE.sub("", text)
    return text


def _tidy_plain(text: str) -> str:
    # Plain text goes through the HTML path only when it holds markup, so "3 < 5" stays intact.
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = []
    for paragraph in paragraphs:
        lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in paragraph.split("\n")]
        joined = "\n".join(ln for ln in lines if ln)
        if joined:
            cleaned.append(joined)
    result = "\n\n".join(cleaned)
    if re.search(r"<\s*/?\s*[A-Za-z!?][^<>]*>", result):
        result = html_to_text(result)
    return result


def read_article_file(path: Path, *, source: str, position: int = 0) -> Article:
    """One article from a .txt, .md or .html file, or one of them gzipped. Raises
    ArticleFileError with the file name and the problem when it cannot be read."""
    path = Path(path)
    suffix = inner_suffix(path)
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleFileError(
            f"{path}: not an article file (expected one of {', '.join(sorted(ARTICLE_SUFFIXES))}"
            ", or one of them gzipped)"
        )
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleFileError(f"{path}: {size} bytes is too large for an article")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleFileError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise ArticleFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = maybe_gunzip(data, path, MAX_ARTICLE_BYTES)
    except GzipError as exc:
        raise ArticleFileError(f"{path}: {exc}") from None
    raw = _decode(data, path)
    meta, body = split_front_matter(raw, path)
    page_title = ""
    if suffix in HTML_SUFFIXES:
        page_title, text = extract_article_text(body)
    elif suffix in MARKDOWN_SUFFIXES:
        text = _tidy_plain(markdown_to_text(body))
    else:
        text = _tidy_plain(body)
    text = unicodedata.normalize("NFC", text)
    title_value = meta.get("title")
    title = html_to_text(str(title_value)) if title_value not in (None, "") else ""
    if not title:
        title = page_title or first_sentence(text)
    if not text.strip() and not title:
        raise ArticleFileError(f"{path}: the file holds no text")
    url = meta.get("url")
    summary = meta.get("summary")
    return Article(
        source=source,
        title=unicodedata.normalize("NFC", title).replace("\n", " ").strip(),
        text=text or title,
        url=public_link(str(url).strip()) if url else None,
        guid=str(meta["guid"]).strip() if meta.get("guid") else None,
        published=_parse_published(meta.get("published"), path),
        author=html_to_text(str(meta["author"])) if meta.get("author") else None,
        summary=html_to_text(str(summary)) if summary else None,
        raw=raw,
        position=position,
        # An edited file under the same url/guid is the story updated in place.
        fingerprint=hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest(),
    )


def article_files_in(folder: Path) -> list[Path]:
    """Article files directly in `folder`, sorted by file name; hidden files left out."""
    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and inner_suffix(p) in ARTICLE_SUFFIXES
        ),
        key=lambda p: p.name,
    )


def read_article_folder_collecting(path: Path, *, source: str) -> FolderResult:
    """Every readable article of a folder plus (file, message) for each file that is not."""
    folder = Path(path)
    if not folder.is_dir():
        raise ArticleFileError(f"{folder}: no such folder")
    result = FolderResult()
    for position, file in enumerate(article_files_in(folder)):
        try:
            result.articles.append(read_article_file(file, source=source, position=position))
        except ArticleFileError as exc:
            result.errors.append((file, str(exc)))
    return result


def read_article_folder(path: Path, *, source: str) -> list[Article]:
    """The articles of a folder, sorted by file name (position = index in that order). If any file
    cannot be read, raises ArticleFolderError naming each bad file; the good ones ride along."""
    result = read_article_folder_collecting(path, source=source)
    if result.errors:
        listed = "; ".join(message for _, message in result.errors)
        raise ArticleFolderError(
            f"{len(result.errors)} unreadable article file(s): {listed}", result
        )
    return result.articles
