"""The verification stage: check every statement against the passage it cites.

``Verifier.verify(article, question, evidence)`` returns a new Article whose statements carry
a verdict, support score and reason, with the ``support`` summary and publish gate filled.
Verdicts:

* supported — the cited passage states it (score ≥ supported threshold, all hard checks pass)
  and the source applies to the question;
* partial — some support, no failed hard check, but the soft score is weak;
* unsupported — no citation, a citation number not in the evidence, low support, or a failed
  hard check (changed dose, drug, number, age, dropped "not" …);
* misapplied — supported in words, but the source is about another condition or population.

The stage imports only ``curbside.domain`` and the ``Embedder`` protocol. Every text it needs
embedded (statements, uncached passage windows, topic descriptors) goes into one batched call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from curbside.applicability.checker import (
    ApplicabilityChecker,
    ApplicabilityResult,
    ApplicabilitySettings,
    SourceProfile,
    profile_from_document,
    profile_from_text,
)
from curbside.domain.article import Article, Section, Statement, SupportSummary, Verdict
from curbside.domain.documents import Document, Passage
from curbside.domain.question import UnderstoodQuestion
from curbside.protocols import Embedder
from curbside.verification.checks import DrugNames, drug_lexicon
from curbside.verification.statements import split_statements
from curbside.verification.support import SupportResult, SupportScorer, SupportSettings, VectorCache, is_verbatim

Evidence = Mapping[int, tuple[Document, Passage]]
_RANK = {"supported": 2, "partial": 1, "unsupported": 0}
_BOTTOM_LINE_HEADING = re.compile(r"bottom line|summary|short answer|answer", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VerifierSettings:
    """Thresholds, publish gate and what to do with unsupported statements from an LLM.

    Gate (default): the bottom-line statement is supported and at least ``gate_min_supported``
    of all statements are supported. ``unsupported_policy``: "mark" keeps unsupported and
    misapplied statements with their verdict; "remove" drops them — applied only to articles
    whose ``composer`` is not "offline" (the offline composer quotes passages verbatim).
    """

    support: SupportSettings = field(default_factory=SupportSettings)
    applicability: ApplicabilitySettings = field(default_factory=ApplicabilitySettings)
    gate_min_supported: float = 0.95
    gate_requires_bottom_line: bool = True
    unsupported_policy: Literal["mark", "remove"] = "mark"
    check_applicability: bool = True


@dataclass(frozen=True, slots=True)
class StatementCheck:
    """The verifier's result for one statement."""

    text: str
    citations: tuple[int, ...]
    verdict: Verdict
    support: float
    reason: str
    applies: bool | None = None
    passed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    claims: tuple[tuple[str, str, str], ...] = ()  # (claim, label, reason) for compound statements
    bottom_line: bool = False

    def as_dict(self) -> dict[str, object]:
        """The report row: {text, citations, verdict, support, reason, bottom_line, claims}."""
        return {
            "text": self.text,
            "citations": list(self.citations),
            "verdict": self.verdict.value,
            "support": round(self.support, 3),
            "reason": self.reason,
            "bottom_line": self.bottom_line,
            "claims": [{"text": t, "label": label, "reason": r} for t, label, r in self.claims],
        }


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of ``Verifier.audit``: per-statement rows plus the summary and gate."""

    results: tuple[StatementCheck, ...]
    summary: SupportSummary

    def as_dicts(self) -> list[dict[str, object]]:
        return [r.as_dict() for r in self.results]


@dataclass(frozen=True, slots=True)
class _Cited:
    passage_id: str
    text: str
    profile: SourceProfile
    heading: str = ""  # document title and section headings: what a reader sees above the passage


class Verifier:
    """Checks statements for support and applicability (see module docstring).

    Example::

        verifier = Verifier(MiniLmEmbedder())
        checked = verifier.verify(article, understood, {1: (document, passage)})
        checked.support.gate_passed
    """

    def __init__(self, embedder: Embedder, settings: VerifierSettings | None = None) -> None:
        self.settings = settings or VerifierSettings()
        self.cache = VectorCache(embedder)
        self.scorer = SupportScorer(self.cache, self.settings.support)
        self.applicability = ApplicabilityChecker(self.cache, self.settings.applicability)
        self._profiles: dict[str, SourceProfile] = {}

    # ----------------------------------------------------------------- entry points
    def verify(
        self, article: Article, question: UnderstoodQuestion, evidence: Evidence, drug_names: DrugNames = ()
    ) -> Article:
        """Return a copy of ``article`` with verdicts, support summary and gate set."""
        cited = self._cited_from_evidence(evidence)
        statements = ([article.bottom_line] if article.bottom_line else []) + [
            s for section in article.sections for s in section.statements
        ]
        texts = [s.original_text or s.text for s in statements]
        self._prefetch(list(zip(texts, [s.citations for s in statements], strict=True)), question, cited)
        drugs = self._drug_names(question, drug_names)
        checked = {
            id(s): self._judge(t, s.citations, question, cited, drugs) for s, t in zip(statements, texts, strict=True)
        }
        remove = self.settings.unsupported_policy == "remove" and article.composer != "offline"
        bottom = self._apply(article.bottom_line, checked, remove) if article.bottom_line else None
        sections: list[Section] = []
        for section in article.sections:
            kept = [x for x in (self._apply(s, checked, remove) for s in section.statements) if x]
            if kept:
                sections.append(section.model_copy(update={"statements": tuple(kept)}))
        removed = [c for s in statements if (c := checked[id(s)]).verdict in _DROPPED and remove]
        summary = self._summary(
            bottom, [s for sec in sections for s in sec.statements], removed,
            had_bottom_line=article.bottom_line is not None, abstained=article.abstained,
        )  # fmt: skip
        return article.model_copy(update={"bottom_line": bottom, "sections": tuple(sections), "support": summary})

    def check_statement(
        self,
        text: str,
        citations: tuple[int, ...],
        question: UnderstoodQuestion,
        evidence: Evidence,
        drug_names: DrugNames = (),
    ) -> StatementCheck:
        """Verify one statement against the cited evidence."""
        cited = self._cited_from_evidence(evidence)
        self._prefetch([(text, tuple(citations))], question, cited)
        return self._judge(text, tuple(citations), question, cited, self._drug_names(question, drug_names))

    def audit(
        self,
        markdown: str,
        sources: Mapping[int, tuple[str, str]],
        question: UnderstoodQuestion,
        drug_names: DrugNames = (),
    ) -> AuditReport:
        """Check a Markdown answer against bare sources {n: (title, text)}.

        Statements under a heading such as "Bottom line" / "Summary" count as bottom-line
        statements for the gate; else a whole-bold statement does; else the first statement.
        Every statement is listed, the bottom line included (``StatementCheck.bottom_line``).
        """
        parsed = split_statements(markdown)
        drugs = self._drug_names(question, drug_names)
        cited = {
            n: _Cited(
                f"audit:{n}:{hash((title, text))}", text, profile_from_text(f"audit:{n}", title, text, drugs), title
            )
            for n, (title, text) in sources.items()
        }
        self._prefetch([(p.text, p.citations) for p in parsed], question, cited)
        flagged = set(
            [i for i, p in enumerate(parsed) if _BOTTOM_LINE_HEADING.search(p.heading)]
            or [i for i, p in enumerate(parsed) if p.emphasised][:1]
            or [0]
        )
        results = tuple(
            replace(self._judge(p.text, p.citations, question, cited, drugs), bottom_line=i in flagged)
            for i, p in enumerate(parsed)
        )
        bottom = [r for r in results if r.bottom_line]
        return AuditReport(results, _gate(list(results), bottom, self.settings, abstained=False))

    def screen_sources(
        self, question: UnderstoodQuestion, sources: Sequence[tuple[Document, Passage]]
    ) -> list[tuple[bool | None, str]]:
        """Applicability of each (document, passage) to the question, before anything is
        composed from them: ``(applies, reason)`` per item, in order. One batched embedding call."""
        profiles = []
        for document, _passage in sources:
            profile = self._profiles.get(document.source_id)
            if profile is None:
                profile = self._profiles[document.source_id] = profile_from_document(document)
            profiles.append(profile)
        needed = [t for profile in profiles for t in self.applicability.texts_to_embed(question, profile)]
        self.cache.prefetch(needed)
        results = []
        for (_document, passage), profile in zip(sources, profiles, strict=True):
            checked = self.applicability.check(question, profile, passage.text)
            results.append((checked.applies, checked.reason))
        return results

    # ----------------------------------------------------------------- internals
    def _cited_from_evidence(self, evidence: Evidence) -> dict[int, _Cited]:
        cited = {}
        for n, (document, passage) in evidence.items():
            profile = self._profiles.get(document.source_id)
            if profile is None:
                profile = self._profiles[document.source_id] = profile_from_document(document)
            heading = " — ".join((document.title, *passage.heading_path))
            cited[n] = _Cited(passage.passage_id, passage.text, profile, heading)
        return cited

    def _prefetch(
        self, statements: list[tuple[str, tuple[int, ...]]], question: UnderstoodQuestion, cited: Mapping[int, _Cited]
    ) -> None:
        """One embedding call for what scoring will need: statements that are not verbatim
        quotes of their citations, those passages' windows, and topic descriptors."""
        needed: list[str] = []
        windows_for: set[int] = set()
        for text, citations in statements:
            paraphrased = [n for n in citations if n in cited and not is_verbatim(text, cited[n].text)]
            if paraphrased:
                needed.extend(self.scorer.statement_texts(text))
                windows_for.update(paraphrased)
        for n, item in cited.items():
            if n in windows_for:
                needed.extend(self.scorer.texts_to_embed(item.passage_id, item.text))
            if self.settings.check_applicability:
                needed.extend(self.applicability.texts_to_embed(question, item.profile))
        self.cache.prefetch(needed)

    @staticmethod
    def _drug_names(question: UnderstoodQuestion, extra: DrugNames) -> dict[str, str]:
        names = {n.lower(): d.name.lower() for d in question.drugs for n in (d.name, d.surface)}
        names.update(drug_lexicon(extra))
        return names

    def _judge(
        self,
        text: str,
        citations: tuple[int, ...],
        question: UnderstoodQuestion,
        cited: Mapping[int, _Cited],
        drugs: Mapping[str, str],
    ) -> StatementCheck:
        """Verdict for one statement: best cited passage, then applicability of its source."""
        if not citations:
            return StatementCheck(text, citations, Verdict.UNSUPPORTED, 0.0, "no citation")
        missing = [n for n in citations if n not in cited]
        present = [n for n in citations if n in cited]
        if not present:
            listed = ", ".join(f"[{n}]" for n in missing)
            return StatementCheck(text, citations, Verdict.UNSUPPORTED, 0.0, f"cites {listed}, not in references")
        scored = [
            (n, self.scorer.score(text, cited[n].passage_id, cited[n].text, drugs, cited[n].heading)) for n in present
        ]
        scored.sort(key=lambda pair: (_RANK[pair[1].label], pair[1].score), reverse=True)
        best = scored[0][1]
        note = f"; [{', '.join(map(str, missing))}] not in references" if missing else ""
        if best.label == "unsupported":
            return _check(text, citations, Verdict.UNSUPPORTED, best, best.reason + note, None)
        backers = [(n, r) for n, r in scored if r.label != "unsupported"]
        judged = [(n, r, self._applies(question, cited[n])) for n, r in backers]
        fitting = [item for item in judged if item[2].applies is not False]
        if not fitting:
            _, result, app = judged[0]
            return _check(text, citations, Verdict.MISAPPLIED, result, app.reason + note, False)
        _, result, app = fitting[0]
        # A citation to a source that is not there (an id the model was never given, a missing audit
        # source) is a citation the reader cannot follow: at most partly supported.
        verdict = Verdict.SUPPORTED if result.label == "supported" and not missing else Verdict.PARTIAL
        return _check(text, citations, verdict, result, result.reason + note, app.applies)

    def _applies(self, question: UnderstoodQuestion, item: _Cited) -> ApplicabilityResult:
        if not self.settings.check_applicability:
            return ApplicabilityResult(None, 0.5, "applicability not checked")
        return self.applicability.check(question, item.profile, item.text)

    @staticmethod
    def _apply(statement: Statement, checked: Mapping[int, StatementCheck], remove: bool) -> Statement | None:
        result = checked[id(statement)]
        if remove and result.verdict in _DROPPED:
            return None
        return statement.model_copy(
            update={"verdict": result.verdict, "support": round(result.support, 4), "reason": result.reason}
        )

    def _summary(
        self,
        bottom: Statement | None,
        others: list[Statement],
        removed: list[StatementCheck],
        *,
        had_bottom_line: bool,
        abstained: bool,
    ) -> SupportSummary:
        kept = ([bottom] if bottom else []) + others
        rows = [StatementCheck(s.text, s.citations, s.verdict, s.support or 0.0, s.reason or "") for s in kept]
        bottom_rows = rows[:1] if bottom else []
        summary = _gate(rows, bottom_rows, self.settings, abstained=abstained)
        problems = list(summary.problems)
        problems += [f"removed ({r.verdict.value}): {_short(r.text)} — {r.reason}" for r in removed]
        if had_bottom_line and bottom is None:
            problems.insert(0, "bottom line removed as unsupported")
            return summary.model_copy(update={"gate_passed": False, "problems": tuple(problems)})
        return summary.model_copy(update={"problems": tuple(problems)})


