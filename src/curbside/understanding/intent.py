"""Intent classification: a model learned from MedQuAD question types plus documented lexical cues.

MedQuAD (16k NIH questions) labels each question with a ``qtype``; :data:`MEDQUAD_TO_INTENT`
maps those onto our :class:`Intent` values and a TF-IDF (word 1–2-grams + character
2–5-grams) logistic-regression model learns them. MedQuAD has no dosing, interaction,
adverse-effect, contraindication or next-step questions, so :data:`CUES` — short grammatical
patterns, checked in order — decide those, and screening. A question that names failed
medications and asks about treatment is ``NEXT_STEP``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curbside.domain.question import Intent
from curbside.understanding.intent_model import LinearTfidfModel

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# 2: the fitted model is kept as a LinearTfidfModel (numpy only), not a scikit-learn pipeline.
MODEL_VERSION = "intent-tfidf-lr-2"

#: MedQuAD qtype → Intent. Why each non-obvious choice:
#: symptoms / exams and tests → DIAGNOSIS (what a clinician uses to recognise the condition);
#: genetic changes / inheritance / susceptibility → CAUSES (what produces it, who is at risk);
#: outlook / complications / stages → PROGNOSIS (course of disease);
#: prevention → SCREENING (preventive care: the guideline sections that answer it are the
#: USPSTF-style screening and prevention recommendations);
#: considerations (NIDDK "eating, diet, nutrition") → TREATMENT (self-management);
#: frequency / research / support groups → INFORMATION.
MEDQUAD_TO_INTENT: dict[str, Intent] = {
    "information": Intent.INFORMATION,
    "symptoms": Intent.DIAGNOSIS,
    "exams and tests": Intent.DIAGNOSIS,
    "treatment": Intent.TREATMENT,
    "considerations": Intent.TREATMENT,
    "causes": Intent.CAUSES,
    "genetic changes": Intent.CAUSES,
    "inheritance": Intent.CAUSES,
    "susceptibility": Intent.CAUSES,
    "outlook": Intent.PROGNOSIS,
    "complications": Intent.PROGNOSIS,
    "stages": Intent.PROGNOSIS,
    "prevention": Intent.SCREENING,
    "frequency": Intent.INFORMATION,
    "research": Intent.INFORMATION,
    "support groups": Intent.INFORMATION,
}

#: Confidence reported when a lexical cue (not the model) decided the intent.
CUE_CONFIDENCE = 0.9

#: Lexical cues for intents MedQuAD cannot teach, checked in this order (first match wins).
#: They describe how people phrase the ask, not medical facts.
CUES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        Intent.INTERACTION,
        re.compile(
            r"\binteract\w*|\btogether\b|\bcombin\w+|\bmix(?:ed|ing)?\b|\bat the same time\b"
            r"|\b(?:taking|on|uses?|using)\b.{1,60}\b(?:also|safely) (?:take|use|be given|start)\b"
            r"|\b(?:take|use|give)\b.{1,40}\b(?:with|while (?:taking|on))\b.{1,40}\?"
            r"|\bwith (?:alcohol|wine|beer|liquor|grapefruit|a drink)\b|\bafter (?:a |drinking )?(?:drink|alcohol)",
            re.I,
        ),
    ),
    (
        Intent.CONTRAINDICATION,
        re.compile(
            r"\bcontraindicat\w*|\bis it safe\b|\bsafe (?:to|during|while|in|for|with)\b"
            r"|\b(?:should|can)(?:n't| not) (?:take|use|be given)\b|\bwho should not\b",
            re.I,
        ),
    ),
    (
        Intent.ADVERSE_EFFECTS,
        re.compile(
            r"\bside[- ]?effects?\b|\badverse\b|\breactions?\b|\btoxicit\w*|\bwithdrawal\b"
            r"|\bwarnings?\b|\bprecautions?\b|\brisks? of (?:taking|using)\b"
            r"|\b(?:does|can|will|could) (?:\w+ ){1,3}(?:cause|make (?:me|you))\b",
            re.I,
        ),
    ),
    (
        Intent.DOSING,
        re.compile(
            r"\bdos(?:e|es|age|ing)\b|\bhow much\b|\b\d+\s?(?:mg|mcg|ml|milligrams?)\b|\bhow often\b"
            r"|\bhow many (?:mg|milligrams?|pills|tablets|capsules|doses|times|units|puffs)\b"
            r"|\bmaximum\b|\boverdose\b|\btaper\w*|\btitrat\w*|\bwean\w*|\bmissed\b|\bstop taking\b"
            r"|\bhow (?:do|should|to) (?:i |you |we )?(?:take|use|give|inject|apply)\b"
            r"|\bwhen (?:should|do|to) (?:i |you )?(?:take|use)\b|\bhow long (?:should|can|do|does)\b",
            re.I,
        ),
    ),
    (
        Intent.SCREENING,
        re.compile(
            r"\bscreen\w*|\bmammogra\w*|\bcolonoscop\w*|\bpap (?:smear|test)\b"
            r"|\bshould (?:i|he|she|we|they|adults|women|men) be (?:tested|checked)\b",
            re.I,
        ),
    ),
    (
        Intent.TREATMENT,
        re.compile(r"\bhow (?:should|to|do (?:you|we|i)|is|are|can) .{0,60}\bmanag(?:e|ed|ing)\b", re.I),
    ),
)

#: Cues that mean an adverse effect only when the question names a drug ("does X cause…",
#: "how will I feel on X"); without a drug, "causes" is a MedQuAD causes question.
DRUG_ADVERSE_CUE = re.compile(
    r"\bcaus\w*|\beffects?\b|\baffect\w*|\bhappens?\b|\blead to\b|\binduc\w*|\bproblems?\b|\bfeel\b"
    r"|\baddict\w*|\blong[- ]term\b|\bsymptoms?\b",
    re.I,
)
#: With two or more drugs named, a linking word asks how they combine.
#: "give X to a patient already taking Y", "on X, start Y" also ask how they combine.
TWO_DRUG_LINK = re.compile(
    r"\bwith\b|\bwhile\b|\bwhen\b|\balong\b|\bplus\b|\band\b|\bafter\b|\bbefore\b|\+|\balready\b"
    r"|\b(?:taking|takes|on|using|started|starting|start|add|adding|give|giving)\b",
    re.I,
)
#: "take/use X with/while …" asks about co-administration even when one side is not a drug name.
CO_USE = re.compile(
    r"\b(?:take|taking|use|using|used)\b.*\b(?:with|while (?:taking|on|using)|when (?:taking|on|using))\b", re.I
)

#: A treatment ask after failure: "best course of action", "what next", "switch", "alternatives".
NEXT_STEP_ASK = re.compile(
    r"\bnext\b|\bcourse of action\b|\bwhat (?:else|now)\b|\balternative\w*|\bswitch\w*|\baugment\w*"
    r"|\boptions?\b|\bwhat (?:should|can|could) (?:i|we|you) (?:do|try|give|use)\b|\bmanage\w*|\btreat\w*"
    r"|\bapproach\b|\brecommend\w*",
    re.I,
)


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    """The chosen intent, its confidence and whether a cue (True) or the model decided it."""

    intent: Intent
    confidence: float
    by_cue: bool


class IntentClassifier:
    """Learned MedQuAD model + cues. ``predict`` never raises on empty or odd text.

    ``model`` is the fitted pipeline copied out of scikit-learn (see ``intent_model``), so a
    serving process never imports scikit-learn; only :func:`train_intent_classifier` does."""

    def __init__(self, model: LinearTfidfModel | None, version: str = MODEL_VERSION) -> None:
        self.model = model
        self.version = version

    def predict_model(self, text: str) -> tuple[Intent, float]:
        """The learned model's intent and probability, ignoring cues."""
        if self.model is None:
            return Intent.INFORMATION, 0.0
        probabilities = self.model.predict_proba(text)
        best = int(probabilities.argmax())
        return Intent(self.model.classes[best]), float(probabilities[best])

    def predict(self, text: str, n_drugs: int = 0, has_failed_medications: bool = False) -> IntentPrediction:
        """Intent of ``text``; ``n_drugs`` (drugs recognised) and failed medications enable drug cues."""
        cued = cue_intent(text, n_drugs, has_failed_medications)
        if cued is not None:
            return IntentPrediction(cued, CUE_CONFIDENCE, True)
        intent, confidence = self.predict_model(text)
        if has_failed_medications and intent is Intent.TREATMENT:
            return IntentPrediction(Intent.NEXT_STEP, confidence, False)
        return IntentPrediction(intent, confidence, False)

    def save(self, path: Path | str) -> None:
        """Persist the fitted model and its version with joblib, atomically: another process
        (a second web worker) loading the file sees the old model or the new one, never half."""
        import joblib

        target = Path(path)
        partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            joblib.dump({"version": self.version, "model": self.model}, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path | str) -> IntentClassifier:
        """Load a model saved by :meth:`save`; raises ValueError on a version mismatch."""
        import joblib

        payload = joblib.load(path)
        if payload.get("version") != MODEL_VERSION or not isinstance(payload.get("model"), LinearTfidfModel):
            raise ValueError(f"intent model version {payload.get('version')!r} != {MODEL_VERSION!r}")
        return cls(payload["model"], payload["version"])


