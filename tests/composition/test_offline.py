"""The offline (extractive) composer on evidence retrieved from the fixture knowledge base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curbside.composition.offline import OfflineComposer
from curbside.domain.article import Article, Statement
from curbside.domain.documents import Document, DocumentKind, Passage, PassageRecord
from curbside.domain.evidence import Applicability, Evidence, EvidenceSet
from curbside.domain.question import ConditionMention, DrugMention, Intent, UnderstoodQuestion
from curbside.knowledge.build import open_store
from curbside.knowledge.embedding import HashingEmbedder
from curbside.protocols import Store
from curbside.retrieval.evidence import EvidenceRetriever
from curbside.retrieval.hybrid import HybridSearcher
from curbside.understanding.understand import QuestionUnderstanding
from curbside.wiring import build_understanding
from tests.fixture_kb import build_fixture_kb

ANSWERED = "What are the symptoms of example syndrome?"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QuestionUnderstanding, EvidenceRetriever]]:
    settings = build_fixture_kb(tmp_path_factory.mktemp("offline-kb"))
    store: Store = open_store(settings)
    yield build_understanding(settings, store), EvidenceRetriever(HybridSearcher(store, HashingEmbedder()))
    store.close()


def prepared(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever], text: str
) -> tuple[UnderstoodQuestion, EvidenceSet]:
    understanding, retriever = parts
    question = understanding.understand(text)
    return question, retriever.retrieve(question)


def statements(article: Article) -> list[Statement]:
    return ([article.bottom_line] if article.bottom_line else []) + [
        s for section in article.sections for s in section.statements
    ]


def test_every_statement_is_quoted_from_the_passage_it_cites(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever],
) -> None:
    question, evidence = prepared(parts, ANSWERED)
    article = OfflineComposer().compose(question, evidence)
    assert not article.abstained, article.abstain_reason
    assert article.bottom_line is not None and article.sections
    quotes = {r.n: r.quote for r in article.references}
    given = {e.record.passage.passage_id for e in evidence.applicable}
    assert {r.passage_id for r in article.references} <= given
    for statement in statements(article):
        assert statement.citations, statement.text
        # Extractive: the statement's opening words are in a cited passage (grade notes may follow).
        opening = statement.text.split(" (")[0].split(" [")[0][:60]
        assert any(opening in quotes[n] for n in statement.citations), statement.text


def test_same_input_same_article(parts: tuple[QuestionUnderstanding, EvidenceRetriever]) -> None:
    question, evidence = prepared(parts, ANSWERED)
    assert OfflineComposer().compose(question, evidence) == OfflineComposer().compose(question, evidence)


def test_a_question_the_sources_do_not_answer_abstains_with_a_reason(
    parts: tuple[QuestionUnderstanding, EvidenceRetriever],
) -> None:
    question, evidence = prepared(parts, "What causes Kreuzfeld-Marlow syndrome in children?")
    article = OfflineComposer().compose(question, evidence)
    assert article.abstained and article.abstain_reason
    assert article.bottom_line is None and not article.sections


def _evidence(passage_id: str, text: str, score: float) -> Evidence:
    document = Document(
        "ngc:7",
        "ngc",
        DocumentKind.GUIDELINE,
        "NICE",
        "Social anxiety disorder: treatment",
        2013,
        "u",
        "",
        conditions=("social anxiety disorder",),
    )
    path = ("Major Recommendations", "Options for Adults With No or a Partial Response to Initial Treatment")
    passage = Passage(passage_id, path, text, int(passage_id.rsplit("#", 1)[1]))
    return Evidence(PassageRecord(document, passage), score, Applicability(True, "about it"), 1.0, score, True)


def test_what_next_leads_with_the_step_written_for_the_patients_failure() -> None:
    failed = DrugMention("selective serotonin reuptake inhibitors", "SSRIs", is_class=True, members=("sertraline",))
    question = UnderstoodQuestion(
        "several SSRIs failed, symptoms worse: what next?",
        Intent.NEXT_STEP,
        conditions=(ConditionMention("anxiety", "anxiety", "icd10"),),
        drugs=(failed,),
        failed_medications=(failed,),
    )
    partial = "For adults whose symptoms have only partially responded to CBT, consider a drug with CBT."
    add_on = "For adults whose symptoms have only partially responded to an SSRI, offer CBT in addition to the SSRI."
    switch = "For adults whose symptoms have not responded to an SSRI, offer an alternative SSRI or an SNRI."
    first_line = "Offer an SSRI (sertraline) to adults who wish to take a drug."
    evidence = EvidenceSet(
        ("q",),
        tuple(
            _evidence(f"ngc:7#{n}", text, score)
            for n, (text, score) in enumerate(((partial, 0.9), (add_on, 0.85), (switch, 0.8), (first_line, 0.95)))
        ),
        (),
    )
    article = OfflineComposer().compose(question, evidence)
    assert article.bottom_line is not None and article.bottom_line.text == switch
    quoted = [s.text for section in article.sections for s in section.statements]
    assert add_on in quoted  # written for a failure of the class: kept, below the switch
    assert first_line not in quoted  # offers again what failed: never


def test_a_dose_question_is_answered_about_the_drug_it_names() -> None:
    question = UnderstoodQuestion(
        "taking 6000 mg of tylenol a day for back pain is that ok",
        Intent.DOSING,
        conditions=(ConditionMention("back pain", "back pain", "icd10"),),
        drugs=(DrugMention("acetaminophen", "tylenol"),),
    )
    other = "For back pain, a dose of duloxetine 60 mg per day should be considered."
    asked = "For patients with chronic back pain, the group recommends against the chronic use of acetaminophen."
    evidence = EvidenceSet(("q",), (_evidence("ngc:7#0", other, 0.9), _evidence("ngc:7#1", asked, 0.5)), ())
    article = OfflineComposer().compose(question, evidence)
    assert article.bottom_line is not None and article.bottom_line.text == asked


def _interaction_question(text: str) -> UnderstoodQuestion:
    current = DrugMention("quorvanide", "quorvanide")
    added = DrugMention("zelmaprine", "Zelmax")
    return UnderstoodQuestion(text, Intent.INTERACTION, drugs=(current, added), current_medications=(current,))


def test_an_interaction_question_is_answered_by_a_statement_naming_both_drugs() -> None:
    question = _interaction_question("on quorvanide, can I add Zelmax?")
    alone = "Quorvanide should be taken with food to avoid stomach upset."
    both = "Concomitant use of quorvanide with zelmaprine increases the risk of bleeding; monitor closely."
    evidence = EvidenceSet(("q",), (_evidence("ngc:7#0", alone, 0.95), _evidence("ngc:7#1", both, 0.4)), ())
    article = OfflineComposer().compose(question, evidence)
    assert article.bottom_line is not None and article.bottom_line.text == both


def test_an_interaction_question_no_source_answers_says_so_instead_of_quoting_one_drug() -> None:
    question = _interaction_question("on quorvanide, can I add Zelmax?")
    alone = "Quorvanide should be taken with food to avoid stomach upset."
    other = "Zelmaprine is a second-line agent for chronic pain."
    evidence = EvidenceSet(("q",), (_evidence("ngc:7#0", alone, 0.95), _evidence("ngc:7#1", other, 0.9)), ())
    article = OfflineComposer().compose(question, evidence)
    assert article.abstained and article.bottom_line is None
    assert article.abstain_reason is not None and "quorvanide and Zelmax together" in article.abstain_reason
    assert "not evidence that it is safe" in article.abstain_reason


def _textbook_row(passage_id: str, text: str, score: float) -> Evidence:
    document = Document(
        "openstax:book:m1", "openstax", DocumentKind.TEXTBOOK, "OpenStax", "Fixture Pharmacology", 2024, "u", "CC BY"
    )
    passage = Passage(passage_id, ("Antidepressants", "Drug Emphasis Table"), text, int(passage_id.rsplit("#", 1)[1]))
    return Evidence(PassageRecord(document, passage), score, Applicability(True, "about it"), 0.0, score, False)


def test_a_dose_question_is_answered_by_the_drug_s_own_dosing_row_and_says_what_it_does_not_name() -> None:
    question = UnderstoodQuestion(
        "usual starting dose of quorvanide for depression in adults?",
        Intent.DOSING,
        conditions=(ConditionMention("depression", "depression", "icd10"),),
        drugs=(DrugMention("quorvanide", "quorvanide"),),
    )
    guideline = "No dose adjustment of quorvanide is recommended for depression in CYP2C19 ultrarapid metabolizers."
    row = (
        "Quorvanide (Brandex) — Routes and Dosage Ranges: Adults: 50 mg orally once daily; may increase weekly; "
        "maximum dose: 200 mg/day."
    )
    other_row = "Zelmaprine (Othrex) — Routes and Dosage Ranges: Adults: 20 mg orally once daily."
    evidence = EvidenceSet(
        ("q",),
        (_evidence("ngc:7#0", guideline, 0.9), _textbook_row("openstax:book:m1#1", row, 0.6),
         _textbook_row("openstax:book:m1#2", other_row, 0.6)),
        (),
    )  # fmt: skip
    article = OfflineComposer().compose(question, evidence)
    assert article.bottom_line is not None and article.bottom_line.text == row
    assert (
        article.evidence_gap is not None
        and "does not name depression" in article.evidence_gap
        and "general entry" in article.evidence_gap
    )


def test_a_key_question_or_a_lead_in_without_its_list_is_not_a_statement() -> None:
    from curbside.composition.offline import is_statement

    assert not is_statement("What pharmacological strategies are most effective in treatment-resistant depression?")
    assert not is_statement("If the patient does not respond by the 4th week, any of these strategies could be tried:")
    assert is_statement("If the patient does not respond by the 4th week, switching to another drug may be tried.")
