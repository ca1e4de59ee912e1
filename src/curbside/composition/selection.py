"""Which quoted sentences may answer the question, and which one answers it most directly.

These are reading rules, not medical content: a statement must read as a sentence (it has a
verb), must come from a source about the question's condition, and must not offer again what
the question says already failed. For "what next" questions the statements that speak to
non-response (switch, add, refer, "has not responded") answer the question; a graded
recommendation outranks an ungraded one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from curbside.composition.sections import DOSE
from curbside.domain.documents import DocumentKind, PassageRecord
from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.language.stop_words import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
# A recommendation or a fact has a finite verb; a table cell ("Selective serotonin reuptake
# inhibitor (except fluvoxamine) (SSRIs)") or a heading has none. Auxiliaries, modals and the
# verbs guidelines recommend with, plus regular past/3rd-person forms.
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|should|shall|may|might|can|could|must|"
    r"will|would|recommends?|suggests?|offers?|considers?|use|uses|give|gives|start|starts|avoid|avoids|"
    r"reduces?|increases?|causes?|occurs?|appears?|helps?|includes?|requires?|needs?|seems?|lowers?|"
    r"treats?|prevents?|affects?|results?|leads?|works?|makes?|takes?|stop|continue|monitor|screen|"
    r"refer|switch|add|titrate|discontinue|assess|evaluate|measure|check|provide|ensure|inform|tell|"
    r"\w{3,}ed)\b",
    re.I,
)
# Words of non-response and of what to do about it: the question "what next after A failed" is
# answered by the statement that speaks to that situation.
_NEXT_STEP = re.compile(
    r"\b(?:not (?:responded|respond|improved?)|no (?:or (?:a )?partial )?response|partial(?:ly)? respon\w*|"
    r"inadequate(?:ly)? respon\w*|insufficient response|non-?respon\w*|treatment[- ]resistant|refractory|"
    r"switch\w*|augment\w*|add(?:ing|ed)?|alternative|second[- ]line|next step|refer\w*|"
    r"if (?:the )?(?:person|patient)\w*'?s? (?:symptoms|condition)|has not|have not|did not|does not respond)\b",
    re.I,
)
_FAILED_CLAUSE = re.compile(
    r"\b(?:not (?:responded|respond)|no response|partial(?:ly)? respon\w*|inadequate(?:ly)? respon\w*|"
    r"failed|after|despite|has not|have not|did not)\b",
    re.I,
)
# Generic words of condition names say nothing about which condition a source is about.
_GENERIC = frozenset(
    {
        "disorder",
        "disorders",
        "disease",
        "diseases",
        "syndrome",
        "chronic",
        "acute",
        "adult",
        "adults",
        "patients",
        "management",
        "treatment",
        "unspecified",
        "type",
        "other",
        "major",
    }
)
STEM = 5


def has_verb(text: str) -> bool:
    return _VERB.search(text) is not None


def stems(text: str) -> set[str]:
    """Five-letter stems of a text's content words ("depressive" ~ "depression")."""
    return {
        w[:STEM]
        for w in _WORD.findall(text.lower())
        if len(w) > 3 and w not in ENGLISH_STOP_WORDS and w not in _GENERIC
    }


def condition_stems(question: UnderstoodQuestion) -> list[set[str]]:
    return [s for s in (stems(c.name) | stems(c.surface) for c in question.conditions) if s]


def about_condition(record: PassageRecord, wanted: Iterable[set[str]]) -> bool:
    """True when a guideline or patient page is about one of the question's conditions (its
    title or its listed conditions share a stem); labels and lists are about drugs: always True."""
    wanted = list(wanted)
    document = record.document
    if not wanted or document.kind in (DocumentKind.DRUG_LABEL, DocumentKind.INTERACTION_LIST):
        return True
    # The title and the first listed condition say what a document is about; the rest of a long
    # condition list ("anxiety" among the symptoms of the dying) does not.
    topic = stems(" ".join((document.title, *document.conditions[:1], record.passage.question or "")))
    return any(w & topic for w in wanted)


#: A textbook's drug row names its drug first ("Sertraline (Zoloft) — Routes and Dosage Ranges: …").
ROW_HEAD_CHARS = 80


