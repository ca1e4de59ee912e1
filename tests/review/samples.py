"""Small hand-made articles and questions for repository and workflow tests."""

from __future__ import annotations

from curbside.domain.article import Article, Reference, Section, Statement, SupportSummary, UnderstoodView, Verdict
from curbside.domain.question import AgeGroup, ConditionMention, DrugMention, Intent, UnderstoodQuestion

QUESTION = UnderstoodQuestion(
    text="Next step for depression on buspirone after SSRIs failed?",
    intent=Intent.NEXT_STEP,
    intent_confidence=0.82,
    drugs=(
        DrugMention("buspirone", "buspirone", drugbank_id="DB00490"),
        DrugMention("ssri", "SSRIs", is_class=True, members=("sertraline", "fluoxetine"), class_codes=("N06AB",)),
    ),
    current_medications=(DrugMention("buspirone", "buspirone", drugbank_id="DB00490"),),
    failed_medications=(DrugMention("ssri", "SSRIs", is_class=True, members=("sertraline", "fluoxetine")),),
    conditions=(ConditionMention("depression", "depression", "icd10", ("F32.A",)),),
    age_group=AgeGroup.OLDER_ADULT,
    pregnant=False,
    duration="for years",
    negations=("no improvement",),
    unknown_terms=("Zorblax",),
)


def article(gate_passed: bool | None = True, abstained: bool = False) -> Article:
    statement = Statement(text="Offer psychotherapy.", citations=(1,), verdict=Verdict.SUPPORTED, support=0.9)
    return Article(
        question=QUESTION.text,
        title="Next step",
        understood=UnderstoodView(summary=QUESTION.summary(), intent="next_step", intent_confidence=0.82),
        bottom_line=None if abstained else statement,
        sections=() if abstained else (Section(heading="Options", kind="options", statements=(statement,)),),
        references=(
            Reference(
                n=1,
                source_id="ngc:1",
                passage_id="ngc:1#0",
                organization="Org",
                title="Guideline",
                year=2020,
                url="https://example.org",
                section="Recs",
                kind="guideline",
                quote="Offer psychotherapy.",
            ),
        ),
        abstained=abstained,
        support=SupportSummary(supported=1, total=1, gate_passed=gate_passed),
    )
