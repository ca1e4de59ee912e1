"""Personalisation: the same evidence, worded and ordered for the reader.

Rewording changes words, never evidence. Every reworded statement keeps its citations and
verdict, ``original_text`` keeps the source-faithful text, and every number in the original
survives (a rewording that would lose one falls back to the original sentence). Only the
patient view changes wording; the professional views only reorder sections.

Example::

    plain = PlainLanguage(store.glossary(), protected=("sertraline",))
    patient_article = reword(article, Audience.PATIENT, plain)
    readability(patient_article)  # Flesch–Kincaid grade of what the reader sees first
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import textstat

from curbside.domain.article import Article, Audience, Section, Statement
from curbside.domain.documents import GlossaryEntry

# CDC's thesaurus gives substitutes; NCI gives definitions, usable only when short.
GLOSSARY_PRIORITY = (
    "CDC Plain Language Thesaurus",
    "NCI Dictionary of Cancer Terms",
    "NCI Dictionary of Genetics Terms",
)
MAX_DEFINITION_WORDS = 4
MAX_SUBSTITUTE_WORDS = 3
_ADJECTIVE_ENDING = re.compile(r"(?:ic|al|ous|ive|ary|ory|ible|able|ular)$")
_NOUN_ENDING = re.compile(r"(?:tion|sion|ment|ure|ance|ence|ity|ness|ism|ist|ogy)$")
# Where an ambiguous substitute would read as a noun ("the effect of", "effects"), a verb sense
# ("make") would garble the sentence: such slots keep the source's word.
_NOUN_SLOT_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|of|any|no|these|those|this|that)\s+$", re.I)
_NOUN_SLOT_AFTER = re.compile(r"^\s+of\b", re.I)
# Substitutes are marked while the sentence is rebuilt, so only an article right before one is re-agreed.
_MARK, _END = "\x01", "\x02"
_A_BEFORE_VOWEL = re.compile(rf"\b([Aa]) (?={_MARK}[aeiouAEIOU])")
_AN_BEFORE_CONSONANT = re.compile(rf"\b([Aa])n (?={_MARK}[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z])")
LONG_SENTENCE_WORDS = 20

# Titration and monitoring detail is for the prescriber; patients get a pointer, and the cited
# statements stay one click away (collapsed), so nothing is hidden from them.
COLLAPSED_FOR_PATIENTS = {
    "dosing": "Your clinician will decide the dose and how to check on your treatment — ask them.",
    "monitoring": "Your clinician will decide how to check on your treatment and when — ask them.",
}

# Role-appropriate emphasis: these section kinds come first, the rest keep composer order.
SECTION_PRIORITY: dict[Audience, tuple[str, ...]] = {
    Audience.CLINICIAN: (),
    Audience.PHARMACIST: ("safety", "avoid", "interaction", "management", "dosing", "adverse", "monitoring"),
    Audience.NURSE: ("safety", "avoid", "monitoring", "adverse", "dosing"),
    Audience.STUDENT: ("overview", "background", "causes", "genetics", "symptoms", "diagnosis"),
    Audience.PATIENT: ("education", "overview", "symptoms", "options", "who", "safety", "avoid", "adverse", "outlook"),
}
_DEMOTED_FOR_PATIENTS = tuple(COLLAPSED_FOR_PATIENTS)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Doses, ranges and counts with their unit: never reworded ("2 tablets" stays "2 tablets").
_QUANTITY = re.compile(
    r"\d[\d.,]*(?:\s*(?:–|-|to)\s*\d[\d.,]*)?\s*(?:%|[a-zµμ]{1,6}(?:/[a-zµμ]{1,6})?\b)?", re.IGNORECASE
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
# Adjective glosses ("renal" → "related to the kidney") read as a noun before another noun:
# "renal effects" → "kidney effects", not "related to the kidney effects".
_RELATED_TO = re.compile(r"^(?:related to|having to do with|of)\s+(?:the\s+)?", re.IGNORECASE)
_WORD_CHARS = r"[\w\-’']"


def plain_alternative(entry: GlossaryEntry) -> str | None:
    """The substitute a glossary offers for its term, or None when it only defines it."""
    plain = " ".join(entry.plain.split())
    if not plain:
        return None
    if entry.glossary.startswith("CDC"):
        first = plain.split(";")[0].split(",")[0].strip()
        # Several alternatives ("make, result"; "stop, bar, avoid") are several senses and parts of
        # speech: the first stands in only when it has the term's shape (adjective for adjective,
        # noun for noun); "prevention" → "stop" or "clinical" → "work" would garble the sentence.
        if re.search(r"[,;]", plain) and _shape(entry.term.strip().lower()) != _shape(_RELATED_TO.sub("", first)):
            return None
    else:
        first = plain.rstrip(".").strip()
        # An NCI definition of a drug or a long gloss is not a substitute for the word.
        if len(first.split()) > MAX_DEFINITION_WORDS or re.match(r"(?:a|an)\s+drug\b", first, re.IGNORECASE):
            return None
        # A definition starts like a sentence; mid-sentence it must not ("Deficiency" → "deficiency").
        if first[:2].istitle():
            first = first[0].lower() + first[1:]
    first = _ARTICLE.sub("", _RELATED_TO.sub("", re.sub(r"\s*\([^)]*\)", "", first))).strip()
    if not first or first.lower() == entry.term.strip().lower() or any(c.isdigit() for c in first):
        return None
    if not keeps_grammar(entry.term.strip().lower(), first):
        return None
    return first


def _shape(word: str) -> str:
    last = word.split()[-1] if word.split() else word
    if _ADJECTIVE_ENDING.search(last):
        return "adjective"
    if _NOUN_ENDING.search(last):
        return "noun"
    return "plain"


def is_ambiguous(entry: GlossaryEntry) -> bool:
    """A thesaurus entry offering several alternatives: its first one fits only some uses."""
    return entry.glossary.startswith("CDC") and bool(re.search(r"[,;]", entry.plain))


def keeps_grammar(term: str, plain: str) -> bool:
    """Whether ``plain`` can stand where ``term`` stood without breaking the sentence or its
    meaning: not a cross-reference ("see ionizing radiation"), no negation the term lacks
    ("avoid" → "do not" would need the sentence rebuilt), and an adjective replaced by a word of
    the same shape (one word), never by a noun phrase."""
    words = plain.lower().split()
    if words[0] in ("see", "also") or re.search(r"\b(?:not|no|never)\b", plain, re.I):
        return False
    return not (_ADJECTIVE_ENDING.search(term) and " " not in term and len(words) > 1)


class PlainLanguage:
    """A compiled term → plain-word table (build once; ``simplify`` is a single regex pass).

    Whole words only, longest term first, case preserved; acronyms (all capitals), numbers
    with their units, and ``protected`` names (drugs) are never replaced.
    """

    def __init__(self, entries: Iterable[GlossaryEntry], protected: Iterable[str] = ()) -> None:
        rank = {name: i for i, name in enumerate(GLOSSARY_PRIORITY)}
        ordered = sorted(entries, key=lambda e: rank.get(e.glossary, len(rank)))
        self.table: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        for entry in ordered:
            term = " ".join(entry.term.split()).lower()
            plain = plain_alternative(entry) if term else None
            if plain and term not in self.table and not entry.term.strip()[:1].isupper():
                self.table[term] = plain
                if is_ambiguous(entry) and _shape(term) == "plain":
                    self.ambiguous.add(term)
        self.protected = tuple(sorted({p.lower() for p in protected if p.strip()}, key=len, reverse=True))
        terms = sorted(self.table, key=len, reverse=True)
        self._pattern = (
            re.compile(rf"(?<!{_WORD_CHARS})({'|'.join(map(re.escape, terms))})(s?)(?!{_WORD_CHARS})", re.IGNORECASE)
            if terms
            else None
        )

    def with_protected(self, names: Iterable[str]) -> PlainLanguage:
        """The same table, also protecting ``names`` (e.g. an article's drugs)."""
        clone = object.__new__(PlainLanguage)
        clone.table, clone._pattern, clone.ambiguous = self.table, self._pattern, self.ambiguous
        clone.protected = tuple(
            sorted({*self.protected, *(n.lower() for n in names if n.strip())}, key=len, reverse=True)
        )
        return clone

    def _protected_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [(m.start(), m.end()) for m in _QUANTITY.finditer(text)]
        lowered = text.lower()
        for name in self.protected:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(name), lowered))
        return spans

    def simplify(self, text: str) -> str:
        """Replace technical terms by plain ones; the text is unchanged where nothing applies."""
        if self._pattern is None:
            return text
        spans = self._protected_spans(text)

        def replace(match: re.Match[str]) -> str:
            word, term, plural = match.group(), match.group(1), match.group(2)
            if (word.isupper() and len(word) > 1) or any(s < match.end() and match.start() < e for s, e in spans):
                return word
            key = " ".join(term.split()).lower()
            plain = self.table[key]
            if (key in self.ambiguous and " " not in plain) and (
                plural
                or _NOUN_SLOT_BEFORE.search(text[: match.start()])
                or _NOUN_SLOT_AFTER.search(text[match.end() :])
            ):
                return word
            if plural:
                # Only a one-word substitute takes a plain "s" ("physicians" → "doctors").
                if " " in plain:
                    return word
                plain += "s"
            return _MARK + (plain[0].upper() + plain[1:] if word[0].isupper() else plain) + _END

        changed = self._pattern.sub(replace, text)
        # "a" / "an" agree with the substitute that now follows them ("a doctor", "an operation").
        changed = _A_BEFORE_VOWEL.sub(lambda m: m.group(1) + "n ", changed)
        changed = _AN_BEFORE_CONSONANT.sub(lambda m: m.group(1) + " ", changed)
        return changed.replace(_MARK, "").replace(_END, "")