class CueOnlyIntentClassifier(IntentClassifier):
    """For when there are no labelled questions to learn from (audit mode without a knowledge
    base): the lexical cues decide, and anything else is general information."""

    def __init__(self) -> None:
        super().__init__(None, "cues-only")


#: "… 30 mg eight times a day … What now?": the ask is what to do, not the dose the case states.
WHAT_NOW_ASK = re.compile(
    r"\bwhat now\b|\bnow what\b|\bwhat next\b|\bnext steps?\b|\bhow (?:to|should (?:we|i)|do (?:we|i)) proceed\b"
    r"|\bcourse of action\b|\bwhat (?:should|can|do) (?:i|we) do\b|\bhow (?:should|do) (?:we|i) manage\b",
    re.I,
)
DOSE_ASK = re.compile(r"\bdos(?:e|es|age|ing)\b|\bhow much\b|\bmaximum\b|\bhow often\b|\btaper\w*|\btitrat\w*", re.I)


def cue_intent(text: str, n_drugs: int = 0, has_failed_medications: bool = False) -> Intent | None:
    """The intent the documented cues assign, or None to defer to the model."""
    if has_failed_medications and NEXT_STEP_ASK.search(text):
        return Intent.NEXT_STEP
    if n_drugs >= 2 and TWO_DRUG_LINK.search(text):
        return Intent.INTERACTION
    if WHAT_NOW_ASK.search(text) and not DOSE_ASK.search(text):
        return Intent.TREATMENT
    for intent, pattern in CUES:
        if pattern.search(text):
            return intent
    if n_drugs >= 1 and CO_USE.search(text):
        return Intent.INTERACTION
    if n_drugs >= 1 and DRUG_ADVERSE_CUE.search(text):
        return Intent.ADVERSE_EFFECTS
    return None


