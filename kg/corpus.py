"""Read a folder of articles: decode, drop page furniture, keep title/byline/source as metadata.

The article text is never rewritten: each kept stretch is a `Segment` with its offset in the
decoded file, so every sentence the extractor cites points back into the file.

>>> doc = parse_document("x", "x.txt", "Rebels flee town\\nBy Ann Lee\\n\\nThe rebels fled.\\n\\nDo you like this article?\\n0 Comment(s)")
>>> doc.title, doc.creator, [s.text for s in doc.segments]
('Rebels flee town', 'Ann Lee', ['Rebels flee town', 'The rebels fled.'])
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .model import Document, Segment

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
DEFAULT_MAX_BYTES = 5_000_000

# Everything from one of these lines on is comments, related links or site chrome.
_END_OF_ARTICLE = re.compile(
    r"^\s*(do you like this article\??|\d+\s+comments?(\s*\(s\))?|comment\(s\)|comments? (are|is) (now )?closed\.?"
    r"|comment policy\b|leave a (comment|reply)|related (articles|stories|content|posts)\b|share this (article|story)"
    r"|you may also like|more from\b|recommended for you)",
    re.IGNORECASE,
)
# Lines that are site chrome wherever they stand.
_FURNITURE = re.compile(
    r"^\s*(subscribe to our newsletter.*|sign up for our newsletter.*|advertisement|follow us on .*|click here .*"
    r"|@\w{2,30}|share( on)? (facebook|twitter|x)\b.*|print this (page|article)|listen to this article.*)\s*$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^\s*source:\s*(\S+)\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(?:date|published|posted|updated)(?: on)?:\s*(.+?)\s*$", re.IGNORECASE)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|al-\w+|bin|ibn|de|van|von))*"
_BYLINE = re.compile(rf"^\s*(?:by|written by|reporting by)\s+({_NAME})\s*$", re.IGNORECASE)
# "..., writes Jane Doe." at the end of a standfirst
_WRITES = re.compile(rf",?\s+writes\s+({_NAME})\.?\s*$")
# A bracketed credit closing a photo caption: "[File]", "[Photo courtesy of ...]", "[Name/AFP]".
_CREDIT = re.compile(
    r"\s*\[(?:file|photo[^\]]*|[^\]]*(?:/|courtesy|afp|reuters|getty|ap photo|epa)[^\]]*)\]\s*$", re.IGNORECASE
)
_BIO_WORDS = re.compile(
    r"\b(journalist|writer|reporter|correspondent|editor|columnist|filmmaker|author|contributor|freelancer)\b", re.IGNORECASE
)


class _ArticleHTML(HTMLParser):
    """Keeps the <title> and the text of block elements; drops scripts, styles and navigation."""

    _SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "figure"}
    _BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "div", "br", "tr", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def extract_article(markup: str) -> tuple[str, dict[str, str]]:
    """An HTML page reduced to its article text with trafilatura, and the title, author and date
    it finds; a page trafilatura finds no article in falls back to its block text."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=False)
    except Exception:  # a malformed page must not stop a build; the plain reduction still applies
        found = None
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        return html_to_text(markup), {}
    meta = {k: str(v) for k in ("title", "author", "date") if (v := getattr(found, k, None))}
    paragraphs = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    title = meta.get("title")
    if title and not paragraphs.startswith(title):
        paragraphs = f"{title}\n\n{paragraphs}"
    return paragraphs, meta


def html_to_text(markup: str) -> str:
    """Reduce an HTML page to its title and paragraphs, one per line."""
    parser = _ArticleHTML()
    parser.feed(markup)
    parser.close()
    body = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    lines = [line.strip() for line in body.split("\n")]
    paragraphs = "\n\n".join(line for line in lines if line)
    title = html.unescape(parser.title).strip()
    if title and not paragraphs.startswith(title):
        return f"{title}\n\n{paragraphs}"
    return paragraphs


