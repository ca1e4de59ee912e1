"""Loader for OpenStax textbooks in CNXML (book → chapter → section → paragraphs).

A book bundle holds ``META-INF/books.xml`` (the books, each pointing at a collection),
``collections/<slug>.collection.xml`` (the chapter tree: nested ``<col:subcollection>``
titles around ``<col:module document="mNNNNN"/>`` entries) and
``modules/mNNNNN/index.cnxml`` (one section). Each module is one unit and one TEXTBOOK
document; its passages are, in reading order:

* paragraphs (sentence-chunked), under the section's heading path;
* each list whole, with the lead-in paragraph that introduces it ("… may include:");
* each table row as one passage, prefixed by the row's first cell (the drug) and each
  other cell by its column header ("Acetaminophen (Tylenol) — Routes and Dosage Ranges:
  … Adults: …"), so a dosing row keeps its drug and population; a table without a header
  row keeps the table's caption ("Drug Prototype Table: Morphine") instead;
* notes (clinical tips, safety alerts, boxed warnings, client teaching …) under their
  own title, marked with ``Passage.note_kind`` — client-teaching boxes as
  ``"client-education"`` so the patient view can prefer them;
* key-term glossary definitions.

Learning objectives, review questions, reference lists, case studies and media boxes
are not loaded: they answer no clinical question or hold invented patients.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from curbside.domain.documents import Document, DocumentKind, LoadedUnit, Passage
from curbside.language.sentences import MAX_WORDS, chunk_text
from curbside.sources.base import SourceFormatError, SourceUnit
from curbside.sources.licence_terms import source_licence

SUBDIR = "textbooks-openstax"
SOURCE = "openstax"
CNXML = "{http://cnx.rice.edu/cnxml}"
COLLXML = "{http://cnx.rice.edu/collxml}"
MDML = "{http://cnx.rice.edu/mdml}"
CONTAINER = "{https://openstax.org/namespaces/book-container}"
CLIENT_EDUCATION = "client-education"
# Note classes whose boxes teach clients (what the patient view should prefer).
_CLIENT_NOTES = frozenset({"client-teaching"})
_SKIPPED_SECTIONS = frozenset({"learning-objectives", "review-questions", "references", "suggested-reading"})
_SKIPPED_NOTES = frozenset(
    {"unfolding-casestudy", "single-casestudy", "case-reflection", "media-feature", "link-to-learning",
     "practice-problems"}
)  # fmt: skip
_SKIPPED_ELEMENTS = frozenset({"title", "figure", "media", "exercise", "metadata", "caption", "iframe"})
_SOURCE_ASIDE = re.compile(r"\s*\((?:sources?|adapted from)\b[^)]*\)\s*$", re.IGNORECASE)
_LIST_WORDS = MAX_WORDS * 2
# The books title each one-drug table "Drug Prototype Table: <drug>".
_PROTOTYPE = re.compile(r"^Drug Prototype Table:\s*([^(]+)")


@dataclass(frozen=True, slots=True)
class BookPlace:
    """Where a module sits: its book and the chapter titles above it."""

    slug: str
    book_title: str
    licence_url: str
    chapters: tuple[str, ...]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path: Path, label: str | None = None) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as error:
        raise SourceFormatError(f"{label or path.name}: malformed XML ({error})") from error


@lru_cache(maxsize=8)
def _book_places(collection: Path) -> dict[str, BookPlace]:
    """Module id → its place in the book, from one collection file."""
    root = _parse(collection)
    metadata = root.find(f"{COLLXML}metadata")
    title = metadata.findtext(f"{MDML}title") if metadata is not None else None
    slug = metadata.findtext(f"{MDML}slug") if metadata is not None else None
    if not title or not slug:
        raise SourceFormatError(f"{collection.name}: collection without md:title / md:slug")
    licence = metadata.find(f"{MDML}license") if metadata is not None else None
    licence_url = licence.get("url", "") if licence is not None else ""
    places: dict[str, BookPlace] = {}

    def walk(content: ET.Element, chapters: tuple[str, ...]) -> None:
        for child in content:
            if child.tag == f"{COLLXML}module" and child.get("document"):
                places[str(child.get("document"))] = BookPlace(slug, title.strip(), licence_url, chapters)
            elif child.tag == f"{COLLXML}subcollection":
                name = (child.findtext(f"{MDML}title") or "").strip()
                inner = child.find(f"{COLLXML}content")
                if inner is not None:
                    walk(inner, (*chapters, name) if name else chapters)

    top = root.find(f"{COLLXML}content")
    if top is None:
        raise SourceFormatError(f"{collection.name}: collection without col:content")
    walk(top, ())
    return places


class OpenStaxBookLoader:
    """Loads OpenStax CNXML books; one unit (and one document) per module (book section)."""

    name = SOURCE

    def discover(self, corpus_dir: Path) -> Iterable[SourceUnit]:
        """Modules of every book in ``META-INF/books.xml``, in book order; empty if absent."""
        folder = corpus_dir / SUBDIR
        container = folder / "META-INF" / "books.xml"
        if not container.is_file():
            return []
        units = []
        for book in _parse(container).iter(f"{CONTAINER}book"):
            href = book.get("href") or ""
            collection = (container.parent / href).resolve()
            if not href or not collection.is_file():
                raise SourceFormatError(f"books.xml: book {book.get('slug')!r} names a missing collection {href!r}")
            for module in _book_places(collection):
                index = folder / "modules" / module / "index.cnxml"
                units.append(SourceUnit(f"{SUBDIR}/{book.get('slug')}/{module}", (index, collection, container)))
        return units

    def load(self, unit: SourceUnit) -> LoadedUnit:
        """Parse one module; raises SourceFormatError naming the module when it is unusable."""
        index, collection = unit.paths[0], unit.paths[1]
        module = index.parent.name
        place = _book_places(collection).get(module)
        if place is None:
            raise SourceFormatError(f"{module}: not listed in {collection.name}")
        root = _parse(index, f"{module}/index.cnxml")
        if _local(root.tag) != "document" or root.find(f"{CNXML}content") is None:
            raise SourceFormatError(f"{module}/index.cnxml: not a CNXML document (no <content>)")
        title = _inline(root.find(f"{CNXML}title")) or (root.findtext(f".//{MDML}title") or "").strip()
        if not title:
            raise SourceFormatError(f"{module}/index.cnxml: no <title>")
        return LoadedUnit(documents=(_document(module, title, place, root),))


def _document(module: str, title: str, place: BookPlace, root: ET.Element) -> Document:
    licence = source_licence(SOURCE)
    citation = licence.citation
    source_id = f"{SOURCE}:{place.slug}:{module}"
    chapter = place.chapters[-1] if place.chapters else ""
    builder = _PassageBuilder(source_id)
    content = root.find(f"{CNXML}content")
    assert content is not None  # checked by the caller
    builder.walk(content, tuple(t for t in (chapter, title) if t), None)
    return Document(
        source_id=source_id,
        source=SOURCE,
        kind=DocumentKind.TEXTBOOK,
        organization=str(citation["publisher"]),
        title=place.book_title,
        year=int(citation["year"]),
        url=str(citation["book_url"]).format(slug=place.slug),
        licence=licence.statement,
        terms=licence.terms,
        drugs=tuple(dict.fromkeys(d for d in builder.drugs if d)),
        metadata={
            "book": place.book_title,
            "book_slug": place.slug,
            "unit": place.chapters[0] if len(place.chapters) > 1 else "",
            "chapter": chapter,
            "section": title,
            "module": module,
            "licence_url": place.licence_url,
        },
        passages=tuple(builder.passages),
    )


@dataclass
class _PassageBuilder:
    source_id: str
    passages: list[Passage] = field(default_factory=list)
    drugs: list[str] = field(default_factory=list)  # named by dosing-table rows and prototype captions

    def add(self, path: tuple[str, ...], text: str, note_kind: str | None) -> None:
        text = text.strip()
        if text:
            ordinal = len(self.passages)
            self.passages.append(Passage(f"{self.source_id}#{ordinal}", path, text, ordinal, note_kind=note_kind))

    def walk(self, element: ET.Element, path: tuple[str, ...], note_kind: str | None) -> None:
        lead: str | None = None  # a paragraph ending in ":" waits for the list it introduces
        base = path  # a bold one-line paragraph titles what follows it, below ``base``
        for child in element:
            tag, css = _local(child.tag), child.get("class", "")
            if tag == "list":
                self._list(path, lead, child, note_kind)
                lead = None
                continue
            if lead is not None:
                self._paragraph(path, lead, note_kind)
                lead = None
            if tag == "para":
                text = _inline(child)
                if text.endswith(":"):
                    lead = text
                elif _is_bold_heading(child, text):
                    path = (*base, text)
                else:
                    self._paragraph(path, text, note_kind)
            elif tag == "section" and css not in _SKIPPED_SECTIONS:
                heading = _inline(child.find(f"{CNXML}title"))
                self.walk(child, (*path, heading) if heading else path, note_kind)
            elif tag == "note" and css not in _SKIPPED_NOTES:
                heading = _inline(child.find(f"{CNXML}title")) or css.replace("-", " ").capitalize() or "Note"
                kind = CLIENT_EDUCATION if css in _CLIENT_NOTES else (css or "note")
                self.walk(child, (*path, heading), kind)
            elif tag == "table":
                self._table(path, child, note_kind)
            elif tag == "glossary":
                self._glossary(path, child)
            elif tag not in _SKIPPED_ELEMENTS and tag not in ("section", "note"):
                self.walk(child, path, note_kind)
        if lead is not None:
            self._paragraph(path, lead, note_kind)

    def _paragraph(self, path: tuple[str, ...], text: str, note_kind: str | None) -> None:
        for chunk in chunk_text(text):
            self.add(path, chunk, note_kind)

    def _list(self, path: tuple[str, ...], lead: str | None, element: ET.Element, note_kind: str | None) -> None:
        items = [_inline(item) for item in element.iter(f"{CNXML}item")]
        items = [item for item in items if item]
        # A very long list is split between items, never inside one, each part keeping the lead-in.
        groups: list[list[str]] = [[]]
        for item in items:
            if groups[-1] and sum(len(i.split()) for i in groups[-1]) + len(item.split()) > _LIST_WORDS:
                groups.append([])
            groups[-1].append(item)
        for group in groups:
            if group:
                self.add(path, _join([lead, *group] if lead else group), note_kind)

    def _table(self, path: tuple[str, ...], table: ET.Element, note_kind: str | None) -> None:
        caption = _inline(table.find(f"{CNXML}caption")) or _inline(table.find(f"{CNXML}title"))
        caption = _SOURCE_ASIDE.sub("", caption).strip()
        header_rows = table.findall(f".//{CNXML}thead/{CNXML}row")
        header = [_cell(entry) for entry in header_rows[-1].findall(f"{CNXML}entry")] if header_rows else []
        table_path = (*path, caption) if caption else path
        prototype = _PROTOTYPE.match(caption)
        if prototype:
            self.drugs.append(prototype.group(1).strip().lower())
        names_drugs = bool(header) and header[0].strip().lower() in ("drug", "drugs")
        for row in table.findall(f".//{CNXML}tbody/{CNXML}row"):
            cells = [_cell(entry) for entry in row.findall(f"{CNXML}entry")]
            if not any(cells):
                continue
            if names_drugs and cells[0]:
                self.drugs.append(cells[0].split("(")[0].strip().lower())
            if len(header) == len(cells) > 1:
                labelled = [f"{h}: {c}" if h else c for h, c in zip(header[1:], cells[1:], strict=True) if c]
                text = " — ".join([cells[0], *labelled]) if cells[0] else " — ".join(labelled)
            else:
                text = " — ".join(([caption] if caption else []) + [c for c in cells if c])
            self.add(table_path, text, note_kind)

    def _glossary(self, path: tuple[str, ...], glossary: ET.Element) -> None:
        for definition in glossary.iter(f"{CNXML}definition"):
            term, meaning = _inline(definition.find(f"{CNXML}term")), _inline(definition.find(f"{CNXML}meaning"))
            if term and meaning:
                self.add((*path[:2], "Key Terms"), f"{term}: {meaning}", None)


def _text_lines(element: ET.Element) -> Iterator[tuple[str, bool]]:
    """The element's text split at ``<newline/>``: (line, whether the whole line is bold)."""
    parts: list[str] = []
    bold: list[str] = []

    def visit(node: ET.Element) -> Iterator[tuple[str, bool]]:
        tag = _local(node.tag)
        if tag == "newline":
            yield from flush()
        elif tag not in ("media", "figure", "iframe"):
            before = len(parts)
            if node.text:
                parts.append(node.text)
            if tag == "link" and not "".join(node.itertext()).strip() and node.get("target-id"):
                parts.append("This table" if "table" in str(node.get("target-id")) else "This")
            for child in node:
                yield from visit(child)
                if child.tail:
                    parts.append(child.tail)
            if tag == "emphasis" and node.get("effect") == "bold":
                bold.append("".join(parts[before:]).strip())
        return

    def flush() -> Iterator[tuple[str, bool]]:
        line = re.sub(r"\s+", " ", "".join(parts)).strip()
        if line:
            yield line, line in bold or line.rstrip(":") in bold
        parts.clear()
        bold.clear()

    parts.append(element.text or "")
    for child in element:
        yield from visit(child)
        if child.tail:
            parts.append(child.tail)
    yield from flush()


