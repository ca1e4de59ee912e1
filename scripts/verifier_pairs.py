"""Verdict accuracy of the verifier on statement/source pair sets (own set + any JSONL given).

PYTHONPATH=src python scripts/verifier_pairs.py [--pairs FILE ...] [--embedder onnx] [--show-wrong]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description="Verifier verdict accuracy on statement/source pairs.")
    parser.add_argument("--pairs", type=Path, nargs="*", default=[], help="extra JSONL pair files")
    parser.add_argument("--embedder", default="onnx", help="embedder name (default onnx)")
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong verdict")
    args = parser.parse_args()

    from curbside.evaluation.verifier_pairs import accuracy, judge_pairs, own_pairs, read_pairs
    from curbside.knowledge.embedding import create_embedder
    from curbside.understanding.drugs import DrugRecognizer
    from curbside.verification.support import SupportScorer, VectorCache

    drugs = DrugRecognizer.from_package()
    scorer = SupportScorer(VectorCache(create_embedder(args.embedder)))
    sets = {"own": own_pairs(), **{p.name: read_pairs(p) for p in args.pairs}}
    report = {}
    for name, pairs in sets.items():
        outcomes = judge_pairs(scorer, pairs, lambda text: drugs.lexicon([text]))
        report[name] = accuracy(outcomes)
        if args.show_wrong:
            for o in outcomes:
                if not o.correct:
                    print(f"[{name}] expected {'S' if o.pair.supported else 'U'} got {o.label}: "
                          f"{o.pair.statement[:90]!r} — {o.reason[:110]}", file=sys.stderr)  # fmt: skip
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
