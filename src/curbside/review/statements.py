"""Addressing an article's statements for review ("bottom", "s0.2"), editing wording, and diffs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from curbside.domain.article import Article, Statement, Verdict

BOTTOM = "bottom"


@dataclass(frozen=True, slots=True)
class Located:
    """One statement with its address and the heading it sits under."""

    key: str
    heading: str
    statement: Statement


def statements(article: Article) -> list[Located]:
    found = [Located(BOTTOM, "Bottom line", article.bottom_line)] if article.bottom_line else []
    for i, section in enumerate(article.sections):
        found += [Located(f"s{i}.{j}", section.heading, s) for j, s in enumerate(section.statements)]
    return found


def find(article: Article, key: str) -> Located | None:
    return next((located for located in statements(article) if located.key == key), None)


def reword(article: Article, key: str, text: str) -> Article:
    """``article`` with statement ``key``'s wording replaced; its citations are kept as they are
    (an edit changes words, never what the statement cites) and its verdict reset for the verifier.

    Raises:
        KeyError: no statement has that key.
    """
    fresh = {"text": text, "verdict": Verdict.UNCHECKED, "support": None, "reason": None, "original_text": None}
    if key == BOTTOM:
        if article.bottom_line is None:
            raise KeyError(key)
        return article.model_copy(update={"bottom_line": article.bottom_line.model_copy(update=fresh)})
    try:
        i, j = (int(part) for part in key.removeprefix("s").split("."))
        section = article.sections[i]
        statement = section.statements[j]
    except (ValueError, IndexError) as error:
        raise KeyError(key) from error
    changed = list(section.statements)
    changed[j] = statement.model_copy(update=fresh)
    sections = list(article.sections)
    sections[i] = section.model_copy(update={"statements": tuple(changed)})
    return article.model_copy(update={"sections": tuple(sections)})


def citation_set(article: Article) -> set[int]:
    """Every reference number some statement cites."""
    return {n for located in statements(article) for n in located.statement.citations}


def _lines(article: Article) -> list[str]:
    lines = [f"Title: {article.title}"]
    for located in statements(article):
        cites = ",".join(str(n) for n in located.statement.citations)
        verdict = located.statement.verdict.value
        lines.append(f"[{located.heading}] {located.statement.text} [{cites}] ({verdict})")
    lines += [f"Reference {r.n}: {r.organization}, {r.title} — {r.section}" for r in article.references]
    return lines


def diff(old: Article, new: Article, old_label: str, new_label: str) -> list[str]:
    """A unified diff of two versions, one line per statement (with citations and verdict)."""
    return list(difflib.unified_diff(_lines(old), _lines(new), old_label, new_label, lineterm="", n=1))
