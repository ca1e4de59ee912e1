"""Gather and rank evidence for an understood question.

Ranking = relevance (fused rank) × authority (graded guideline recommendation > other
guideline text > drug label > patient information) × a mild recency preference, computed
only over sources that *apply*; the rest are kept aside with the reason, so an abstention
can say what was found and why it was not used.
"""

from __future__ import annotations

import re
import time

from curbside.applicability.ranking import assess, drug_terms
from curbside.domain.documents import DocumentKind, PassageRecord
from curbside.domain.evidence import Evidence, EvidenceSet
from curbside.domain.knowledge_base import SearchFilters
from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.retrieval.hybrid import HybridSearcher, SearchMode, fuse

# Retrieval hints per intent: words that select the kind of passage an intent needs. They
# steer search only; no statement is ever built from them.
INTENT_HINTS: dict[Intent, str] = {
    Intent.TREATMENT: "treatment recommend therapy",
    Intent.NEXT_STEP: "treatment recommend switch augment response",
    Intent.DOSING: "dosage administration dose",
    Intent.INTERACTION: "interaction concomitant use coadministration",
    Intent.ADVERSE_EFFECTS: "adverse reactions side effects warnings",
    Intent.CONTRAINDICATION: "contraindicated contraindications warnings",
    Intent.SCREENING: "screening recommendation grade",
    Intent.DIAGNOSIS: "diagnosis tests exams",
    Intent.CAUSES: "causes genetic inheritance",
    Intent.PROGNOSIS: "outlook prognosis",
    Intent.INFORMATION: "",
}
AUTHORITY = {
    "recommendation": 1.0,
    DocumentKind.GUIDELINE: 0.8,
    DocumentKind.DRUG_LABEL: 0.75,
    DocumentKind.TEXTBOOK: 0.65,
    DocumentKind.PATIENT_INFORMATION: 0.6,
    DocumentKind.INTERACTION_LIST: 0.5,
}
# "What next after A failed": a guideline's non-response recommendation is worded around the
# condition and the lack of response, not around the failed drug, so it gets its own search.
NON_RESPONSE_HINT = "has not responded or partial response to initial treatment offer switch or add"
# A guideline section headed for non-response ("Options for Adults With No or a Partial
# Response to Initial Treatment") holds the sequence of next steps; its sibling passages are
# read whole once search finds one of them. Heading words only steer retrieval.
NON_RESPONSE_HEADING = re.compile(
    r"\b(?:respon\w*|unresponsive|resistant|refractory|second[- ]line|further[- ]line|next[- ]step)\b", re.I
)
SECTION_SPAN = 10
SECTIONS_EXPANDED = 2
MAX_PER_DOCUMENT = 3
# A "what next" answer draws on one guideline's sequence of non-response steps.
MAX_PER_DOCUMENT_NEXT_STEP = 5
POOL = 40


def is_recommendation(record: PassageRecord) -> bool:
    """A guideline's own recommendation statement (not its definitions or rating-scheme text)."""
    path = record.passage.heading_path
    return (
        record.document.kind == DocumentKind.GUIDELINE
        and path[:1] == ("Major Recommendations",)
        and "Definitions" not in path
    )


_SENTENCE = re.compile(r"(?:\S+\s+){5,}\S*[.!?;:)](?:\s|$)")


# A guideline footnote ("1 At the time of publication (May 2013) fluvoxamine did not have …")
# annotates a recommendation; it is not care to recommend.
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-Z][a-z]+\s")


def is_footnote(text: str) -> bool:
    return _FOOTNOTE.match(text) is not None


def has_sentence(text: str) -> bool:
    """True when the passage holds at least one sentence of six or more words."""
    return _SENTENCE.search(text) is not None


def authority(record: PassageRecord) -> float:
    if is_recommendation(record):
        return AUTHORITY["recommendation"]
    return AUTHORITY.get(record.document.kind, 0.5)


def recency(year: int | None) -> float:
    """Mild preference for recent sources: 1.0 for this decade, down to 0.85 for old or undated."""
    if year is None:
        return 0.9
    return max(0.85, min(1.0, 1.0 - (2020 - year) * 0.01))


def build_queries(question: UnderstoodQuestion) -> tuple[str, ...]:
    entities = [c.name for c in question.conditions] + [d.name for d in question.drugs]
    hint = INTENT_HINTS.get(question.intent, "")
    focused = " ".join(entities + ([hint] if hint else []))
    return tuple(q for q in dict.fromkeys([question.search_text, focused]) if q.strip())


