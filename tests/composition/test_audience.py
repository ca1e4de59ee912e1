"""Audience rewording: wording changes, evidence does not; patients get a lower reading grade."""

from __future__ import annotations

import re

import pytest

from curbside.composition.audience import (
    PlainLanguage,
    collapsed_summary,
    order_sections,
    plain_alternative,
    readability,
    reword,
)
from curbside.domain.article import Article, Audience, Section, Statement, UnderstoodView, Verdict
from curbside.domain.documents import GlossaryEntry
from tests.conftest import corpus_dir

CDC = "CDC Plain Language Thesaurus"
NCI = "NCI Dictionary of Cancer Terms"
GLOSSARY = [
    GlossaryEntry(CDC, "hypertension", "high blood pressure"),
    GlossaryEntry(CDC, "administer", "give, manage, take care of"),
    GlossaryEntry(CDC, "adverse", "bad, dangerous, hurtful, harmful"),
    GlossaryEntry(CDC, "renal", "related to the kidney"),
    GlossaryEntry(CDC, "hepatic", "related to the liver"),
    GlossaryEntry(CDC, "physician", "doctor"),
    GlossaryEntry(CDC, "chronic", "long term, long-lasting"),
    GlossaryEntry(CDC, "monitor", "check, watch, keep track of"),
    GlossaryEntry(CDC, "oral", "by mouth"),
    GlossaryEntry(CDC, "condition", "a medical problem, a disease"),
    GlossaryEntry(CDC, "dose", "amount of medicine, chemical, or radiation; amount, size"),
    GlossaryEntry(CDC, "mg", "milligram"),
    GlossaryEntry(NCI, "hypertension", "A blood pressure of 140/90 or higher."),
    GlossaryEntry(NCI, "hypomelanosis", "Deficiency of melanin."),
    GlossaryEntry(NCI, "Actiq", "A drug used to treat severe pain in people with chronic conditions."),
    GlossaryEntry(NCI, "lisinopril", "A drug that lowers blood pressure."),
]


def s(text: str, *citations: int, verdict: Verdict = Verdict.SUPPORTED) -> Statement:
    return Statement(text=text, citations=citations, verdict=verdict, support=0.9)


def sample_articles() -> list[Article]:
    understood = UnderstoodView(
        summary="condition = hypertension", intent="treatment", intent_confidence=0.9, drugs=("lisinopril",)
    )
    hypertension = Article(
        question="How should chronic hypertension be treated?",
        title="Treatment of hypertension",
        understood=understood,
        bottom_line=s(
            "Physicians should administer oral antihypertensive therapy to adults with chronic "
            "hypertension and a blood pressure of 140/90 mm Hg or higher; treatment should be "
            "intensified when hypertension persists beyond 4 weeks despite adherence.",
            1,
            2,
        ),
        sections=(
            Section(
                heading="Dosing",
                kind="dosing",
                statements=(
                    s("Administer lisinopril 10 mg orally once daily; titrate to 40 mg based on renal function.", 3),
                ),
            ),
            Section(
                heading="Options with evidence",
                kind="options",
                statements=(
                    s("Thiazide diuretics reduce adverse cardiovascular outcomes in chronic hypertension.", 2),
                ),
            ),
            Section(
                heading="Safety",
                kind="safety",
                statements=(
                    s(
                        "Monitor serum potassium and renal function within 1–2 weeks of initiation; hepatic "
                        "impairment necessitates cautious dose adjustment and more frequent laboratory evaluation.",
                        3,
                        verdict=Verdict.PARTIAL,
                    ),
                ),
            ),
            Section(
                heading="Monitoring and follow-up",
                kind="monitoring",
                statements=(s("Physicians should monitor blood pressure every 3 months.", 1),),
            ),
        ),
    )
    condition = Article(
        question="What is hypomelanosis?",
        title="About hypomelanosis",
        understood=UnderstoodView(summary="condition = hypomelanosis", intent="information", intent_confidence=0.9),
        bottom_line=s(
            "Hypomelanosis is a chronic condition; physicians monitor adverse hepatic and renal "
            "involvement in approximately 12% of affected individuals over 5 years.",
            1,
        ),
        sections=(
            Section(
                heading="Overview",
                kind="overview",
                statements=(s("The condition is chronic and hypertension is a recognised comorbidity.", 1),),
            ),
        ),
    )
    return [hypertension, condition]


def statements(article: Article) -> list[Statement]:
    found = [article.bottom_line] if article.bottom_line else []
    return found + [st for section in article.sections for st in section.statements]


def numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:[.,]\d+)*", text))


@pytest.mark.parametrize("article", sample_articles(), ids=["hypertension", "hypomelanosis"])
def test_patient_version_keeps_every_fact_and_reads_easier(article: Article) -> None:
    patient = reword(article, Audience.PATIENT, GLOSSARY)
    assert patient.audience == Audience.PATIENT
    # Bottom line: same citations, same verdict, same numbers; source text kept beside it.
    assert patient.bottom_line is not None and article.bottom_line is not None
    assert patient.bottom_line.citations == article.bottom_line.citations
    assert patient.bottom_line.verdict == article.bottom_line.verdict
    assert patient.bottom_line.original_text == article.bottom_line.text
    assert numbers(patient.bottom_line.text) == numbers(article.bottom_line.text)
    before = {st.text: st for st in statements(article)}
    for st in statements(patient):
        assert st.original_text in before
        source = before[st.original_text]
        assert (st.citations, st.verdict, st.reason) == (source.citations, source.verdict, source.reason)
        assert numbers(st.text) == numbers(source.text)
    assert patient.references == article.references and patient.alerts == article.alerts
    clinician = reword(article, Audience.CLINICIAN, GLOSSARY)
    grade_patient, grade_clinician = readability(patient), readability(clinician)
    assert grade_patient is not None and grade_clinician is not None
    assert grade_patient < grade_clinician


