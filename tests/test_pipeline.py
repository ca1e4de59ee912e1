"""The answer engine end to end on the real knowledge base (golden questions)."""

from __future__ import annotations

import re

import pytest

from curbside.domain.article import Article, Verdict
from curbside.language.sentences import split_sentences
from curbside.pipeline import Curbside, QuestionError

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SEED = (
    "patient on buspirone for years with increased symptoms, several SSRIs tried with no improvement: "
    "best course of action?"
)


def cited_documents(article: Article) -> set[str]:
    return {ref.source_id for ref in article.references}


def all_statements(article: Article) -> list[str]:
    texts = [article.bottom_line.text] if article.bottom_line else []
    return texts + [s.text for section in article.sections for s in section.statements]


def test_seed_question_is_answered_from_sources_about_its_drugs(curbside_app: Curbside) -> None:
    answer = curbside_app.ask(SEED)
    article = answer.article
    assert answer.question.current_medications[0].name == "buspirone"
    assert answer.question.intent.value == "next_step"
    # The knowledge base holds buspirone and SSRI sources: abstaining here is a failure, not a pass.
    assert not article.abstained, article.abstain_reason
    assert article.references, "a non-abstaining answer cites its sources"
    # The question names no condition: every cited passage must concern buspirone or SSRIs,
    # and the article must say that the condition was not stated.
    # A member of the failed class (a textbook's escitalopram row) concerns the class too; the
    # members come from the sources' own class lists (the safety stage's table).
    from curbside.safety.source_classes import default_index

    classes = default_index()
    members = {m for d in answer.question.failed_medications for m in (*d.members, *classes.members_of(d.name))}
    # The condition was inferred (and the article says so): passages about it count too.
    inferred = [c.name for c in answer.question.conditions]
    terms = ["buspirone", "SSRI", "serotonin reuptake", *map(re.escape, members), *map(re.escape, inferred)]
    about = re.compile("|".join(terms), re.I)
    for ref in article.references:
        assert about.search(ref.quote), ref
    assert article.abstain_reason and "does not name a condition" in article.abstain_reason
    # The bottom line answers "what next after SSRIs failed": a step written for non-response
    # to the failed class, offering something beyond it — not a first-line SSRI row.
    bottom = article.bottom_line.text if article.bottom_line else ""
    assert re.search(r"not responded|no response|non-?respon", bottom, re.I), bottom
    assert re.search(r"\bSSRI", bottom) and re.search(r"SNRI|venlafaxine|MAOI|monoamine oxidase", bottom), bottom


@pytest.mark.parametrize(
    "question",
    ["What is the recommended dose of Zorblaxin for adults?", "What causes Kreuzfeld-Marlow syndrome in children?"],
)
def test_fabricated_names_abstain(curbside_app: Curbside, question: str) -> None:
    article = curbside_app.ask(question).article
    assert article.abstained
    assert article.bottom_line is None and not article.sections
    assert "do not recognise" in (article.abstain_reason or "")


def test_screening_question_cites_graded_uspstf_recommendation(curbside_app: Curbside) -> None:
    article = curbside_app.ask("Should adults be screened for colorectal cancer, and from what age?").article
    assert not article.abstained
    assert any("Preventive Services Task Force" in ref.organization and ref.grade for ref in article.references)
    assert article.bottom_line is not None
    assert article.bottom_line.verdict == Verdict.SUPPORTED


def test_sickle_cell_answer_cites_only_sickle_cell_sources(curbside_app: Curbside) -> None:
    article = curbside_app.ask("How should a vaso-occlusive crisis in sickle cell disease be managed?").article
    assert not article.abstained
    for ref in article.references:
        assert "sickle" in f"{ref.title} {ref.quote}".lower(), ref.title


def test_every_statement_is_verbatim_from_its_cited_passage(curbside_app: Curbside) -> None:
    article = curbside_app.ask("What are the symptoms of Paget's disease of bone?").article
    quotes = {ref.n: ref.quote for ref in article.references}
    assert all_statements(article)
    for section in article.sections:
        for statement in section.statements:
            # Statements are whole source sentences (the two most relevant, in source order).
            for sentence in split_sentences(statement.text.rstrip("…")):
                assert any(sentence in quotes[n] for n in statement.citations), sentence


def test_off_topic_sources_are_set_aside_with_reasons(curbside_app: Curbside) -> None:
    article = curbside_app.ask("What is the treatment for generalized anxiety disorder in older adults?").article
    for ref in article.references:
        assert "irritable bowel" not in ref.title.lower()
    assert article.searched


@pytest.mark.parametrize("text", ["", "   ", "x" * 5000])
def test_bad_questions_get_clear_errors(curbside_app: Curbside, text: str) -> None:
    with pytest.raises(QuestionError):
        curbside_app.ask(text)


def test_follow_up_keeps_the_thread_context(curbside_app: Curbside) -> None:
    first = curbside_app.ask("What are the treatments for sickle cell disease in children?")
    follow = curbside_app.ask("What about screening?", previous=first.question)
    assert [c.name for c in follow.question.conditions] == [c.name for c in first.question.conditions]
    assert follow.question.age_group == first.question.age_group


def test_answers_are_deterministic(curbside_app: Curbside) -> None:
    question = "What are the symptoms of Paget's disease of bone?"
    one = curbside_app.ask(question).article.model_dump(exclude={"timings_ms"})
    two = curbside_app.ask(question).article.model_dump(exclude={"timings_ms"})
    assert one == two
