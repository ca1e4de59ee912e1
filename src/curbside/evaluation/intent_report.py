"""``python -m curbside.evaluation.intent_report [CORPORA_DIR] [MEDICATIONQA_JSONL]``: print intent accuracy.

Folders come from Settings (``CURBSIDE_CORPUS_DIR`` and ``CURBSIDE_EVAL_DIR``, else the
workspace layout ``../shared/corpora`` and ``../shared/eval``); arguments override them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from curbside.evaluation.common import EvalDataNotFoundError, locate_eval_data
from curbside.evaluation.intent_accuracy import evaluate_intent
from curbside.settings import CorpusNotFoundError, Settings
from curbside.understanding.drugs import default_drug_recognizer

MEDICATIONQA_FILE = Path("medicationqa") / "medicationqa.dev.jsonl"


def main(argv: list[str], settings: Settings | None = None) -> int:
    """Train, evaluate, print JSON; exit code 2 when MedQuAD or the dev sets are missing."""
    settings = settings or Settings.from_env()
    try:
        corpora = Path(argv[0]) if argv else settings.resolved_corpus_dir()
        medicationqa = Path(argv[1]) if len(argv) > 1 else locate_eval_data(settings.eval_dir) / MEDICATIONQA_FILE
    except (CorpusNotFoundError, EvalDataNotFoundError) as error:
        print(str(error), file=sys.stderr)
        return 2
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