def split_long_sentences(text: str) -> str:
    """Split sentences longer than LONG_SENTENCE_WORDS at semicolons (each part keeps its words)."""
    parts = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for sentence in parts:
        if len(sentence.split()) > LONG_SENTENCE_WORDS and "; " in sentence:
            pieces = [p.strip() for p in sentence.split("; ") if p.strip()]
            sentence = ". ".join(p[0].upper() + p[1:] for p in pieces)
        out.append(sentence)
    return " ".join(out)


def numbers_in(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(text))


def _reword_statement(statement: Statement, plain: PlainLanguage) -> Statement:
    original = statement.original_text or statement.text
    text = split_long_sentences(plain.simplify(original))
    if numbers_in(original) - numbers_in(text):
        text = original  # a number went missing: the source's wording is safer than a lossy one
    return statement.model_copy(update={"text": text, "original_text": original})


def order_sections(sections: Sequence[Section], audience: Audience) -> tuple[Section, ...]:
    """Sections with the audience's priority kinds first (stable otherwise)."""
    priority = SECTION_PRIORITY.get(audience, ())

    def key(item: tuple[int, Section]) -> tuple[int, int]:
        index, section = item
        if audience == Audience.PATIENT and section.kind in _DEMOTED_FOR_PATIENTS:
            return (len(priority) + 1, index)
        return (priority.index(section.kind) if section.kind in priority else len(priority), index)

    return tuple(section for _, section in sorted(enumerate(sections), key=key))


