"""Score the shipped support model (no refitting) on HealthVer and the corpus perturbations, and the
hand-written paraphrase pairs — for measuring a hard-check change before / after.

    CURBSIDE_EMBEDDER=onnx PYTHONPATH=src python scripts/verifier_heldout.py [--out FILE]

Same split and numbers as ``curbside.evaluation.support_training`` (held-out 30 % of HealthVer by claim,
perturbation held-out half by document), but with the model in ``verification/data/support_model.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()

    from curbside.evaluation.calibration import HEALTHVER_FILE
    from curbside.evaluation.common import locate_eval_data
    from curbside.evaluation.support_split import build_examples
    from curbside.evaluation.support_training import PAIR_SETS, report, score_pair_sets
    from curbside.knowledge.embedding import create_embedder
    from curbside.settings import Settings
    from curbside.verification.support_model import packaged_support_model

    settings = Settings.from_env()
    embedder = create_embedder(settings.embedder)
    model = packaged_support_model()
    healthver = locate_eval_data(settings.eval_dir) / HEALTHVER_FILE
    examples = build_examples(embedder, healthver, settings.resolved_corpus_dir())
    numbers = report(model, model.supported_threshold, examples)
    numbers["pair_sets"] = score_pair_sets(embedder, model, PAIR_SETS)
    text = json.dumps(numbers, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
