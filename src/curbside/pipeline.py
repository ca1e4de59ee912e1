"""The orchestrator: the one place that knows the stage order.

    question → understanding → retrieval → composition → verification → safety → article

Stages never import each other; this module wires them from one Settings object.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from wordfreq import zipf_frequency

from curbside.backends import create_composer as create_registered_composer
from curbside.backends import create_embedder
from curbside.domain.article import Article, Audience, RelatedQuestion, Statement
from curbside.domain.documents import Document, Passage
from curbside.domain.evidence import Applicability, EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.language.sentences import split_sentences
from curbside.protocols import Composer, ComposerUnavailableError, Embedder, SafetyCheck, Store, Verifier
from curbside.retrieval.evidence import EvidenceRetriever
from curbside.retrieval.hybrid import HybridSearcher
from curbside.retrieval.related import ConceptIndex, RelatedQuestionFinder
from curbside.settings import Settings
from curbside.understanding.followup import in_thread_context
from curbside.understanding.inference import ConditionInference
from curbside.understanding.understand import QuestionUnderstanding

log = logging.getLogger("curbside.pipeline")
MAX_QUESTION_CHARS = 2000
RELATED_LIMIT = 6
MIN_WORD_LETTERS = 3
#: wordfreq Zipf frequency from which a word counts as recognisable English (about once per 10 million words).
RECOGNISABLE_ZIPF = 2.0
QUERY_THREADS = 1
INFERENCE_TERMS = 4
# Passages handed to composition: enough for a seed-shaped article from several sources.
EVIDENCE_LIMIT = 24
INFERENCE_HITS = 40


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long); the message says why."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What ``ask`` returns: the article plus the parsed question (kept for follow-ups)."""

    article: Article
    question: UnderstoodQuestion


