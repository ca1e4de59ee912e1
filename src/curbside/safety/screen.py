"""The safety stage: one ``SafetyScreen.screen`` call per composed answer.

Order of work: emergencies in the question, drug–drug interactions, doses, patient-group
statements. The result is a new Article (the input is frozen and left untouched) with
alerts sorted emergency → contraindicated → major → moderate → minor → info, the
references the alerts cite appended (reusing existing numbers), a "Safety" section when
the article has none, and a warning prefixed to a bottom line that names a drug with a
contraindicated interaction with a current medication.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from curbside.domain.article import Alert, Article, Section, Statement
from curbside.domain.knowledge_base import SearchFilters
from curbside.domain.question import AgeGroup, UnderstoodQuestion
from curbside.protocols import KnowledgeReader
from curbside.safety import severity as sev
from curbside.safety.doses import check_doses
from curbside.safety.interactions import InteractionChecker, InteractionFinding, pairs_to_check
from curbside.safety.labels import LabelIndex
from curbside.safety.population import population_alerts
from curbside.safety.red_flags import RedFlag, detect_red_flags, emergency_notice
from curbside.safety.references import DocumentCache, ReferenceBook
from curbside.safety.resolver import DrugClassResolver

#: Title words of the corpus's suicide-risk guideline ("VA/DoD clinical practice guideline for
#: assessment and management of patients at risk for suicide", NGC 9978, 2013).
SUICIDE_GUIDELINE_WORDS = ("va/dod", "patients at risk for suicide")
SUICIDE_QUERY = "acute risk for suicide initial management safety plan"
_MINORS = (AgeGroup.INFANT, AgeGroup.CHILD, AgeGroup.ADOLESCENT)


class SafetyScreen:
    """Adds safety alerts to answers.

    Contract: ``screen`` never removes or rewords the article's statements (only prefixes
    a warning to the bottom line), never raises on missing sources (a check without data
    adds nothing), and records its own time in ``timings_ms["safety"]``. Construction reads
    the label list once; each ``screen`` makes one interaction query plus one document read
    per label it consults.
    """

    def __init__(self, store: KnowledgeReader, resolver: DrugClassResolver) -> None:
        self._store = store
        self._labels = LabelIndex(store)
        self._checker = InteractionChecker(store, resolver, self._labels)
        self._suicide_guideline: str | bool | None = False  # False = not looked up yet

    def screen(self, article: Article, question: UnderstoodQuestion, mentioned_drugs: tuple[str, ...]) -> Article:
        """Return ``article`` with safety alerts, references, section and bottom-line warning."""
        started = time.perf_counter()
        book = ReferenceBook(article.references)
        documents = DocumentCache(self._store)
        alerts = [self._emergency(flag, question, book, documents) for flag in detect_red_flags(question.search_text)]
        findings = self._checker.check(pairs_to_check(self._checker, question, mentioned_drugs), book, documents)
        alerts += [f.alert for f in findings]
        alerts += check_doses(article, self._labels, documents, book)
        # The patient's current medications matter for pregnancy/age as much as the recommended ones.
        taken = (*mentioned_drugs, *(d.name for d in question.current_medications))
        alerts += population_alerts(article, question, taken, self._labels, documents, book)
        merged = _ordered([*article.alerts, *alerts])
        update: dict[str, object] = {"alerts": merged, "references": book.references}
        if alerts and not any(section.kind == "safety" for section in article.sections):
            statements = tuple(Statement(text=a.text, citations=a.citations) for a in merged)
            update["sections"] = (*article.sections, Section(heading="Safety", kind="safety", statements=statements))
        bottom = _warn_bottom_line(article.bottom_line, findings)
        if bottom is not article.bottom_line:
            update["bottom_line"] = bottom
        elapsed = (time.perf_counter() - started) * 1000
        update["timings_ms"] = {**article.timings_ms, "safety": round(elapsed, 2)}
        return article.model_copy(update=update)

    def _emergency(
        self, flag: RedFlag, question: UnderstoodQuestion, book: ReferenceBook, docs: DocumentCache
    ) -> Alert:
        citations: tuple[int, ...] = ()
        # The VA/DoD guideline covers adults (18+); it does not apply to a child or adolescent.
        if flag.category == "suicide" and question.age_group not in _MINORS:
            number = self._cite_suicide_guideline(question.search_text, book, docs)
            citations = (number,) if number is not None else ()
        return Alert(kind="emergency", severity=sev.EMERGENCY, text=emergency_notice(flag), citations=citations)

    def _guideline_id(self) -> str | None:
        if self._suicide_guideline is False:
            self._suicide_guideline = next(
                (
                    d.source_id
                    for d in self._store.documents(kind="guideline")
                    if all(w in d.title.lower() for w in SUICIDE_GUIDELINE_WORDS)
                ),
                None,
            )
        return self._suicide_guideline if isinstance(self._suicide_guideline, str) else None

    def _cite_suicide_guideline(self, text: str, book: ReferenceBook, docs: DocumentCache) -> int | None:
        """Cite the guideline's recommendation passage most relevant to the question."""
        source_id = self._guideline_id()
        document = docs.get(source_id) if source_id else None
        if document is None:
            return None
        recommendations = {p.passage_id: p for p in document.passages if "Major Recommendations" in p.heading_path[:1]}
        filters = SearchFilters(kinds=("guideline",), organizations=("Veterans Affairs",))
        for hit in self._store.lexical_search(f"{SUICIDE_QUERY} {text}", limit=200, filters=filters):
            if hit.passage_id in recommendations:
                return book.cite_passage(document, recommendations[hit.passage_id])
        first = next(iter(recommendations.values()), None)
        return book.cite_passage(document, first) if first else None


def _ordered(alerts: Sequence[Alert]) -> tuple[Alert, ...]:
    """Distinct alerts (by kind + text), most severe first; stable within a level."""
    distinct = list({(a.kind, a.text): a for a in alerts}.values())
    return tuple(sorted(distinct, key=lambda a: sev.RANK.get(a.severity, len(sev.RANK))))


def _warn_bottom_line(bottom: Statement | None, findings: list[InteractionFinding]) -> Statement | None:
    """Prefix a warning when the bottom line names a drug contraindicated with a current medication."""
    if bottom is None:
        return None
    warnings: list[str] = []
    citations = list(bottom.citations)
    for finding in findings:
        if finding.severity != sev.CONTRAINDICATED or not finding.current_drugs:
            continue
        named = [d for d in (finding.drug_a, finding.drug_b) if _names(bottom.text, d)]
        if not named:
            continue
        warnings.append(
            f"Warning: {finding.drug_a} + {finding.drug_b} is a contraindicated combination "
            f"({'; '.join(finding.sources)})."
        )
        citations += [n for n in finding.alert.citations if n not in citations]
    if not warnings:
        return bottom
    return bottom.model_copy(update={"text": " ".join([*warnings, bottom.text]), "citations": tuple(citations)})


def _names(text: str, drug: str) -> bool:
    return re.search(rf"\b{re.escape(drug)}\b", text, re.IGNORECASE) is not None
