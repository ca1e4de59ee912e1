"""The offline (extractive) composer on evidence retrieved from the fixture knowledge base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curbside.composition.offline import OfflineComposer
from curbside.domain.article import Article, Statement
from curbside.domain.evidence import EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.knowledge.build import open_store
from curbside.knowledge.embedding import HashingEmbedder
from curbside.protocols import Store
from curbside.retrieval.evidence import EvidenceRetriever
from curbside.retrieval.hybrid import HybridSearcher
from curbside.understanding.understand import QuestionUnderstanding
from curbside.wiring import build_understanding
from tests.fixture_kb import build_fixture_kb

ANSWERED = "What are the symptoms of example syndrome?"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QuestionUnderstanding, EvidenceRetriever]]:
    settings = build_fixture_kb(tmp_path_factory.mktemp("offline-kb"))
    store: Store = open_store(settings)
    yield build_understanding(settings, store), EvidenceRetriever(HybridSearcher(store, HashingEmbedder()))
    store.close()


def prepared(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever], text: str
) -> tuple[UnderstoodQuestion, EvidenceSet]:
    understanding, retriever = parts
    question = understanding.understand(text)
    return question, retriever.retrieve(question)


def statements(article: Article) -> list[Statement]:
    return ([article.bottom_line] if article.bottom_line else []) + [
        s for section in article.sections for s in section.statements
    ]


def test_every_statement_is_quoted_from_the_passage_it_cites(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever],
) -> None:
    question, evidence = prepared(parts, ANSWERED)
    article = OfflineComposer().compose(question, evidence)
    assert not article.abstained, article.abstain_reason
    assert article.bottom_line is not None and article.sections
    quotes = {r.n: r.quote for r in article.references}
    given = {e.record.passage.passage_id for e in evidence.applicable}
    assert {r.passage_id for r in article.references} <= given
    for statement in statements(article):
        assert statement.citations, statement.text
        # Extractive: the statement's opening words are in a cited passage (grade notes may follow).
        opening = statement.text.split(" (")[0].split(" [")[0][:60]
        assert any(opening in quotes[n] for n in statement.citations), statement.text


def test_same_input_same_article(parts: tuple[QuestionUnderstanding, EvidenceRetriever]) -> None:
    question, evidence = prepared(parts, ANSWERED)
    assert OfflineComposer().compose(question, evidence) == OfflineComposer().compose(question, evidence)


def test_a_question_the_sources_do_not_answer_abstains_with_a_reason(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever],
) -> None:
    question, evidence = prepared(parts, "What causes Kreuzfeld-Marlow syndrome in children?")
    article = OfflineComposer().compose(question, evidence)
    assert article.abstained and article.abstain_reason
    assert article.bottom_line is None and not article.sections
