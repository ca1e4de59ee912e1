"""Condition recognition: longest-match phrase lookup over a caller-supplied vocabulary plus ICD-10-CM.

The matcher is a token trie (dict of dicts) — an Aho–Corasick-style scan restricted to word
boundaries: from each token we walk the trie as far as it goes and keep the longest phrase
end. Tokens are lower-cased and a plural token may match a singular phrase word ("migraines"
→ "migraine"), so ~100k phrases match a question in well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from wordfreq import zipf_frequency

from curbside.domain.documents import Document
from curbside.domain.question import ConditionMention

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_PARENTHETICAL = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
#: One-word phrases this common in English ("other", "need") are too ambiguous to be a condition.
_COMMON_SINGLE_WORD_ZIPF = 5.0
#: When one phrase comes from several sources, the knowledge-base names win: they are what
#: retrieval can find documents for.
ORIGIN_RANK = {"medquad-focus": 0, "guideline": 1, "icd10": 2}

VocabularyEntry = tuple[str, tuple[str, ...], str]


class _Entry(NamedTuple):
    # A named tuple, not a frozen dataclass: the start-up cache holds ~120,000 of them and a
    # dataclass unpickles through Python-level __setstate__ (~0.5 CPU-s), a tuple in C.
    name: str
    codes: tuple[str, ...]
    origin: str


class _Node:
    """Trie node: next words and, if a phrase ends here, its entry."""

    __slots__ = ("children", "entry")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entry: _Entry | None = None


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _singular(token: str) -> str | None:
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return None


#: ICD-10-CM chapter XX, "External causes of morbidity" (V00–Y99).
EXTERNAL_CAUSE_CHAPTER = frozenset("VWXY")


def icd10_vocabulary() -> list[tuple[str, str, tuple[str, ...]]]:
    """ICD-10-CM ``(phrase, name, codes)`` from ``simple_icd_10_cm`` descriptions and inclusion terms.

    ``name`` is the code's description without parentheticals ("essential hypertension"), so
    "high blood pressure" is reported under its ICD name.

    Descriptions lose parentheticals ("Essential (primary) hypertension" → also
    "essential hypertension") and trailing qualifiers after a comma ("Migraine, unspecified"
    → also "migraine"), because questions use the short form.
    """
    import simple_icd_10_cm as icd

    out: list[tuple[str, str, tuple[str, ...]]] = []
    for code in icd.get_all_codes(with_dots=True):
        if not (icd.is_category(code) or icd.is_subcategory(code)):
            continue  # chapters and blocks are ranges ("I10-I1A"), not conditions
        if code[0] in EXTERNAL_CAUSE_CHAPTER:
            continue  # chapter XX codes what happened ("activity, walking"), not what the patient has
        # "includes" notes carry lay synonyms ("high blood pressure" under I10).
        description = icd.get_description(code)
        name = _PARENTHETICAL.sub("", description).strip().lower()
        terms = [description, *icd.get_inclusion_term(code), *icd.get_includes(code)]
        out.extend((phrase, name, (code,)) for term in terms for phrase in _variants(term))
    return out


_GENERIC_HEAD = re.compile(r"\s+(?:disorder|disease)$", re.I)


_ACRONYM = re.compile(r"\(([A-Za-z][A-Za-z0-9]{1,6})\)")


def _letters_in_order(acronym: str, words: str) -> bool:
    position = 0
    for letter in acronym:
        position = words.find(letter, position) + 1
        if position == 0:
            return False
    return True


def source_acronyms(phrase: str) -> dict[str, str]:
    """Acronyms a source defines for a condition name, each with the words it abbreviates:
    "… such as posttraumatic stress disorder (PTSD)" answers to "PTSD" as "posttraumatic stress
    disorder", not as the whole listed phrase. A parenthesised token counts only when its letters
    occur in order in the words just before it, starting with the first of them (so "(acute)"
    never does); the shortest such run of words is its long form."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(phrase):
        token = match.group(1)
        lowered = token.lower()
        before = _tokens(_PARENTHETICAL.sub("", phrase[: match.start()]))
        for size in range(1, min(len(before), len(lowered) + 3) + 1):
            words = before[-size:]
            long_form = " ".join(words)
            if lowered in words or not long_form.startswith(lowered[0]):
                continue
            if _letters_in_order(lowered, long_form):
                found[token] = long_form
                break
    return found


