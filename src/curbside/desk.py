"""The library's use cases over the pipeline: ask, follow up, correct, and present articles.

The CLI, the web pages and the JSON API all call these same methods (the shells only parse
input and render). Stored articles are always the source-faithful (clinician-worded)
version; audience rewording happens when an article is presented, so one stored article
serves every reader.

Example::

    desk = AnswerDesk.over(Curbside.open(settings), InMemoryArticleRepository())
    stored = desk.ask("What are the treatments for sickle cell disease?", Audience.PATIENT)
    print(desk.present(stored).article.bottom_line)      # reworded in plain language
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from curbside.composition.audience import PlainLanguage, readability, reword
from curbside.domain.article import Article, Audience, RelatedQuestion, ReviewStatus
from curbside.domain.question import UnderstoodQuestion
from curbside.domain.stored_articles import Relation, StoredArticle
from curbside.medication_check import MedicationCheck
from curbside.pipeline import Curbside, QuestionError
from curbside.protocols import ArticleRepository
from curbside.understanding.fhir_context import FhirContextError
from curbside.understanding.revision import revise

# C0/C1 control characters other than whitespace: they carry nothing a question needs and
# break terminals and logs downstream.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ArticleNotFoundError(LookupError):
    """No stored article has that slug."""


def clean_text(text: str) -> str:
    """Text safe to store: lone surrogates replaced, control characters removed."""
    return _CONTROL.sub(" ", text.encode("utf-8", "replace").decode("utf-8"))


#: How a related question links somewhere: (question, audience) → URL ("" when there is nowhere).
RelatedLink = Callable[[str, Audience], str]


def no_link(question: str, audience: Audience) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class Presented:
    """A stored article as one reader sees it."""

    stored: StoredArticle
    article: Article

    @property
    def fk_grade(self) -> float | None:
        """Flesch–Kincaid grade of what the reader sees first. Computed when asked: the first
        call loads textstat's pronunciation dictionary (~0.8 CPU-s), which a terminal answer
        for a clinician never shows."""
        return readability(self.article)


class AnswerDesk:
    """Asks the pipeline, stores what it answers, and presents stored articles per audience.

    Raises ``QuestionError`` (from the pipeline) for unanswerable input and
    :class:`ArticleNotFoundError` for unknown slugs.
    """

    def __init__(
        self,
        curbside: Curbside,
        repository: ArticleRepository,
        plain: PlainLanguage | Callable[[], PlainLanguage],
        related_link: RelatedLink = no_link,
    ) -> None:
        """``plain`` is the patient-wording table, or a function building it on first use."""
        self.curbside = curbside
        self.repository = repository
        self._plain = plain
        self.related_link = related_link
        self._check: MedicationCheck | None = None

    @property
    def plain(self) -> PlainLanguage:
        if not isinstance(self._plain, PlainLanguage):
            self._plain = self._plain()
        return self._plain

    @classmethod
    def over(cls, curbside: Curbside, repository: ArticleRepository, related_link: RelatedLink = no_link) -> AnswerDesk:
        """A desk whose patient wording uses the knowledge base's plain-language glossaries."""
        # Built on first use: compiling the glossary costs ~1 CPU-s and only patient wording needs it.
        return cls(curbside, repository, lambda: PlainLanguage(curbside.store.glossary()), related_link)

    def get(self, slug: str) -> StoredArticle:
        stored = self.repository.get(slug) if len(slug) <= 64 else None
        if stored is None:
            raise ArticleNotFoundError(f"No article {slug!r}: it may have been asked on another Curbside server.")
        return stored

    def ask(
        self, text: str, audience: Audience = Audience.CLINICIAN, thread: str | None = None, patient: object = None
    ) -> StoredArticle:
        """A new article; with ``thread`` (any slug in a thread) it is a follow-up there;
        ``patient`` (a FHIR R4 Bundle) fills the question's patient context."""
        if thread:
            return self.follow_up(thread, text, audience)
        text = clean_text(text)
        if patient is None:
            # An approved article is what readers get for this question until it is withdrawn
            # (not when a patient record makes the question this patient's own).
            approved = self.repository.find_root(" ".join(text.split()), audience.value)
            if approved is not None and approved.review_status == ReviewStatus.APPROVED:
                return approved
        question = self._with_patient(text, patient) if patient is not None else None
        answer = self.curbside.ask(text, audience, question=question)
        return self.repository.create(answer.article, answer.question)

    def _with_patient(self, text: str, patient: object) -> UnderstoodQuestion:
        check = self._check = self._check or MedicationCheck(self.curbside)
        try:
            record = check.read_record(patient)
        except FhirContextError as error:
            raise QuestionError(f"The patient record cannot be read: {error}") from error
        return check.understood(self.curbside.understand(text), record)

    def ask_or_reuse(self, text: str, audience: Audience) -> StoredArticle:
        """The latest article for exactly this question, else a new one (so a link that
        creates an article on first visit does not create another on every visit)."""
        text = clean_text(text)
        existing = self.repository.find_root(" ".join(text.split()), audience.value)
        return existing or self.ask(text, audience)

    def follow_up(self, slug: str, text: str, audience: Audience | None = None) -> StoredArticle:
        """Answer ``text`` in the context of the thread's latest question."""
        stored = self.get(slug)
        thread = self.repository.thread(stored.thread_id)
        previous = thread[-1].understood if thread else stored.understood
        answer = self.curbside.ask(clean_text(text), audience or stored.article.audience, previous=previous)
        return self.repository.create(
            answer.article,
            answer.question,
            thread_id=stored.thread_id,
            parent_slug=thread[0].slug,
            relation=Relation.FOLLOWUP,
        )

    def correct(
        self,
        slug: str,
        conditions: Sequence[str] | None,
        drugs: Sequence[str] | None,
        current: Sequence[str] | None,
        failed: Sequence[str] | None,
    ) -> StoredArticle:
        """Re-ask ``slug``'s question with the reader's corrections to what was understood."""
        stored = self.get(slug)
        understanding = self.curbside.understanding
        question = revise(
            stored.understood, conditions, drugs, current, failed, understanding.drugs, understanding.conditions
        )
        answer = self.curbside.ask(stored.question, stored.article.audience, question=question)
        return self.repository.create(
            answer.article,
            answer.question,
            thread_id=stored.thread_id,
            parent_slug=stored.slug,
            relation=Relation.REVISION,
        )

    def present(self, stored: StoredArticle, audience: Audience | None = None) -> Presented:
        """The article worded for ``audience`` (default: the asker's), with related links."""
        audience = audience or stored.article.audience
        related = tuple(
            RelatedQuestion(question=r.question, url=self.related_link(r.question, audience))
            for r in stored.article.related_questions
        )
        # Only patient wording reads the plain-language table (so a clinician's answer never builds it).
        plain = self.plain if audience == Audience.PATIENT else ()
        article = reword(stored.article.model_copy(update={"related_questions": related}), audience, plain)
        return Presented(stored, article)

    def thread(self, stored: StoredArticle) -> list[StoredArticle]:
        """The other articles in ``stored``'s thread, oldest first."""
        return [a for a in self.repository.thread(stored.thread_id) if a.slug != stored.slug]
