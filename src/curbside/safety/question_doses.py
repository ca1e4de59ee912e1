"""Doses the question states, checked against a maximum the sources state for the drug.

"buspirone 30 mg eight times a day" is 240 mg/day; the check looks for the drug's stated
maximum daily dose (1) in the knowledge base — passages naming the drug with a maximum in one
of the forms :mod:`curbside.safety.stated_maxima` reads — and (2) in the
OpenStax *Pharmacology for Nurses* dosing tables (``safety/data/textbook_maxima.json``, generated
with provenance by ``scripts/build_safety_tables.py``) until the textbook is in the knowledge base.
The population line of the table that fits the patient (older adult, child, adult) is preferred.

A daily dose above the maximum → ``major`` dose alert quoting the maximum and its source; at
``overdose_multiple`` × the maximum or more (red-flag data) → also an emergency (possible
overdose). No maximum found → an ``info`` alert saying the dose could not be checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from curbside.domain.article import Alert
from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.question import AgeGroup, StatedDose, UnderstoodQuestion
from curbside.protocols import KnowledgeReader
from curbside.safety import severity as sev
from curbside.safety.passage_interactions import row_subject
from curbside.safety.references import ReferenceBook
from curbside.safety.resolver import normalise
from curbside.safety.stated_maxima import stated_maxima

_TO_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
SEARCH_LIMIT = 30
TEXTBOOK = Document(
    source_id="openstax:pharmacology-for-nurses",
    source="openstax",
    kind=DocumentKind.GUIDELINE,
    organization="OpenStax, Rice University",
    title="Pharmacology for Nurses",
    year=2024,
    url="https://openstax.org/details/books/pharmacology",
    licence="CC BY 4.0 (OpenStax, Rice University)",
)
_POPULATION_WORDS = {
    AgeGroup.OLDER_ADULT: ("older", "geriatric", "elderly"),
    AgeGroup.CHILD: ("child", "pediatric"),
    AgeGroup.ADOLESCENT: ("adolescent", "child", "pediatric"),
    AgeGroup.INFANT: ("infant", "neonat", "child"),
}


@dataclass(frozen=True, slots=True)
class StatedMaximum:
    """A maximum daily dose in mg as a source states it, with the sentence and where it stands."""

    mg_per_day: float
    quote: str
    document: Document
    passage: Passage | None
    population: str


def _to_mg(value: str, unit: str) -> float:
    return float(value.replace(",", "")) * _TO_MG[unit.lower()]


@lru_cache(maxsize=1)
def textbook_maxima() -> dict[str, list[dict[str, Any]]]:
    raw = json.loads(resources.files("curbside.safety").joinpath("data", "textbook_maxima.json").read_text("utf-8"))
    table: dict[str, list[dict[str, Any]]] = {}
    for row in raw.get("maxima", []):
        if row.get("per") == "day" and row.get("unit") in _TO_MG:
            table.setdefault(normalise(row["drug"]), []).append(row)
    return table


def _fits(population: str, age: AgeGroup | None) -> int:
    """2 when the population line names the patient's group, 1 for a plain adult line, 0 otherwise."""
    words = _POPULATION_WORDS.get(age, ()) if age else ()
    text = population.lower()
    if words and any(w in text for w in words):
        return 2
    return 1 if "adult" in text and not any(w in text for ws in _POPULATION_WORDS.values() for w in ws) else 0


