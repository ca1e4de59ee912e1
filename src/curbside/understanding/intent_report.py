"""``python -m curbside.understanding.intent_report [CORPORA_DIR] [MEDICATIONQA_JSONL]``: print intent accuracy.

Defaults follow the workspace layout: ``../shared/corpora`` and
``../shared/eval/medicationqa/medicationqa.dev.jsonl`` relative to the current directory,
overridable with ``CURBSIDE_CORPUS_DIR`` / ``CURBSIDE_EVAL_DIR``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from curbside.understanding.drugs import default_drug_recognizer
from curbside.understanding.intent_eval import evaluate_intent


def main(argv: list[str]) -> int:
    """Train, evaluate, print JSON; exit code 2 when MedQuAD is missing."""
    corpora = Path(argv[0]) if argv else Path(os.environ.get("CURBSIDE_CORPUS_DIR", "../shared/corpora"))
    eval_dir = Path(os.environ.get("CURBSIDE_EVAL_DIR", "../shared/eval"))
    medicationqa = Path(argv[1]) if len(argv) > 1 else eval_dir / "medicationqa" / "medicationqa.dev.jsonl"
    medquad = corpora / "medquad"
    if not medquad.is_dir():
        print(f"MedQuAD not found at {medquad}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    drugs = default_drug_recognizer()
    report = evaluate_intent(medquad, medicationqa, count_drugs=lambda text: len(drugs.recognize(text)))
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
