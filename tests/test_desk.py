"""The library's answer desk: the same ask / follow-up / correct / present the CLI and web app use."""

from __future__ import annotations

import pytest

from curbside.composition.audience import PlainLanguage
from curbside.desk import AnswerDesk, ArticleNotFoundError
from curbside.domain.article import Audience
from curbside.domain.documents import GlossaryEntry
from curbside.domain.stored_articles import Relation
from curbside.pipeline import Curbside
from curbside.review.memory import InMemoryArticleRepository
from curbside.settings import Settings
from tests.fixture_kb import build_fixture_kb

ANSWERED = "What are the symptoms of example syndrome?"


@pytest.fixture(scope="module")
def curbside(tmp_path_factory: pytest.TempPathFactory) -> Curbside:
    settings: Settings = build_fixture_kb(tmp_path_factory.mktemp("desk-kb"))
    return Curbside.open(settings)


@pytest.fixture
def desk(curbside: Curbside) -> AnswerDesk:
    return AnswerDesk.over(curbside, InMemoryArticleRepository())


def _citations(article: object) -> list[tuple[int, ...]]:
    from curbside.domain.article import Article

    assert isinstance(article, Article)
    statements = ([article.bottom_line] if article.bottom_line else []) + [
        s for section in article.sections for s in section.statements
    ]
    return sorted(s.citations for s in statements)


def test_patient_presentation_rewords_and_keeps_every_citation(curbside: Curbside) -> None:
    # The fixture glossaries hold no term the fixture answers use: a glossary entry written
    # here (test wording, not medical content) makes the rewording visible.
    plain = PlainLanguage([GlossaryEntry(glossary="test", term="invented", plain="made-up")])
    desk = AnswerDesk(curbside, InMemoryArticleRepository(), plain)
    stored = desk.ask(ANSWERED, Audience.PATIENT)
    assert not stored.article.abstained, stored.article.abstain_reason
    patient = desk.present(stored)
    clinician = desk.present(stored, Audience.CLINICIAN)

    assert patient.article.audience is Audience.PATIENT
    assert _citations(patient.article) == _citations(clinician.article)
    statements = [s for section in patient.article.sections for s in section.statements]
    reworded = [s for s in statements if s.original_text and s.original_text != s.text]
    assert reworded and all("made-up" in s.text and "invented" in (s.original_text or "") for s in reworded)
    assert not any("made-up" in s.text for section in clinician.article.sections for s in section.statements)
    assert patient.fk_grade is not None


def test_follow_up_joins_the_thread_with_the_earlier_question_as_context(desk: AnswerDesk) -> None:
    first = desk.ask(ANSWERED)
    follow = desk.ask("How is it treated?", thread=first.slug)
    assert follow.thread_id == first.thread_id
    assert follow.relation is Relation.FOLLOWUP
    assert [a.slug for a in desk.thread(follow)] == [first.slug]
    assert follow.understood.conditions, "the follow-up inherits the thread's condition"


def test_correction_reasks_with_the_readers_condition(desk: AnswerDesk) -> None:
    first = desk.ask(ANSWERED)
    revised = desk.correct(first.slug, ["example disease"], None, None, None)
    assert revised.relation is Relation.REVISION and revised.parent_slug == first.slug
    assert [c.name for c in revised.understood.conditions] != [c.name for c in first.understood.conditions]


def test_unknown_slug_is_a_clear_error(desk: AnswerDesk) -> None:
    with pytest.raises(ArticleNotFoundError, match="No article"):
        desk.get("no-such-slug")
