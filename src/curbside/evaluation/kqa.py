"""K-QA: comprehensiveness and contradictions, judged by the verifier's own support scorer.

K-QA's protocol is NLI with the answer as premise and each gold statement as hypothesis. Here
the premise is the article text (bottom line + every statement, ``article_text``) treated as
one passage, and the judge is ``curbside.verification.support.SupportScorer`` — the very
scorer the verifier uses, with the thresholds the service runs with
(``Curbside.verifier.scorer``):

* a must-have statement is **covered** when ``scorer.score(statement, answer).label ==
  "supported"``: combined semantic/lexical support ≥ ``supported_threshold`` (0.62 shipped)
  and no hard check failed (dose, number, age, drug, polarity);
* a gold statement (must-have or nice-to-have) is **contradicted** when one of the failed
  hard checks is the polarity check ("polarity differs"): the answer sentence that matches it
  best is close (≥ ``polarity_overlap`` content-word overlap or cosine ≥ 0.7) but one is
  negative and the other is not. That mirrors K-QA's "Hall" (statements contradicting the
  answer) with the verifier's negation check instead of an LLM.

Comprehensiveness = covered / must-have per question; an abstention covers nothing (0).

The **oracle** separates "the corpus lacks it" from "the composer missed it": a must-have is
*findable* when any of the top ``ORACLE_HITS`` hybrid-search passages for the must-have's own
text is scored "supported" by the same scorer. ``oracle_mean`` is the share of must-haves
findable; ``coverage_of_oracle`` = must-haves the answers cover ÷ must-haves findable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curbside.evaluation.common import SuiteResult, article_text, mean, share, timed_ask
from curbside.evaluation.datasets import KqaItem, read_kqa
from curbside.verification.support import SupportScorer

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

POLARITY_FAILURE = "polarity differs"
ORACLE_HITS = 20


@dataclass(frozen=True, slots=True)
class StatementJudgement:
    covered: bool
    partial: bool
    contradicted: bool
    support: float


@dataclass(frozen=True, slots=True)
class KqaRow:
    question: str
    abstained: bool
    must_have: int
    covered: int
    comprehensiveness: float
    partial_or_better: int
    contradicted: int
    latency_ms: float
    uncovered_examples: tuple[str, ...]
    error: str | None = None
    findable: int = 0


def judge(scorer: SupportScorer, statements: Sequence[str], answer: str, key: str) -> list[StatementJudgement]:
    """The scorer's verdict on each gold statement against the whole answer text.

    ``key`` names the answer for the scorer's window cache (unique per answer).
    """
    if not answer.strip():
        return [StatementJudgement(False, False, False, 0.0) for _ in statements]
    scorer.cache.prefetch([*statements, *scorer.texts_to_embed(key, answer)])
    out = []
    for statement in statements:
        result = scorer.score(statement, key, answer)
        contradicted = any(f.startswith(POLARITY_FAILURE) for f in result.failed)
        covered = result.label == "supported"
        out.append(StatementJudgement(covered, covered or result.label == "partial", contradicted, result.score))
    return out


def comprehensiveness(judgements: Sequence[StatementJudgement]) -> float:
    """Share of must-have statements covered (0.0 when there are none to cover)."""
    return sum(j.covered for j in judgements) / len(judgements) if judgements else 0.0


def findable(curbside: Curbside, scorer: SupportScorer, statement: str) -> bool:
    """The oracle: some passage among the top hybrid hits for the statement supports it."""
    hits = curbside.searcher.search(statement, limit=ORACLE_HITS).hits
    passages = [(hit.record.passage.passage_id, hit.record.passage.text) for hit in hits]
    scorer.cache.prefetch([statement, *(w for pid, text in passages for w in scorer.texts_to_embed(pid, text))])
    return any(scorer.score(statement, pid, text).label == "supported" for pid, text in passages)


def score_item(curbside: Curbside, scorer: SupportScorer, item: KqaItem, index: int) -> KqaRow:
    timed = timed_ask(curbside, item.question)
    article = timed.article
    abstained = article is None or article.abstained
    answer = "" if article is None or abstained else article_text(article)
    key = f"kqa-answer:{index}:{hash(answer)}"
    must = judge(scorer, item.must_have, answer, key)
    nice = judge(scorer, item.nice_to_have, answer, key)
    return KqaRow(
        question=item.question[:200],
        abstained=abstained,
        must_have=len(must),
        covered=sum(j.covered for j in must),
        comprehensiveness=round(comprehensiveness(must), 4),
        partial_or_better=sum(j.partial for j in must),
        contradicted=sum(j.contradicted for j in (*must, *nice)),
        latency_ms=round(timed.latency_ms, 1),
        uncovered_examples=tuple(s for s, j in zip(item.must_have, must, strict=True) if not j.covered)[:3],
        error=timed.error,
        findable=sum(findable(curbside, scorer, statement) for statement in item.must_have),
    )


def run_kqa(curbside: Curbside, data: Path, limit: int | None = None) -> SuiteResult:
    """Ask the first ``limit`` K-QA dev questions and judge coverage with the verifier's scorer."""
    items = read_kqa(data / "kqa" / "questions_w_answers.dev.jsonl")
    chosen = items[:limit] if limit else items
    scorer = _scorer(curbside)
    rows = tuple(score_item(curbside, scorer, item, i) for i, item in enumerate(chosen))
    answered = [r for r in rows if not r.abstained]
    summary = {
        "n": len(rows),
        "comprehensiveness_mean": mean([r.comprehensiveness for r in rows]),
        "comprehensiveness_answered": mean([r.comprehensiveness for r in answered]),
        "must_have_total": sum(r.must_have for r in rows),
        "must_have_covered": sum(r.covered for r in rows),
        "must_have_partial_or_better": sum(r.partial_or_better for r in rows),
        "oracle_must_have_findable": sum(r.findable for r in rows),
        "oracle_mean": mean([r.findable / r.must_have if r.must_have else 0.0 for r in rows]),
        "coverage_of_oracle": (
            round(sum(r.covered for r in rows) / sum(r.findable for r in rows), 4)
            if any(r.findable for r in rows)
            else 0.0
        ),
        "contradictions_total": sum(r.contradicted for r in rows),
        "questions_with_contradiction": share([r.contradicted > 0 for r in rows]),
        "abstention_rate": share([r.abstained for r in rows]),
        "errors": sum(r.error is not None for r in rows),
    }
    threshold = scorer.settings.supported_threshold
    return SuiteResult(
        suite="kqa",
        rows=rows,
        summary=summary,
        scores={"comprehensiveness": tuple(r.comprehensiveness for r in rows)},
        latencies_ms=tuple(r.latency_ms for r in rows),
        notes=(
            f"covered: verifier SupportScorer label 'supported' (support >= {threshold}, no failed hard check) "
            "of the must-have statement against the whole article text.",
            "partial_or_better: label 'supported' or 'partial' (support >= partial threshold) — context only.",
            f"oracle: a must-have is findable when one of the top {ORACLE_HITS} hybrid hits for its own text is "
            "'supported' by the same scorer; coverage_of_oracle = covered / findable.",
            "contradicted: the scorer's polarity hard check fails against the closest answer sentence "
            "(must-have and nice-to-have statements).",
        ),
        limit=limit,
    )


def _scorer(curbside: Curbside) -> SupportScorer:
    """The pipeline verifier's scorer (same thresholds as live); a default one if none is wired."""
    scorer = getattr(curbside.verifier, "scorer", None)
    if isinstance(scorer, SupportScorer):
        return scorer
    from curbside.verification.support import VectorCache

    return SupportScorer(VectorCache(curbside.embedder))
