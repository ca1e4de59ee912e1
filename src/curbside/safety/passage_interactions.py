"""Interactions stated in prose: guideline, label and textbook sentences naming both drugs.

The structured lists miss pairs the sources state in text ("Tramadol should be used cautiously
in patients … taking medication that may lower the seizure threshold, such as MAO inhibitors,
SSRIs", NGC). For a pair without a list record, the passages that best match both drugs'
names (and the names of the classes they belong to) are read sentence by sentence; a sentence
counts when it names one side and the other — by drug name, label brand or class name — and
uses interaction wording (``_INTERACTION``: grammar such as "increase the risk", "combined
with", "concomitant", not medical facts). Severity is read from the sentence as for label
annotations (contraindicated / avoid → higher); the quote is the source's own sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.domain.article import Alert
from curbside.domain.documents import Document, Passage
from curbside.protocols import KnowledgeReader
from curbside.safety import severity as sev
from curbside.safety.references import DocumentCache, ReferenceBook
from curbside.safety.resolver import normalise

_INTERACTION = re.compile(
    r"\binteract\w*|\bconcomitant\w*|\bco-?administ\w*|\bcombin\w+ with\b|\bin combination with\b|\btogether with\b"
    r"|\bwhen (?:used|taken|given|combined) (?:with|together)\b|\bserotonin syndrome\b|\bserotonergic syndrome\b"
    r"|\b(?:taking|receiving|on) (?:other )?(?:medications?|drugs?) that\b"
    r"|\bwith (?:other )?(?:medications?|drugs?) that\b",
    re.IGNORECASE,
)
#: Words that make a class phrase no class ("current medications", "specific drugs").
_VAGUE = frozenset({"current", "specific", "common", "other", "certain", "some", "many", "these", "those", "new"})
MAX_SENTENCE_CHARS = 600
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_GENERIC = frozenset({"drug", "drugs", "agent", "agents", "medication", "medications", "medicine", "medicines"})
SEARCH_LIMIT = 150
MAX_QUOTE_CHARS = 400


_LISTED = re.compile(r"\bdrug interactions\s*:", re.IGNORECASE)
_ROW_HEAD = re.compile(r"\s[—–]\s")


def row_subject(passage: Passage) -> str:
    """Whose row a table passage is: its last heading and the words before its first dash
    ("Drug Prototype Table: Clopidogrel", "Clopidogrel (Plavix) — …"), normalised."""
    head = _ROW_HEAD.split(passage.text, maxsplit=1)[0][:120]
    last_heading = passage.heading_path[-1] if passage.heading_path else ""
    return normalise(f"{last_heading} {head}")


@dataclass(frozen=True, slots=True)
class SideTerms:
    """One side of a pair: its display name and every normalised name that denotes it in text."""

    name: str
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class ProseFinding:
    drug_a: str
    drug_b: str
    severity: str
    alert: Alert


def _usable(term: str) -> bool:
    return bool(term) and term not in _GENERIC and not (set(term.split()) & _VAGUE)


def _named(sentence: str, terms: frozenset[str]) -> str | None:
    padded = f" {sentence} "
    return next((t for t in sorted(terms, key=len, reverse=True) if f" {t} " in padded), None)


class ProseInteractionFinder:
    """Finds interaction sentences for drug pairs in the store's passages (one search per pair)."""

    def __init__(self, store: KnowledgeReader) -> None:
        self._store = store

    def find(self, a: SideTerms, b: SideTerms, book: ReferenceBook, documents: DocumentCache) -> ProseFinding | None:
        a_terms = frozenset(t for t in a.terms if _usable(t))
        b_terms = frozenset(t for t in b.terms if _usable(t))
        if not a_terms or not b_terms:
            return None
        # The drug names first (rare words rank passages naming both), then the shortest class names.
        shortest = sorted(a_terms | b_terms, key=len)[:8]
        query = " ".join(dict.fromkeys([a.name, b.name, *shortest]))
        hits = self._store.lexical_search(query, limit=SEARCH_LIMIT)
        for record in self._store.passages([h.passage_id for h in hits]):
            if record.document.kind == "interaction_list":
                continue
            found = self._sentence(record.passage.text, a_terms, b_terms, row_subject(record.passage))
            if found is not None:
                return self._finding(a, b, found, record.document, record.passage, book)
        return None

    @staticmethod
    def _sentence(
        text: str, a_terms: frozenset[str], b_terms: frozenset[str], subject: str = ""
    ) -> tuple[str, str, str] | None:
        for sentence in _SENTENCE.split(text):
            if len(sentence) > MAX_SENTENCE_CHARS or "\n-" in sentence:
                continue  # bulleted lists of options name many drugs without relating them
            key = normalise(sentence)
            a_hit, b_hit = _named(key, a_terms), _named(key, b_terms)
            if _LISTED.search(sentence) and subject and (a_hit or b_hit):
                # A row's "Drug Interactions: …; Methotrexate; …" is often a later sentence than
                # the one naming the row's drug ("… Proteus vulgaris. Therapeutic Effects: … —
                # Drug Interactions: …"): the row's own drug counts as named in it.
                a_hit, b_hit = a_hit or _named(subject, a_terms), b_hit or _named(subject, b_terms)
            if not (a_hit and b_hit and a_hit != b_hit and _INTERACTION.search(sentence)):
                continue
            # A dosing table's "Drug Interactions: NSAIDs, warfarin, SSRIs" lists what interacts
            # with the row's own drug; two entries of that list are not said to interact.
            if _LISTED.search(sentence) and not any(f" {hit} " in f" {subject} " for hit in (a_hit, b_hit)):
                continue
            return sentence.strip(), a_hit, b_hit
        return None

    @staticmethod
    def _finding(
        a: SideTerms,
        b: SideTerms,
        found: tuple[str, str, str],
        document: Document,
        passage: Passage,
        book: ReferenceBook,
    ) -> ProseFinding:
        sentence, a_hit, b_hit = found
        level = sev.read_text_severity(sentence, sev.MODERATE)
        quote = (
            sentence if len(sentence) <= MAX_QUOTE_CHARS else sentence[: MAX_QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
        )
        via = [f"{n} counts as {t}" for n, t in ((a.name, a_hit), (b.name, b_hit)) if normalise(n) != t]
        source = document.organization or document.title
        text = f"{a.name.capitalize()} + {b.name}: {level} interaction ({source}). “{quote}”"
        if via:
            text += " (" + "; ".join(via) + ".)"
        alert = Alert(
            kind="interaction",
            severity=level,
            text=text,
            citations=(book.cite_passage(document, passage),),
            action=quote,
        )
        return ProseFinding(a.name, b.name, level, alert)
