"""Medication checks on a FHIR patient record and draft orders, through the safety stage.

The CDS Hooks service and ``ask --patient`` use this module; it owns no safety rules. A
record becomes an ``UnderstoodQuestion`` (current medications, age group, pregnancy,
allergies) and the draft orders become the drugs "mentioned", plus one statement per
ordered dose; the pipeline's own ``SafetyScreen.screen`` then finds interaction, dose and
population alerts exactly as it does for answers.

Example::

    check = MedicationCheck(curbside)
    record = check.read_record(bundle)
    for finding in check.screen(record, check.read_orders(draft_orders)):
        print(finding.alert.severity, finding.alert.text)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from curbside.domain.article import Alert, Article, Reference, Section, Statement, UnderstoodView
from curbside.domain.question import DrugMention, Intent, UnderstoodQuestion
from curbside.pipeline import Curbside
from curbside.sources.fda_labels import LIST_NAME as LABEL_ANNOTATIONS
from curbside.understanding.fhir_context import (
    FhirMedication,
    FhirPatientContext,
    drug_mentions,
    read_medication,
    read_patient_context,
    resources_of,
    with_patient_context,
)

RXCUI_PREFIX = "RxCUI:"


@dataclass(frozen=True, slots=True)
class MedicationFinding:
    """One safety alert with the drugs it concerns and the references it cites."""

    alert: Alert
    drugs: tuple[str, ...]
    references: tuple[Reference, ...]


class MedicationCheck:
    """Reads patient records and orders, and screens them with the pipeline's safety stage.

    Contract: never raises on a readable record (an unknown drug simply matches nothing);
    ``FhirContextError`` for input that is not FHIR JSON at all. Thread-safe.
    """

    def __init__(self, curbside: Curbside) -> None:
        self._curbside = curbside
        self._rxnorm: dict[str, str] | None = None
        self._lock = threading.Lock()

    def rxnorm_names(self) -> Mapping[str, str]:
        """RxNorm code → drug name, from the RxNorm ids the NLM label annotations carry."""
        with self._lock:
            if self._rxnorm is None:
                names: dict[str, str] = {}
                for record in self._curbside.store.interactions_in_list(LABEL_ANNOTATIONS):
                    for name, ids in ((record.drug_a, record.drug_a_ids), (record.drug_b, record.drug_b_ids)):
                        for code in ids:
                            if code.startswith(RXCUI_PREFIX):
                                names.setdefault(code[len(RXCUI_PREFIX) :], name)
                self._rxnorm = names
            return self._rxnorm

    def read_record(self, data: object, today: date | None = None) -> FhirPatientContext:
        return read_patient_context(data, today=today, rxnorm_names=self.rxnorm_names())

    def read_orders(self, data: object) -> tuple[FhirMedication, ...]:
        """Every medication order in a ``draftOrders`` Bundle (orders with no drug picked are skipped)."""
        orders = []
        for resource in resources_of(data):
            if resource.get("resourceType") in ("MedicationRequest", "MedicationStatement"):
                medication = read_medication(resource, self.rxnorm_names())
                if medication is not None:
                    orders.append(medication)
        return tuple(orders)

    def understood(self, question: UnderstoodQuestion, record: FhirPatientContext) -> UnderstoodQuestion:
        """A question's understanding with the patient record's context added."""
        return with_patient_context(question, record, self._curbside.understanding.drugs)

    def screen(self, record: FhirPatientContext, orders: Sequence[FhirMedication] = ()) -> list[MedicationFinding]:
        """Alerts for the orders against the record (or, without orders, for the record itself).

        With orders, only alerts that concern an ordered drug are returned: the prescriber
        is deciding about the order, not re-reviewing the chart.
        """
        if self._curbside.safety is None:
            return []
        drugs = self._curbside.understanding.drugs
        current = drug_mentions(record.medications, drugs)
        drafted = drug_mentions(orders, drugs)
        question = UnderstoodQuestion(
            text="medication check",
            intent=Intent.INTERACTION if drafted else Intent.INFORMATION,
            drugs=drafted,
            current_medications=current,
            age_group=record.age_group,
            pregnant=record.pregnant,
            allergies=record.allergies,
        )
        article = self._order_article(question, orders)
        screened = self._curbside.safety.screen(article, question, tuple(d.name for d in drafted))
        by_number = {r.n: r for r in screened.references}
        subjects = list({d.name: d for d in (*drafted, *current)}.values())
        ordered = {d.name for d in drafted}
        findings = []
        for alert in screened.alerts:
            references = tuple(by_number[n] for n in alert.citations if n in by_number)
            concerned = _concerned(alert, references, subjects)
            if drafted and not ordered & set(concerned):
                continue
            findings.append(MedicationFinding(alert, concerned, references))
        return findings

    def _order_article(self, question: UnderstoodQuestion, orders: Sequence[FhirMedication]) -> Article:
        """An article whose statements are the orders' doses, so the dose check reads them."""
        drugs = self._curbside.understanding.drugs
        statements = tuple(
            Statement(text=f"{drug_mentions([order], drugs)[0].name} {order.dose}", citations=())
            for order in orders
            if order.dose
        )
        understood = UnderstoodView(summary=question.summary(), intent=question.intent.value, intent_confidence=0.0)
        sections = (Section(heading="Orders", kind="dosing", statements=statements),) if statements else ()
        return Article(question=question.text, title="Medication check", understood=understood, sections=sections)


def _concerned(alert: Alert, references: Sequence[Reference], subjects: Sequence[DrugMention]) -> tuple[str, ...]:
    """The subject drugs an alert names (in its text or its cited labels' titles), in text order."""
    text = " ".join([alert.text, *(r.title for r in references if r.kind == "drug_label")])
    found: dict[str, int] = {}
    for drug in subjects:
        for name in {drug.name, drug.surface} - {""}:
            match = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)
            if match:
                found[drug.name] = min(found.get(drug.name, match.start()), match.start())
    return tuple(sorted(found, key=found.__getitem__))