def build_pipeline() -> Pipeline:
    """Unfitted TF-IDF (word + char n-grams) → logistic regression pipeline."""
    # Imported here: only training needs scikit-learn (and the scipy it imports).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)),
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True),
            ),
        ]
    )
    model = LogisticRegression(C=5.0, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", features), ("model", model)])


def train_intent_classifier(pairs: Iterable[tuple[str, str]]) -> IntentClassifier:
    """Fit on ``(question, qtype)`` pairs; qtypes are MedQuAD labels or Intent values.

    Pairs whose label maps to no intent are skipped. Raises ValueError if fewer than two
    intents remain (a classifier needs at least two classes).
    """
    texts: list[str] = []
    labels: list[str] = []
    for question, qtype in pairs:
        intent = to_intent(qtype)
        if intent is not None and question.strip():
            texts.append(question)
            labels.append(intent.value)
    if len(set(labels)) < 2:
        raise ValueError("need questions for at least two intents to train")
    pipeline = build_pipeline()
    pipeline.fit(texts, labels)
    return IntentClassifier(LinearTfidfModel.from_pipeline(pipeline))


def to_intent(label: str) -> Intent | None:
    """A MedQuAD qtype or an Intent value → Intent, else None."""
    key = label.strip().lower()
    if key in MEDQUAD_TO_INTENT:
        return MEDQUAD_TO_INTENT[key]
    try:
        return Intent(key)
    except ValueError:
        return None