def test_terms_are_replaced_whole_word_case_preserved_and_drugs_doses_untouched() -> None:
    plain = PlainLanguage(GLOSSARY, protected=["lisinopril"])
    assert plain.simplify("Hypertension and HYPERTENSION; prehypertension.") == (
        "High blood pressure and HYPERTENSION; prehypertension."
    )
    assert plain.simplify("Adverse renal effects") == "Bad kidney effects"
    assert plain.simplify("Take 10 mg of lisinopril") == "Take 10 mg of lisinopril"
    assert plain.simplify("hepatic-renal syndrome") == "hepatic-renal syndrome"
    assert plain.simplify("the dose is set") == "the amount of medicine is set"
    assert plain.simplify("Physicians and doses") == "Doctors and doses"


def test_glossary_priority_and_definitions() -> None:
    plain = PlainLanguage(GLOSSARY)
    assert plain.table["hypertension"] == "high blood pressure"  # CDC first, NCI definition ignored
    assert plain.table["hypomelanosis"] == "deficiency of melanin"  # short NCI definition used
    assert "actiq" not in plain.table and "lisinopril" not in plain.table  # drug names never replaced
    assert plain_alternative(GlossaryEntry(CDC, "acute", "   ")) is None


def test_patient_view_collapses_dosing_and_monitoring_and_orders_sections() -> None:
    article = sample_articles()[0]
    patient = reword(article, Audience.PATIENT, GLOSSARY)
    kinds = [section.kind for section in patient.sections]
    assert kinds[-2:] == ["dosing", "monitoring"]
    dosing = next(section for section in patient.sections if section.kind == "dosing")
    assert "Your clinician will decide the dose" in (collapsed_summary(dosing, Audience.PATIENT) or "")
    assert dosing.statements and dosing.statements[0].citations == (3,)  # still there, collapsed
    assert collapsed_summary(dosing, Audience.CLINICIAN) is None


def test_professional_views_reorder_but_never_reword() -> None:
    article = sample_articles()[0]
    pharmacist = reword(article, Audience.PHARMACIST, GLOSSARY)
    assert [s.kind for s in pharmacist.sections][:2] == ["safety", "dosing"]
    assert pharmacist.bottom_line == article.bottom_line
    assert sorted(statements(pharmacist), key=lambda st: st.text) == sorted(statements(article), key=lambda st: st.text)
    assert order_sections(article.sections, Audience.CLINICIAN) == article.sections
    nurse = reword(article, Audience.NURSE, GLOSSARY)
    assert [s.kind for s in nurse.sections][:2] == ["safety", "monitoring"]


def test_long_sentences_split_at_semicolons() -> None:
    patient = reword(sample_articles()[0], Audience.PATIENT, GLOSSARY)
    assert patient.bottom_line is not None
    assert ";" not in patient.bottom_line.text and patient.bottom_line.text.count(".") >= 2


def test_empty_article_has_no_grade() -> None:
    empty = Article(question="q", title="t", understood=UnderstoodView(summary="", intent="x", intent_confidence=0))
    assert readability(empty) is None


@pytest.mark.corpus
def test_real_cdc_glossary_lowers_the_grade() -> None:
    found = corpus_dir()
    if found is None or not (found / "glossaries" / "cdc_11500_DS1_glossary.json").exists():
        pytest.skip("real glossaries not available")
    from curbside.sources.glossaries import GlossaryLoader

    loader = GlossaryLoader()
    entries = [e for unit in loader.discover(found) for e in loader.load(unit).glossary]
    for article in sample_articles():
        assert readability(reword(article, Audience.PATIENT, entries)) < readability(article)  # type: ignore[operator]


def test_substitution_never_garbles_a_sentence() -> None:
    """The patient-view garbles reported in issue 13, each from a thesaurus entry with several
    alternatives or a cross-reference."""
    entries = [
        GlossaryEntry(CDC, "exposure", "around, been around, contact, come in contact with"),
        GlossaryEntry(CDC, "effect", "make, result"),
        GlossaryEntry(CDC, "clinical", "work, studies, a medical setting that involves patients"),
        GlossaryEntry(CDC, "prevention", "stop, bar, avoid"),
        GlossaryEntry(CDC, "avoid", "do not"),
        GlossaryEntry(CDC, "radiation", "see ionizing radiation"),
        GlossaryEntry(CDC, "physician", "doctor"),
        GlossaryEntry(CDC, "surgery", "operation"),
    ]
    plain = PlainLanguage(entries)
    sentence = "Lessen the harmful effects of radiation exposure in clinical prevention trials."
    assert plain.simplify(sentence) == sentence
    assert plain.simplify("Avoid alcohol.") == "Avoid alcohol."
    assert plain.simplify("Ask a physician before a surgery.") == "Ask a doctor before an operation."
