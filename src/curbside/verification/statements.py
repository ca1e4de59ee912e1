"""Split a Markdown answer into atomic, citable statements.

Contract: ``split_statements(markdown)`` returns the answer's statements in reading order.
Headings (ATX ``#``, Setext, or a line that is only bold text) are context, never statements;
each list item is one statement; other prose is split into sentences. Citation markers —
``[1]``, ``[1, 3]``, ``[1][2]``, ``[1-3]``, ``<sup>2</sup>``, ``^2`` and Unicode superscripts —
are collected into ``citations`` (sorted, de-duplicated) and removed from ``text``. A statement
without a marker is kept with ``citations == ()`` so the verifier can flag it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.language.sentences import split_sentences

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# A bracket citation holds numbers, commas and ranges only, so Markdown links ("[text](url)")
# and bracketed prose never match.
_BRACKET = re.compile(r"\[\s*(\d+(?:\s*(?:[-–,]|and)\s*\d+)*)\s*\](?!\()")
_SUP_TAG = re.compile(r"<sup>\s*([\d,\s\-–]+)\s*</sup>", re.IGNORECASE)
_CARET = re.compile(r"(?<![\d)])\^\[?(\d+(?:[,\-–]\d+)*)\]?")
_UNICODE_SUP = re.compile(r"(?<![mM])[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,⁻][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")

_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    """One atomic statement of an answer.

    Attributes:
        text: the statement with citation markers and Markdown emphasis removed.
        citations: the reference numbers it cites, ascending; ``()`` when it cites none.
        heading: the nearest heading above it ("" when none), kept as context.
        is_list_item: True when the statement was a whole list item.
        emphasised: True when the statement was a whole bold line (how answers mark a bottom line).
    """

    text: str
    citations: tuple[int, ...]
    heading: str = ""
    is_list_item: bool = False
    emphasised: bool = False


def _expand(spec: str) -> list[int]:
    """Expand "1, 3-5" (ASCII or superscript) into [1, 3, 4, 5]; ranges are capped to stay sane."""
    spec = spec.translate(_SUPERSCRIPT_DIGITS).replace("⁻", "-").replace("–", "-").replace("and", ",")
    numbers: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low_text, high_text = (p.strip() for p in part.split("-", 1))
            if low_text.isdigit() and high_text.isdigit():
                low, high = int(low_text), int(high_text)
                if low <= high and high - low <= 50:
                    numbers.extend(range(low, high + 1))
            continue
        if part.isdigit():
            numbers.append(int(part))
    return numbers


def extract_citations(text: str) -> tuple[str, tuple[int, ...]]:
    """Return (text without citation markers, sorted unique citation numbers)."""
    found: list[int] = []

    def take(match: re.Match[str]) -> str:
        found.extend(_expand(match.group(1) if match.groups() else match.group(0)))
        return ""

    for pattern in (_SUP_TAG, _BRACKET, _CARET):
        text = pattern.sub(take, text)
    text = _UNICODE_SUP.sub(take, text)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", text)
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip()
    return cleaned, tuple(sorted(set(found)))


def _plain(text: str) -> str:
    """Drop Markdown links (keep their words) and emphasis markers."""
    return _EMPHASIS.sub("", _LINK.sub(r"\1", text)).strip()


def _attach_leading_citations(sentences: list[str]) -> list[str]:
    """Move a citation that opens a sentence ("… daily. [2] Next …") back to the previous one.

    Writers often put the marker after the full stop; it belongs to the sentence it follows.
    """
    out: list[str] = []
    for sentence in sentences:
        match = re.match(r"^((?:\s*\[[\d,\s\-–]+\])+)\s*(.*)$", sentence, re.DOTALL)
        if match and out:
            out[-1] = out[-1] + " " + match.group(1).strip()
            sentence = match.group(2)
        if sentence.strip():
            out.append(sentence)
    return out


_CITATION_HINT = re.compile(r"\[\s*\d|<sup>|[¹²³⁴⁵⁶⁷⁸⁹]|\^\d")


def _is_bold_statement(line: str) -> bool:
    """A whole-bold line is a statement when it cites a source or reads as a sentence."""
    inner = line.strip().strip("*_").strip()
    return bool(_CITATION_HINT.search(line)) or (len(inner.split()) >= 8 and inner.rstrip("*_ ").endswith("."))


def _plain_bold(text: str, kind: str) -> str:
    return text.strip().strip("*_").strip() if kind == "bold" else text


def _blocks(markdown: str) -> list[tuple[str, str, bool]]:
    """Group lines into (kind, text, _) blocks: heading | item | para; continuation lines join."""
    blocks: list[tuple[str, str, bool]] = []
    lines = markdown.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not stripped or (_TABLE_RULE.match(stripped) and "|" in stripped):
            blocks.append(("blank", "", False))
        elif _SETEXT_UNDERLINE.match(stripped) and blocks and blocks[-1][0] == "heading":
            continue
        elif _BOLD_LINE.match(line) and _is_bold_statement(stripped):
            # A bold sentence that cites a source is the answer's bottom line, not a heading.
            blocks.append(("bold", stripped, False))
            blocks.append(("blank", "", False))
        elif _ATX_HEADING.match(line) or _BOLD_LINE.match(line):
            blocks.append(("heading", stripped.lstrip("#").strip(), False))
        elif _SETEXT_UNDERLINE.match(following.strip()) and following.strip():
            blocks.append(("heading", stripped, False))
        elif _LIST_ITEM.match(line):
            blocks.append(("item", _LIST_ITEM.sub("", line, count=1), True))
        elif stripped.startswith(">"):
            blocks.append(("para", stripped.lstrip("> ").strip(), False))
        elif stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|") if c.strip()]
            blocks.append(("para", "; ".join(cells) + ".", False))
            blocks.append(("blank", "", False))
        elif blocks and blocks[-1][0] == "item" and not line[:1].isspace():
            # An unindented line after a list item starts new prose in generated answers,
            # although CommonMark would make it a lazy continuation of the item.
            blocks.append(("para", stripped, False))
        elif blocks and blocks[-1][0] in ("item", "para"):
            kind, text, flag = blocks[-1]
            blocks[-1] = (kind, text + " " + stripped, flag)
        else:
            blocks.append(("para", stripped, False))
    return blocks


def split_statements(markdown: str) -> list[ParsedStatement]:
    """Split Markdown answer text into statements (see module docstring for the contract)."""
    statements: list[ParsedStatement] = []
    heading = ""
    for kind, text, _ in _blocks(markdown):
        if kind == "heading":
            heading = _plain(extract_citations(text)[0]).rstrip(":")
            continue
        if kind == "blank" or not text.strip():
            continue
        pieces = [text] if kind == "item" else _attach_leading_citations(split_sentences(_plain_bold(text, kind)))
        for piece in pieces:
            cleaned, citations = extract_citations(piece)
            cleaned = _plain(cleaned)
            if re.search(r"[A-Za-z]", cleaned):
                statements.append(ParsedStatement(cleaned, citations, heading, kind == "item", kind == "bold"))
    return statements
