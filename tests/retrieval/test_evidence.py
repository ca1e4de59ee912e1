"""The evidence retriever on the fixture knowledge base (real SQLite store, hashing embedder)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curbside.domain.documents import Document, DocumentKind, Passage, PassageRecord
from curbside.domain.evidence import Applicability, Evidence, EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.knowledge.build import open_store
from curbside.knowledge.embedding import HashingEmbedder
from curbside.protocols import Store
from curbside.retrieval.evidence import MAX_PER_DOCUMENT_NEXT_STEP, EvidenceRetriever, is_footnote
from curbside.retrieval.hybrid import HybridSearcher
from curbside.settings import Settings
from curbside.understanding.understand import QuestionUnderstanding
from curbside.wiring import build_understanding
from tests.fixture_kb import build_fixture_kb

ANSWERED = "What are the symptoms of example syndrome?"
SCREENING = "Should adults be screened for example disease?"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_fixture_kb(tmp_path_factory.mktemp("evidence-kb"))


@pytest.fixture(scope="module")
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def understanding(settings: Settings, store: Store) -> QuestionUnderstanding:
    return build_understanding(settings, store)


@pytest.fixture(scope="module")
def retriever(store: Store) -> EvidenceRetriever:
    return EvidenceRetriever(HybridSearcher(store, HashingEmbedder()))


def retrieve(retriever: EvidenceRetriever, understanding: QuestionUnderstanding, text: str) -> EvidenceSet:
    question: UnderstoodQuestion = understanding.understand(text)
    return retriever.retrieve(question)


def test_condition_question_ranks_sources_about_it_first(
    retriever: EvidenceRetriever, understanding: QuestionUnderstanding
) -> None:
    evidence = retrieve(retriever, understanding, ANSWERED)
    assert evidence.applicable, "the fixture base answers this question"
    top = evidence.applicable[0].record.document
    assert "example syndrome" in (top.title + " " + " ".join(top.conditions)).lower()
    scores = [item.score for item in evidence.applicable]
    assert scores == sorted(scores, reverse=True)
    assert evidence.queries and ANSWERED in evidence.queries


def test_sources_about_something_else_are_set_aside_with_a_reason(
    retriever: EvidenceRetriever, understanding: QuestionUnderstanding
) -> None:
    evidence = retrieve(retriever, understanding, ANSWERED)
    applicable_kinds = {item.record.document.kind for item in evidence.applicable}
    assert DocumentKind.DRUG_LABEL not in applicable_kinds
    labels = [item for item in evidence.set_aside if item.record.document.kind is DocumentKind.DRUG_LABEL]
    assert labels and all(item.applicability.applies is False and item.applicability.reason for item in labels)


def test_screening_question_finds_the_graded_recommendation(
    retriever: EvidenceRetriever, understanding: QuestionUnderstanding
) -> None:
    evidence = retrieve(retriever, understanding, SCREENING)
    recommendations = [item for item in evidence.applicable if item.recommendation]
    assert recommendations, "the USPSTF fixture recommendation is retrieved"
    assert any(item.record.passage.grade for item in recommendations)


def test_a_guideline_footnote_is_not_evidence() -> None:
    assert is_footnote("1 At the time of publication (May 2013) fluvoxamine did not have a UK marketing authorisation.")
    assert not is_footnote("For adults whose symptoms have not responded to an SSRI, offer CBT.")
    assert not is_footnote("2 weeks of treatment are needed before judging response.")


def _guideline_evidence(ordinal: int, heading: str) -> Evidence:
    document = Document("ngc:5", "ngc", DocumentKind.GUIDELINE, "NICE", "Anxiety", 2013, "u", "")
    passage = Passage(f"ngc:5#{ordinal}", ("Major Recommendations", heading), f"Statement {ordinal} is here.", ordinal)
    return Evidence(PassageRecord(document, passage), 1.0, Applicability(None, ""), 1.0, 1.0 - ordinal / 100, True)


def test_a_non_response_section_is_kept_whole_for_a_what_next_question() -> None:
    steps = [_guideline_evidence(n, "Options for No or a Partial Response") for n in range(8)]
    others = [_guideline_evidence(n, "Initial treatment") for n in range(10, 18)]
    ranked = steps + others
    whole = EvidenceRetriever._diverse(ranked, 24, MAX_PER_DOCUMENT_NEXT_STEP, whole_sections=True)
    assert [e for e in whole if e in steps] == steps
    assert len([e for e in whole if e in others]) == MAX_PER_DOCUMENT_NEXT_STEP
    capped = EvidenceRetriever._diverse(ranked, 24, MAX_PER_DOCUMENT_NEXT_STEP)
    assert len(capped) == MAX_PER_DOCUMENT_NEXT_STEP
