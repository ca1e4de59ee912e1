"""Evaluation of the intent classifier on held-out MedQuAD and on MedicationQA.

Evaluation-only (moved out of the serving ``understanding`` stage). MedQuAD is read here with a
minimal XML reader (question text, qtype, document): only the fields the split and the score
need. The held-out slice is chosen by document — all questions of one document are on the
same side — via a hash of the document path with a fixed salt, so the split is deterministic
and independent of file order.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from curbside.domain.question import Intent
from curbside.understanding.intent import IntentClassifier, to_intent, train_intent_classifier

SPLIT_SALT = "curbside-intent-split-v1"
HELD_OUT_PERCENT = 10

#: MedicationQA "Question Type" → Intent. Types with no counterpart (storage and disposal,
#: not/other drug question) map to None and are excluded. Usage and stopping/tapering ask how
#: to take a drug → DOSING; indication and alternatives ask what it treats / what else
#: treats it → TREATMENT; action, ingredient, appearance, comparison … describe the drug →
#: INFORMATION; time-to-effect questions (action/time, time/effectiveness) → INFORMATION.
MEDICATIONQA_TO_INTENT: dict[str, Intent | None] = {
    "information": Intent.INFORMATION,
    "action": Intent.INFORMATION,
    "action/time": Intent.INFORMATION,
    "action/effectiveness": Intent.INFORMATION,
    "time/effectiveness": Intent.INFORMATION,
    "ingredient": Intent.INFORMATION,
    "appearance": Intent.INFORMATION,
    "comparison": Intent.INFORMATION,
    "manufacturer": Intent.INFORMATION,
    "pronounce name": Intent.INFORMATION,
    "availability": Intent.INFORMATION,
    "dose": Intent.DOSING,
    "dose/potency": Intent.DOSING,
    "dose/time": Intent.DOSING,
    "usage": Intent.DOSING,
    "usage/time": Intent.DOSING,
    "usage/duration": Intent.DOSING,
    "time/duration": Intent.DOSING,
    "stopping/tapering": Intent.DOSING,
    "overdose": Intent.DOSING,
    "side effects": Intent.ADVERSE_EFFECTS,
    "time/side effects": Intent.ADVERSE_EFFECTS,
    "stopping/side effects": Intent.ADVERSE_EFFECTS,
    "interaction": Intent.INTERACTION,
    "contraindication": Intent.CONTRAINDICATION,
    "usage/special populations": Intent.CONTRAINDICATION,
    "indication": Intent.TREATMENT,
    "alternatives": Intent.TREATMENT,
    "storage and disposal": None,
    "not_drug_question": None,
    "other_drug_question": None,
}


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One MedQuAD question with its qtype and the document it came from."""

    document: str
    question: str
    qtype: str


@dataclass
class Accuracy:
    """Overall and per-class accuracy (per class = recall of that gold class)."""

    total: int = 0
    correct: int = 0
    per_class: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, gold: Intent, predicted: Intent) -> None:
        hit = int(gold is predicted)
        self.total += 1
        self.correct += hit
        right, count = self.per_class.get(gold.value, (0, 0))
        self.per_class[gold.value] = (right + hit, count + 1)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.total,
            "accuracy": round(self.accuracy, 4),
            "per_class": {k: {"n": n, "accuracy": round(r / n, 4)} for k, (r, n) in sorted(self.per_class.items())},
        }


def read_medquad(root: Path) -> list[LabelledQuestion]:
    """All ``<Question qtype=…>`` in ``root/*/*.xml``, in sorted file order."""
    out: list[LabelledQuestion] = []
    for path in sorted(root.glob("*/*.xml")):
        document = f"{path.parent.name}/{path.name}"
        for question in ET.parse(path).getroot().iter("Question"):
            text = (question.text or "").strip()
            if text:
                out.append(LabelledQuestion(document, text, question.get("qtype", "")))
    return out


def is_held_out(document: str) -> bool:
    """Deterministic ~10 % document-level held-out slice."""
    digest = hashlib.sha1(f"{SPLIT_SALT}:{document}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def split_medquad(questions: Iterable[LabelledQuestion]) -> tuple[list[LabelledQuestion], list[LabelledQuestion]]:
    """(train, held_out) by document."""
    train: list[LabelledQuestion] = []
    held: list[LabelledQuestion] = []
    for q in questions:
        (held if is_held_out(q.document) else train).append(q)
    return train, held


def read_medicationqa(path: Path) -> list[tuple[str, Intent]]:
    """MedicationQA questions with a mapped intent; unmapped types are skipped."""
    out: list[tuple[str, Intent]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        intent = MEDICATIONQA_TO_INTENT.get(str(row.get("Question Type", "")).strip().lower())
        if intent is not None and row.get("Question"):
            out.append((str(row["Question"]), intent))
    return out


DrugCounter = Callable[[str], int]


def score(
    classifier: IntentClassifier,
    items: Iterable[tuple[str, Intent]],
    count_drugs: DrugCounter | None = None,
    use_cues: bool = True,
) -> Accuracy:
    """Accuracy of ``classifier`` on ``(question, gold)``; ``count_drugs`` feeds the drug cues."""
    acc = Accuracy()
    for question, gold in items:
        if use_cues:
            n_drugs = count_drugs(question) if count_drugs else 0
            predicted = classifier.predict(question, n_drugs=n_drugs).intent
        else:
            predicted = classifier.predict_model(question)[0]
        acc.add(gold, predicted)
    return acc


def evaluate_intent(
    medquad_dir: Path,
    medicationqa_path: Path | None = None,
    classifier: IntentClassifier | None = None,
    count_drugs: DrugCounter | None = None,
) -> dict[str, object]:
    """Train on MedQuAD minus the held-out slice (unless ``classifier`` given) and score it.

    Returns ``{"medquad_held_out": {...}, "medquad_held_out_model_only": {...},
    "medicationqa": {...} | None, "train_size": int, "qtype_counts": {...}}`` where each score
    dict has ``n``, ``accuracy`` and ``per_class``. ``count_drugs`` (e.g. the drug recogniser's
    mention count) enables the drug-dependent cues, as in the live pipeline.
    """
    train, held = split_medquad(read_medquad(medquad_dir))
    if classifier is None:
        classifier = train_intent_classifier((q.question, q.qtype) for q in train)
    held_items = [(q.question, i) for q in held if (i := to_intent(q.qtype)) is not None]
    report: dict[str, object] = {
        "train_size": len(train),
        "qtype_counts": dict(Counter(q.qtype for q in held)),
        "medquad_held_out": score(classifier, held_items, count_drugs).as_dict(),
        "medquad_held_out_model_only": score(classifier, held_items, use_cues=False).as_dict(),
        "medicationqa": None,
    }
    if medicationqa_path is not None and medicationqa_path.is_file():
        report["medicationqa"] = score(classifier, read_medicationqa(medicationqa_path), count_drugs).as_dict()
    return report
