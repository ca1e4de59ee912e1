"""Reading rules for which sentence may answer a question."""

from __future__ import annotations

from curbside.composition import selection
from curbside.domain.documents import Document, DocumentKind, Passage, PassageRecord
from curbside.domain.question import ConditionMention, DrugMention, Intent, UnderstoodQuestion


def record(title: str, conditions: tuple[str, ...] = (), kind: DocumentKind = DocumentKind.GUIDELINE) -> PassageRecord:
    document = Document("ngc:1", "ngc", kind, "Org", title, 2015, "https://example.org", "", conditions=conditions)
    return PassageRecord(document, Passage("ngc:1#0", ("Major Recommendations",), "text", 0))


def test_a_table_cell_has_no_verb_and_a_recommendation_has_one() -> None:
    assert not selection.has_verb("Selective serotonin reuptake inhibitor (except fluvoxamine) (SSRIs)")
    assert selection.has_verb("Offer an alternative drug if the person has not responded.")


def test_a_guideline_about_another_condition_is_not_about_this_one() -> None:
    asked = UnderstoodQuestion("q", Intent.NEXT_STEP, conditions=(ConditionMention("anxiety", "anxiety", "icd10"),))
    wanted = selection.condition_stems(asked)
    assert selection.about_condition(record("Social anxiety disorder: treatment"), wanted)
    assert not selection.about_condition(record("Osteoarthritis of the knee"), wanted)
    assert selection.about_condition(record("Sertraline label", kind=DocumentKind.DRUG_LABEL), wanted)
    assert not selection.exactly_about(record("Depression in adults"), asked)


def test_what_failed_is_not_offered_again_unless_named_as_the_situation() -> None:
    failed = DrugMention("ssri", "SSRIs", is_class=True, members=("sertraline",))
    asked = UnderstoodQuestion("q", Intent.NEXT_STEP, drugs=(failed,), failed_medications=(failed,))
    patterns = selection.failed_patterns(asked)
    assert selection.offers_failed("Offer sertraline as first-line treatment.", patterns)
    assert selection.offers_failed("An SSRI should be offered.", patterns)
    assert not selection.offers_failed("If the person has not responded to an SSRI, offer venlafaxine.", patterns)


def test_directness_follows_the_intent() -> None:
    assert selection.directness("If there is no response, switch to another drug.", Intent.NEXT_STEP) == 1
    assert selection.directness("Offer a drug.", Intent.NEXT_STEP) == 0
    assert selection.directness("The maximum dose is 4000 mg per day.", Intent.DOSING) == 3


def test_a_statement_for_the_patients_age_group_fits_and_another_group_does_not() -> None:
    age = selection.question_age("Should a 55-year-old man be screened?")
    assert age == 55
    assert selection.age_fit("Screen adults aged 50 to 75 years.", age) == 1
    assert selection.age_fit("Screening adults older than 85 years is not recommended; aged 76 to 85 years.", age) == -1
    assert selection.age_fit("Screen adults.", age) == 0


def test_a_statement_whose_non_response_clause_names_what_failed_speaks_to_the_situation() -> None:
    failed = DrugMention("ssri", "SSRIs", is_class=True, members=("sertraline",))
    patterns = selection.failed_patterns(UnderstoodQuestion("q", Intent.NEXT_STEP, failed_medications=(failed,)))
    assert selection.names_situation("For adults whose symptoms have not responded to an SSRI, offer CBT.", patterns)
    assert not selection.names_situation("Discuss CBT with adults whose symptoms have not responded.", patterns)


def test_partial_response_and_no_response_are_told_apart() -> None:
    assert selection.response_kind("has only partially responded to an SSRI") == "partial"
    assert selection.response_kind("symptoms have not responded to an SSRI") == "none"
    assert selection.response_kind("several SSRIs failed, symptoms worse: what next?") == "none"
    assert selection.response_kind("Offer CBT.") is None
    question = "sertraline helped a bit but she still has symptoms"
    assert selection.same_situation("For adults whose symptoms have only partially responded, add CBT.", question)
    assert not selection.same_situation("For adults who have not responded, switch.", question)
    assert not selection.same_situation("For adults who have not responded, switch.", "what is buspirone?")


def test_a_drug_label_speaks_for_its_own_drug() -> None:
    label = Document(
        "fda:1", "fda-nlm", DocumentKind.DRUG_LABEL, "FDA", "Cardizem", 2010, "u", "", drugs=("cardizem", "diltiazem")
    )
    passage = PassageRecord(label, Passage("fda:1#0", ("Drug Interactions",), "text", 0))
    buspirone = DrugMention("buspirone", "buspar")
    diltiazem = DrugMention("diltiazem hydrochloride", "diltiazem")
    assert selection.label_of_another_drug(passage, UnderstoodQuestion("q", Intent.INTERACTION, drugs=(buspirone,)))
    asked = UnderstoodQuestion("q", Intent.INTERACTION, drugs=(buspirone, diltiazem))
    assert not selection.label_of_another_drug(passage, asked)
    assert not selection.label_of_another_drug(record("Anxiety guideline"), asked)


def test_a_dose_question_asking_for_the_maximum_prefers_a_stated_maximum() -> None:
    asks = "ibuprofen max dose per day for an adult?"
    stated = "Adults: 200–800 mg orally every 4–8 hours as needed; maximum dose: 3200 mg/day."
    trial = "Ibuprofen at a dose of up to 2400 mg per day did not raise cardiovascular risk."
    assert selection.directness(stated, Intent.DOSING, asks) > selection.directness(trial, Intent.DOSING, asks)


def test_a_dose_question_asking_how_to_start_prefers_a_starting_dose() -> None:
    asks = "usual starting dose of quorvanide?"
    start = "Initial dose: 20 mg/day orally; may increase weekly."
    other = "Doses of 40 mg/day were studied in older adults."
    assert selection.directness(start, Intent.DOSING, asks) > selection.directness(other, Intent.DOSING, asks)