def reword(article: Article, audience: Audience, glossary_entries: Sequence[GlossaryEntry] | PlainLanguage) -> Article:
    """The article for ``audience``: patients get plain wording; everyone gets role ordering.

    Contract: citations, verdicts, references and alerts are untouched; each reworded
    statement's ``original_text`` is the source-faithful text and it contains every number
    the original did.
    """
    if audience != Audience.PATIENT:
        return article.model_copy(update={"audience": audience, "sections": order_sections(article.sections, audience)})
    plain = glossary_entries if isinstance(glossary_entries, PlainLanguage) else PlainLanguage(glossary_entries)
    u = article.understood
    plain = plain.with_protected([*u.drugs, *u.current_medications, *u.failed_medications])
    sections = tuple(
        section.model_copy(update={"statements": tuple(_reword_statement(s, plain) for s in section.statements)})
        for section in article.sections
    )
    bottom = _reword_statement(article.bottom_line, plain) if article.bottom_line else None
    return article.model_copy(
        update={"audience": audience, "bottom_line": bottom, "sections": order_sections(sections, audience)}
    )


def collapsed_summary(section: Section, audience: Audience) -> str | None:
    """For patients, the plain pointer shown instead of a detail section (None: shown in full)."""
    return COLLAPSED_FOR_PATIENTS.get(section.kind) if audience == Audience.PATIENT else None


def reader_text(article: Article) -> str:
    """What the reader reads first: bottom line and sections (collapsed ones by their summary)."""
    parts = [article.bottom_line.text] if article.bottom_line else []
    for section in article.sections:
        summary = collapsed_summary(section, article.audience)
        parts.extend([summary] if summary else [s.text for s in section.statements])
    return " ".join(p if p.rstrip().endswith((".", "!", "?")) else p + "." for p in parts)


def readability(article: Article) -> float | None:
    """Flesch–Kincaid grade of :func:`reader_text` (None when the article has no text)."""
    text = reader_text(article)
    if not text.strip():
        return None
    return round(float(textstat.flesch_kincaid_grade(text)), 1)
