"""Answer-level numbers over LiveQA training questions through the real pipeline: share of
statements the verifier marks supported, abstention rate, gate pass rate, ask latency by
stage, and Flesch–Kincaid grade of the clinician vs patient wording for the first 20 answers.

Usage: .venv/bin/python scripts/article_report.py [--data-dir var] [--eval ../shared/eval] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

from curbside.composition.audience import PlainLanguage, readability, reword
from curbside.domain.article import Audience, Verdict
from curbside.evaluation.datasets import liveqa_paths, read_liveqa
from curbside.pipeline import Curbside, QuestionError
from curbside.settings import Settings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))], 1) if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var"))
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    curbside = Curbside.open(Settings(data_dir=args.data_dir))
    plain = PlainLanguage(curbside.store.glossary())
    items = read_liveqa(liveqa_paths(args.eval))[: args.limit]
    curbside.ask("warm up: what is asthma?")
    verdicts: Counter[str] = Counter()
    stages: dict[str, list[float]] = {}
    abstained = gate_passed = answered = 0
    grades: list[tuple[float, float]] = []
    for item in items:
        try:
            article = curbside.ask(item.question).article
        except QuestionError:
            continue
        for stage, ms in article.timings_ms.items():
            stages.setdefault(stage, []).append(ms)
        if article.abstained:
            abstained += 1
            continue
        answered += 1
        gate_passed += bool(article.support.gate_passed)
        statements = ([article.bottom_line] if article.bottom_line else []) + [
            s for section in article.sections for s in section.statements if s.verdict != Verdict.UNCHECKED
        ]
        verdicts.update(s.verdict.value for s in statements)
        if len(grades) < 20:
            clinician, patient = readability(article), readability(reword(article, Audience.PATIENT, plain))
            if clinician is not None and patient is not None:
                grades.append((clinician, patient))
    total = sum(verdicts.values())
    print(
        json.dumps(
            {
                "questions": len(items),
                "answered": answered,
                "abstained": abstained,
                "statements": total,
                "verdicts": dict(verdicts),
                "supported_share": round(verdicts["supported"] / total, 4) if total else None,
                "gate_pass_rate": round(gate_passed / answered, 3) if answered else None,
                "latency_ms": {
                    stage: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95)} for stage, v in stages.items()
                },
                "fk_grade_20_articles": {
                    "clinician_mean": round(statistics.mean(c for c, _ in grades), 1) if grades else None,
                    "patient_mean": round(statistics.mean(p for _, p in grades), 1) if grades else None,
                    "patient_at_or_below_8": sum(p <= 8 for _, p in grades),
                    "n": len(grades),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
