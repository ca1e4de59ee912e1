"""The question-understanding stage: text → :class:`UnderstoodQuestion`.

Order matters: drugs first (their spans tell conditions what to skip and context which
drugs are current or failed), then conditions, patient context, intent, and finally the
words nothing recognised (``unknown_terms``) so composition can abstain on invented names.
When a spelling corrector is given and unknown words are misspellings of known ones, the
question is analysed again with them corrected, and the corrections are reported.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from wordfreq import zipf_frequency

from curbside.domain.question import SpellingCorrection, UnderstoodQuestion
from curbside.understanding.conditions import ConditionRecognizer
from curbside.understanding.context import extract_context
from curbside.understanding.drugs import DrugRecognizer, DrugSpan
from curbside.understanding.intent import IntentClassifier
from curbside.understanding.shorthand import default_shorthand
from curbside.understanding.spelling import SpellingCorrector

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
# Joined words from pasted web pages ("ClinicalTrials", "AppleWebKit") are judged part by part.
_CAMEL_PART = re.compile(r"[A-Z]?[a-z'’]+|[A-Z]+(?![a-z])")
_POSSESSIVE_S = re.compile(r"['’]s$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*)$")


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
    frequency = zipf_frequency(_POSSESSIVE_S.sub("", part.lower()), "en")
    return frequency >= RARE_CAPITALISED_ZIPF if part[:1].isupper() else frequency > 0


def _parts(word: str) -> list[str]:
    """A word's parts long enough to judge: hyphenated pieces, then camel-case pieces."""
    pieces: list[str] = []
    for piece in word.split("-"):
        camel = _CAMEL_PART.findall(piece) if not piece.isupper() else [piece]
        pieces.extend(camel if len(camel) > 1 and "".join(camel) == piece else [piece])
    return [p for p in pieces if len(p) >= MIN_UNKNOWN_LENGTH]


def _unknown_words(text: str, covered: Sequence[tuple[int, int]]) -> list[re.Match[str]]:
    found: dict[str, re.Match[str]] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        if any(s <= match.start() < e for s, e in covered) or _is_abbreviation(word):
            continue
        if any(not _is_english(p) for p in _parts(word)):
            found.setdefault(word, match)
    return list(found.values())


def find_unknown_terms(text: str, covered: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Words that are neither English (per wordfreq) nor inside a recognised span.

    Numbers, units and abbreviations are never flagged; a hyphenated or camel-case word is
    flagged whole when any part is unknown ("Kreuzfeld-Marlow").
    """
    return tuple(match.group() for match in _unknown_words(text, covered))


def find_corrections(
    text: str, covered: Sequence[tuple[int, int]], corrector: SpellingCorrector
) -> tuple[tuple[SpellingCorrection, ...], frozenset[str]]:
    """Read unknown words as known ones where every unknown part allows it.

    Returns the corrections (parts read as drug or condition words: the question is re-read
    with them) and the words that need none — typos of common English words and drug or
    condition words outside any recognised name — which are not invented names either.
    A capitalised word that does not start a sentence is a name: only drug and condition
    words may stand for it.
    """
    corrections, accepted = [], set()
    for match in _unknown_words(text, covered):
        word = match.group()
        names_only = word[:1].isupper() and not word.isupper() and not _SENTENCE_START.search(text[: match.start()])
        fixed = word
        for part in _parts(word):
            if _is_english(part) or corrector.is_medical(part):
                continue
            suggestion = corrector.suggest(part, names_only=names_only)
            if suggestion is None:
                break
            if suggestion.medical:
                fixed = fixed.replace(part, suggestion.word, 1)
        else:
            if fixed != word:
                corrections.append(SpellingCorrection(word, fixed))
            else:
                accepted.add(word)
    corrections.extend(_rare_misspellings(text, covered, corrector, {c.original for c in corrections} | accepted))
    return tuple(corrections), frozenset(accepted)


def _rare_misspellings(
    text: str, covered: Sequence[tuple[int, int]], corrector: SpellingCorrector, seen: set[str]
) -> list[SpellingCorrection]:
    """Lower-case words that are English only as rare misspellings ("migrane" is in wordfreq)
    and one or two letters from a drug or condition word."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        if (
            word in seen
            or not word.islower()
            or len(word) <= MIN_UNKNOWN_LENGTH
            or any(s <= match.start() < e for s, e in covered)
            or not 0 < zipf_frequency(word, "en") < RARE_CAPITALISED_ZIPF
            or corrector.is_medical(word)
        ):
            continue
        suggestion = corrector.suggest(word)
        if suggestion is not None and suggestion.medical:
            seen.add(word)
            found.append(SpellingCorrection(word, suggestion.word))
    return found


def apply_corrections(text: str, corrections: Sequence[SpellingCorrection]) -> str:
    for correction in corrections:
        text = re.sub(rf"(?<![\w'’-]){re.escape(correction.original)}(?![\w'’-])", correction.corrected, text)
    return text


class QuestionUnderstanding:
    """Combines the recognisers and the intent classifier.

    Contract: ``understand`` never raises on any string (empty, HTML, huge) and analyses at
    most :data:`MAX_ANALYSIS_CHARS` characters.
    """

    def __init__(
        self,
        drugs: DrugRecognizer,
        conditions: ConditionRecognizer,
        intent: IntentClassifier,
        spelling: SpellingCorrector | None = None,
    ) -> None:
        self.drugs = drugs
        self.conditions = conditions
        self.intent = intent
        self.spelling = spelling

    def understand(self, text: str) -> UnderstoodQuestion:
        """Parse one question (twice when misspelt words were read as known ones)."""
        analysed = analysis_text(text)
        question, covered = self._analyse(text, analysed)
        if self.spelling is None:
            return question
        corrections, accepted = find_corrections(analysed, covered, self.spelling)
        if corrections:
            corrected = apply_corrections(analysed, corrections)
            question, _ = self._analyse(text, corrected)
            question = replace(question, corrections=corrections, corrected_text=corrected)
        spelling = self.spelling
        unknown = tuple(
            term
            for term in question.unknown_terms
            if term not in accepted and not all(_is_english(p) or spelling.is_medical(p) for p in _parts(term))
        )
        return replace(question, unknown_terms=unknown)

    def _analyse(self, text: str, analysed: str) -> tuple[UnderstoodQuestion, list[tuple[int, int]]]:
        analysed = default_shorthand().expand(analysed)
        drug_spans: list[DrugSpan] = self.drugs.recognize_spans(analysed)
        drug_ranges = [(d.start, d.end) for d in drug_spans]
        conditions = self.conditions.recognize(analysed, exclude=drug_ranges)
        context = extract_context(analysed, drug_spans)
        mentions = list({d.mention.name: d.mention for d in drug_spans}.values())
        prediction = self.intent.predict(
            analysed, n_drugs=len(mentions), has_failed_medications=bool(context.failed_medications)
        )
        covered = drug_ranges + self._condition_ranges(analysed, [c.surface for c in conditions])
        question = UnderstoodQuestion(
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
            doses=context.doses,
            unknown_terms=find_unknown_terms(analysed, covered),
        )
        return question, covered

    @staticmethod
    def _condition_ranges(text: str, surfaces: Sequence[str]) -> list[tuple[int, int]]:
        ranges = []
        for surface in surfaces:
            start = text.find(surface)
            if start >= 0:
                ranges.append((start, start + len(surface)))
        return ranges