def drug_row_of_asked_drug(record: PassageRecord, question: UnderstoodQuestion) -> bool:
    """A textbook passage headed by one of the question's drugs (its dosing or prototype row) is
    about that drug, whatever condition the chapter is filed under — like a label."""
    if record.document.kind != DocumentKind.TEXTBOOK:
        return False
    last_heading = record.passage.heading_path[-1] if record.passage.heading_path else ""
    head = f"{last_heading} {record.passage.text[:ROW_HEAD_CHARS]}".lower()
    names = {t.lower() for d in question.drugs if not d.is_class for t in (d.name, d.surface) if t}
    return any(re.search(rf"\b{re.escape(name)}\b", head) for name in names)


def label_of_another_drug(record: PassageRecord, question: UnderstoodQuestion) -> bool:
    """A drug label speaks for its own drug: the diltiazem label's "buspirone levels rise with
    diltiazem" is no answer about buspirone for a patient who takes no diltiazem."""
    document = record.document
    if document.kind != DocumentKind.DRUG_LABEL or not document.drugs:
        return False
    asked = {t.lower() for d in question.drugs for t in (d.name, d.surface, *d.members) if t}
    own = {t.lower() for t in document.drugs}
    return not any(a == o or a in o.split() or o in a.split() for a in asked for o in own)


def exactly_about(record: PassageRecord, question: UnderstoodQuestion) -> bool:
    """The source names the first condition as asked (every stem of it), not a relative of it."""
    wanted = condition_stems(question)[:1]
    document = record.document
    if not wanted or document.kind in (DocumentKind.DRUG_LABEL, DocumentKind.INTERACTION_LIST):
        return True
    topic = stems(" ".join((document.title, *document.conditions, record.passage.question or "")))
    return wanted[0] <= topic


def failed_patterns(question: UnderstoodQuestion) -> list[re.Pattern[str]]:
    """Word patterns for every name of what already failed (class names, members, the
    question's own wording), singular or plural."""
    terms: set[str] = set()
    for drug in question.failed_medications:
        terms |= {t.lower() for t in (drug.name, drug.surface, *drug.members) if t and len(t) > 2}
    return [re.compile(rf"\b{re.escape(t.rstrip('s'))}s?\b", re.I) for t in sorted(terms)]


def offers_failed(text: str, patterns: list[re.Pattern[str]]) -> bool:
    """The statement names something that already failed, other than as the situation it
    addresses ("if the patient has not responded to an SSRI …")."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 60) : match.start()]
            if not _FAILED_CLAUSE.search(before):
                return True
    return False


def names_situation(text: str, patterns: list[re.Pattern[str]]) -> bool:
    """The statement's non-response clause names what already failed ("for adults whose
    symptoms have not responded to an SSRI, …"): it is written for this patient's situation."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            if _FAILED_CLAUSE.search(text[max(0, match.start() - 60) : match.start()]):
                return True
    return False


# Partial response and no response are different situations with different next steps
# ("add CBT to the SSRI" vs "switch to an SNRI"); a question says which one it is in.
_PARTIAL = re.compile(
    r"\b(?:partial(?:ly)?|partly|some (?:benefit|improvement|response|effect)|somewhat (?:better|improved)|"
    r"helped (?:a (?:bit|little)|somewhat)|only (?:a )?little better|residual)\b",
    re.I,
)
_NO_RESPONSE = re.compile(
    r"\b(?:not (?:responded|respond|improved?|helped|worked|tolerate)|no (?:response|improvement|benefit)|"
    r"non-?respon\w*|failed|failure|did(?:n't| not) (?:work|help|respond)|cannot tolerate|intolerant|"
    r"ineffective|refractory|(?:treatment|drug)[- ]resistant|worse)\b",
    re.I,
)


def response_kind(text: str) -> str | None:
    """ "partial" or "none" when a text speaks of partial response or of none (partial wins:
    "has only partially responded" also says "responded"), else None."""
    if _PARTIAL.search(text):
        return "partial"
    return "none" if _NO_RESPONSE.search(text) else None


def same_situation(statement: str, question: str) -> bool:
    """The statement's response situation is the one the question describes."""
    wanted = response_kind(question)
    return wanted is not None and response_kind(statement) == wanted


def answers_next_step(text: str) -> bool:
    return _NEXT_STEP.search(text) is not None


