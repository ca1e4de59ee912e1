"""The offline composer: statements are sentences taken verbatim from the ranked passages.

Nothing is generated. Each statement is one or two sentences of a passage (trimmed,
never rewritten), placed in a section by its role, and cited. The bottom line is the
strongest applicable statement for the question's intent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from curbside.composition import populations, selection, wording
from curbside.composition.injection_guard import without_embedded_instructions
from curbside.composition.sections import HEADINGS, LAYOUTS, role_of
from curbside.domain.article import Article, Reference, Section, SpellingView, Statement, UnderstoodView
from curbside.domain.evidence import Evidence, EvidenceSet
from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.language.sentences import split_sentences
from curbside.language.stop_words import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
# Leading list markers ("- ", "• ", "1. ") belong to the source's layout, not to the statement.
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
# Guideline fields that describe the guideline itself (its scope, methods, grading scheme),
# not the care it recommends: they inform applicability but are never quoted as statements.
NON_STATEMENT_SECTIONS = (
    "Interventions and Practices Considered",
    "Major Outcomes Considered",
    "Guideline Objective(s)",
    "Rating Scheme for the Strength of the Evidence",
    "Rating Scheme for the Strength of the Recommendations",
    "Disease/Condition(s)",
    "Major Recommendations › Definitions",
)
# Questions about one drug's own properties: the bottom line must name the drug (or a member
# of the class) asked about, not a neighbour that shares the question's other words.
DRUG_INTENTS = frozenset({Intent.DOSING, Intent.ADVERSE_EFFECTS, Intent.CONTRAINDICATION, Intent.INFORMATION})
MAX_STATEMENTS = 32
MAX_PER_SECTION = 6
MAX_SENTENCES = 2
MAX_STATEMENT_CHARS = 600


def understood_view(question: UnderstoodQuestion) -> UnderstoodView:
    return UnderstoodView(
        summary=question.summary(),
        intent=question.intent.value,
        intent_confidence=question.intent_confidence,
        conditions=tuple(c.name for c in question.conditions),
        drugs=tuple(d.name for d in question.drugs),
        current_medications=tuple(d.name for d in question.current_medications),
        failed_medications=tuple(d.name for d in question.failed_medications),
        age_group=question.age_group.value if question.age_group else None,
        pregnant=question.pregnant,
        duration=question.duration,
        negations=question.negations,
        unknown_terms=question.unknown_terms,
        corrections=tuple(SpellingView(original=c.original, corrected=c.corrected) for c in question.corrections),
    )


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in ENGLISH_STOP_WORDS}


MIN_STATEMENT_WORDS = 6


_SENTENCE_END = re.compile(r"[.!?;:)\]\"”’…]$")


# The Clearinghouse's own editorial notes and cross-references inside its summaries are about
# the summary, not about care.
_EDITORIAL = re.compile(
    r"^\W*(?:note from\b|for more information\b)|\bNGC summar|National Guideline Clearinghouse"
    r"|^\W*(?:this|the following|the next) (?:table|figure|box|feature)\b",  # a textbook's caption
    re.I,
)


def is_statement(text: str) -> bool:
    """A quotable statement is a sentence, not a heading, a list of titles, a table row, an
    editorial note, a question (a guideline's key question is not an answer) or a lead-in whose
    list did not come with it ("… any of the following strategies could be attempted:")."""
    text = text.strip()
    return (
        len(text.split()) >= MIN_STATEMENT_WORDS
        and not text.endswith(("?", ":"))
        and " | " not in text
        and bool(_SENTENCE_END.search(text))
        and not _EDITORIAL.search(text)
        and selection.has_verb(text)
    )


def failed_terms(question: UnderstoodQuestion) -> set[str]:
    terms: set[str] = set()
    for drug in question.failed_medications:
        terms |= {t.lower() for t in (drug.name, drug.surface, *drug.members) if t}
    return terms


@dataclass(frozen=True, slots=True)
class Candidate:
    evidence: Evidence
    text: str
    role: str
    score: float
    focus: int = 0
    on_condition: bool = True
    direct: int = 0
    repeats_failed: bool = False
    population: int = 0
    # Written for this patient's situation ("for adults whose symptoms have not responded to an
    # SSRI, offer …"): re-naming the failed drug there is the situation, not a re-offer.
    situation: bool = False
    # For a question about a drug (its dose, effects, cautions): the statement names it.
    names_drug: bool = True
    # For "can A be taken with B": the statement names both (or a class of one and the other).
    names_pair: bool = False

    @property
    def re_offers(self) -> bool:
        return self.repeats_failed and not self.situation


class OfflineComposer:
    """Deterministic, extractive composer (the default)."""

    name = "offline"

    def compose(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> Article:
        # Sentences addressed to a model are not evidence and are never quoted to a reader.
        evidence = without_embedded_instructions(evidence)
        if question.unknown_terms:
            return self.abstain(question, evidence, question.unknown_terms)
        # "Can A be taken with B": the names each asked drug goes by, to find statements naming both.
        groups = selection.pair_groups(question) if question.intent == Intent.INTERACTION else []
        candidates = self._candidates(question, evidence, groups)
        if not candidates:
            return self.abstain(question, evidence, ())
        if len(groups) >= 2:
            pair = [c for c in candidates if c.names_pair]
            if not pair:
                # Statements about each drug alone do not say whether the two may be combined;
                # the safety screen still answers with an alert when a list names the pair.
                article = self.abstain(question, evidence, ())
                return article.model_copy(update={"abstain_reason": wording.no_pair_note(question)})
            candidates = pair + [c for c in candidates if not c.names_pair and c.role != "options"]
        return self._article(question, evidence, candidates)

    def abstain(self, question: UnderstoodQuestion, evidence: EvidenceSet, unknown: tuple[str, ...]) -> Article:
        aside = evidence.set_aside
        return Article(
            question=question.text,
            title=wording.title_for(question),
            understood=understood_view(question),
            abstained=True,
            abstain_reason=wording.abstain_reason(question, aside, unknown) + " " + wording.suggestion(question),
            searched=evidence.queries,
            not_applicable=tuple(f"{wording.describe_source(e)} — {e.applicability.reason}" for e in aside[:6]),
        )

    def _candidates(
        self, question: UnderstoodQuestion, evidence: EvidenceSet, groups: list[tuple[str, ...]]
    ) -> list[Candidate]:
        keys = content_words(question.search_text) | {w for c in question.conditions for w in content_words(c.name)}
        keys |= {w for d in question.drugs for w in content_words(" ".join((d.name, *d.members)))}
        failed = selection.failed_patterns(question)
        age = selection.question_age(question.text)
        wanted = selection.condition_stems(question)
        condition_words = [content_words(c.name) for c in question.conditions]
        asked_numbers = set(_NUMBER.findall(question.text))
        drug_names = [d.name.lower() for d in question.drugs if d not in question.failed_medications]
        drug_words = {
            w
            for d in question.drugs
            if d not in question.failed_medications
            for w in content_words(" ".join((d.name, d.surface, *d.members)))
        }
        candidates = []
        for item in evidence.applicable:
            if item.record.passage.section.startswith(NON_STATEMENT_SECTIONS):
                continue
            if selection.label_of_another_drug(item.record, question):
                continue
            text = self._excerpt(item, keys, question.intent)
            if not is_statement(text):
                continue
            role = role_of(item.record, text, question.intent, item.recommendation)
            repeats_failed = selection.offers_failed(text, failed)
            situation = question.intent == Intent.NEXT_STEP and selection.names_situation(text, failed)
            if repeats_failed and not situation and role not in ("avoid", "safety", "interaction", "adverse"):
                # Already tried without success: not offered again (only warnings about it stay).
                # A statement written for that failure stays: it also names what comes next.
                continue
            # Focus: the statement names the question's drug (2 each) or a whole condition (1 each).
            words = content_words(text)
            focus = 2 * sum(name in text.lower() for name in drug_names) + sum(
                bool(c) and c <= words for c in condition_words
            )
            # ...and repeats the numbers the question states (ages, doses): "aged 50 to 75".
            focus += len(asked_numbers & set(_NUMBER.findall(text)))
            on_condition = selection.about_condition(item.record, wanted) or (
                question.intent in DRUG_INTENTS and selection.drug_row_of_asked_drug(item.record, question)
            )
            direct = selection.directness(text, question.intent, question.text) + selection.age_fit(text, age)
            if question.intent == Intent.NEXT_STEP and direct > 0:
                direct += situation + selection.same_situation(text, question.text)
            population = populations.population_fit(item.record, text, question)
            names_drug = question.intent not in DRUG_INTENTS or not drug_words or bool(content_words(text) & drug_words)
            candidates.append(
                Candidate(
                    item,
                    text,
                    role,
                    item.score,
                    focus,
                    on_condition,
                    direct,
                    repeats_failed,
                    population,
                    situation,
                    names_drug,
                    len(groups) >= 2 and selection.names_pair(text, groups),
                )
            )
        # A guideline about another condition is not evidence for this one; it stays only when
        # nothing about the question's condition was found (and the gap note then says so).
        if any(c.on_condition for c in candidates):
            candidates = [c for c in candidates if c.on_condition]
        # Advice written for another age group (a children's guideline for an adult) is not
        # shown when advice for the patient's own group, or for no group in particular, exists.
        if any(c.population >= 0 for c in candidates):
            candidates = [c for c in candidates if c.population >= 0]
        return candidates

    @staticmethod
    def _excerpt(item: Evidence, keys: set[str], intent: Intent | None = None) -> str:
        """The passage's most question-relevant sentences, verbatim and in source order. For a
        "what next" question the sentence about non-response outranks one that merely shares
        more of the question's words ("…not responded to SSRIs, a trial of an SNRI…" over
        "…if anxiety is prominent, buspirone…")."""
        text = _LIST_MARK.sub("", item.record.passage.text).strip()
        # Lines are list items or fields of their own: a sentence never runs across a line break.
        sentences = [s for line in text.splitlines() for s in split_sentences(_LIST_MARK.sub("", line).strip())]
        if item.recommendation and len(text) <= MAX_STATEMENT_CHARS and "\n" not in text:
            return text
        bonus = 3 if intent == Intent.NEXT_STEP else 0
        scored = [
            (len(content_words(s) & keys) + bonus * selection.answers_next_step(s), i, s)
            for i, s in enumerate(sentences)
            if len(s) > 20
        ]
        scored = [entry for entry in scored if entry[0] > 0]
        if not scored:
            return ""
        top = max(entry[0] for entry in scored)
        # A second sentence rides along only when it is nearly as relevant as the best one.
        strong = [entry for entry in scored if entry[0] == top or entry[0] >= max(2, 0.75 * top)]
        best = sorted(sorted(strong, key=lambda e: -e[0])[:MAX_SENTENCES], key=lambda e: e[1])
        text = " ".join(s for _, _, s in best)
        return text if len(text) <= MAX_STATEMENT_CHARS else best[0][2][:MAX_STATEMENT_CHARS].rsplit(" ", 1)[0] + "…"

    def _article(self, question: UnderstoodQuestion, evidence: EvidenceSet, candidates: list[Candidate]) -> Article:
        layout = LAYOUTS[question.intent]
        references: dict[str, Reference] = {}

        def cite(item: Evidence) -> int:
            record = item.record
            key = record.passage.passage_id
            if key not in references:
                references[key] = Reference.to_passage(len(references) + 1, record.document, record.passage)
            return references[key].n

        bottom = self._bottom_line(candidates, layout)
        bottom_line = Statement(text=bottom.text, citations=(cite(bottom.evidence),))
        grouped = self._group(candidates, layout, bottom, cite)
        sections = [
            Section(heading=HEADINGS[role], kind=role, statements=tuple(items))
            for role, items in grouped.items()
            if items
        ]
        used = [c.evidence for c in candidates]
        answers = bottom.direct > 0 or question.intent != Intent.NEXT_STEP
        exact = selection.exactly_about(bottom.evidence.record, question)
        if question.intent in DRUG_INTENTS and selection.drug_row_of_asked_drug(bottom.evidence.record, question):
            gap = wording.drug_row_gap(question, bottom.evidence)
        else:
            gap = wording.gap_note(question, bottom.evidence, bottom.on_condition, exact, answers)
        return Article(
            question=question.text,
            title=wording.title_for(question),
            understood=understood_view(question),
            evidence_gap=gap,
            verdict=wording.verdict(bottom.text, bottom.evidence.record.passage),
            bottom_line=bottom_line,
            sections=tuple(sections),
            references=tuple(sorted(references.values(), key=lambda r: r.n)),
            searched=evidence.queries,
            not_applicable=tuple(
                f"{wording.describe_source(e)} — {e.applicability.reason}" for e in evidence.set_aside[:4]
            ),
            abstain_reason=wording.limits_note(question, used),
        )

    @staticmethod
    def _group(
        candidates: list[Candidate], layout: tuple[str, ...], bottom: Candidate, cite: Callable[[Evidence], int]
    ) -> dict[str, list[Statement]]:
        """Statements per section, strongest recommendations first; a statement two sources make
        in nearly the same words is shown once with both citations."""
        grouped: dict[str, list[Statement]] = {role: [] for role in layout}
        placed: list[tuple[set[str], str, int]] = [(content_words(bottom.text), "", -1)]
        ranked = sorted(
            candidates,
            key=lambda c: (
                c.population < 0,  # another age group's advice goes last
                -c.direct,
                -(c.evidence.record.passage.grade is not None),
                -c.evidence.recommendation,
                -c.score,
            ),
        )
        count = 0
        for candidate in ranked:
            if candidate is bottom or count >= MAX_STATEMENTS:
                continue
            words = content_words(candidate.text)
            twin = next((p for p in placed if _agree(p[0], words)), None)
            if twin is not None:
                if twin[1]:
                    role, index = twin[1], twin[2]
                    statement = grouped[role][index]
                    number = cite(candidate.evidence)
                    if number not in statement.citations:
                        grouped[role][index] = statement.model_copy(
                            update={"citations": (*statement.citations, number)}
                        )
                continue
            role = candidate.role if candidate.role in grouped else "background"
            if role not in grouped or len(grouped[role]) >= MAX_PER_SECTION:
                continue
            placed.append((words, role, len(grouped[role])))
            grouped[role].append(Statement(text=candidate.text, citations=(cite(candidate.evidence),)))
            count += 1
        return grouped

    @staticmethod
    def _bottom_line(candidates: list[Candidate], layout: tuple[str, ...]) -> Candidate:
        """The statement that answers the question most directly, from the intent's primary role
        first: about the question's condition, not re-offering what failed, speaking to the
        situation, graded, a recommendation, naming the question's own drug/condition, then score."""
        groups = ((layout[0],), tuple(r for r in layout if r != "background"), layout)
        # "Can A be taken with B" is answered by a statement naming both, whatever its section.
        candidates = [c for c in candidates if c.names_pair] or candidates
        # A statement naming the asked drug is looked for in every section before one that does not.
        for roles, need_drug in [(g, True) for g in groups] + [(g, False) for g in groups]:
            # A lead-in ("… is recommended for patients who do not improve:") needs its list.
            pool = [
                c
                for c in candidates
                if c.role in roles and not c.text.rstrip().endswith(":") and (c.names_drug or not need_drug)
            ]
            if pool:
                return max(
                    pool,
                    key=lambda c: (
                        c.names_pair,  # "can A be taken with B" is answered by a statement naming both
                        c.on_condition,
                        c.population >= 0,  # never lead with another age group's advice
                        c.names_drug,  # a dose question about acetaminophen is answered about acetaminophen
                        not c.re_offers,
                        c.direct,
                        c.evidence.record.passage.grade is not None,
                        c.evidence.recommendation,
                        min(c.focus, 4),
                        c.score,
                    ),
                )
        return candidates[0]


AGREEMENT = 0.8


def _agree(a: set[str], b: set[str]) -> bool:
    """Nearly the same words (Jaccard ≥ AGREEMENT): the same statement from two sources."""
    return bool(a and b) and len(a & b) / len(a | b) >= AGREEMENT
