"""The orchestrator: the one place that knows the stage order.

    question → understanding → retrieval → composition → verification → safety → article

Stages never import each other; this module wires them from one Settings object.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any

from curbside.composition.protocol import Composer
from curbside.domain.article import Article, Audience, RelatedQuestion, Statement
from curbside.domain.documents import Document, Passage
from curbside.domain.evidence import Applicability, EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.knowledge.embedding import Embedder, create_embedder
from curbside.knowledge.store import Store
from curbside.retrieval.evidence import EvidenceRetriever
from curbside.retrieval.hybrid import HybridSearcher
from curbside.settings import Settings
from curbside.understanding.followup import in_thread_context
from curbside.understanding.understand import QuestionUnderstanding

log = logging.getLogger("curbside.pipeline")
MAX_QUESTION_CHARS = 2000
RELATED_LIMIT = 6
QUERY_THREADS = 1


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long); the message says why."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What ``ask`` returns: the article plus the parsed question (kept for follow-ups)."""

    article: Article
    question: UnderstoodQuestion


def validate_question(text: str) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise QuestionError("The question is empty: type a clinical question.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(cleaned)} characters long; the limit is {MAX_QUESTION_CHARS}. "
            "Shorten it to the clinical question itself."
        )
    return cleaned


def create_composer(settings: Settings) -> Composer:
    """The composer named by settings: "offline" (default) or "llm"."""
    if settings.composer == "offline":
        from curbside.composition.offline import OfflineComposer

        return OfflineComposer()
    if settings.composer == "llm":
        if not settings.llm_base_url:
            raise ValueError("composer 'llm' needs CURBSIDE_LLM_BASE_URL")
        from curbside.composition.llm import LlmComposer

        return LlmComposer(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s)
    raise ValueError(f"unknown composer {settings.composer!r}; choose 'offline' or 'llm'")


class Curbside:
    """The library entry point. ``ask`` turns a question into a verified, screened article.

    Example::

        curbside = Curbside.open(Settings.from_env())
        answer = curbside.ask("What are the treatments for sickle cell disease?")
        print(answer.article.title)
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        understanding: QuestionUnderstanding,
        composer: Composer,
        verifier: Any = None,
        safety: Any = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.understanding = understanding
        self.composer = composer
        self.searcher = HybridSearcher(store, embedder)
        self.retriever = EvidenceRetriever(self.searcher)
        self.verifier = verifier
        self.safety = safety

    @classmethod
    def open(cls, settings: Settings, store: Store | None = None, embedder: Embedder | None = None) -> Curbside:
        from curbside.knowledge.build import open_store
        from curbside.wiring import build_checks, build_understanding

        store = store or open_store(settings)
        embedder = embedder or create_embedder(settings.embedder, threads=QUERY_THREADS)
        understanding = build_understanding(settings, store)
        verifier, safety = build_checks(settings, store, embedder, understanding.drugs)
        return cls(settings, store, embedder, understanding, create_composer(settings), verifier, safety)

    def understand(self, text: str, previous: UnderstoodQuestion | None = None) -> UnderstoodQuestion:
        question = self.understanding.understand(validate_question(text))
        return in_thread_context(question, previous) if previous else question

    def ask(
        self,
        text: str,
        audience: Audience = Audience.CLINICIAN,
        previous: UnderstoodQuestion | None = None,
        question: UnderstoodQuestion | None = None,
    ) -> Answer:
        """Answer one question. ``previous`` is the thread's earlier question (follow-ups);
        ``question`` replaces understanding when a reader corrected what was recognised."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        understood = question or self.understand(text, previous)
        timings["understand"] = _ms(started)
        if self.settings.log_questions:
            log.info("question: %s", understood.text)
        mark = time.perf_counter()
        evidence = self.retriever.retrieve(understood)
        timings["retrieve"] = _ms(mark)
        if self.verifier is not None:
            mark = time.perf_counter()
            evidence = self._screen_evidence(understood, evidence)
            timings["screen"] = _ms(mark)
        mark = time.perf_counter()
        article = self.composer.compose(understood, evidence)
        timings["compose"] = _ms(mark)
        article = self._verify_and_screen(article, understood, evidence, timings)
        article = article.model_copy(
            update={
                "audience": audience,
                "related_questions": self.related(understood, exclude=understood.text),
            }
        )
        timings["total"] = _ms(started)
        return Answer(
            article.model_copy(update={"timings_ms": {k: round(v, 2) for k, v in timings.items()}}), understood
        )

    def _screen_evidence(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> EvidenceSet:
        """Let the verifier's document-level applicability veto evidence before composition:
        retrieval ranks generously, and a source the verifier would call misapplied must not
        be quoted at all ("a cervical-spine guideline is not evidence for anxiety")."""
        verdicts = self.verifier.screen_sources(
            question, [(e.record.document, e.record.passage) for e in evidence.applicable]
        )
        kept, vetoed = [], []
        for item, (applies, reason) in zip(evidence.applicable, verdicts, strict=True):
            if applies is False:
                vetoed.append(replace(item, applicability=Applicability(False, reason)))
            else:
                kept.append(item)
        return replace(evidence, applicable=tuple(kept), set_aside=tuple(vetoed) + evidence.set_aside)

    def _verify_and_screen(
        self, article: Article, question: UnderstoodQuestion, evidence: EvidenceSet, timings: dict[str, float]
    ) -> Article:
        if self.verifier is not None and not article.abstained:
            mark = time.perf_counter()
            cited = self.cited_evidence(article, evidence)
            texts = [s.text for s in _statements(article)] + [passage.text for _, passage in cited.values()]
            lexicon = self.understanding.drugs.lexicon(texts)
            article = self.verifier.verify(article, question, cited, lexicon)
            timings["verify"] = _ms(mark)
        if self.safety is not None:
            mark = time.perf_counter()
            # Every drug the question or the answer names is checked against the question's drugs.
            answer_text = " ".join(s.text for s in _statements(article))
            answer_drugs = tuple(d.name for d in self.understanding.drugs.recognize(answer_text) if not d.is_class)
            mentioned = tuple(dict.fromkeys((*(d.name for d in question.drugs), *answer_drugs)))
            article = self.safety.screen(article, question, mentioned)
            timings["safety"] = _ms(mark)
        return article

    def cited_evidence(self, article: Article, evidence: EvidenceSet) -> dict[int, tuple[Document, Passage]]:
        """Reference number → (document, passage) for every reference the article cites."""
        records = {e.record.passage.passage_id: e.record for e in evidence.applicable}
        missing = [r.passage_id for r in article.references if r.passage_id not in records]
        for record in self.store.passages(missing):
            records[record.passage.passage_id] = record
        return {
            r.n: (records[r.passage_id].document, records[r.passage_id].passage)
            for r in article.references
            if r.passage_id in records
        }

    def related(self, question: UnderstoodQuestion, exclude: str = "") -> tuple[RelatedQuestion, ...]:
        """Source questions sharing the question's condition (never unrelated topics)."""
        topics = [c.name for c in question.conditions] + [c.surface for c in question.conditions]
        pairs = self.store.related_questions(topics, RELATED_LIMIT * 3)
        seen, related = {exclude.lower()}, []
        for text, _source_id in pairs:
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            related.append(RelatedQuestion(question=text, url=""))
            if len(related) == RELATED_LIMIT:
                break
        return tuple(related)


def _statements(article: Article) -> list[Statement]:
    head = [article.bottom_line] if article.bottom_line else []
    return head + [s for section in article.sections for s in section.statements]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000
