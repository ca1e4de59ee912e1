"""Applicability rules that need no semantic model (exact names, CUIs, population, pregnancy)."""

from __future__ import annotations

from verification_helpers import make_document, make_question

from curbside.applicability.checker import (
    ApplicabilityChecker,
    profile_from_document,
    profile_from_text,
)
from curbside.domain.documents import DocumentKind
from curbside.domain.question import AgeGroup, ConditionMention, Intent, UnderstoodQuestion
from curbside.knowledge.embedding import HashingEmbedder
from curbside.verification.polarity import is_negative
from curbside.verification.support import VectorCache

CHECKER = ApplicabilityChecker(VectorCache(HashingEmbedder()))


def test_condition_by_name_tokens_and_cui() -> None:
    doc = make_document("g", "Screening for colorectal cancer", ["Screen adults aged 50 to 75 years."])
    assert CHECKER.check(make_question("q", conditions=("colorectal cancer",)), profile_from_document(doc)).applies
    coded = make_document("m", "Bowel trouble", ["text"], conditions=("ibs",), metadata={"cuis": ["C0022104"]})
    question = UnderstoodQuestion(
        text="q",
        intent=Intent.TREATMENT,
        conditions=(ConditionMention("spastic colon", "spastic colon", "medquad-focus", ("C0022104",)),),
    )
    result = CHECKER.check(question, profile_from_document(coded))
    assert result.applies is True and "same concept" in result.reason


def test_adolescent_question_vs_adults_18_and_older() -> None:
    doc = make_document(
        "g", "Screening for depression", ["Screen for depression."], conditions=("depression",),
        population="Adults aged 18 years and older",
    )  # fmt: skip
    teen = make_question("q", conditions=("depression",), age=AgeGroup.ADOLESCENT)
    result = CHECKER.check(teen, profile_from_document(doc))
    assert result.applies is False and "adolescent" in result.reason
    adult = make_question("q", conditions=("depression",), age=AgeGroup.OLDER_ADULT)
    assert CHECKER.check(adult, profile_from_document(doc)).applies is True


def test_pregnancy_scope() -> None:
    doc = make_document(
        "g", "Folic acid for prevention of neural tube defects", ["Take 0.4 mg daily."],
        conditions=("neural tube defects",), population="Nonpregnant women of reproductive age",
    )  # fmt: skip
    pregnant = make_question("q", conditions=("neural tube defects",), pregnant=True)
    assert CHECKER.check(pregnant, profile_from_document(doc)).applies is False


def test_passing_mention_of_adults_is_not_a_restriction() -> None:
    doc = make_document("m", "Acromegaly", ["Acromegaly is most often diagnosed in middle-aged adults."])
    child = make_question("q", conditions=("acromegaly",), age=AgeGroup.CHILD)
    assert CHECKER.check(child, profile_from_document(doc), doc.passages[0].text).applies is True


def test_label_without_question_drug_is_not_flagged() -> None:
    label = make_document(
        "fda:x", "Warfarin label", ["Bleeding risk."], kind=DocumentKind.DRUG_LABEL, drugs=("warfarin",)
    )
    question = make_question("q", conditions=("atrial fibrillation",))
    assert CHECKER.check(question, profile_from_document(label)).applies is None


def test_audit_profile_infers_label_and_topic() -> None:
    profile = profile_from_text(
        "a:1", "Amitriptyline tablets: prescribing information", "Amitriptyline is ...", ["amitriptyline"]
    )
    assert profile.kind == "drug_label" and profile.drugs == ("amitriptyline",)
    guideline = profile_from_text("a:2", "Irritable bowel syndrome in adults: management", "IBS is common.")
    assert guideline.topic == "irritable bowel syndrome in adults"


def test_negation_in_subordinate_clause_is_ignored() -> None:
    assert not is_negative("Offer CBT to people whose symptoms have not improved after education.")
    assert is_negative("Do not offer benzodiazepines to people who have panic disorder.")


class _CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded.extend(texts)
        return super().embed(texts)


def test_only_sources_that_need_topic_similarity_are_embedded() -> None:
    # A source decided by its condition words needs no embedding; one that only topic
    # similarity can decide lists exactly what check() then embeds.
    embedder = _CountingEmbedder()
    checker = ApplicabilityChecker(VectorCache(embedder))
    question = make_question("q", conditions=("colorectal cancer",))
    named = profile_from_document(make_document("g", "Screening for colorectal cancer", ["Screen adults."]))
    assert checker.texts_to_embed(question, named) == ()
    assert checker.check(question, named).applies is True and embedder.embedded == []
    other = profile_from_document(make_document("h", "Management of low back pain", ["Stay active."]))
    needed = checker.texts_to_embed(question, other)
    assert "colorectal cancer" in needed and "Management of low back pain" in needed
    checker.check(question, other)
    assert set(embedder.embedded) == set(needed)