_MAXIMUM = re.compile(r"\b(?:maximum|max(?:imal)?|not (?:to )?exceed|up to|no more than|per day|daily dose)\b", re.I)
_SCREEN = re.compile(r"\bscreen\w*", re.I)


_ASKS_MAXIMUM = re.compile(
    r"\b(?:max(?:imum)?|most|highest|upper limit|limit|too much|how much (?:can|is safe)|safe amount)\b", re.I
)
_STATES_MAXIMUM = re.compile(
    r"\bmaximum (?:recommended )?(?:total )?(?:daily )?(?:dose|dosage)\b|\b(?:up )?to a maximum of\b"
    r"|\bnot (?:to )?exceed\b|\bno more than\b",
    re.I,
)
_ASKS_START = re.compile(r"\b(?:start(?:ing)?|initial|usual|typical|normal|standard|recommended) dos(?:e|age)\b", re.I)
_STATES_START = re.compile(r"\b(?:initial|starting|usual|recommended) (?:adult )?dos(?:e|age)\b|\binitially\b", re.I)


def directness(text: str, intent: Intent, question_text: str = "") -> int:
    """How directly a statement speaks to the intent's situation (higher first): non-response
    for "what next", a dose with its maximum for dosing (a stated maximum first when the question
    asks for one, a starting dose when it asks how to start), screening for screening."""
    if intent == Intent.NEXT_STEP:
        return int(answers_next_step(text))
    if intent == Intent.DOSING:
        score = 2 * bool(DOSE.search(text)) + bool(_MAXIMUM.search(text))
        if _ASKS_MAXIMUM.search(question_text):
            score += 2 * bool(_STATES_MAXIMUM.search(text))
        if _ASKS_START.search(question_text):
            score += 2 * bool(_STATES_START.search(text))
        return score
    if intent == Intent.SCREENING:
        return int(bool(_SCREEN.search(text)))
    return 0


_QUESTION_AGE = re.compile(r"\b(\d{1,3})[- ]?(?:years?[- ]old|y/?o\b|yo\b|-year-old|year old)", re.I)
_RANGE = re.compile(r"\b(\d{1,3})\s*(?:to|–|-|through|and)\s*(\d{1,3})\s*(?:years|yrs)?", re.I)
_OLDER = re.compile(r"\b(\d{1,3})\s*(?:years)?\s*(?:and|or)\s*(?:older|over|above)\b", re.I)
_YOUNGER = re.compile(r"\b(?:younger than|under|less than)\s*(\d{1,3})\b", re.I)


def question_age(text: str) -> int | None:
    """The patient's age in years when the question states it ("a 55-year-old man")."""
    match = _QUESTION_AGE.search(text)
    return int(match.group(1)) if match and 0 < int(match.group(1)) < 120 else None


def age_fit(text: str, age: int | None) -> int:
    """+1 when the statement's age group includes the patient, -1 when it names another group,
    0 when it names none (or the age is unknown)."""
    if age is None:
        return 0
    groups = [(int(a), int(b)) for a, b in _RANGE.findall(text) if 0 < int(a) < int(b) < 120]
    groups += [(int(a), 120) for a in _OLDER.findall(text)]
    groups += [(0, int(b) - 1) for b in _YOUNGER.findall(text)]
    if not groups:
        return 0
    return 1 if any(low <= age <= high for low, high in groups) else -1


def pair_groups(question: UnderstoodQuestion) -> list[tuple[str, ...]]:
    """For an interaction question, the names each asked drug (or class) goes by in a source:
    its name, the words the question used and, for a class, its members."""
    groups: dict[str, tuple[str, ...]] = {}
    for drug in (*question.current_medications, *question.drugs):
        if drug.name not in groups:
            names = {drug.name.lower(), drug.surface.lower(), *(m.lower() for m in drug.members)}
            groups[drug.name] = tuple(sorted(n for n in names if len(n) > 2))
    return list(groups.values())


def names_pair(text: str, groups: list[tuple[str, ...]]) -> bool:
    """The statement names at least two of the asked drugs (so it can speak to combining them)."""
    lowered = text.lower()
    named = sum(any(re.search(rf"\b{re.escape(name)}", lowered) for name in group) for group in groups)
    return named >= 2