def validate_question(text: str) -> str:
    """The question with whitespace collapsed, or QuestionError saying what is refused."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise QuestionError("The question is empty: type a clinical question.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(cleaned)} characters long; the limit is {MAX_QUESTION_CHARS}. "
            "Shorten it to the clinical question itself."
        )
    if not reads_as_words(cleaned):
        raise QuestionError(
            "This does not read as a question: it has no recognisable English words. "
            "Type the clinical question in words."
        )
    return cleaned


def reads_as_words(text: str) -> bool:
    """Whether ``text`` has at least one word wordfreq knows as English.

    Words of one or two letters are ignored: wordfreq rates nearly every pair of letters as
    frequent, so they would let symbol soup and random bytes through."""
    return any(
        zipf_frequency(word, "en") >= RECOGNISABLE_ZIPF
        for word in "".join(char if char.isalpha() else " " for char in text.lower()).split()
        if len(word) >= MIN_WORD_LETTERS
    )


def create_composer(settings: Settings) -> Composer:
    """The composer named by settings, chosen through the backend registry."""
    return create_registered_composer(settings)


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
        verifier: Verifier,
        safety: SafetyCheck,
        fallback: Composer | None = None,
        related_concepts: ConceptIndex | None = None,
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
        # Answers when ``composer`` is unavailable (CURBSIDE_LLM_FALLBACK=offline); None: report it.
        self.fallback = fallback
        self.related_finder = RelatedQuestionFinder(store, related_concepts)
        self.inference = ConditionInference(
            understanding.conditions, self.sentences_mentioning, lambda text: len(understanding.drugs.recognize(text))
        )

    @classmethod
    def open(cls, settings: Settings, store: Store | None = None, embedder: Embedder | None = None) -> Curbside:
        from curbside.knowledge.build import open_store
        from curbside.wiring import build_checks, build_related_concepts, build_understanding, check_embedder

        opened = store is None
        store = store or open_store(settings)
        embedder = embedder or create_embedder(settings.embedder, threads=QUERY_THREADS)
        try:
            check_embedder(store, embedder, settings.embedder)
        except Exception:
            if opened:
                store.close()
            raise
        understanding = build_understanding(settings, store)
        verifier, safety = build_checks(settings, store, embedder, understanding.drugs)
        composer = create_composer(settings)
        fallback = None
        if settings.llm_fallback == "offline" and composer.name != "offline":
            fallback = create_composer(settings.with_overrides(composer="offline"))
        concepts = build_related_concepts(settings, store)
        return cls(settings, store, embedder, understanding, composer, verifier, safety, fallback, concepts)

    def understand(self, text: str, previous: UnderstoodQuestion | None = None) -> UnderstoodQuestion:
        question = self.understanding.understand(validate_question(text))
        question = in_thread_context(question, previous) if previous else question
        return self.inference.resolve(question)

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
        evidence = self.retriever.retrieve(understood, limit=EVIDENCE_LIMIT)
        timings["retrieve"] = _ms(mark)
        mark = time.perf_counter()
        evidence = self._screen_evidence(understood, evidence)
        timings["screen"] = _ms(mark)
        mark = time.perf_counter()
        article = self._compose(understood, evidence)
        timings["compose"] = _ms(mark)
        article = self._verify_and_screen(article, understood, evidence, timings)
        mark = time.perf_counter()
        related = self.related(understood, exclude=understood.text)
        timings["related"] = _ms(mark)
        article = article.model_copy(update={"audience": audience, "related_questions": related})
        timings["total"] = _ms(started)
        return Answer(
            article.model_copy(update={"timings_ms": {k: round(v, 2) for k, v in timings.items()}}), understood
        )

    def _compose(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> Article:
        """The composer's article; the fallback's when the composer is unavailable and one is set.

        Raises:
            ComposerUnavailableError: the composer failed and no fallback is configured.
        """
        try:
            return self.composer.compose(question, evidence)
        except ComposerUnavailableError as error:
            if self.fallback is None:
                raise
            log.warning(
                "composer %s unavailable (%s); answering with %s", self.composer.name, error, self.fallback.name
            )
            article = self.fallback.compose(question, evidence)
            return article.model_copy(
                update={"composer": f"{self.fallback.name} (fallback: {self.composer.name} unavailable)"}
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
        if not article.abstained:
            mark = time.perf_counter()
            cited = self.cited_evidence(article, evidence)
            texts = [s.text for s in _statements(article)] + [passage.text for _, passage in cited.values()]
            lexicon = self.understanding.drugs.lexicon(texts)
            article = self.verifier.verify(article, question, cited, lexicon)
            timings["verify"] = _ms(mark)
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

    def sentences_mentioning(self, terms: Sequence[str]) -> list[str]:
        """Knowledge-base sentences that name any of ``terms`` (what condition inference reads)."""
        ids: dict[str, None] = {}
        for term in terms[:INFERENCE_TERMS]:
            ids.update((hit.passage_id, None) for hit in self.store.lexical_search(term, INFERENCE_HITS))
        sentences: list[str] = []
        for record in self.store.passages(list(ids)):
            sentences.extend(s for line in record.passage.text.splitlines() for s in split_sentences(line))
        return sentences

    def related(self, question: UnderstoodQuestion, exclude: str = "") -> tuple[RelatedQuestion, ...]:
        """Source questions on the question's concept (never unrelated topics), then clinician
        questions about its drugs that the knowledge base was checked to answer."""
        built = [b.text for b in self.related_finder.built_questions(question)]
        sourced = self.related_finder.source_questions(question, RELATED_LIMIT * 3)
        seen, chosen = {exclude.lower()}, list[str]()
        for text in sourced:
            if text.lower() not in seen and len(chosen) < RELATED_LIMIT - len(built):
                seen.add(text.lower())
                chosen.append(text)
        chosen += [text for text in built if text.lower() not in seen]
        return tuple(RelatedQuestion(question=text, url="") for text in chosen)


def _statements(article: Article) -> list[Statement]:
    head = [article.bottom_line] if article.bottom_line else []
    return head + [s for section in article.sections for s in section.statements]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000
