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
