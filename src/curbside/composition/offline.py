"""The offline composer: statements are sentences taken verbatim from the ranked passages.

Nothing is generated. Each statement is one or two sentences of a passage (trimmed,
never rewritten), placed in a section by its role, and cited. The bottom line is the
strongest applicable statement for the question's intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from curbside.composition import wording
from curbside.composition.sections import HEADINGS, LAYOUTS, role_of
from curbside.domain.article import Article, Reference, Section, SpellingView, Statement, UnderstoodView
from curbside.domain.evidence import Evidence, EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.language.sentences import split_sentences

_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
# Leading list markers ("- ", "• ", "1. ") belong to the source's layout, not to the statement.
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
# Guideline fields that describe the guideline itself (its scope, methods, grading scheme),
# not the care it recommends: they inform applicability but are never quoted as statements.
NON_STATEMENT_SECTIONS = (
    "Interventions and Practices Considered",
    "Major Outcomes Considered",
    "Guideline Objective(s)",
    "Rating Scheme for the Strength of the Evidence",
    "Rating Scheme for the Strength of the Recommendations",
    "Disease/Condition(s)",
    "Major Recommendations › Definitions",
)
MAX_STATEMENTS = 14
MAX_PER_SECTION = 4
MAX_SENTENCES = 2
MAX_STATEMENT_CHARS = 600


def understood_view(question: UnderstoodQuestion) -> UnderstoodView:
    return UnderstoodView(
        summary=question.summary(),
        intent=question.intent.value,
        intent_confidence=question.intent_confidence,
        conditions=tuple(c.name for c in question.conditions),
        drugs=tuple(d.name for d in question.drugs),
        current_medications=tuple(d.name for d in question.current_medications),
        failed_medications=tuple(d.name for d in question.failed_medications),
        age_group=question.age_group.value if question.age_group else None,
        pregnant=question.pregnant,
        duration=question.duration,
        negations=question.negations,
        unknown_terms=question.unknown_terms,
        corrections=tuple(SpellingView(original=c.original, corrected=c.corrected) for c in question.corrections),
    )


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in ENGLISH_STOP_WORDS}


MIN_STATEMENT_WORDS = 6


_SENTENCE_END = re.compile(r"[.!?;:)\]\"”’…]$")


# The Clearinghouse's own editorial notes and cross-references inside its summaries are about
# the summary, not about care.
_EDITORIAL = re.compile(
    r"^\W*(?:note from\b|for more information\b)|\bNGC summar|National Guideline Clearinghouse", re.I
)


def is_statement(text: str) -> bool:
    """A quotable statement is a sentence, not a heading, a list of titles, a table row or an
    editorial note."""
    text = text.strip()
    return (
        len(text.split()) >= MIN_STATEMENT_WORDS
        and " | " not in text
        and bool(_SENTENCE_END.search(text))
        and not _EDITORIAL.search(text)
    )


def failed_terms(question: UnderstoodQuestion) -> set[str]:
    terms: set[str] = set()
    for drug in question.failed_medications:
        terms |= {t.lower() for t in (drug.name, drug.surface, *drug.members) if t}
    return terms


@dataclass(frozen=True, slots=True)
class Candidate:
    evidence: Evidence
    text: str
    role: str
    score: float
    focus: int = 0


class OfflineComposer:
    """Deterministic, extractive composer (the default)."""

    name = "offline"

    def compose(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> Article:
        if question.unknown_terms:
            return self.abstain(question, evidence, question.unknown_terms)
        candidates = self._candidates(question, evidence)
        if not candidates:
            return self.abstain(question, evidence, ())
        return self._article(question, evidence, candidates)

    def abstain(self, question: UnderstoodQuestion, evidence: EvidenceSet, unknown: tuple[str, ...]) -> Article:
        aside = evidence.set_aside
        return Article(
            question=question.text,
            title=wording.title_for(question),
            understood=understood_view(question),
            abstained=True,
            abstain_reason=wording.abstain_reason(question, aside, unknown) + " " + wording.suggestion(question),
            searched=evidence.queries,
            not_applicable=tuple(f"{wording.describe_source(e)} — {e.applicability.reason}" for e in aside[:6]),
        )

    def _candidates(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> list[Candidate]:
        keys = content_words(question.search_text) | {w for c in question.conditions for w in content_words(c.name)}
        keys |= {w for d in question.drugs for w in content_words(" ".join((d.name, *d.members)))}
        avoid_repeat = failed_terms(question)
        condition_words = [content_words(c.name) for c in question.conditions]
        asked_numbers = set(_NUMBER.findall(question.text))
        drug_names = [d.name.lower() for d in question.drugs if d not in question.failed_medications]
        candidates = []
        for item in evidence.applicable:
            if item.record.passage.section.startswith(NON_STATEMENT_SECTIONS):
                continue
            text = self._excerpt(item, keys)
            if not is_statement(text):
                continue
            role = role_of(item.record, text, question.intent, item.recommendation)
            lowered = text.lower()
            if role == "options" and any(re.search(rf"\b{re.escape(t)}\b", lowered) for t in avoid_repeat):
                # Already tried without success: not offered again as the answer.
                continue
            # Focus: the statement names the question's drug (2 each) or a whole condition (1 each).
            words = content_words(text)
            focus = 2 * sum(name in text.lower() for name in drug_names) + sum(
                bool(c) and c <= words for c in condition_words
            )
            # ...and repeats the numbers the question states (ages, doses): "aged 50 to 75".
            focus += len(asked_numbers & set(_NUMBER.findall(text)))
            candidates.append(Candidate(item, text, role, item.score, focus))
        return candidates

    @staticmethod
    def _excerpt(item: Evidence, keys: set[str]) -> str:
        """The passage's most question-relevant sentences, verbatim and in source order."""
        text = _LIST_MARK.sub("", item.record.passage.text).strip()
        sentences = split_sentences(text)
        if item.recommendation and len(text) <= MAX_STATEMENT_CHARS:
            return text
        scored = [(len(content_words(s) & keys), i, s) for i, s in enumerate(sentences) if len(s) > 20]
        scored = [entry for entry in scored if entry[0] > 0]
        if not scored:
            return ""
        top = max(entry[0] for entry in scored)
        # A second sentence rides along only when it is nearly as relevant as the best one.
        strong = [entry for entry in scored if entry[0] == top or entry[0] >= max(2, 0.75 * top)]
        best = sorted(sorted(strong, key=lambda e: -e[0])[:MAX_SENTENCES], key=lambda e: e[1])
        text = " ".join(s for _, _, s in best)
        return text if len(text) <= MAX_STATEMENT_CHARS else best[0][2][:MAX_STATEMENT_CHARS].rsplit(" ", 1)[0] + "…"

    def _article(self, question: UnderstoodQuestion, evidence: EvidenceSet, candidates: list[Candidate]) -> Article:
        layout = LAYOUTS[question.intent]
        references: dict[str, Reference] = {}

        def cite(item: Evidence) -> int:
            record = item.record
            key = record.passage.passage_id
            if key not in references:
                references[key] = Reference.to_passage(len(references) + 1, record.document, record.passage)
            return references[key].n

        bottom = self._bottom_line(candidates, layout)
        bottom_line = Statement(text=bottom.text, citations=(cite(bottom.evidence),))
        grouped: dict[str, list[Statement]] = {role: [] for role in layout}
        seen = {bottom.text}
        count = 0
        for candidate in candidates:
            if candidate.text in seen or count >= MAX_STATEMENTS:
                continue
            role = candidate.role if candidate.role in grouped else "background"
            if role not in grouped or len(grouped[role]) >= MAX_PER_SECTION:
                continue
            seen.add(candidate.text)
            grouped[role].append(Statement(text=candidate.text, citations=(cite(candidate.evidence),)))
            count += 1
        sections = [
            Section(heading=HEADINGS[role], kind=role, statements=tuple(items))
            for role, items in grouped.items()
            if items
        ]
        note = wording.limits_note(question, [c.evidence for c in candidates])
        return Article(
            question=question.text,
            title=wording.title_for(question),
            understood=understood_view(question),
            bottom_line=bottom_line,
            sections=tuple(sections),
            references=tuple(sorted(references.values(), key=lambda r: r.n)),
            searched=evidence.queries,
            not_applicable=tuple(
                f"{wording.describe_source(e)} — {e.applicability.reason}" for e in evidence.set_aside[:4]
            ),
            abstain_reason=note,
        )

    @staticmethod
    def _bottom_line(candidates: list[Candidate], layout: tuple[str, ...]) -> Candidate:
        """Strongest statement in the intent's primary role, else the strongest non-background one."""
        for roles in ((layout[0],), tuple(r for r in layout if r != "background"), layout):
            pool = [c for c in candidates if c.role in roles]
            if pool:
                # A graded recommendation first, then any recommendation, then the one naming the question's own
                # condition/drug most, then retrieval score.
                return max(
                    pool,
                    key=lambda c: (
                        c.evidence.record.passage.grade is not None,
                        c.evidence.recommendation,
                        min(c.focus, 4),
                        c.score,
                    ),
                )
        return candidates[0]