class DoseMaxima:
    """Finds the stated maximum daily dose of a drug for a patient group."""

    def __init__(self, store: KnowledgeReader) -> None:
        self._store = store

    def maximum(self, drug: str, age: AgeGroup | None) -> StatedMaximum | None:
        found = self._from_store(drug) + self._from_textbook(drug)
        if not found:
            return None
        # Prefer the line for the patient's group, then the lowest stated maximum (the safer reading).
        return min(found, key=lambda m: (-_fits(m.population, age), m.mg_per_day))

    def _from_store(self, drug: str) -> list[StatedMaximum]:
        key = normalise(drug)
        out = []
        # The drug's own passages first (a dosing row ranks low on "maximum dose" words alone),
        # then passages about maximum doses that name it.
        ids = [h.passage_id for h in self._store.lexical_search(drug, limit=SEARCH_LIMIT)]
        ids += [h.passage_id for h in self._store.lexical_search(f"{drug} maximum dose mg per day", limit=SEARCH_LIMIT)]
        for record in self._store.passages(list(dict.fromkeys(ids))):
            text = record.passage.text
            # Whose maximum: a label about this drug alone, a dosing row headed by its name
            # ("Lurasidone (Latuda) — Routes and Dosage Ranges: …"), or a sentence naming it.
            only_this = {normalise(d) for d in record.document.drugs} == {key}
            row_head = f" {key} " in f" {row_subject(record.passage)} "
            for mention in stated_maxima(text):
                if not (only_this or row_head or f" {key} " in f" {normalise(mention.sentence)} "):
                    continue
                out.append(
                    StatedMaximum(
                        mention.mg_per_day, mention.sentence, record.document, record.passage, mention.population
                    )
                )
        return out

    @staticmethod
    def _from_textbook(drug: str) -> list[StatedMaximum]:
        rows = textbook_maxima().get(normalise(drug), [])
        return [
            StatedMaximum(
                _to_mg(str(r["value"]), r["unit"]),
                r["quote"],
                replace(TEXTBOOK, title=f"{TEXTBOOK.title} › {r['ref']}"),
                None,
                r["population"],
            )
            for r in rows
        ]


def _amount_mg(dose: StatedDose) -> float | None:
    factor = _TO_MG.get(dose.unit)
    return dose.amount * factor if factor is not None else None


def daily_totals(doses: tuple[StatedDose, ...]) -> list[tuple[str, float, str]]:
    """(drug, mg per day, words) for each stated regimen; a dose the question adds to the one
    before it ("… QID plus two 500 mg tablets at bedtime") joins that total."""
    totals: list[tuple[str, float, str]] = []
    last: dict[str, int] = {}
    for dose in doses:
        amount = _amount_mg(dose)
        if amount is None or dose.per_day is None:
            continue
        daily = amount * dose.per_day
        if dose.adds_to_previous and dose.drug in last:
            index = last[dose.drug]
            drug, total, phrase = totals[index]
            totals[index] = (drug, total + daily, f"{phrase} plus {dose.phrase}")
            continue
        last[dose.drug] = len(totals)
        totals.append((dose.drug, daily, dose.phrase))
    return totals


def dose_alerts(
    question: UnderstoodQuestion, maxima: DoseMaxima, book: ReferenceBook, overdose_multiple: float
) -> tuple[list[Alert], bool]:
    """Alerts for the question's stated doses, and whether one is far enough above the maximum
    to be treated as a possible overdose."""
    alerts: list[Alert] = []
    overdose = False
    for drug, daily, phrase in daily_totals(question.doses):
        stated = f"{drug} {phrase} = {daily:g} mg/day"
        limit = maxima.maximum(drug, question.age_group)
        if limit is None:
            alerts.append(
                Alert(
                    kind="dose",
                    severity=sev.INFO,
                    text=f"Stated dose {stated}: no maximum daily dose "
                    "for this drug was found in the sources, so it could not be checked.",
                )
            )
            continue
        if daily <= limit.mg_per_day:
            continue
        overdose = overdose or daily >= overdose_multiple * limit.mg_per_day
        if limit.passage is not None:
            citation = book.cite_passage(limit.document, limit.passage)
        else:
            citation = book.cite_quote(limit.document, limit.quote)
        where = f"{limit.document.organization}, {limit.document.title}"
        alerts.append(
            Alert(
                kind="dose",
                severity=sev.MAJOR,
                text=f"Stated dose {stated} is above the maximum of {limit.mg_per_day:g} mg/day ({where}: "
                f"“{limit.quote}”).",
                citations=(citation,),
                action=limit.quote,
            )
        )
    return alerts, overdose
