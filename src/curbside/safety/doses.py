"""Doses and frequencies stated in the answer, checked against label dosing text.

For each statement that states a dose ("50 mg once daily"), the dosing text is the
Dosage and Administration passages of the labels the statement cites; when it cites none
with such a section, of labels for drugs the statement names. Then:

* a dose above the highest dose of the same unit in that text → ``major`` alert;
  below the lowest → ``minor`` (labels list starting doses, so low is rarely dangerous);
* a frequency the dosing text never states, when it states some → ``moderate``;
* no dosing text at all → ``info`` alert "not verified against a label".

Values are compared within a unit family after conversion (g/mg/mcg; mg/kg and mcg/kg;
mL; units) — a per-kg dose is never compared with a flat dose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curbside.domain.article import Alert, Article, Reference, Statement
from curbside.domain.documents import Document, Passage
from curbside.safety import severity as sev
from curbside.safety.labels import LabelIndex
from curbside.safety.references import DocumentCache, ReferenceBook

# A number not part of "300/10/25" combinations, an optional range, then a unit.
# Thousands may be grouped ("4,000 mg"): the whole number is the dose, never its last group.
_DOSE = re.compile(
    r"(?<![\w/.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?\s*"
    r"(mg/kg|mcg/kg|µg/kg|mg|mcg|µg|g|ml|units?|iu)(?![\w/])",
    re.IGNORECASE,
)
_FACTORS = {"mg": ("mg", 1.0), "mcg": ("mg", 0.001), "µg": ("mg", 0.001), "g": ("mg", 1000.0), "ml": ("ml", 1.0)}
_FACTORS |= {"mg/kg": ("mg/kg", 1.0), "mcg/kg": ("mg/kg", 0.001), "µg/kg": ("mg/kg", 0.001)}
_FACTORS |= {"unit": ("units", 1.0), "units": ("units", 1.0), "iu": ("units", 1.0)}
_FREQUENCIES: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            r"\b(once (a |per )?day|once daily|(?<!twice )(?<!times )daily|every day|qd|q24h|every 24 hours)\b", re.I
        ),
        1.0,
    ),
    (re.compile(r"\b(twice (a |per )?day|twice daily|bid|b\.i\.d\.|q12h|every 12 hours)\b", re.I), 2.0),
    (re.compile(r"\b(three times (a |per )?(day|daily)|tid|t\.i\.d\.|q8h|every 8 hours)\b", re.I), 3.0),
    (re.compile(r"\b(four times (a |per )?(day|daily)|qid|q\.i\.d\.|q6h|every 6 hours)\b", re.I), 4.0),
    (re.compile(r"\b(once (a |per )?week|weekly)\b", re.I), 1 / 7),
)
_DOSING_HEADING = re.compile(r"dosage|dosing|administration|recommended dose", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Dose:
    """A stated dose: the phrase as written, its unit family and value range in that unit."""

    phrase: str
    unit: str
    low: float
    high: float


def parse_doses(text: str) -> list[Dose]:
    """Every dose in ``text``; ranges keep both ends ("5 to 20 mg" → 5–20 mg)."""
    doses = []
    for match in _DOSE.finditer(text):
        # str.lower() maps the micro sign (U+00B5) to Greek mu (U+03BC); fold both to one key.
        unit, factor = _FACTORS[match[3].lower().replace("\u03bc", "\u00b5")]
        low = float(match[1].replace(",", "")) * factor
        high = float(match[2].replace(",", "")) * factor if match[2] else low
        doses.append(Dose(match[0], unit, min(low, high), max(low, high)))
    return doses


def parse_frequencies(text: str) -> set[float]:
    """Administrations per day stated in ``text``."""
    return {per_day for pattern, per_day in _FREQUENCIES if pattern.search(text)}


def dosing_passages(document: Document) -> list[Passage]:
    """The label's Dosage and Administration passages (any heading level naming dosing)."""
    return [p for p in document.passages if any(_DOSING_HEADING.search(h) for h in p.heading_path)]


def check_doses(article: Article, labels: LabelIndex, documents: DocumentCache, book: ReferenceBook) -> list[Alert]:
    """Dose alerts for every statement of ``article`` that states a dose."""
    by_number = {ref.n: ref for ref in article.references}
    statements = [article.bottom_line] if article.bottom_line else []
    statements += [s for section in article.sections for s in section.statements]
    alerts: list[Alert] = []
    for statement in statements:
        doses = parse_doses(statement.text)
        if doses:
            passages = _label_dosing(statement, by_number, labels, documents)
            if not passages and _quotes_a_drug_reference(statement, by_number):
                continue  # a textbook dosing row is itself the dosing text; "not verified" would mislead
            alerts += _check_statement(statement, doses, passages, book)
    return list({a.text: a for a in alerts}.values())