class EvidenceRetriever:
    """Retrieve → assess applicability → rank with authority and recency → keep diversity."""

    def __init__(self, searcher: HybridSearcher) -> None:
        self._searcher = searcher

    def retrieve(self, question: UnderstoodQuestion, limit: int = 12) -> EvidenceSet:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        queries = build_queries(question)
        rankings, records = self._search(question, queries)
        timings["search"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        applicable, aside = self._rank(question, rankings, records)
        timings["rank"] = (time.perf_counter() - started) * 1000
        next_step = question.intent == Intent.NEXT_STEP
        cap = MAX_PER_DOCUMENT_NEXT_STEP if next_step else MAX_PER_DOCUMENT
        chosen = self._diverse(applicable, limit, cap, whole_sections=next_step)
        return EvidenceSet(queries, tuple(chosen), tuple(aside[:limit]), timings)

    def _search(
        self, question: UnderstoodQuestion, queries: tuple[str, ...]
    ) -> tuple[list[list[str]], dict[str, PassageRecord]]:
        runs = [(query, SearchFilters(), SearchMode.HYBRID) for query in queries]
        # Source-restricted runs so a question's own condition/drug documents get a chance even
        # when their wording differs from the question's. Dense only: a filtered BM25 query
        # must score every match before filtering (measured 45 ms each), dense costs ~5 ms.
        runs += [(queries[-1], SearchFilters(condition=c.name), SearchMode.DENSE) for c in question.conditions[:2]]
        runs += [(queries[-1], SearchFilters(drug=d), SearchMode.DENSE) for d in drug_terms(question)[:3]]
        if question.intent == Intent.NEXT_STEP:
            runs += [
                (f"{c.name} {NON_RESPONSE_HINT}", SearchFilters(), SearchMode.DENSE) for c in question.conditions[:2]
            ]
        self._searcher.prime(list(queries))
        rankings, records = [], {}
        results = self._searcher.search_all([(text, POOL, filters, mode) for text, filters, mode in runs])
        for result in results:
            rankings.append([hit.record.passage.passage_id for hit in result.hits])
            records.update({hit.record.passage.passage_id: hit.record for hit in result.hits})
        if question.intent == Intent.NEXT_STEP:
            # The non-response runs (last) are read first, then the others.
            targeted = len(question.conditions[:2])
            ordered = rankings[len(rankings) - targeted :] + rankings[: len(rankings) - targeted]
            siblings = self._non_response_sections(ordered, records)
            rankings.append([r.passage.passage_id for r in siblings])
            records.update({r.passage.passage_id: r for r in siblings})
        return rankings, records

    def _non_response_sections(
        self, rankings: list[list[str]], records: dict[str, PassageRecord]
    ) -> list[PassageRecord]:
        """Every passage of the best-ranked guideline sections headed for non-response."""
        sections: list[PassageRecord] = []
        for passage_id in (pid for ranking in rankings for pid in ranking[:POOL]):
            record = records[passage_id]
            path = record.passage.heading_path
            if (
                record.document.kind == DocumentKind.GUIDELINE
                and len(path) > 1
                and NON_RESPONSE_HEADING.search(path[-1])
                and all(
                    s.document.source_id != record.document.source_id or s.passage.heading_path != path
                    for s in sections
                )
            ):
                sections.append(record)
            if len(sections) >= SECTIONS_EXPANDED:
                break
        found: list[PassageRecord] = []
        for seed in sections:
            ordinal, source_id = seed.passage.ordinal, seed.document.source_id
            ids = [f"{source_id}#{n}" for n in range(max(0, ordinal - SECTION_SPAN), ordinal + SECTION_SPAN + 1)]
            found += [r for r in self._searcher.passages(ids) if r.passage.heading_path == seed.passage.heading_path]
        return found

    def _rank(
        self, question: UnderstoodQuestion, rankings: list[list[str]], records: dict[str, PassageRecord]
    ) -> tuple[list[Evidence], list[Evidence]]:
        fused = fuse(rankings)
        best = fused[0][1] if fused else 1.0
        applicable: list[Evidence] = []
        aside: list[Evidence] = []
        for passage_id, fused_score in fused:
            record = records[passage_id]
            if not has_sentence(record.passage.text) or is_footnote(record.passage.text):
                continue  # headings, title lists, table fragments: nothing a statement could quote
            verdict = assess(question, record.document, record.passage)
            weight = authority(record)
            relevance = fused_score / best
            score = relevance * weight * recency(record.document.year)
            evidence = Evidence(record, relevance, verdict, weight, score, is_recommendation(record))
            (aside if verdict.applies is False else applicable).append(evidence)
        applicable.sort(key=lambda e: -e.score)
        aside.sort(key=lambda e: -e.relevance)
        return applicable, aside

    @staticmethod
    def _diverse(
        ranked: list[Evidence], limit: int, cap: int = MAX_PER_DOCUMENT, whole_sections: bool = False
    ) -> list[Evidence]:
        """At most ``cap`` passages per document, so one source cannot crowd out the rest — except
        that a guideline section headed for non-response is kept whole for a "what next" question:
        its steps (the second-line option, then the third) answer it together."""
        per_document: dict[str, int] = {}
        chosen = []
        for evidence in ranked:
            source_id = evidence.record.document.source_id
            path = evidence.record.passage.heading_path
            sequence = (
                whole_sections and is_recommendation(evidence.record) and bool(NON_RESPONSE_HEADING.search(path[-1]))
            )
            if per_document.get(source_id, 0) >= cap and not sequence:
                continue
            per_document[source_id] = per_document.get(source_id, 0) + (not sequence)
            chosen.append(evidence)
            if len(chosen) == limit:
                break
        return chosen
