"""Cost of verifying a ~15-statement, 10-reference article: batching and warm-cache overhead.

Wall-clock MiniLM time depends on the machine's load, so the tests pin what the verifier
controls — one batched embedding call, and little work besides it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from verification_helpers import make_document, make_question

from curbside.domain.article import Article, Section, Statement, UnderstoodView
from curbside.domain.documents import Document, Passage
from curbside.domain.question import AgeGroup
from curbside.knowledge.embedding import Embedder, MiniLmEmbedder, Vectors
from curbside.verification import Verifier

TOPICS = ["hypertension", "type 2 diabetes", "asthma", "depression", "osteoporosis",
          "atrial fibrillation", "migraine", "gout", "heart failure", "chronic kidney disease"]  # fmt: skip


def _evidence() -> dict[int, tuple[Document, Passage]]:
    evidence = {}
    for n, topic in enumerate(TOPICS, start=1):
        text = " ".join(
            f"In adults with {topic}, option {k} reduced events by {10 + k}% over {k + 1} years of follow-up."
            for k in range(6)
        )
        document = make_document(f"perf:{n}", f"Management of {topic} in adults", [text], conditions=(topic,))
        evidence[n] = (document, document.passages[0])
    return evidence


def _article(run: int) -> Article:
    statements = tuple(
        Statement(text=f"In adults with {TOPICS[i % 10]}, option {i % 6} reduced events by {10 + i % 6}% (run {run}).",
                  citations=(i % 10 + 1,))
        for i in range(15)
    )  # fmt: skip
    view = UnderstoodView(summary="s", intent="treatment", intent_confidence=1.0)
    return Article(
        question="q", title="t", understood=view, bottom_line=statements[0],
        sections=(Section(heading="Options", kind="options", statements=statements[1:]),),
    )  # fmt: skip


class CountingEmbedder:
    """Wraps an embedder and records every ``embed`` call's batch size."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(len(texts))
        return self.inner.embed(texts)


def test_one_batched_embedding_call_per_article(minilm: MiniLmEmbedder) -> None:
    """Cost on 2 cores is dominated by one MiniLM call over the new statements (~50 ms for 15)."""
    counting = CountingEmbedder(minilm)
    verifier = Verifier(counting)
    question = make_question("q", conditions=("hypertension",), age=AgeGroup.ADULT)
    evidence = _evidence()
    verifier.verify(_article(0), question, evidence)
    assert len(counting.calls) == 1  # cold: statements, windows and topics in one batch
    counting.calls.clear()
    checked = verifier.verify(_article(1), question, evidence)
    assert counting.calls == [15]  # warm: only the new statements are embedded
    assert checked.support.total == 15


@pytest.mark.timing  # a wall-clock assertion: not in the fast tier (make test-fast)
def test_python_overhead_with_warm_caches(verifier: Verifier) -> None:
    """Everything but the model call must stay small so the 80 ms budget holds."""
    question = make_question("q", conditions=("hypertension",), age=AgeGroup.ADULT)
    evidence, article = _evidence(), _article(2)
    verifier.verify(article, question, evidence)
    costs = []
    for _ in range(5):
        started = time.perf_counter()
        verifier.verify(article, question, evidence)
        costs.append((time.perf_counter() - started) * 1000)
    assert sorted(costs)[2] < 25, costs
