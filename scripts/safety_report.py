"""Interaction-alert recall on ONC high-priority pairs, false alerts on unlisted pairs, and the
latency the safety stage adds — all through the real `ask` pipeline.

Usage: .venv/bin/python scripts/safety_report.py [--data-dir var] [--limit N] [--unlisted 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from curbside.evaluation.safety_interactions import false_alert_rate, interaction_recall, sample_unlisted_pairs
from curbside.pipeline import Curbside
from curbside.settings import Settings

LISTS = ("ONC High-Priority", "ONC Non-interruptive", "OSCAR", "WorldVista", "NLM DDI corpus (FDA label annotation)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N recognised ONC pairs")
    parser.add_argument("--unlisted", type=int, default=200)
    args = parser.parse_args()
    curbside = Curbside.open(Settings(data_dir=args.data_dir))
    canonical = curbside.understanding.drugs.canonical
    safety_ms: list[float] = []

    def ask(question: str):  # type: ignore[no-untyped-def]
        article = curbside.ask(question).article
        safety_ms.append(article.timings_ms.get("safety", 0.0))
        return article

    onc = curbside.store.interactions_in_list("ONC High-Priority")
    recognised = {}
    for record in onc:
        a, b = canonical(record.drug_a), canonical(record.drug_b)
        if a and b and a != b:
            recognised.setdefault(frozenset((a, b)), (a, b))
    pairs = list(recognised.values())[: args.limit]
    recall = interaction_recall(ask, pairs)
    listed = []
    for name in LISTS:
        for record in curbside.store.interactions_in_list(name):
            a, b = canonical(record.drug_a) or record.drug_a, canonical(record.drug_b) or record.drug_b
            listed.append((a, b))
    drugs = sorted({d for pair in listed for d in pair if canonical(d)})
    unlisted = sample_unlisted_pairs(drugs, listed, args.unlisted, seed=7)
    false = false_alert_rate(ask, unlisted)
    print(
        json.dumps(
            {
                "onc_pairs_total": len({frozenset((r.drug_a.lower(), r.drug_b.lower())) for r in onc}),
                "onc_pairs_recognised": len(recognised),
                "interaction_recall": {k: v for k, v in recall.items() if k != "missed"},
                "missed_examples": recall["missed"][:10],
                "false_alerts": {k: v for k, v in false.items() if k != "examples"},
                "false_alert_examples": false["examples"][:5],
                "safety_ms": {
                    "p50": round(statistics.median(safety_ms), 2),
                    "p95": round(sorted(safety_ms)[int(0.95 * (len(safety_ms) - 1))], 2),
                },
            },
            indent=2,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
