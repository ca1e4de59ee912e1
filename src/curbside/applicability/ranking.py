"""Ranking-time applicability: is a source about the question's condition, drug and population?

This is the cheap, metadata-first test retrieval uses to *rank and filter* candidates; the
verifier re-checks every cited statement with ``curbside.applicability.checker``. Both read
population words from ``curbside.applicability.population``. A source about another condition
is not evidence, however well its words match.
"""

from __future__ import annotations

import re

from curbside.applicability.population import population_words
from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.evidence import Applicability
from curbside.domain.question import AgeGroup, Intent, UnderstoodQuestion

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no topic in condition names ("disease", "disorder" …) are ignored when
# comparing names token-by-token, so "anxiety" ~ "generalized anxiety disorder".
_GENERIC = frozenset(
    [
        "disease",
        "diseases",
        "disorder",
        "disorders",
        "syndrome",
        "syndromes",
        "condition",
        "conditions",
        "of",
        "the",
        "and",
        "in",
        "with",
        "type",
        "acute",
        "chronic",
        "adult",
        "adults",
        "child",
        "children",
    ]
)
DRUG_INTENTS = frozenset({Intent.DOSING, Intent.INTERACTION, Intent.ADVERSE_EFFECTS, Intent.CONTRAINDICATION})
_YOUNG = {AgeGroup.INFANT, AgeGroup.CHILD, AgeGroup.ADOLESCENT}


_QUALIFIERS = re.compile(r"\([^)]*\)|,.*$")


def core_name(name: str) -> str:
    """A condition name without parenthetical acronyms or trailing qualifiers
    ("Chronic obstructive pulmonary disease, unspecified" → "Chronic obstructive pulmonary disease")."""
    return _QUALIFIERS.sub("", name).strip() or name


# Noun and adjective forms of one condition word meet ("major depression" ~ "major depressive
# disorder", "hypertension" ~ "hypertensive"); a stem keeps at least four letters.
_SUFFIXES = ("ions", "ives", "ion", "ive", "ics", "ic", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def topic_tokens(name: str) -> frozenset[str]:
    return frozenset(_stem(t) for t in _WORD.findall(name.lower()) if t not in _GENERIC and len(t) > 1)


def names_match(a: str, b: str) -> bool:
    """Same topic: one name's topic words are contained in the other's ("asthma" ~ "asthma in children")."""
    ta, tb = topic_tokens(core_name(a)), topic_tokens(core_name(b))
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _document_topics(document: Document) -> list[str]:
    topics = [*document.conditions, document.title]
    focus = document.metadata.get("focus")
    if isinstance(focus, str):
        topics.append(focus)
    return topics


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name.lower())}s?\b", text.lower()) is not None


def drug_terms(question: UnderstoodQuestion) -> list[str]:
    """Every name that counts as "the question's drug": names, surfaces, class members."""
    terms: list[str] = []
    for drug in question.drugs:
        terms += [drug.name, drug.surface, *drug.members]
    return [t for t in dict.fromkeys(t.lower() for t in terms if t and len(t) > 2)]


def _condition_match(question: UnderstoodQuestion, document: Document, passage: Passage) -> tuple[str, ...]:
    codes = set(document.metadata.get("cuis") or ())
    matched = []
    for condition in question.conditions:
        if codes & set(condition.codes) or any(names_match(condition.name, t) for t in _document_topics(document)):
            matched.append(condition.name)
        elif document.kind != DocumentKind.PATIENT_INFORMATION and _mentions(passage.text, condition.name):
            # A guideline or label passage that names the condition itself speaks to it even when
            # the document's headline topic is broader (e.g. a depression passage in a PTSD guideline).
            matched.append(condition.name)
    return tuple(matched)


def _label_is_for(document: Document, term: str) -> bool:
    """A label is *for* a drug when one of its own drug names is, or contains, the term."""
    return any(term == d.lower() or term in d.lower().split() for d in document.drugs)


def _drug_match(question: UnderstoodQuestion, document: Document, passage: Passage) -> tuple[str, ...]:
    terms = drug_terms(question)
    if document.kind == DocumentKind.DRUG_LABEL and question.intent != Intent.INTERACTION:
        # A label speaks for its own drug. Other drugs it names are interaction partners:
        # evidence only when the question asks about the interaction.
        return tuple(t for t in terms if _label_is_for(document, t))
    haystack = f"{document.title} {passage.section} {passage.text}"
    return tuple(t for t in terms if _label_is_for(document, t) or _mentions(haystack, t))


def _population_conflict(question: UnderstoodQuestion, document: Document, passage: Passage) -> str | None:
    group = question.age_group
    if group is None and question.pregnant:
        group = AgeGroup.ADULT  # a pregnancy question is not about infants or children
    if group is None:
        return None
    population = " ".join(filter(None, [document.population, passage.text if passage.grade else None]))
    if not population:
        return None
    words = population_words()
    if question.pregnant and words.pregnancy.search(population):
        return None  # the source addresses pregnancy itself, whatever ages it also names
    says_child, says_adult = bool(words.young.search(population)), bool(words.adult.search(population))
    if group in _YOUNG and says_adult and not says_child:
        return f"source population is adults; question is about a {group.value}"
    if group not in _YOUNG and says_child and not says_adult:
        who = "a pregnant patient" if question.pregnant else f"an {group.value.replace('_', ' ')}"
        return f"source population is children/adolescents; question is about {who}"
    return None


def assess(question: UnderstoodQuestion, document: Document, passage: Passage) -> Applicability:
    """Decide whether a passage's source applies to the question (see module docstring)."""
    conflict = _population_conflict(question, document, passage)
    if conflict:
        return Applicability(False, conflict)
    conditions = _condition_match(question, document, passage)
    drugs = _drug_match(question, document, passage)
    if question.conditions and not conditions:
        if drugs and question.intent in DRUG_INTENTS:
            return Applicability(True, "about the question's drug", drugs)
        topic = ", ".join(document.conditions[:2]) or document.title
        return Applicability(
            False, f"source is about {topic}; question is about {', '.join(c.name for c in question.conditions)}"
        )
    if question.conditions:
        return Applicability(True, "same condition", conditions + drugs)
    if question.drugs and not drugs:
        return Applicability(False, f"source does not concern {', '.join(d.name for d in question.drugs)}")
    if question.drugs:
        return Applicability(True, "about the question's drug", drugs)
    return _topic_in_question(question, document)


def _topic_in_question(question: UnderstoodQuestion, document: Document) -> Applicability:
    """With no recognised entity, a source applies only if the question names its topic:
    at least half of the topic words of its title, focus or a condition appear in the question."""
    asked = topic_tokens(question.search_text) | {t.rstrip("s") for t in topic_tokens(question.search_text)}
    for topic in _document_topics(document):
        words = topic_tokens(topic)
        shared = {w for w in words if w in asked or w.rstrip("s") in asked}
        if words and len(shared) * 2 >= len(words):
            return Applicability(True, "the question names the source's topic", (topic,))
    return Applicability(False, f"source is about {document.title}; the question does not mention it")
