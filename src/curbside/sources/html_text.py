"""Turn the escaped-HTML field values of NGC summaries into clean plain text.

NGC stores every field as an HTML fragment inside an XML attribute. Answers quote
passages verbatim, so the text must read naturally without markup: paragraphs, list
items and table rows become separate lines, table cells are joined with " | ", and
character references (``&ndash;``, ``&#xD;``) are decoded. Only the stdlib parser is used.

Besides flat text, :func:`html_blocks` keeps a little structure — which line was a
list item, a table row, or a bold-only paragraph acting as a sub-heading — because
the guideline loader splits recommendations on exactly those boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

BlockKind = Literal["paragraph", "heading", "item", "row"]

# Tags that end the current line; everything else (span, a, em, sup …) is inline.
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"}
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD_TAGS = frozenset({"strong", "b"})
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset({"script", "style"})
_SPACE = re.compile(r"[ \t\r\n\u00a0\u200b]+")
# A superscript footnote reference ("fluvoxamine<sup>1</sup>") glued to its word would make a new
# word ("fluvoxamine1") that no reader, search or drug lexicon knows; the footnote itself stays a
# passage of its own. Only markers after a letter or closing punctuation are dropped: after a
# digit a superscript is an exponent ("10<sup>9</sup>/L"), written "10^9/L" so it is not read as 109.
_FOOTNOTE_MARK = re.compile(r"^\s*(?:\d{1,2}|[*\u2020\u2021\u00a7]{1,3})(?:\s*,\s*\d{1,2})*\s*$")
_EXPONENT = re.compile(r"^\s*[-\u2212]?\d{1,3}\s*$")
_MARK_FOLLOWS = re.compile(r"[A-Za-z)\].,;:]$")


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One line of plain text and what kind of HTML block it came from.

    ``heading`` means an ``<h*>`` element or a paragraph whose whole text is bold —
    the way NGC summaries mark sub-headings. ``depth`` is the list nesting level (0 outside lists).
    """

    text: str
    kind: BlockKind
    depth: int = 0


class _BlockParser(HTMLParser):
    """Collects text into blocks, tracking bold coverage, list depth and table cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self._parts: list[str] = []
        self._bold_chars = 0
        self._bold_depth = 0
        self._list_depth = 0
        self._open_items = 0
        self._in_heading = False
        self._cells: list[str] | None = None
        self._skip = 0
        self._sup_start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "sup":
            self._sup_start = len(self._parts)
        elif tag in _BOLD_TAGS:
            self._bold_depth += 1
        elif tag in _CELL_TAGS:
            self._flush_cell()
        elif tag in _BLOCK_TAGS and self._cells is None:
            self._flush()
            if tag in ("ul", "ol"):
                self._list_depth += 1
            self._open_items += tag == "li"
            self._in_heading = tag in _HEADING_TAGS
        if tag == "tr":
            self._flush()
            self._cells = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "sup":
            self._drop_footnote_mark()
        elif tag in _BOLD_TAGS:
            self._bold_depth = max(0, self._bold_depth - 1)
        elif tag in _CELL_TAGS:
            self._flush_cell()
        elif tag == "tr":
            self._flush_row()
        elif tag in _BLOCK_TAGS and self._cells is None:
            self._flush()
            if tag in ("ul", "ol"):
                self._list_depth = max(0, self._list_depth - 1)
            if tag == "li":
                self._open_items = max(0, self._open_items - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._parts.append(data)
        if self._bold_depth:
            self._bold_chars += len(_SPACE.sub("", data))

    def close(self) -> None:
        super().close()
        self._flush_row()
        self._flush()

    def _drop_footnote_mark(self) -> None:
        start, self._sup_start = self._sup_start, None
        if start is None or start > len(self._parts):
            return
        marked = "".join(self._parts[start:])
        before = "".join(self._parts[:start]).rstrip()
        if _FOOTNOTE_MARK.match(marked) and _MARK_FOLLOWS.search(before):
            del self._parts[start:]
        elif _EXPONENT.match(marked) and before[-1:].isdigit() and before == "".join(self._parts[:start]):
            self._parts[start:] = ["^" + marked.strip()]

    def _take_text(self) -> str:
        text = _SPACE.sub(" ", "".join(self._parts)).strip()
        self._parts = []
        return text

    def _flush(self) -> None:
        bold_chars, self._bold_chars = self._bold_chars, 0
        text = self._take_text()
        if not text:
            return
        kind: BlockKind = "paragraph"
        if self._open_items:
            kind = "item"
        elif self._in_heading or bold_chars >= len(_SPACE.sub("", text)):
            kind = "heading"
        self.blocks.append(TextBlock(text, kind, self._list_depth))

    def _flush_cell(self) -> None:
        text = self._take_text()
        self._bold_chars = 0
        if self._cells is not None and text:
            self._cells.append(text)

    def _flush_row(self) -> None:
        if self._cells is None:
            return
        self._flush_cell()
        cells, self._cells = self._cells, None
        if cells:
            self.blocks.append(TextBlock(" | ".join(cells), "row", self._list_depth))


def html_blocks(fragment: str) -> list[TextBlock]:
    """Parse an HTML fragment into non-empty text blocks in document order.

    Whitespace inside a block is collapsed to single spaces; entities are decoded.
    A row's cells are joined with " | ". Never raises on malformed markup.
    """
    parser = _BlockParser()
    parser.feed(fragment)
    parser.close()
    return parser.blocks


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one block per line, list items prefixed "- "."""
    lines = []
    for block in html_blocks(fragment):
        indent = "  " * max(0, block.depth - 1)
        lines.append(f"{indent}- {block.text}" if block.kind == "item" else block.text)
    return "\n".join(lines)


class _LinkParser(HTMLParser):
    """Collects ``href`` targets of ``<a>`` elements in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.strip():
                self.links.append(href.strip())


def html_links(fragment: str) -> list[str]:
    """The ``href`` values of the links in an HTML fragment, in document order, decoded."""
    parser = _LinkParser()
    parser.feed(fragment)
    parser.close()
    return parser.links
