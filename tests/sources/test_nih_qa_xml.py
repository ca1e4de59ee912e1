"""MedQuAD loader: schema variants, skipped empty answers, ids, malformed files, corpus counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.domain.documents import Document, DocumentKind
from curbside.domain.terms import LicenceClass
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.nih_qa_xml import MedQuadLoader
from tests.sample_tree import sample_tree

FIXTURES = sample_tree()


def _load(key: str) -> Document:
    loader = MedQuadLoader()
    unit = next(unit for unit in loader.discover(FIXTURES) if unit.key == key)
    (document,) = loader.load(unit).documents
    return document


def test_discovers_one_unit_per_file() -> None:
    loader = MedQuadLoader()
    assert isinstance(loader, SourceLoader)
    assert [unit.key for unit in loader.discover(FIXTURES)] == [
        "medquad/2_GARD_QA/0000001.xml",
        "medquad/6_NINDS_QA/0000007.xml",
    ]


def test_missing_source_folder_yields_no_units(tmp_path: Path) -> None:
    assert list(MedQuadLoader().discover(tmp_path)) == []


def test_document_provenance_and_annotations() -> None:
    document = _load("medquad/2_GARD_QA/0000001.xml")
    assert document.source_id == "medquad:2_GARD_QA/0000001"
    assert document.source == "medquad"
    assert document.kind is DocumentKind.PATIENT_INFORMATION
    assert document.organization == "Genetic and Rare Diseases Information Center (NCATS)"
    assert document.title == "Example syndrome"
    assert document.year is None
    assert document.url == "https://rarediseases.info.nih.gov/gard/0/example-syndrome"
    assert document.licence.startswith("CC BY 4.0")
    assert document.terms.licence_class is LicenceClass.CC_BY and document.terms.attribution_required
    assert document.conditions == ("example syndrome",)
    assert document.metadata["cuis"] == ["C0000001"]
    assert document.metadata["semantic_types"] == ["T047"]
    assert document.metadata["semantic_group"] == "Disorders"
    assert document.metadata["subset"] == "2_GARD_QA"


def test_empty_answer_is_skipped_and_whitespace_normalised() -> None:
    document = _load("medquad/2_GARD_QA/0000001.xml")
    assert document.metadata["answered_question_ids"] == ["0000001-1", "0000001-3"]
    first, second = document.passages
    assert first.text == (
        "What is Example syndrome? Example syndrome is an invented condition used in tests. It has no real symptoms."
    )
    assert first.heading_path == ("Example syndrome", "What is (are) Example syndrome ?")
    assert first.question == "What is (are) Example syndrome ?"
    assert first.question_type == "information"
    assert (second.ordinal, second.passage_id) == (1, "medquad:2_GARD_QA/0000001#1")
    assert second.question_type == "inheritance"


def test_lower_case_variant_schema_is_read() -> None:
    document = _load("medquad/6_NINDS_QA/0000007.xml")
    assert document.organization == "National Institute of Neurological Disorders and Stroke"
    assert document.title == "Example-Adie"
    assert document.conditions == ()  # no semantic group: focus stays in metadata only
    assert document.metadata["focus"] == "Example-Adie"
    (passage,) = document.passages
    assert passage.question_type == "information"
    assert passage.text.endswith("It exists only in this fixture.")


def test_long_answer_is_chunked_with_increasing_ordinals(tmp_path: Path) -> None:
    folder = tmp_path / "medquad" / "3_GHR_QA"
    folder.mkdir(parents=True)
    answer = " ".join(f"Sentence number {i} says something." for i in range(80))
    (folder / "0000002.xml").write_text(
        f'<Document id="0000002" source="GHR" url="u"><Focus>X</Focus><QAPairs><QAPair pid="1">'
        f'<Question qid="0000002-1" qtype="information">What is X ?</Question><Answer>{answer}</Answer>'
        f"</QAPair></QAPairs></Document>",
        encoding="utf-8",
    )
    loader = MedQuadLoader()
    (unit,) = loader.discover(tmp_path)
    passages = loader.load(unit).documents[0].passages
    assert len(passages) > 1
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    assert {p.question for p in passages} == {"What is X ?"}


def test_malformed_file_raises_with_file_name(tmp_path: Path) -> None:
    path = tmp_path / "0000009.xml"
    path.write_text('<Document id="0000009" source="GARD"><Focus>Broken</Document>', encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"0000009\.xml"):
        MedQuadLoader().load(SourceUnit("medquad/2_GARD_QA/0000009.xml", (path,)))


def test_unknown_source_raises(tmp_path: Path) -> None:
    path = tmp_path / "0000010.xml"
    path.write_text('<Document id="0000010" source="Elsewhere" url="u"><Focus>F</Focus></Document>', "utf-8")
    with pytest.raises(SourceFormatError, match="Elsewhere"):
        MedQuadLoader().load(SourceUnit("medquad/x/0000010.xml", (path,)))


@pytest.mark.corpus
def test_corpus_yields_every_answered_pair(real_corpus: Path) -> None:
    """The README's 16,407 answered pairs in 5,497 documents, plus 16 more in 4 NINDS files.

    The README count covers the ``<Document>`` schema only; NINDS 0000007, 0000018,
    0000182 and 0000244 use the lower-case ``<doc>`` schema and hold 16 answered pairs.
    """
    loader = MedQuadLoader()
    documents = [doc for unit in loader.discover(real_corpus) for doc in loader.load(unit).documents]
    assert len(documents) == 5_497
    assert len({doc.source_id for doc in documents}) == 5_497
    pairs = {(doc.source_id, qid) for doc in documents for qid in doc.metadata["answered_question_ids"]}
    variant = {f"medquad:6_NINDS_QA/{n}" for n in ("0000007", "0000018", "0000182", "0000244")}
    assert len({pair for pair in pairs if pair[0] not in variant}) == 16_407
    assert len(pairs) == 16_407 + 16
    # Every answered pair produced at least one passage and vice versa.
    assert sum(len(doc.metadata["answered_question_ids"]) for doc in documents) == len(pairs)
    assert all(bool(doc.passages) == bool(doc.metadata["answered_question_ids"]) for doc in documents)
    assert {doc.organization for doc in documents} == {
        "National Cancer Institute",
        "Genetic and Rare Diseases Information Center (NCATS)",
        "Genetics Home Reference (NLM)",
        "MedlinePlus (NLM)",
        "National Institute of Diabetes and Digestive and Kidney Diseases",
        "National Institute of Neurological Disorders and Stroke",
        "NIHSeniorHealth (NIA/NLM)",
        "National Heart, Lung, and Blood Institute",
        "Centers for Disease Control and Prevention",
    }
