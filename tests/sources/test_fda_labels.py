"""NLM FDA label loader: fixture labels (PLR and old format, with/without XML) and the corpus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from curbside.domain.documents import DocumentKind
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.fda_labels import LIST_NAME, NlmFdaLabelLoader

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fda-nlm"
SETID = "aaaa1111-2222-3333-4444-555566667777"
OLD_SETID = "bbbb1111-2222-3333-4444-555566667777"


def load(setid: str) -> tuple:
    loader = NlmFdaLabelLoader()
    unit = next(u for u in loader.discover(FIXTURES) if setid in u.key)
    loaded = loader.load(unit)
    return loaded.documents[0], loaded.interactions


def test_is_a_source_loader_and_discovers_pairs() -> None:
    loader = NlmFdaLabelLoader()
    assert isinstance(loader, SourceLoader)
    units = {u.key: u for u in loader.discover(FIXTURES)}
    assert set(units) == {f"fda-labels-nlm/{SETID}.txt", f"fda-labels-nlm/{OLD_SETID}.txt"}
    assert [p.suffix for p in units[f"fda-labels-nlm/{SETID}.txt"].paths] == [".txt", ".xml", ".csv"]


def test_discover_is_empty_without_folder(tmp_path: Path) -> None:
    assert list(NlmFdaLabelLoader().discover(tmp_path)) == []


def test_plr_label_document_and_sections() -> None:
    doc, _ = load(SETID)
    assert doc.source_id == f"fda:{SETID}"
    assert doc.kind is DocumentKind.DRUG_LABEL
    assert doc.title == "ZORVAX (zorvastatin calcium) tablet, film coated"
    assert doc.url == f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={SETID}"
    assert doc.year is None
    assert {"zorvax", "zorvastatin calcium", "zorvastatin"} <= set(doc.drugs)
    paths = [(p.heading_path, p.section_number) for p in doc.passages]
    assert paths == [
        (("4 Contraindications", "4.1 Active Liver Disease"), "4.1"),
        (("5 Warnings and Precautions", "5.1 Myopathy"), "5.1"),
        (("5 Warnings and Precautions", "5.1 Myopathy", "Grapefruit Juice"), "5.1"),
        (("7 Drug Interactions",), "7"),
    ]
    assert [p.passage_id for p in doc.passages] == [f"fda:{SETID}#{i}" for i in range(4)]


def test_interaction_pairs_resolve_entities_label_drug_and_anaphora() -> None:
    _, records = load(SETID)
    assert [(r.drug_a, r.drug_b, r.interaction_type) for r in records] == [
        ("strong CYP3A4 inhibitors", "Zorvax", "Increase_Interaction"),
        ("Zorvax", "grapefruit juice", None),
        ("Zorvax", "clarithromycin", "Caution_Interaction"),
    ]
    first = records[0]
    assert first.list_name == LIST_NAME and first.source_id == f"fda:{SETID}"
    assert first.sentence and first.sentence.startswith("Zorvax may cause myopathy")
    assert first.drug_b_ids == ("UMLS:C9999001", "RxCUI:900001", "DrugBank:DB99001")
    assert records[2].drug_b_ids == ("DrugBank:DB01211",)  # antecedent name found in the mapped csv


def test_old_format_label_without_xml() -> None:
    doc, records = load(OLD_SETID)
    assert records == ()
    assert doc.title == "Quellon (quellazide hydrochloride)"
    assert {"quellon", "quellazide hydrochloride", "quellazide"} <= set(doc.drugs)
    assert doc.metadata["annotated"] is False
    by_path = {p.heading_path: p.text for p in doc.passages}
    assert by_path[("Contraindications",)] == "Quellon is contraindicated in anuria. • Hypersensitivity to quellazide"
    assert ("Precautions", "General") in by_path
    assert by_path[("Precautions", "Drug Interactions")].startswith("Lithium:")


def test_malformed_xml_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "fda-labels-nlm"
    folder.mkdir()
    shutil.copy(FIXTURES / "fda-labels-nlm" / f"{SETID}.txt", folder)
    (folder / f"{SETID}.xml").write_text("<document><sentence>", encoding="utf-8")
    loader = NlmFdaLabelLoader()
    (unit,) = loader.discover(tmp_path)
    with pytest.raises(SourceFormatError, match=re.escape(f"{SETID}.xml")):
        loader.load(unit)


def test_empty_text_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "cccc.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=re.escape("cccc.txt")):
        NlmFdaLabelLoader().load(SourceUnit(key="fda-labels-nlm/cccc.txt", paths=(empty,)))


@pytest.mark.corpus
def test_all_182_corpus_labels_load(real_corpus: Path) -> None:
    loader = NlmFdaLabelLoader()
    units = list(loader.discover(real_corpus))
    assert len(units) == 182
    documents, interactions = 0, 0
    for unit in units:
        loaded = loader.load(unit)
        (doc,) = loaded.documents
        assert doc.passages and doc.drugs, unit.key
        documents += 1
        interactions += len(loaded.interactions)
    assert documents == 182
    assert interactions == 3601  # every ddi="true" pair in the corpus README's count


def test_annotation_sentence_loses_export_markup(tmp_path: Path) -> None:
    # The NLM export leaves "<item>" in some annotated sentences (escaped in the XML attribute);
    # the interaction alert quotes that sentence, so the markup must not survive loading.
    folder = tmp_path / "fda-labels-nlm"
    shutil.copytree(FIXTURES / "fda-labels-nlm", folder)
    xml = folder / f"{SETID}.xml"
    xml.write_text(
        xml.read_text(encoding="utf-8").replace('text="Avoid large', 'text="&lt;item&gt;Avoid  large'), "utf-8"
    )
    loader = NlmFdaLabelLoader()
    unit = next(u for u in loader.discover(tmp_path) if SETID in u.key)
    records = loader.load(unit).interactions
    assert [r.sentence for r in records if r.drug_b == "grapefruit juice"] == [
        "Avoid large quantities of grapefruit juice."
    ]
    assert not any("<" in (r.sentence or "") for r in records)
