"""MedicationQA: does the answer cite a source about the question's drug, and is the intent right?

* ``focus_hit`` — the focus drug (the ``Focus (Drug)`` field, resolved to canonical names
  with the pipeline's drug recogniser: "Tylenol" → acetaminophen) is the subject of a cited
  source: a ``drug_label`` reference whose document ``drugs`` or title names it, or any
  cited passage mentioning it (canonical or as written). ``None`` when the focus names no
  drug the recogniser knows and has no words to look for.
* ``intent_correct`` — the pipeline's understood intent equals the labelled question type
  mapped through ``evaluation.intent_accuracy.MEDICATIONQA_TO_INTENT`` (the same mapping as the
  intent evaluation); ``None`` for types with no counterpart (storage, not a drug question …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curbside.domain.article import Article
from curbside.evaluation.common import SuiteResult, share, timed_ask
from curbside.evaluation.datasets import MedicationQaItem, read_medicationqa_items
from curbside.evaluation.intent_accuracy import MEDICATIONQA_TO_INTENT

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

_DOSE_WORDS = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|%|units?)\b"
    r"|\b(?:tablets?|capsules?|oral|cream|inhalers?|injections?|solution|patch(?:es)?|syrup|drops|ointment|gel)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MedicationQaRow:
    question: str
    focus: str
    focus_names: tuple[str, ...]
    question_type: str
    gold_intent: str | None
    predicted_intent: str | None
    intent_correct: bool | None
    focus_hit: bool | None
    abstained: bool
    latency_ms: float
    error: str | None = None


def focus_names(curbside: Curbside, focus: str) -> tuple[str, ...]:
    """Lower-case names to look for: canonical drugs the focus names plus the focus as written
    (without strengths and dosage forms, which sources word differently)."""
    drugs = curbside.understanding.drugs
    canonical = [c] if (c := drugs.canonical(focus)) else [m.name for m in drugs.recognize(focus)]
    written = " ".join(_DOSE_WORDS.sub(" ", focus).split()).lower()
    return tuple(dict.fromkeys(n for n in [*canonical, written] if len(n) > 2))


def focus_hit(curbside: Curbside, article: Article, names: tuple[str, ...]) -> bool | None:
    """True when a cited source is about one of ``names`` (see module docstring)."""
    if not names:
        return None
    patterns = [re.compile(rf"\b{re.escape(n)}", re.IGNORECASE) for n in names]
    for reference in article.references:
        if any(p.search(reference.quote) for p in patterns):
            return True
        if reference.kind != "drug_label":
            continue
        document = curbside.store.document(reference.source_id)
        subjects = [reference.title, *(document.drugs if document else ())]
        if any(p.search(s) for p in patterns for s in subjects):
            return True
    return False


def score_item(curbside: Curbside, item: MedicationQaItem) -> MedicationQaRow:
    timed = timed_ask(curbside, item.question)
    gold = MEDICATIONQA_TO_INTENT.get(item.question_type.lower())
    names = focus_names(curbside, item.focus)
    article = timed.article
    hit = None if article is None or article.abstained else focus_hit(curbside, article, names)
    if article is not None and article.abstained and names:
        hit = False  # an abstention cites nothing about the drug
    return MedicationQaRow(
        question=item.question[:200],
        focus=item.focus,
        focus_names=names,
        question_type=item.question_type,
        gold_intent=gold.value if gold else None,
        predicted_intent=timed.intent,
        intent_correct=None if gold is None or timed.intent is None else timed.intent == gold.value,
        focus_hit=hit,
        abstained=article is None or article.abstained,
        latency_ms=round(timed.latency_ms, 1),
        error=timed.error,
    )


def run_medicationqa(curbside: Curbside, data: Path, limit: int | None = None) -> SuiteResult:
    """Ask the first ``limit`` MedicationQA dev questions (file order)."""
    items = read_medicationqa_items(data / "medicationqa" / "medicationqa.dev.jsonl")
    chosen = items[:limit] if limit else items
    rows = tuple(score_item(curbside, item) for item in chosen)
    summary = {
        "n": len(rows),
        "focus_hit": share([r.focus_hit for r in rows]),
        "focus_hit_n": sum(r.focus_hit is not None for r in rows),
        "intent_accuracy": share([r.intent_correct for r in rows]),
        "intent_n": sum(r.intent_correct is not None for r in rows),
        "abstention_rate": share([r.abstained for r in rows]),
        "errors": sum(r.error is not None for r in rows),
    }
    return SuiteResult(
        suite="medicationqa",
        rows=rows,
        summary=summary,
        scores={
            "focus_hit": tuple(float(r.focus_hit) for r in rows if r.focus_hit is not None),
            "intent_correct": tuple(float(r.intent_correct) for r in rows if r.intent_correct is not None),
        },
        latencies_ms=tuple(r.latency_ms for r in rows),
        notes=(
            "focus_hit: a cited drug label whose drugs/title name the focus drug, or a cited passage mentioning it.",
            "intent: pipeline intent vs Question Type mapped by evaluation.intent_accuracy.MEDICATIONQA_TO_INTENT.",
        ),
        limit=limit,
    )
