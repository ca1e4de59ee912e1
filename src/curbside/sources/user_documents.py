"""A user's own guideline file: Markdown, plain text or PDF.

Unlike corpus loaders this one is built for a single file with metadata the user gives
(organisation, year, optional title/url/kind), because a private guideline has no
machine-readable provenance of its own. Structure is recovered as well as the format
allows: Markdown ``#`` headings become heading paths, plain text is split into paragraphs,
and PDF text is extracted per page (pypdf) with short upper-case or numbered lines taken
as headings on a best-effort basis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from curbside.domain.documents import Document, DocumentKind, LoadedUnit, Passage
from curbside.domain.terms import LicenceClass, UseTerms
from curbside.sources.base import SourceFormatError, SourceUnit, append_chunks

LICENCE = "provided by the user"  # shown when the user states no licence
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_PDF_HEADING = re.compile(r"^(\d+(\.\d+)*\.?\s+[A-Z][^.]{2,80}|[A-Z][A-Z0-9 ,&/()-]{3,80})$")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class _Block:
    path: tuple[str, ...]
    text: str


class UserGuidelineLoader:
    """Loads one user-supplied guideline file as a single Document.

    Args:
        path: the ``.md``/``.markdown``, ``.txt`` or ``.pdf`` file.
        organization: who issued the guideline (user-given).
        year: publication year (user-given), or None.
        title: defaults to the first heading, else the file stem.
        url: defaults to the file's ``file://`` URI.
        kind: defaults to GUIDELINE.
        licence: the licence or copyright statement the user gives (default: "provided by the user").
        terms: use terms the user gives (default: class user-supplied, attribution required).

    Contract: ``discover`` ignores ``corpus_dir`` and yields the one unit for ``path``;
    ``load`` returns a Document with ``source_id "user:<slug of file name>"`` and raises
    SourceFormatError naming the file for unsupported types, unreadable PDFs or no text.
    """

    name = "user"

    def __init__(
        self,
        path: Path,
        *,
        organization: str,
        year: int | None,
        title: str | None = None,
        url: str | None = None,
        kind: DocumentKind = DocumentKind.GUIDELINE,
        licence: str | None = None,
        terms: UseTerms | None = None,
    ) -> None:
        self.path = path
        self.organization = organization
        self.year = year
        self.title = title
        self.url = url
        self.kind = kind
        self.licence = licence or LICENCE
        self.terms = terms or UseTerms(LicenceClass.USER_SUPPLIED, attribution_required=True)

    @property
    def source_id(self) -> str:
        return f"user:{slugify(self.path.name)}"

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        return [SourceUnit(key=f"user/{self.path.name}", paths=(self.path,))]

    def load(self, unit: SourceUnit) -> LoadedUnit:
        path = unit.paths[0]
        suffix = path.suffix.lower()
        if suffix in _MARKDOWN_SUFFIXES:
            blocks = _markdown_blocks(_read_text(path))
        elif suffix == ".txt":
            blocks = [_Block(path=(), text=p) for p in _paragraphs(_read_text(path))]
        elif suffix == ".pdf":
            blocks = _pdf_blocks(path)
        else:
            raise SourceFormatError(f"{path.name}: unsupported file type (use .md, .txt or .pdf)")
        passages = self._passages(blocks)
        if not passages:
            raise SourceFormatError(f"{path.name}: no text found")
        first_heading = next((b.path[0] for b in blocks if b.path), None)
        document = Document(
            source_id=self.source_id,
            source=self.name,
            kind=self.kind,
            organization=self.organization,
            title=self.title or first_heading or path.stem,
            year=self.year,
            url=self.url or path.resolve().as_uri(),
            licence=self.licence,
            terms=self.terms,
            metadata={"file_name": path.name, "format": suffix.lstrip(".")},
            passages=passages,
        )
        return LoadedUnit(documents=(document,))

    def _passages(self, blocks: list[_Block]) -> tuple[Passage, ...]:
        passages: list[Passage] = []
        for block in blocks:
            append_chunks(passages, self.source_id, block.path, block.text)
        return tuple(passages)


def slugify(name: str) -> str:
    """Lower-case ASCII slug of a file name: ``"My Guideline (2024).md"`` → ``"my-guideline-2024-md"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "document"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path.name}: not UTF-8 text ({exc})") from exc


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, whitespace collapsed."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _markdown_blocks(text: str) -> list[_Block]:
    """Paragraphs under their ``#`` heading path; a level-n heading replaces levels ≥ n."""
    blocks: list[_Block] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []

    def flush() -> None:
        for paragraph in _paragraphs("\n".join(lines)):
            blocks.append(_Block(path=tuple(h for _, h in stack), text=_strip_inline_markdown(paragraph)))
        lines.clear()

    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence  # a '#' inside a code fence is not a heading
        match = None if in_fence else _MD_HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        flush()
        level = len(match.group(1))
        stack = [(lvl, h) for lvl, h in stack if lvl < level]
        stack.append((level, _strip_inline_markdown(match.group(2))))
    flush()
    return [b for b in blocks if b.text]


def _strip_inline_markdown(text: str) -> str:
    """Keep the words, drop emphasis markers, link targets and list bullets."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(^|\s)[-+] (?=\S)", r"\1• ", text)
    return text.strip(" \t-")


def _pdf_blocks(path: Path) -> list[_Block]:
    """Text per page; short upper-case or numbered lines start a new (best-effort) heading."""
    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise SourceFormatError(f"{path.name}: unreadable PDF ({exc})") from exc
    blocks: list[_Block] = []
    heading: tuple[str, ...] = ()
    for number, page in enumerate(pages, start=1):
        buffer: list[str] = []
        for line in page.splitlines():
            line = " ".join(line.split())
            if _PDF_HEADING.match(line):
                if buffer:
                    blocks.append(_Block(path=heading or (f"Page {number}",), text=" ".join(buffer)))
                    buffer = []
                heading = (line,)
            elif line:
                buffer.append(line)
        if buffer:
            blocks.append(_Block(path=heading or (f"Page {number}",), text=" ".join(buffer)))
    return blocks