def _is_bold_heading(para: ET.Element, text: str) -> bool:
    """A short paragraph that is one bold run ("Nonopioid Analgesics" atop a boxed warning)."""
    lines = list(_text_lines(para))
    return len(lines) == 1 and lines[0][1] and len(text.split()) <= 12 and not text.endswith((".", ":"))


def _inline(element: ET.Element | None) -> str:
    """Plain text of an inline-content element (paragraph, item, title), whitespace collapsed."""
    if element is None:
        return ""
    return _join(line for line, _bold in _text_lines(element))


def _cell(entry: ET.Element) -> str:
    """A table cell: bold or colon-ended lines label the lines under them ("Drug Class: CAI; Diuretic")."""
    groups: list[tuple[str, list[str]]] = []
    for line, is_label in _text_lines(entry):
        if is_label or line.endswith(":"):
            groups.append((line.rstrip(":").strip(), []))
        elif groups:
            groups[-1][1].append(line)
        else:
            groups.append(("", [line]))
    rendered = [f"{label}: {_join(values)}" if label and values else label or _join(values) for label, values in groups]
    return _join(rendered, end=". ")


def _join(pieces: Iterable[str | None], end: str = "; ") -> str:
    """Join text pieces: after a piece ending in punctuation a space, otherwise ``end``."""
    text = ""
    for piece in pieces:
        piece = (piece or "").strip()
        if not piece:
            continue
        if text:
            # "Acetaminophen" + "(Tylenol)": a parenthesis continues the piece before it.
            text += " " if text[-1] in ".;:!?" or piece.startswith("(") else end
        text += piece
    return text