def _reads_as_text(text: str) -> bool:
    return bool(text) and sum(c.isprintable() or c.isspace() for c in text) >= 0.98 * len(text)


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes as text: UTF-8, UTF-16 with its byte-order mark, or another
    encoding charset-normalizer recognises with confidence; else say clearly why not."""
    if not data.strip():
        raise InputError(f"{path}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    sample = data[:200_000]
    if sum(b < 0x80 for b in sample) >= 0.9 * len(sample):
        # mostly ASCII with a few legacy bytes: an English article saved as Windows-1252 (curly
        # quotes, dashes) or Latin-1; detectors confuse these code pages on so few bytes
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if _reads_as_text(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    # a guess is trusted only when the text it gives reads as words of some language
    if best is not None and best.encoding and best.chaos < 0.1 and best.coherence >= 0.1:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _reads_as_text(text):
            return text
    raise InputError(f"{path}:{line}: not UTF-8 ({where}) and no other encoding fits; re-save the file as UTF-8")


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def parse_document(doc_id: str, path: str, text: str, sha256: str = "") -> Document:
    """Split an article's text into metadata and the segments the extractor should read."""
    lines = _lines(text)
    for i, (_, line) in enumerate(lines):
        if _END_OF_ARTICLE.match(line):
            lines = lines[:i]
            break

    source = creator = date = None
    kept: list[tuple[int, str]] = []
    byline_at = None
    for start, line in lines:
        if not line.strip():
            continue
        if m := _SOURCE.match(line):
            source = source or m.group(1)
            continue
        if m := _DATE.match(line):
            date = date or m.group(1)
            continue
        if (m := _BYLINE.match(line)) and len(m.group(1).split()) <= 6:
            creator = creator or m.group(1).strip().rstrip(".")
            byline_at = len(kept)
            continue
        if _FURNITURE.match(line):
            continue
        kept.append((start, line))

    # The title is the line just above the byline (anything above it is a section label),
    # or else a first line that reads as a headline rather than a sentence.
    title = None
    if byline_at is not None and byline_at > 0:
        kept = kept[byline_at - 1 :]
        title = kept[0][1].strip()
    elif kept:
        first = kept[0][1].strip()
        if len(first) <= 200 and not first.endswith((".", "?", "!", ":", '"', "”")):
            title = first

    segments: list[Segment] = []
    seen: set[str] = set()
    for n, (start, line) in enumerate(kept):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        seg_start, seg_text, kind = start + lead, stripped, "title" if (n == 0 and title) else "body"
        if m := _WRITES.search(seg_text):
            creator = creator or m.group(1).strip().rstrip(".")
            seg_text = seg_text[: m.start()]
        if m := _CREDIT.search(seg_text):
            # A photo caption: the credit is not part of the story; captions are often printed twice.
            seg_text, kind = seg_text[: m.start()].rstrip(), "caption"
        if creator and seg_text.startswith(creator) and _BIO_WORDS.search(seg_text) and n >= len(kept) - 3:
            continue  # the author's bio at the foot of the page
        if not seg_text or seg_text in seen:
            continue
        seen.add(seg_text)
        segments.append(Segment(seg_start, seg_text, kind))

    return Document(
        id=doc_id,
        path=path,
        text=text,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        segments=tuple(segments),
        title=title,
        creator=creator,
        source=source,
        date=date,
    )


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, known: str | None = None) -> Document:
    """Read one article file; raise InputError naming the file and the reason when it cannot be.

    `known` is the SHA-256 the file had when last read: if its bytes still hash to it, the text
    is not decoded again and a document without text or segments stands for it (a rebuild
    takes what it needs from the extraction cache).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise InputError(f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit (raise it with --max-bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    sha256 = hashlib.sha256(data).hexdigest()
    if known == sha256:
        return Document(path.stem, str(path), "", sha256, ())
    text = decode(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        text, meta = extract_article(text)
    doc = parse_document(path.stem, str(path), text, sha256)
    if meta:
        # the page's own metadata, where the text itself did not state it
        doc = replace(doc, title=doc.title or meta.get("title"), creator=doc.creator or meta.get("author"),
                      date=doc.date or meta.get("date"))
    if not doc.segments:
        raise InputError(f"{path}: no article text left after removing page furniture")
    return doc


def list_articles(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The article files of a folder, sorted by name so builds are repeatable, and the
    (path, reason) of article names that cannot be files: broken or looping symbolic links."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if folder.is_file():
        return [folder], []
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    files, problems = [], []
    for p in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in p.relative_to(folder).parts) or p.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
            continue
        if p.is_symlink() and not p.exists():
            problems.append((str(p), f"{p}: a symbolic link that leads nowhere (broken or looping)"))
        elif p.is_file():
            files.append(p)
    if not files and not problems:
        raise InputError(f"{folder}: no .txt or .html articles found")
    return files, problems


def read_corpus(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fail_fast: bool = False,
                known: dict[str, str] | None = None) -> tuple[list[Document], list[tuple[str, str]]]:
    """Read every article in a folder; bad files are returned as (path, reason), not raised,
    unless `fail_fast` asks to stop at the first. `known` maps paths to the SHA-256 they had
    when last read (see read_document)."""
    known_sha = known or {}
    files, problems = list_articles(folder)
    known = dict(problems)
    docs, skipped = [], []
    for path in sorted([*files, *(Path(p) for p in known)]):
        try:
            if str(path) in known:
                raise InputError(known[str(path)])
            docs.append(read_document(path, max_bytes=max_bytes, known=known_sha.get(str(path))))
        except InputError as exc:
            if fail_fast:
                raise
            skipped.append((str(path), str(exc)))
    return docs, skipped