def _variants(description: str) -> set[str]:
    base = _PARENTHETICAL.sub("", description).strip()
    head = base.split(",")[0].strip()
    # People drop the generic head noun ("generalized anxiety" for "generalized anxiety
    # disorder"); only when two or more words remain, so "heart disease" never becomes "heart".
    short = _GENERIC_HEAD.sub("", head)
    variants = {description, base, head}
    if short != head and len(short.split()) >= 2:
        variants.add(short)
    return {v for v in variants if v}


class ConditionRecognizer:
    """Longest-match, case-insensitive, word-boundary condition finder.

    Contract: ``recognize`` returns non-overlapping mentions, longest (most specific) first;
    spans inside ``exclude`` (drug names) never match.
    """

    def __init__(self, vocabulary: Iterable[VocabularyEntry], include_icd10: bool = True) -> None:
        self._trie = _Node()
        for phrase, codes, origin in vocabulary:
            name = " ".join(_tokens(_PARENTHETICAL.sub("", phrase))) or " ".join(_tokens(phrase))
            for variant in _variants(phrase):
                self._add(variant, name, codes, origin)
            for acronym, long_form in source_acronyms(phrase).items():
                self._add(acronym, long_form, codes, origin)
        if include_icd10:
            for phrase, name, codes in icd10_vocabulary():
                self._add(phrase, name, codes, "icd10")

    @classmethod
    def from_corpus_documents(cls, docs: Iterable[Document], include_icd10: bool = True) -> ConditionRecognizer:
        """Vocabulary from documents: MedQuAD foci (with CUIs) and guideline conditions."""
        vocab: list[VocabularyEntry] = []
        for doc in docs:
            focus = doc.metadata.get("focus")
            if doc.source == "medquad" and isinstance(focus, str) and focus:
                vocab.append((focus, tuple(doc.metadata.get("cuis") or ()), "medquad-focus"))
            elif doc.source != "medquad":
                vocab.extend((c, (), "guideline") for c in doc.conditions)
        return cls(vocab, include_icd10=include_icd10)

    def _add(self, phrase: str, name: str, codes: tuple[str, ...], origin: str) -> None:
        tokens = _tokens(phrase)
        if not tokens or (len(tokens) == 1 and self._too_common(tokens[0])):
            return
        node = self._trie
        for token in tokens:
            node = node.children.setdefault(token, _Node())
        current = node.entry
        if current is None or ORIGIN_RANK.get(origin, 9) < ORIGIN_RANK.get(current.origin, 9):
            node.entry = _Entry(name, codes, origin)

    @staticmethod
    def _too_common(token: str) -> bool:
        return token.isdigit() or len(token) < 3 or zipf_frequency(token, "en") >= _COMMON_SINGLE_WORD_ZIPF

    def vocabulary(self) -> Iterator[str]:
        """Every word of every condition name and variant the recogniser knows (for spelling)."""
        stack = [self._trie]
        while stack:
            node = stack.pop()
            yield from node.children
            stack.extend(node.children.values())

    def recognize(self, text: str, exclude: Sequence[tuple[int, int]] = ()) -> list[ConditionMention]:
        """Conditions in ``text`` (most specific first); ``exclude`` holds char spans to skip."""
        spans = [
            (m.group().lower(), m.start(), m.end())
            for m in _TOKEN.finditer(text)
            if not any(s <= m.start() < e for s, e in exclude)
        ]
        found: list[tuple[int, ConditionMention]] = []
        i = 0
        while i < len(spans):
            hit = self._longest_from(spans, i)
            if hit is None:
                i += 1
                continue
            length, entry = hit
            surface = text[spans[i][1] : spans[i + length - 1][2]]
            found.append((length, ConditionMention(entry.name, surface, entry.origin, entry.codes)))
            i += length
        found.sort(key=lambda item: -item[0])  # stable: text order among equal lengths
        unique: dict[str, ConditionMention] = {}
        for _, mention in found:
            unique.setdefault(mention.name, mention)
        return list(unique.values())

    def _longest_from(self, spans: list[tuple[str, int, int]], i: int) -> tuple[int, _Entry] | None:
        best: tuple[int, _Entry] | None = None
        frontier = [self._trie]
        for j in range(i, len(spans)):
            token = spans[j][0]
            if j > i and spans[j][1] - spans[j - 1][2] > 2:
                break  # a gap (excluded drug, punctuation run) ends the phrase
            nxt = [
                node.children[form]
                for node in frontier
                for form in (token, _singular(token))
                if form and form in node.children
            ]
            if not nxt:
                break
            frontier = nxt
            ended = next((node.entry for node in frontier if node.entry is not None), None)
            if ended is not None:
                best = (j - i + 1, ended)
        return best
