"""Read an answer written elsewhere — Markdown, plain text or HTML — as Markdown statements.

``answer_markdown(text, kind)`` returns Markdown that ``statements.split_statements`` reads:
HTML headings become ``#`` headings, list items ``-`` items, paragraphs blank-line separated,
``<sup>`` and ``<strong>`` kept as markers; a labelled lead ("Bottom line: …", "**Summary:** …")
becomes a heading over its text so the gate knows the bottom line; parenthesised footnotes at
the end of a clause ("… every 12 hours (1).", "(1, 2)") become ``[1]``/``[1, 2]``. ``kind`` is
"markdown", "text", "html" or "auto" (by content).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_LEAD = re.compile(
    r"^\s*(?:\*\*|__)?(bottom line|summary|short answer|answer|key point|conclusion)s?\s*:?(?:\*\*|__)?\s*:?\s+(\S.*)$",
    re.IGNORECASE | re.MULTILINE,
)
# "(1)" or "(1, 2)" right before punctuation or the end of a line, after a word: a footnote,
# not an enumeration ("(1) take …" opens a line) nor a value ("dose (10 mg)").
_PAREN_FOOTNOTE = re.compile(
    r"(?<=[\w.%)])\s*\((\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\)(?=\s*[.;:,!?]?\s*$|\s*[.;:,!?])", re.MULTILINE
)
_LOOKS_HTML = re.compile(r"<(?:p|li|ul|ol|h[1-6]|sup|div|br|strong|b|article|section|body|html)\b", re.I)
_BLOCK = {"p", "div", "section", "article", "ul", "ol", "table", "tr", "blockquote", "header", "footer", "main"}


class _MarkdownWriter(HTMLParser):
    """Collects text with Markdown structure from HTML (headings, list items, bold, sup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "nav"):
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCK:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag == "sup":
            self.out.append("<sup>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "nav"):
            self._skip = max(0, self._skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in _BLOCK or tag == "li":
            self.out.append("\n")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag == "sup":
            self.out.append("</sup>")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(" ".join(data.split()) if data.strip() else " ")


def html_to_markdown(text: str) -> str:
    """Markdown with the HTML's headings, list items, bold and superscripts."""
    writer = _MarkdownWriter()
    writer.feed(text)
    writer.close()
    lines = [line.strip() for line in "".join(writer.out).splitlines()]
    return html.unescape(re.sub(r"\n{3,}", "\n\n", "\n".join(lines))).strip() + "\n"


def detect_kind(text: str, suffix: str = "") -> str:
    """ "html", "markdown" or "text" from the file suffix, else from the content."""
    suffix = suffix.lower().lstrip(".")
    if suffix in ("html", "htm"):
        return "html"
    if suffix in ("md", "markdown"):
        return "markdown"
    if suffix == "txt":
        return "text"
    return "html" if _LOOKS_HTML.search(text) else "markdown"


def answer_markdown(text: str, kind: str = "auto") -> str:
    """The answer as Markdown statements (see module docstring)."""
    if kind == "auto":
        kind = detect_kind(text)
    if kind == "html":
        text = html_to_markdown(text)
    text = _PAREN_FOOTNOTE.sub(lambda m: f" [{m.group(1)}]", text)
    # The lead's own heading ends after its paragraph, so later prose is not counted as bottom line.
    return _LEAD.sub(lambda m: f"## {m.group(1).capitalize()}\n\n{m.group(2)}\n\n## Details\n", text, count=1)
