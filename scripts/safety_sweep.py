"""Safety sweeps on a knowledge base: interaction wordings × pairs, false alerts, red flags, doses.

Calls understanding + the safety screen directly on an empty article (what decides alerts), so
thousands of questions run in minutes. Writes JSON to --out as each part finishes.

Usage: PYTHONPATH=src .venv/bin/python scripts/safety_sweep.py --data-dir /tmp/kb --out sweep.json
       [--templates FILE] [--pairs FILE] [--red-flags FILE ...] [--doses FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from curbside.domain.article import Article, UnderstoodView
from curbside.evaluation import safety_checks as sc
from curbside.knowledge.build import open_store
from curbside.safety.question_doses import textbook_maxima
from curbside.safety.source_classes import default_index
from curbside.settings import Settings
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.intent import CueOnlyIntentClassifier
from curbside.understanding.understand import QuestionUnderstanding
from curbside.wiring import build_checks

FREQUENCIES = (("BID", 2), ("TID", 3), ("QID", 4), ("q6h", 4), ("every 4 hours", 6), ("three times a day", 3))


def own_dose_questions(n: int = 40) -> list[dict[str, object]]:
    """Over-maximum questions built from the textbook's stated maxima (1.5–3 × the maximum)."""
    rows, rng = [], random.Random(7)
    for drug, entries in sorted(textbook_maxima().items()):
        adult = [e for e in entries if "adult" in e["population"].lower() and "older" not in e["population"].lower()]
        if not adult or adult[0]["unit"] != "mg":
            continue
        words, per_day = FREQUENCIES[len(rows) % len(FREQUENCIES)]
        dose = round(adult[0]["value"] * rng.choice((1.5, 2, 3)) / per_day)
        if dose * per_day <= adult[0]["value"]:
            continue
        rows.append(
            {"question": f"Adult patient on {drug} {dose} mg {words}. Any concerns?", "drug": drug, "over_max": True}
        )
    return rows[:n]


def _wordings(templates: Path | None) -> list[tuple[str, str]]:
    wordings = list(sc.OWN_WORDINGS)
    if templates:
        wordings += [(f"independent:{r['id']}", r["template"]) for r in sc.read_jsonl(templates)]
    return wordings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--templates", type=Path)
    parser.add_argument("--pairs", type=Path)
    parser.add_argument("--red-flags", type=Path, action="append", default=[])
    parser.add_argument("--doses", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--only-onc", action="store_true", help="only the ONC high-priority sweep")
    args = parser.parse_args()
    settings = Settings(corpus_dir=Path("../shared/corpora"), data_dir=args.data_dir, embedder="hashing")
    store = open_store(settings)
    drugs = DrugRecognizer.from_package()
    understanding = QuestionUnderstanding(drugs, ConditionRecognizer([]), CueOnlyIntentClassifier())
    _, safety = build_checks(settings, store, None, drugs)  # type: ignore[arg-type]

    def screen(text: str) -> Article:
        q = understanding.understand(text)
        view = UnderstoodView(summary=q.summary(), intent=q.intent.value, intent_confidence=q.intent_confidence)
        empty = Article(question=text, title=text, understood=view, abstained=True)
        return safety.screen(empty, q, tuple(d.name for d in q.drugs))

    results: dict[str, object] = {}

    def save() -> None:
        args.out.write_text(json.dumps(results, indent=1, default=str))

    if args.only_onc:
        onc = sorted({(r.drug_a.lower(), r.drug_b.lower()) for r in store.interactions_in_list("ONC High-Priority")})
        for key, template in _wordings(args.templates):
            results[f"sweep:onc-high-priority:{key}"] = sc.sweep(screen, onc, [(key, template)])[key]
            save()
        return
    for path in args.red_flags:
        results[f"red_flags:{path.name}"] = sc.red_flag_scores(sc.read_jsonl(path))
    save()
    results["doses:own"] = sc.dose_scores(screen, own_dose_questions())
    if args.doses:
        results[f"doses:{args.doses.name}"] = sc.dose_scores(screen, sc.read_jsonl(args.doses))
    save()
    onc = sorted({(r.drug_a.lower(), r.drug_b.lower()) for r in store.interactions_in_list("ONC High-Priority")})
    if args.limit:
        onc = onc[: args.limit]
    warfarin = [("warfarin", m) for m in default_index().members_of("NSAIDs")]
    wordings = _wordings(args.templates)
    if args.pairs:
        listed = [r for r in sc.read_jsonl(args.pairs) if r.get("interacts")]
        results["sweep:independent-pairs"] = sc.sweep(screen, [(r["a"], r["b"]) for r in listed], wordings)
        save()
    results["sweep:warfarin+nsaids"] = sc.sweep(screen, warfarin, wordings)
    save()
    every = {frozenset((r.drug_a.lower(), r.drug_b.lower())) for r in store.interactions([n for p in onc for n in p])}
    names = sorted({n for p in onc for n in p})
    unlisted = sc.sample_pairs(names, every, 100)
    results["false_alerts:onc-drugs-unlisted"] = sc.false_alerts(screen, unlisted, sc.OWN_WORDINGS[0][1])
    save()
    results["sweep:onc-high-priority"] = sc.sweep(screen, onc, wordings)
    save()


if __name__ == "__main__":
    main()
