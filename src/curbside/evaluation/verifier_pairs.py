"""Accuracy of the verifier's verdict on hand-written statement / source pairs.

A pair file is JSON Lines, one pair per line: the statement (``statement`` or ``claim``), the
source text (``source_text``, ``source``, ``passage`` or ``evidence``) and the expected verdict (``supported``
true/false, or ``label``/``expected`` "supported" / anything else). The project ships its own
set (``data/own_verifier_pairs.jsonl``, written before the scorer was tuned); other sets (e.g.
an independent author's) are read from a path. Drug names for the drug check come from the
package's drug recogniser run over each pair, as the orchestrator does for answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from curbside.verification.support import SupportScorer


@dataclass(frozen=True, slots=True)
class VerifierPair:
    key: str
    statement: str
    source: str
    supported: bool


@dataclass(frozen=True, slots=True)
class PairOutcome:
    pair: VerifierPair
    label: str
    reason: str

    @property
    def correct(self) -> bool:
        return (self.label == "supported") == self.pair.supported


def _expected(row: dict[str, object]) -> bool:
    if isinstance(row.get("supported"), bool):
        return bool(row["supported"])
    value = str(row.get("label", row.get("expected", row.get("verdict", "")))).strip().lower()
    return value in ("supported", "supports", "true", "yes", "1", "entailed", "faithful")


def parse_pairs(lines: Sequence[str], origin: str) -> list[VerifierPair]:
    """Pairs from JSON Lines; raises ``ValueError`` naming the line of a malformed row."""
    pairs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            statement = str(row.get("statement") or row["claim"])
            source = str(row.get("source_text") or row.get("source") or row.get("passage") or row["evidence"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"{origin}:{number}: malformed pair ({error!r})") from error
        pairs.append(VerifierPair(str(row.get("id", f"{origin}:{number}")), statement, source, _expected(row)))
    return pairs


def own_pairs() -> list[VerifierPair]:
    """The project's own pair set (package data)."""
    text = resources.files("curbside.evaluation").joinpath("data/own_verifier_pairs.jsonl").read_text("utf-8")
    return parse_pairs(text.splitlines(), "own_verifier_pairs")


def read_pairs(path: Path) -> list[VerifierPair]:
    return parse_pairs(path.read_text(encoding="utf-8").splitlines(), path.name)


def judge_pairs(
    scorer: SupportScorer, pairs: Sequence[VerifierPair], drug_names: Callable[[str], dict[str, str]]
) -> list[PairOutcome]:
    """Score every pair (one batched prefetch); the label is the scorer's verdict."""
    needed: list[str] = []
    for pair in pairs:
        needed.extend(scorer.statement_texts(pair.statement))
        needed.extend(scorer.texts_to_embed(f"pair:{pair.key}", pair.source))
    scorer.cache.prefetch(needed)
    out = []
    for pair in pairs:
        drugs = drug_names(pair.statement + "\n" + pair.source)
        result = scorer.score(pair.statement, f"pair:{pair.key}", pair.source, drugs)
        out.append(PairOutcome(pair, result.label, result.reason))
    return out


def accuracy(outcomes: Sequence[PairOutcome]) -> dict[str, float | int]:
    """Accuracy overall and on each expected class."""
    good = [o for o in outcomes if o.pair.supported]
    bad = [o for o in outcomes if not o.pair.supported]
    share = lambda items: round(sum(o.correct for o in items) / len(items), 4) if items else 0.0  # noqa: E731
    return {"n": len(outcomes), "accuracy": share(outcomes), "supported_recall": share(good),
            "unsupported_caught": share(bad), "n_supported": len(good), "n_unsupported": len(bad)}  # fmt: skip
