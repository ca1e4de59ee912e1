"""Read a misspelt word as the known word it most likely means ("pnuemonia" → "pneumonia").

People type questions fast; without this, the fabricated-name guard abstains on "rabbies"
exactly as it does on an invented drug. A word is read as another only when a known word
lies within a small edit distance (optimal string alignment, so swapping two neighbouring
letters counts once) and the match is not ambiguous. Known words are the recognisers' own
vocabulary (drug names and variants, condition names from the knowledge base and ICD-10-CM)
and, for lower-case words only, common English. A capitalised word inside a sentence is a
name: it is only ever read as a drug or condition word, so an invented "Zorblaxin" stays
unknown unless a real name is one or two letters away. Every correction is reported to the
reader ("read “rabbies” as “rabies”"), never applied silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: Shorter words are not corrected: too many real words lie one letter apart.
MIN_WORD_LENGTH = 5
#: From this length on, two edits are allowed (one below it).
TWO_EDIT_LENGTH = 9
#: How many of wordfreq's most frequent English words count as "English" for lower-case words.
ENGLISH_VOCABULARY_SIZE = 60_000
#: Candidates looked at per word; the closest ones decide.
CANDIDATES = 8

_POSSESSIVE = re.compile(r"(?:['’]s|s['’]?)$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A known word for a misspelt one; ``medical`` when it is a drug or condition word
    (the question is then re-read with it), else a common English word (a typo, not a name)."""

    word: str
    medical: bool


def _stem(word: str) -> str:
    """ "raynaud's", "raynauds" → "raynaud"."""
    return _POSSESSIVE.sub("", word)


def _buckets(words: Iterable[str]) -> dict[str, list[str]]:
    """Words grouped by first letter: misspellings rarely change the first letter, and a bucket
    keeps each lookup to a few thousand comparisons."""
    grouped: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for word in words:
        if word not in seen and len(word) >= MIN_WORD_LENGTH - 1 and word.isalpha():
            seen.add(word)
            grouped[word[0]].append(word)
    return dict(grouped)


class SpellingCorrector:
    """Suggests the known word a misspelt word stands for.

    ``medical_words`` win over ``english_words`` at equal distance; English words are tried in
    the order given (most frequent first, which settles ties). Two medical words equally close
    are ambiguous and give no suggestion.
    """

    def __init__(self, medical_words: Iterable[str], english_words: Iterable[str] = ()) -> None:
        medical = [w.lower() for w in medical_words]
        medical += [_stem(w) for w in medical if "'" in w or "’" in w]
        self._medical_set = frozenset(medical)
        self._medical = _buckets(sorted(set(medical)))
        self._english = _buckets(w.lower() for w in english_words)

    @classmethod
    def from_vocabularies(cls, vocabularies: Sequence[Iterable[str]]) -> SpellingCorrector:
        """Medical words from the recognisers' vocabularies plus wordfreq's common English."""
        from wordfreq import top_n_list

        medical = (word for vocabulary in vocabularies for word in vocabulary)
        return cls(medical, top_n_list("en", ENGLISH_VOCABULARY_SIZE))

    def is_medical(self, word: str) -> bool:
        """A drug or condition word as written, or in the possessive ("Raynaud's", "Raynauds")."""
        lower = word.lower()
        return lower in self._medical_set or (len(lower) >= MIN_WORD_LENGTH and _stem(lower) in self._medical_set)

    def suggest(self, word: str, *, names_only: bool = False) -> Suggestion | None:
        """The known word ``word`` most likely means, or None.

        ``names_only``: only drug and condition words may be suggested (for capitalised words
        that are not at the start of a sentence, i.e. names).
        """
        lower = word.lower()
        if len(lower) < MIN_WORD_LENGTH or not lower.isalpha():
            return None
        limit = 2 if len(lower) >= TWO_EDIT_LENGTH else 1
        medical_distance, medical = _closest(lower, self._medical, limit)
        english_distance, english = (limit + 1, []) if names_only else _closest(lower, self._english, limit)
        # A closer English word, or equally close ones none of which is a drug or condition
        # word, means a typo ("anwser" is "answer", not the genus "anser"; but "migrane" is
        # "migraine", an English word too, rather than "migrant").
        english_first = english_distance < medical_distance or (
            english_distance == medical_distance and bool(english) and not set(medical) & set(english)
        )
        if medical and not english_first:
            # Several drug/condition words equally close: only one that is also everyday English
            # ("migraine" over "migrans") settles it; otherwise guessing could mislead.
            common = [word for word in medical if word in english] if len(medical) > 1 else medical
            return Suggestion(common[0], medical=True) if len(common) == 1 else None
        # English buckets are in frequency order: the first is the likelier reading.
        return Suggestion(english[0], medical=False) if english else None


def _closest(word: str, buckets: Mapping[str, list[str]], limit: int) -> tuple[int, list[str]]:
    """The smallest distance within ``limit`` and the words of ``word``'s bucket at it, in
    bucket order (``limit + 1`` and no words when nothing is close enough)."""
    bucket = buckets.get(word[0])
    found = process.extract(word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=CANDIDATES) if bucket else []
    if not found:
        return limit + 1, []
    best = min(distance for _, distance, _ in found)
    return best, [candidate for candidate, distance, _ in sorted(found, key=lambda f: f[2]) if distance == best]