_DROPPED = (Verdict.UNSUPPORTED, Verdict.MISAPPLIED)


def _check(
    text: str, citations: tuple[int, ...], verdict: Verdict, result: SupportResult, reason: str, applies: bool | None
) -> StatementCheck:
    claims = tuple((c.text, c.label, c.reason) for c in result.claims) if len(result.claims) > 1 else ()
    return StatementCheck(text, citations, verdict, result.score, reason, applies, result.passed, result.failed, claims)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _gate(
    rows: list[StatementCheck], bottom: list[StatementCheck], settings: VerifierSettings, *, abstained: bool
) -> SupportSummary:
    """Publish gate: bottom line supported and ≥ ``gate_min_supported`` of statements supported."""
    supported = sum(r.verdict == Verdict.SUPPORTED for r in rows)
    problems = [f"{r.verdict.value}: {_short(r.text)} — {r.reason}" for r in rows if r.verdict != Verdict.SUPPORTED]
    if not rows:
        return SupportSummary(supported=0, total=0, gate_passed=abstained, problems=("no statements",))
    passed = supported / len(rows) >= settings.gate_min_supported
    if not passed:
        problems.insert(0, f"only {supported}/{len(rows)} statements supported")
    if settings.gate_requires_bottom_line:
        if not bottom:
            passed = False
            problems.insert(0, "no bottom line")
        elif any(r.verdict != Verdict.SUPPORTED for r in bottom):
            passed = False
            problems.insert(0, "bottom line not supported")
    return SupportSummary(supported=supported, total=len(rows), gate_passed=passed, problems=tuple(problems))
