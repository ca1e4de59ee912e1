"""OpenStax CNXML loader: book → chapter → section, table rows, notes, citation, terms, corpus counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from curbside.domain.documents import Document, DocumentKind, Passage
from curbside.domain.terms import LicenceClass
from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.ingest import ingest
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.openstax_cnxml import CLIENT_EDUCATION, OpenStaxBookLoader
from curbside.sources.registry import create_loaders
from tests.sample_tree import sample_tree

FIXTURES = sample_tree()


def _units() -> list[SourceUnit]:
    return list(OpenStaxBookLoader().discover(FIXTURES))


def _section() -> Document:
    (document,) = OpenStaxBookLoader().load(_units()[0]).documents
    return document


def _by_text(document: Document, start: str) -> Passage:
    return next(p for p in document.passages if p.text.startswith(start))


def test_units_follow_the_book_tree() -> None:
    assert isinstance(OpenStaxBookLoader(), SourceLoader)
    assert [type(loader).__name__ for loader in create_loaders(["openstax"])] == ["OpenStaxBookLoader"]
    assert [u.key for u in _units()] == [
        "textbooks-openstax/sample-pharmacology/m90001",
        "textbooks-openstax/sample-pharmacology/m90002",
        "textbooks-openstax/sample-pharmacology/m90003",
    ]
    assert OpenStaxBookLoader().discover(FIXTURES / "nowhere") == []


def test_citation_names_book_chapter_section_publisher_year_url_and_licence() -> None:
    document = _section()
    assert document.source_id == "openstax:sample-pharmacology:m90001"
    assert document.kind is DocumentKind.TEXTBOOK
    assert document.title == "Sample Pharmacology"
    assert document.organization == "OpenStax, Rice University"
    assert document.year == 2024
    assert document.url == "https://openstax.org/details/books/sample-pharmacology"
    assert document.metadata["chapter"] == "Example Pain Drugs" and document.metadata["section"] == "Example Analgesics"
    assert document.metadata["unit"] == "Example Unit"
    assert document.metadata["licence_url"] == "http://creativecommons.org/licenses/by/4.0/"
    assert document.licence.startswith("CC BY 4.0") and "generative AI" in document.licence
    assert document.terms.licence_class is LicenceClass.CC_BY
    assert document.terms.attribution_required and document.terms.no_generative_ai
    assert document.drugs == ("exampleprofen", "sampledine")  # dosing-table rows, then the prototype caption
    assert all(p.heading_path[:2] == ("Example Pain Drugs", "Example Analgesics") for p in document.passages)
    assert [p.ordinal for p in document.passages] == list(range(len(document.passages)))


def test_dosing_row_is_one_passage_with_drug_header_and_population() -> None:
    row = _by_text(_section(), "Exampleprofen (Brandex)")
    assert row.text == (
        "Exampleprofen (Brandex) — Routes and Dosage Ranges: Example pain: Adults: 10–20 mg orally every 6 hours"
        " as needed; maximum dose: 80 mg/day. Children: 1 mg/kg/dose orally every 6 hours; maximum dose: 4 mg/kg/day."
    )
    # The caption, without its "(source: …)" aside, is the heading the row sits under.
    assert row.heading_path[-2:] == ("Exampleprofen", "Drug Emphasis Table: Example Analgesics")
    assert (
        _by_text(_section(), "Sampledine —").text
        == "Sampledine — Routes and Dosage Ranges: Adults: 5 mg orally once daily."
    )


def test_table_without_header_keeps_its_caption_and_cell_labels() -> None:
    row = _by_text(_section(), "Drug Prototype Table: Sampledine")
    assert row.text == (
        "Drug Prototype Table: Sampledine — Drug Class: Example class. Mechanism of Action: Blocks the example"
        " enzyme — Drug Dosage: 10 mg once daily"
    )


def test_lists_stay_whole_with_their_lead_in_and_notes_keep_their_heading() -> None:
    document = _section()
    listed = _by_text(document, "Adverse effects of exampleprofen")
    assert listed.text == "Adverse effects of exampleprofen may include: Example rash; Example nausea"
    tip = _by_text(document, "Clients should count")
    assert tip.heading_path[-1] == "Count Every Source" and tip.note_kind == "clinical-tip"
    teaching = _by_text(document, "The client taking exampleprofen should:")
    assert teaching.text.endswith("Take it with food. Report any example rash.")
    assert teaching.note_kind == CLIENT_EDUCATION
    warning = _by_text(document, "Exampleprofen can cause")
    assert warning.note_kind == "black-box" and warning.heading_path[-1] == "Exampleprofen"
    assert _by_text(document, "This table lists example doses.").note_kind is None
    assert _by_text(document, "example pain:").heading_path[-1] == "Key Terms"


def test_objectives_case_studies_and_review_questions_are_not_loaded() -> None:
    texts = " ".join(p.text for p in _section().passages)
    assert "By the end of this section" not in texts
    assert "invented client" not in texts
    assert "Which example dose" not in texts


def test_malformed_module_is_skipped_with_a_report_line(tmp_path: Path) -> None:
    loader = OpenStaxBookLoader()
    with pytest.raises(SourceFormatError, match=r"m90002/index\.cnxml: malformed XML"):
        loader.load(_units()[1])
    store = SqliteStore(tmp_path / "kb.sqlite3")
    report = ingest(store, HashingEmbedder(), [loader], FIXTURES)
    source = report.sources["openstax"]
    assert (source.discovered, source.loaded, source.documents) == (3, 2, 2)
    assert [key for key, _ in source.failures] == ["textbooks-openstax/sample-pharmacology/m90002"]
    [stored] = [c for c in store.licence_counts() if c.source == "openstax"]
    assert (stored.licence_class, stored.documents) == ("cc-by", 2)
    document = store.document("openstax:sample-pharmacology:m90001")
    assert document is not None and document.terms.no_generative_ai
    assert any(p.note_kind == CLIENT_EDUCATION for p in document.passages)
    store.close()


def test_missing_collection_is_a_clear_error(tmp_path: Path) -> None:
    container = tmp_path / "textbooks-openstax" / "META-INF"
    container.mkdir(parents=True)
    (container / "books.xml").write_text(
        '<container xmlns="https://openstax.org/namespaces/book-container">'
        '<book slug="gone" href="../collections/gone.collection.xml"/></container>',
        "utf-8",
    )
    with pytest.raises(SourceFormatError, match="gone"):
        list(OpenStaxBookLoader().discover(tmp_path))


@pytest.mark.corpus
def test_corpus_textbooks(real_corpus: Path) -> None:
    loader = OpenStaxBookLoader()
    documents = [doc for unit in loader.discover(real_corpus) for doc in loader.load(unit).documents]
    books = Counter(doc.title for doc in documents)
    # 481 modules are placed in the three books' collections (11 more module folders are in none).
    assert books == {"Pharmacology for Nurses": 203, "Population Health for Nurses": 185, "Nutrition for Nurses": 93}
    assert sum(len(doc.passages) for doc in documents) > 12_000
    assert all(doc.terms.no_generative_ai and doc.terms.licence_class is LicenceClass.CC_BY for doc in documents)
    rows = [p for doc in documents for p in doc.passages if p.text.startswith("Acetaminophen (Tylenol) —")]
    assert any(
        "Adults: 325–650 mg orally every 4–6 hours as needed; maximum dose: 4000 mg/day." in p.text for p in rows
    )
    assert sum(p.note_kind == CLIENT_EDUCATION for doc in documents for p in doc.passages) > 150