def _label_dosing(
    statement: Statement, by_number: dict[int, Reference], labels: LabelIndex, documents: DocumentCache
) -> list[tuple[Document, Passage]]:
    """Dosing passages of the cited labels, else of labels for drugs the statement names."""
    cited = [
        by_number[n].source_id for n in statement.citations if n in by_number and by_number[n].kind == "drug_label"
    ]
    candidates = list(dict.fromkeys(cited))
    if not any(_has_dosing(documents.get(s)) for s in candidates):
        candidates = list(dict.fromkeys(s for name in labels.named_in(statement.text) for s in labels.labels_for(name)))
    found = []
    for source_id in candidates:
        document = documents.get(source_id)
        if document is not None:
            found += [(document, p) for p in dosing_passages(document)]
    return found


def _quotes_a_drug_reference(statement: Statement, by_number: dict[int, Reference]) -> bool:
    return any(n in by_number and by_number[n].kind == "textbook" for n in statement.citations)


def _has_dosing(document: Document | None) -> bool:
    return document is not None and bool(dosing_passages(document))


def _check_statement(
    statement: Statement, doses: list[Dose], passages: list[tuple[Document, Passage]], book: ReferenceBook
) -> list[Alert]:
    phrases = ", ".join(f"'{d.phrase}'" for d in doses)
    if not passages:
        return [
            Alert(
                kind="dose",
                severity=sev.INFO,
                text=f"Dose not verified against a drug label: {phrases} (no Dosage and Administration text found).",
                citations=statement.citations,
            )
        ]
    alerts = [a for dose in doses if (a := _compare(dose, passages, book)) is not None]
    alert = _check_frequency(statement, passages, book)
    return alerts + ([alert] if alert else [])


def _check_frequency(
    statement: Statement, passages: list[tuple[Document, Passage]], book: ReferenceBook
) -> Alert | None:
    """Alert when the statement's frequency is none of those the dosing text states."""
    stated = parse_frequencies(statement.text)
    with_freq = [(doc, p, parse_frequencies(p.text)) for doc, p in passages]
    with_freq = [item for item in with_freq if item[2]]
    if not stated or not with_freq or any(stated & freqs for _, _, freqs in with_freq):
        return None
    document, passage, _ = with_freq[0]
    return Alert(
        kind="dose",
        severity=sev.MODERATE,
        text=f"Dosing frequency in the answer is not one the {document.title} label's dosing text states.",
        citations=(book.cite_passage(document, passage),),
        action=_first_frequency_sentence(passage.text),
    )


def _compare(dose: Dose, passages: list[tuple[Document, Passage]], book: ReferenceBook) -> Alert | None:
    """Alert when ``dose`` falls outside the same-unit doses of the dosing text (None inside/unknown)."""
    stated = [(d, doc, p) for doc, p in passages for d in parse_doses(p.text) if d.unit == dose.unit]
    if not stated:
        return Alert(
            kind="dose",
            severity=sev.INFO,
            text=f"Dose '{dose.phrase}' not verified: the label dosing text states no dose in {dose.unit}.",
        )
    top = max(stated, key=lambda item: item[0].high)
    bottom = min(stated, key=lambda item: item[0].low)
    if dose.high > top[0].high:
        item, level, where = top, sev.MAJOR, f"above the highest dose in the label's dosing text ({top[0].phrase})"
    elif dose.low < bottom[0].low:
        item, level, where = bottom, sev.MINOR, f"below the lowest dose in the label's dosing text ({bottom[0].phrase})"
    else:
        return None
    _, document, passage = item
    return Alert(
        kind="dose",
        severity=level,
        text=f"Dose '{dose.phrase}' is {where}, {document.title}.",
        citations=(book.cite_passage(document, passage),),
        action=_sentence_containing(passage.text, item[0].phrase),
    )


def _sentence_containing(text: str, phrase: str) -> str | None:
    """The label's own sentence stating ``phrase`` — the "what to do" comes from the source."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if phrase in sentence:
            return sentence.strip()
    return None


def _first_frequency_sentence(text: str) -> str | None:
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if parse_frequencies(sentence):
            return sentence.strip()
    return None
