"""The question-understanding stage: text → :class:`UnderstoodQuestion`.

Order matters: drugs first (their spans tell conditions what to skip and context which
drugs are current or failed), then conditions, patient context, intent, and finally the
words nothing recognised (``unknown_terms``) so composition can abstain on invented names.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from wordfreq import zipf_frequency

from curbside.domain.question import UnderstoodQuestion
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.context import extract_context
from curbside.understanding.drugs import DrugRecognizer, DrugSpan
from curbside.understanding.intent import IntentClassifier

#: Only the first this-many characters are analysed: real questions are far shorter, and a
#: cap keeps a pasted 100 kB document from making the stage slow.
MAX_ANALYSIS_CHARS = 2000
#: A capitalised word rarer than this (Zipf < 1.5: under 0.03 per million words) is not an
#: English word for our purposes; a lower-case word must be absent from wordfreq entirely.
RARE_CAPITALISED_ZIPF = 1.5
MIN_UNKNOWN_LENGTH = 5

_TAG = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")


def normalise(text: str) -> str:
    """NFKC, whitespace collapsed to single spaces, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def analysis_text(text: str) -> str:
    """Normalised text with HTML tags removed and entities decoded, capped in length."""
    stripped = html.unescape(_TAG.sub(" ", text[: MAX_ANALYSIS_CHARS * 4]))
    return normalise(stripped)[:MAX_ANALYSIS_CHARS]


def _is_abbreviation(word: str) -> bool:
    # "GAD", "COPD", "HbA1c"-like short upper-case tokens are abbreviations, not names.
    return len(word) <= 6 and sum(c.isupper() for c in word) >= 2


def _is_english(part: str) -> bool:
    frequency = zipf_frequency(part.lower(), "en")
    return frequency >= RARE_CAPITALISED_ZIPF if part[:1].isupper() else frequency > 0


def find_unknown_terms(text: str, covered: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Words that are neither English (per wordfreq) nor inside a recognised span.

    Numbers, units and abbreviations are never flagged; a hyphenated word is flagged whole
    when any part is unknown ("Kreuzfeld-Marlow").
    """
    out: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        if any(s <= match.start() < e for s, e in covered) or _is_abbreviation(word):
            continue
        parts = [p for p in word.split("-") if len(p) >= MIN_UNKNOWN_LENGTH]
        if any(not _is_english(p) for p in parts):
            out[word] = None
    return tuple(out)


class QuestionUnderstanding:
    """Combines the recognisers and the intent classifier.

    Contract: ``understand`` never raises on any string (empty, HTML, huge) and analyses at
    most :data:`MAX_ANALYSIS_CHARS` characters.
    """

    def __init__(self, drugs: DrugRecognizer, conditions: ConditionRecognizer, intent: IntentClassifier) -> None:
        self.drugs = drugs
        self.conditions = conditions
        self.intent = intent

    def understand(self, text: str) -> UnderstoodQuestion:
        """Parse one question."""
        analysed = analysis_text(text)
        drug_spans: list[DrugSpan] = self.drugs.recognize_spans(analysed)
        drug_ranges = [(d.start, d.end) for d in drug_spans]
        conditions = self.conditions.recognize(analysed, exclude=drug_ranges)
        context = extract_context(analysed, drug_spans)
        mentions = list({d.mention.name: d.mention for d in drug_spans}.values())
        prediction = self.intent.predict(
            analysed, n_drugs=len(mentions), has_failed_medications=bool(context.failed_medications)
        )
        covered = drug_ranges + self._condition_ranges(analysed, [c.surface for c in conditions])
        return UnderstoodQuestion(
            text=normalise(text)[: MAX_ANALYSIS_CHARS * 4],
            intent=prediction.intent,
            intent_confidence=prediction.confidence,
            drugs=tuple(mentions),
            current_medications=context.current_medications,
            failed_medications=context.failed_medications,
            conditions=tuple(conditions),
            age_group=context.age_group,
            pregnant=context.pregnant,
            duration=context.duration,
            negations=context.negations,
            unknown_terms=find_unknown_terms(analysed, covered),
        )

    @staticmethod
    def _condition_ranges(text: str, surfaces: Sequence[str]) -> list[tuple[int, int]]:
        ranges = []
        for surface in surfaces:
            start = text.find(surface)
            if start >= 0:
                ranges.append((start, start + len(surface)))
        return ranges
