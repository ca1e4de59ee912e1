"""NGC guideline loader: fields, statements with grades and their meanings, passages, corpus counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from curbside.domain.documents import Document, DocumentKind
from curbside.domain.terms import LicenceClass, UseTerms
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.html_text import TextBlock
from curbside.sources.ngc import (
    NO_STATEMENT,
    NgcGuidelineLoader,
    definitions_from_blocks,
    grade_meaning,
    statement_grade,
    with_lists_joined,
)
from tests.sample_tree import sample_tree

FIXTURES = sample_tree()


def _load() -> Document:
    loader = NgcGuidelineLoader()
    (unit,) = loader.discover(FIXTURES)
    assert unit.key == "guidelines-ngc/ngc-90001.xml"
    (document,) = loader.load(unit).documents
    return document


def test_document_fields() -> None:
    assert isinstance(NgcGuidelineLoader(), SourceLoader)
    document = _load()
    assert document.source_id == "ngc:90001"
    assert document.kind is DocumentKind.GUIDELINE
    assert document.organization == "U.S. Preventive Services Task Force"
    assert document.title.startswith("Screening for example disease")
    assert document.year == 2014  # "1996 (revised 2014 Feb 18)": the latest revision
    assert document.url == "http://annals.org/article.aspx?articleid=1"  # NGC redirect unwrapped
    assert document.licence == "No copyright restrictions apply."  # the file's own statement, kept
    assert document.terms == UseTerms(LicenceClass.NO_RESTRICTIONS)
    assert document.conditions == ("example disease", "example syndrome")
    assert document.population == "Asymptomatic adults aged 50 to 75 years"
    assert document.metadata["categories"] == ["Prevention", "Screening"]
    assert document.metadata["bibliographic_source"].startswith("U.S. Preventive Services Task Force.")
    assert "Duplicate section" not in document.metadata["bibliographic_source"]
    assert document.metadata["status"].startswith("This is the current release")


def test_recommendation_statements_carry_grade_and_meaning() -> None:
    statements = [p for p in _load().passages if p.heading_path[:1] == ("Major Recommendations",)]
    by_text = {p.text: p for p in statements}
    graded = by_text[
        "The USPSTF recommends screening for example disease in adults aged 50–75 years. (B recommendation)"
    ]
    assert graded.heading_path == ("Major Recommendations", "Summary of Recommendations")
    assert graded.grade == "B recommendation"
    assert graded.grade_meaning == "B | The USPSTF recommends the service."
    expert = by_text["Offer counseling to adults at risk. [EO]"]
    assert (expert.grade, expert.grade_meaning) == ("EO", None)  # scheme does not define EO
    against = by_text["Do not screen children. (Strong Against; Reviewed, New-added)"]
    assert against.grade == "Strong Against"
    assert against.grade_meaning is not None and against.grade_meaning.startswith("Strong Against (or")
    assert by_text["Clinicians may discuss screening with patients."].grade is None
    definitions = [p for p in statements if p.heading_path == ("Major Recommendations", "Definitions")]
    assert [p.grade for p in definitions] == [None]


def test_passages_cover_listed_fields_and_skip_boilerplate() -> None:
    document = _load()
    sections = Counter(p.heading_path[0] for p in document.passages)
    assert sections["Target Population"] == 1
    assert sections["Potential Harms"] == 1
    assert sections["Disease/Condition(s)"] == 1
    assert "Rating Scheme for the Strength of the Evidence" not in sections  # "Not applicable"
    assert "NGC Disclaimer" not in sections and "Source(s) of Funding" not in sections
    assert [p.ordinal for p in document.passages] == list(range(len(document.passages)))
    assert all(p.passage_id == f"ngc:90001#{p.ordinal}" for p in document.passages)
    assert all("<" not in p.text and "&ndash;" not in p.text for p in document.passages)


def test_grade_patterns_of_other_developers() -> None:
    definitions = definitions_from_blocks(
        [
            TextBlock("Category A recommendation: Applies to all persons.", "paragraph"),
            TextBlock("Type 4 evidence: Clinical experience.", "paragraph"),
            TextBlock('"Good" means multiple adequate studies.', "paragraph"),
            TextBlock("Category IB | Strong recommendation, low-quality evidence", "row"),
        ]
    )
    text = "Clinicians should do X (recommendation category: A, evidence type: 4)."
    grade = statement_grade(text, definitions)
    assert grade == "recommendation category: A, evidence type: 4"
    assert grade_meaning(grade, definitions) == (
        "Category A recommendation: Applies to all persons. / Type 4 evidence: Clinical experience."
    )
    assert statement_grade("Donors should be tested. (Category IB)", definitions) == "Category IB"
    assert statement_grade("Stage the tumour with both systems (Grade 1B).", []) == "Grade 1B"  # ACCP
    assert statement_grade("Clinicians should offer X (Level B).", []) == "Level B"  # AAN
    assert statement_grade("Offer X. (Level of evidence C)", []) == "Level of evidence C"
    assert statement_grade("Offer X (Grade A, BEL 1).", []) == "Grade A, BEL 1"
    assert statement_grade("Keep the level (levels of 5 mg/L) stable.", []) is None
    assert statement_grade("There is good evidence that X helps.", definitions) == "good evidence"
    # The phrase only counts as a grade when the guideline's scheme defines the word.
    assert statement_grade("There is good evidence that X helps.", []) is None
    assert grade_meaning("Moderate Recommendation, Low-Quality Evidence", definitions) is None


def test_malformed_file_raises_with_file_name(tmp_path: Path) -> None:
    path = tmp_path / "ngc-90002.xml"
    path.write_text('<Version><Section><Field Name="Guideline Title"><FieldValue Value="x"/>', "utf-8")
    with pytest.raises(SourceFormatError, match=r"ngc-90002\.xml"):
        NgcGuidelineLoader().load(SourceUnit("guidelines-ngc/ngc-90002.xml", (path,)))


def test_copyright_statement_kinds_become_terms(tmp_path: Path) -> None:
    def terms_of(statement: str | None) -> Document:
        field = (
            f'<Field Name="Copyright Statement"><FieldValue Value="{statement}"/></Field>'
            if statement is not None
            else ""
        )
        path = tmp_path / "ngc-90004.xml"
        path.write_text(
            f'<Version><Section><Field Name="Guideline Title"><FieldValue Value="A title"/></Field>{field}'
            "</Section></Version>",
            "utf-8",
        )
        (document,) = NgcGuidelineLoader().load(SourceUnit("guidelines-ngc/ngc-90004.xml", (path,))).documents
        return document

    subject = (
        "This NGC summary is based on the original guideline, which is subject to the guideline"
        " developer&apos;s copyright restrictions."
    )
    assert terms_of(subject).terms.licence_class is LicenceClass.DEVELOPER_COPYRIGHT
    assert terms_of(subject).terms.attribution_required
    own = terms_of("Guidelines may be printed or downloaded for individual and personal use only.")
    assert own.terms.licence_class is LicenceClass.DEVELOPER_TERMS and own.terms.non_commercial
    assert own.licence.startswith("Guidelines may be printed")
    missing = terms_of(None)
    assert (missing.licence, missing.terms.licence_class) == (NO_STATEMENT, LicenceClass.NO_LICENCE_STATED)


def test_file_without_title_raises(tmp_path: Path) -> None:
    path = tmp_path / "ngc-90003.xml"
    path.write_text(
        '<Version><Section><Field Name="Date Released"><FieldValue Value="2014"/></Field></Section></Version>', "utf-8"
    )
    with pytest.raises(SourceFormatError, match="Guideline Title"):
        NgcGuidelineLoader().load(SourceUnit("guidelines-ngc/ngc-90003.xml", (path,)))


@pytest.mark.corpus
def test_corpus_guidelines(real_corpus: Path) -> None:
    loader = NgcGuidelineLoader()
    documents = [doc for unit in loader.discover(real_corpus) for doc in loader.load(unit).documents]
    assert len(documents) == 1_416
    assert sum("Preventive Services Task Force" in doc.organization for doc in documents) >= 63
    assert sum("American College of Radiology" in doc.organization for doc in documents) >= 172
    assert all(doc.year and 1989 <= doc.year <= 2018 for doc in documents)
    # The three kinds of Copyright Statement the corpus README counts.
    classes = Counter(doc.terms.licence_class for doc in documents)
    assert classes == {
        LicenceClass.NO_RESTRICTIONS: 43,
        LicenceClass.DEVELOPER_COPYRIGHT: 883,
        LicenceClass.DEVELOPER_TERMS: 490,
    }
    statements = [
        p
        for doc in documents
        for p in doc.passages
        if p.heading_path[0] == "Major Recommendations" and p.heading_path[1:2] != ("Definitions",)
    ]
    # 76,419 statements once a lead-in keeps its list (loader format 2; 80k+ before); only lead-ins
    # whose list is too long for one passage still end in a colon (1,243 of them).
    assert len(statements) > 70_000
    assert sum(p.text.rstrip().endswith(":") for p in statements) < 0.02 * len(statements)
    graded = [p for p in statements if p.grade]
    assert len(graded) > 6_500  # 7,173 when measured (4,792 before ACCP/AAN/generic grade patterns)
    assert sum(p.grade_meaning is not None for p in graded) > 2_500
    assert all(p.grade_meaning is None for p in statements if not p.grade)


def test_a_lead_in_keeps_its_list_and_other_statements_stay_apart() -> None:
    path = ("Options",)
    statements = [
        (path, TextBlock("Offer an SNRI, taking into account:", "paragraph")),
        (path, TextBlock("The tendency to produce a discontinuation syndrome", "item", 1)),
        (path, TextBlock("The risk of toxicity in overdose.", "item", 1)),
        (path, TextBlock("Offer CBT.", "paragraph")),
        (path, TextBlock("Standalone item without lead-in", "item", 1)),
    ]
    joined = with_lists_joined(statements)
    assert [block.text for _, block in joined] == [
        "Offer an SNRI, taking into account: The tendency to produce a discontinuation syndrome; "
        "The risk of toxicity in overdose.",
        "Offer CBT.",
        "Standalone item without lead-in",
    ]
