"""Drug and drug-class recognition over the ``drug_named_entity_recognition`` dictionary.

The package maps ~107k name variants (generics, brands, MeSH entry terms such as "SSRIs",
"statins") to ~20k canonical entries. We reuse its tables but run our own matcher because
its ``find_drugs`` only looks at uni- and bigrams, while class names ("selective serotonin
reuptake inhibitors") are longer, and we need character spans for the context stage.

False positives: the dictionary contains entries that are ordinary English words ("today",
"can", "help" are brands or synonyms somewhere). A one-word match is rejected when the word
is common English — Zipf frequency ≥ :data:`COMMON_WORD_ZIPF` in ``wordfreq`` — or is in the
package's own stopword list, unless the question writes it capitalised mid-sentence and the
package marks the variant as a brand. Multi-word matches are kept: two common words forming
a dictionary name by chance is rare and the phrase is specific.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wordfreq import zipf_frequency

from curbside.domain.question import DrugMention
from curbside.understanding.drug_classes import DrugClassification

#: Zipf ≥ 4.0 means ≥ 10 occurrences per million words: everyday vocabulary ("today" 5.6,
#: "help" 5.8), while drug names sit well below ("aspirin" 3.3, "sertraline" 2.1).
COMMON_WORD_ZIPF = 4.0
#: Longest variant we try to match, in tokens; longer dictionary variants are chemical names.
MAX_NGRAM = 6
#: Longest one-word abbreviation looked up in the plural when the singular is not listed.
MAX_ABBREVIATION = 6

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")


@dataclass(frozen=True, slots=True)
class DrugSpan:
    """A recognised mention with its character span in the analysed text."""

    mention: DrugMention
    start: int
    end: int


def normalise_name(name: str) -> str:
    """Lower-case, punctuation-free, single-spaced form used as the lookup key."""
    return " ".join(t.lower() for t in _TOKEN.findall(name))


class DrugRecognizer:
    """Recognises drugs and classes; resolves names to one canonical drug.

    Contract: ``recognize`` returns each canonical drug at most once, in text order;
    canonical names are the package's lower-case canonical keys. Loading takes ~1.5 s,
    recognising one question well under 10 ms.
    """

    def __init__(
        self,
        variant_to_canonical: Mapping[str, list[str]],
        canonical_to_data: Mapping[str, Mapping[str, Any]],
        variant_data: Mapping[str, Mapping[str, Any]],
        stopwords: frozenset[str] = frozenset(),
    ) -> None:
        self._data = canonical_to_data
        self._stopwords = stopwords
        self.classification = DrugClassification(canonical_to_data)
        self._index: dict[str, str] = {}
        self._brands: set[str] = set()
        for variant, canonicals in variant_to_canonical.items():
            # Inverted MeSH forms ("inhibitors, serotonin uptake") never occur in questions.
            if not canonicals or ("," in variant and variant not in canonical_to_data):
                continue
            key = normalise_name(variant)
            if key and len(key.split()) <= MAX_NGRAM:
                self._index.setdefault(key, canonicals[0])
                if variant_data.get(variant, {}).get("is_brand"):
                    self._brands.add(key)
        # First words of the multi-word names: most tokens start none, so the longer n-grams
        # need not be joined and looked up at all (the verifier and safety stages run the
        # recogniser over every cited passage; this was most of its cost).
        self._first_words = frozenset(key.split(" ", 1)[0] for key in self._index if " " in key)
        self._class_mesh_ids = {
            self._data[c].get("mesh_id") for c in canonical_to_data if self.classification.is_class(c)
        }

    @classmethod
    def from_package(cls) -> DrugRecognizer:
        """Build from the installed ``drug_named_entity_recognition`` data (loads once, ~1.5 s)."""
        from drug_named_entity_recognition import drugs_finder, util

        return cls(
            drugs_finder.drug_variant_to_canonical,
            drugs_finder.drug_canonical_to_data,
            drugs_finder.drug_variant_to_variant_data,
            frozenset(util.stopwords),
        )

    def vocabulary(self) -> Iterator[str]:
        """Every word of every drug and class name the recogniser knows (for spelling)."""
        for key in self._index:
            yield from key.split()

    def canonical(self, name: str) -> str | None:
        """Canonical drug or class name for any variant ("Zoloft" → "sertraline"), else None."""
        key = normalise_name(name)
        return self._index.get(key) or self._index.get(_singular(key) or "")

    def members_of(self, class_name: str) -> tuple[str, ...]:
        """Member drugs of a class given by any of its names ("SSRIs")."""
        return self.classification.members_of(self.canonical(class_name) or class_name.lower())

    def classes_of(self, drug: str) -> tuple[str, ...]:
        """Classes a drug (any name) belongs to, e.g. for class-level interaction rules."""
        return self.classification.classes_of(self.canonical(drug) or drug.lower())

    def recognize(self, text: str) -> list[DrugMention]:
        """Drug and class mentions in ``text``, each canonical name once, in text order."""
        seen: set[str] = set()
        out = []
        for span in self.recognize_spans(text):
            if span.mention.name not in seen:
                seen.add(span.mention.name)
                out.append(span.mention)
        return out

    def lexicon(self, texts: Iterable[str]) -> dict[str, str]:
        """Every drug surface form found in ``texts`` (lower-case) → its canonical name, so a
        later stage can tell "Zoloft" and "sertraline" are the same drug without knowing drugs."""
        found: dict[str, str] = {}
        for text in texts:
            for span in self.recognize_spans(text):
                found[text[span.start : span.end].lower()] = span.mention.name
        return found

    def recognize_spans(self, text: str) -> list[DrugSpan]:
        """Every accepted mention with its span; longest match wins, left to right."""
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        lowered = [t.lower() for t, _, _ in tokens]
        spans: list[DrugSpan] = []
        i = 0
        while i < len(tokens):
            found = self._longest_at(lowered, i)
            if found is None:
                i += 1
                continue
            length, canonical = found
            start, end = tokens[i][1], tokens[i + length - 1][2]
            if length > 1 or self._accept_single(text, tokens[i][0], start):
                spans.append(DrugSpan(self._mention(canonical, text[start:end]), start, end))
                i += length
            else:
                i += 1
        return spans

    def _longest_at(self, lowered: list[str], i: int) -> tuple[int, str] | None:
        longest = min(MAX_NGRAM, len(lowered) - i) if lowered[i] in self._first_words else 1
        for length in range(longest, 0, -1):
            key = " ".join(lowered[i : i + length])
            canonical = self._index.get(key)
            if canonical is None:
                singular = _singular(key)
                canonical = self._index.get(singular) if singular else None
            if canonical is None and length == 1 and key.isalpha() and len(key) <= MAX_ABBREVIATION:
                # A class abbreviation the dictionary lists only in the plural ("an SSRI" ~ "SSRIs").
                canonical = self._index.get(key + "s")
            if canonical is not None:
                return length, canonical
        return None

    def _accept_single(self, text: str, surface: str, start: int) -> bool:
        """Reject one-word matches that are ordinary English words (see module docstring)."""
        word = surface.lower()
        if len(word) < 3 or word.isdigit():
            return False
        common = word in self._stopwords or zipf_frequency(word, "en") >= COMMON_WORD_ZIPF
        if not common:
            return True
        sentence_initial = start == 0 or bool(_SENTENCE_END.search(text[:start]))
        return surface[0].isupper() and not sentence_initial and word in self._brands

    def _mention(self, canonical: str, surface: str) -> DrugMention:
        data = self._data.get(canonical, {})
        cls = self.classification.get(canonical)
        if cls is not None:
            return DrugMention(
                name=canonical,
                surface=surface,
                is_class=True,
                mesh_id=cls.mesh_id,
                members=cls.members,
                class_codes=cls.codes,
            )
        mesh_id = data.get("mesh_id")
        return DrugMention(
            name=canonical,
            surface=surface,
            drugbank_id=data.get("drugbank_id"),
            # A drug's mesh_id is sometimes its pharmacological class's id: not the drug's own.
            mesh_id=None if mesh_id in self._class_mesh_ids else mesh_id,
        )


def _singular(key: str) -> str | None:
    """Plural → singular of the last word ("ssris" → "ssri", "statins" → "statin"); None if not plural."""
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return None


@lru_cache(maxsize=1)
def default_drug_recognizer() -> DrugRecognizer:
    """The process-wide recogniser built from the installed package (built on first use)."""
    return DrugRecognizer.from_package()
