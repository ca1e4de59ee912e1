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
from dataclasses import replace

from curbside.domain.article import Alert, Article, Section, Statement
from curbside.domain.knowledge_base import SearchFilters
from curbside.domain.question import AgeGroup, UnderstoodQuestion
from curbside.protocols import KnowledgeReader
from curbside.safety import severity as sev
from curbside.safety.bottom_line import interaction_bottom_line
from curbside.safety.classes import class_variants
from curbside.safety.doses import check_doses
from curbside.safety.interactions import DrugEntity, InteractionChecker, InteractionFinding, pairs_to_check
from curbside.safety.labels import LabelIndex
from curbside.safety.passage_interactions import ProseInteractionFinder, SideTerms
from curbside.safety.population import population_alerts
from curbside.safety.question_doses import DoseMaxima, dose_alerts
from curbside.safety.red_flags import RedFlag, default_rules, detect_red_flags, emergency_notice
from curbside.safety.references import DocumentCache, ReferenceBook
from curbside.safety.resolver import DrugClassResolver, normalise
from curbside.safety.source_classes import default_index
from curbside.safety.suicide_guideline import load_suicide_guideline

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
        self._prose = ProseInteractionFinder(store)
        self._maxima = DoseMaxima(store)
        self._rules = default_rules()  # loaded at start: a malformed data file fails here, not mid-answer
        self._suicide = load_suicide_guideline()
        self._suicide_guideline: str | bool | None = False  # False = not looked up yet

    def screen(self, article: Article, question: UnderstoodQuestion, mentioned_drugs: tuple[str, ...]) -> Article:
        """Return ``article`` with safety alerts, references, section and bottom-line warning."""
        started = time.perf_counter()
        book = ReferenceBook(article.references)
        documents = DocumentCache(self._store)
        flags = list(detect_red_flags(question.search_text, self._rules))
        pairs = pairs_to_check(self._checker, question, mentioned_drugs)
        findings = self._checker.check(pairs, book, documents)
        # Prose is read only for pairs the question names: an answer's drugs against the question's
        # are checked on the lists, where a match is exact, not in free text.
        asked = {self._checker.canonical(d.name) or d.name for d in (*question.drugs, *question.current_medications)}
        asked_pairs = [(x, y) for x, y in pairs if x.name in asked and y.name in asked]
        findings += self._prose_findings(asked_pairs, findings, book, documents)
        stated, overdose = dose_alerts(question, self._maxima, book, self._rules.overdose_multiple)
        if overdose and not any(f.category == "overdose" for f in flags):
            flags.append(RedFlag("overdose", "possible overdose or poisoning", "dose far above the stated maximum"))
        alerts = [self._emergency(flag, question, book, documents) for flag in flags]
        alerts += [f.alert for f in findings]
        alerts += stated
        alerts += check_doses(article, self._labels, documents, book)
        # The patient's current medications matter for pregnancy/age as much as the recommended ones.
        taken = (*mentioned_drugs, *(d.name for d in question.current_medications))
        alerts += population_alerts(article, question, taken, self._labels, documents, book)
        asked_texts = {f.alert.text for f in findings if f.drug_a in asked and f.drug_b in asked}
        merged = _ordered([*article.alerts, *alerts], asked_texts)
        update: dict[str, object] = {"alerts": merged, "references": book.references}
        if alerts and not any(section.kind == "safety" for section in article.sections):
            statements = tuple(Statement(text=a.text, citations=a.citations) for a in merged)
            update["sections"] = (*article.sections, Section(heading="Safety", kind="safety", statements=statements))
        bottom = _warn_bottom_line(article.bottom_line, findings)
        if bottom is not article.bottom_line:
            update["bottom_line"] = bottom
        update |= interaction_bottom_line(article, question, findings, update)
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
        return Alert(
            kind="emergency", severity=sev.EMERGENCY, text=emergency_notice(flag, self._rules), citations=citations
        )

    def _prose_findings(
        self,
        pairs: Sequence[tuple[DrugEntity, DrugEntity]],
        found: list[InteractionFinding],
        book: ReferenceBook,
        documents: DocumentCache,
    ) -> list[InteractionFinding]:
        """Interaction sentences of guidelines, labels and textbooks: for pairs no list covers, and
        for list findings without management text (the ONC list has none), which gain the sentence."""
        by_pair = {frozenset((f.drug_a, f.drug_b)): f for f in found}
        out = []
        for x, y in pairs:
            listed = by_pair.get(frozenset((x.name, y.name)))
            if listed is not None and listed.alert.action:
                continue
            hit = self._prose.find(prose_terms(x), prose_terms(y), book, documents)
            if hit is None:
                continue
            if listed is not None:
                merged = listed.alert.model_copy(
                    update={
                        "text": f"{listed.alert.text} {hit.alert.text.split(': ', 1)[-1]}",
                        "citations": tuple(dict.fromkeys((*listed.alert.citations, *hit.alert.citations))),
                        "action": hit.alert.action,
                    }
                )
                found[found.index(listed)] = replace(listed, alert=merged)
                continue
            current = frozenset(e.name for e in (x, y) if e.current)
            out.append(InteractionFinding(x.name, y.name, hit.severity, hit.alert, (hit.alert.text,), current))
        return out

    def _guideline_id(self) -> str | None:
        if self._suicide_guideline is False:
            self._suicide_guideline = next(
                (
                    d.source_id
                    for d in self._store.documents(kind="guideline")
                    if all(w in d.title.lower() for w in self._suicide.title_words)
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
        filters = SearchFilters(kinds=("guideline",), organizations=self._suicide.organizations)
        for hit in self._store.lexical_search(f"{self._suicide.query} {text}", limit=200, filters=filters):
            if hit.passage_id in recommendations:
                return book.cite_passage(document, recommendations[hit.passage_id])
        first = next(iter(recommendations.values()), None)
        return book.cite_passage(document, first) if first else None


def prose_terms(entity: DrugEntity) -> SideTerms:
    """Names that denote ``entity`` in prose: its own names and the classes the sources put it in
    (not label brand aliases, which may name a combination product's other drug)."""
    index = default_index()
    terms = {entity.name}
    for cls in index.classes_of(entity.name):
        terms |= class_variants(cls)
    terms |= {normalise(m) for m in index.members_of(entity.name)}
    return SideTerms(entity.name, frozenset(terms))


def _ordered(alerts: Sequence[Alert], asked: frozenset[str] | set[str] = frozenset()) -> tuple[Alert, ...]:
    """Distinct alerts (by kind + text), most severe first; within a level, the pairs the question
    itself names ("warfarin + ibuprofen ok?") before pairs with a drug only a passage mentions."""
    distinct = list({(a.kind, a.text): a for a in alerts}.values())
    return tuple(sorted(distinct, key=lambda a: (sev.RANK.get(a.severity, len(sev.RANK)), a.text not in asked)))


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
