"""Interaction list loader: one fixture per list format, plus corpus counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curbside.domain.documents import DocumentKind, InteractionRecord
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.interaction_lists import InteractionListLoader
from tests.sample_tree import sample_tree

FIXTURES = sample_tree() / "interaction-lists"


def load_all(root: Path) -> dict[str, tuple]:
    loader = InteractionListLoader()
    result = {}
    for unit in loader.discover(root):
        loaded = loader.load(unit)
        result[unit.key.split("/")[-1]] = (loaded.documents, loaded.interactions)
    return result


def test_discovers_one_unit_per_list() -> None:
    loader = InteractionListLoader()
    assert isinstance(loader, SourceLoader)
    keys = [u.key for u in loader.discover(FIXTURES)]
    assert keys == [
        "interactions/onc-high-priority",
        "interactions/onc-non-interruptive",
        "interactions/oscar",
        "interactions/worldvista-ansm",
    ]


def test_discover_is_empty_without_folder(tmp_path: Path) -> None:
    assert list(InteractionListLoader().discover(tmp_path)) == []


def test_each_list_has_one_citable_document() -> None:
    loaded = load_all(FIXTURES)
    # Every fixture list must load: an empty result would pass the loop below vacuously.
    assert set(loaded) == {"onc-high-priority", "onc-non-interruptive", "oscar", "worldvista-ansm"}
    for key, (documents, records) in loaded.items():
        (doc,) = documents
        assert doc.kind is DocumentKind.INTERACTION_LIST
        assert doc.source_id == f"list:{key}"
        assert len(doc.passages) == 1 and doc.url
        assert {r.source_id for r in records} == {doc.source_id}
        assert {r.list_name for r in records} == {doc.title}


def test_onc_high_priority_handles_bom_and_mixed_line_endings() -> None:
    _, records = load_all(FIXTURES)["onc-high-priority"]
    assert [(r.drug_a, r.drug_b) for r in records] == [
        ("Sparfloxacin", "Erythromycin"),
        ("Amiodarone", "Escitalopram"),
        ("Pimozide", "Clarithromycin"),
    ]
    assert records[0].drug_a_ids == ("DrugBank:DB01208",)
    assert records[0].severity is None


def test_onc_non_interruptive_adds_classes_when_formatted_row_matches() -> None:
    _, records = load_all(FIXTURES)["onc-non-interruptive"]
    assert records[0].description == "Class pair: NSAIDS / ß-Adrenergic blockers (publication item 28)"
    assert records[1].description is None


def test_oscar_keeps_codes_verbatim_and_explains_them() -> None:
    _, records = load_all(FIXTURES)["oscar"]
    first, second = records
    assert first == InteractionRecord(
        list_name="OSCAR drugref2",
        source_id="list:oscar",
        drug_a="ACETAMINOPHEN",
        drug_b="WARFARIN",
        severity="1",
        description="Effect: A (Augments); significance: 1 (1 lowest – 3 highest); evidence: G (Good). "
        "With high doses of acetaminophen only",
        interaction_type="A",
        drug_a_ids=("ATC:N02BE01",),
        drug_b_ids=("ATC:B01AA03",),
    )
    assert second.severity is None and second.description == "Effect: N (No Effect); evidence: P (Poor)"


def test_worldvista_skips_repeated_headers() -> None:
    _, records = load_all(FIXTURES)["worldvista-ansm"]
    assert [(r.drug_a, r.drug_b, r.severity) for r in records] == [
        ("CLOZAPINE", "ZOLPIDEM", "Take into account"),
        ("FLUOXETINE", "RISPERIDONE", "Precaution for use"),
    ]
    assert records[1].description == "Increase of the active fraction of the risperidone. Clinical monitoring."
    assert records[1].drug_a_ids == ("RxCUI:4493",)


def test_short_row_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ONC_High_Priority_Mapped.csv"
    bad.write_text("Sparfloxacin$DB01208\n", encoding="utf-8")
    unit = SourceUnit(key="interactions/onc-high-priority", paths=(bad,))
    with pytest.raises(SourceFormatError, match=re.escape("ONC_High_Priority_Mapped.csv")):
        InteractionListLoader().load(unit)


@pytest.mark.corpus
def test_corpus_record_counts(real_corpus: Path) -> None:
    counts = {key: len(records) for key, (_, records) in load_all(real_corpus).items()}
    # README: ONC HP 1,930, ONC NI 2,101, OSCAR 3,873 rows and WorldVista 959 rows count
    # file lines; OSCAR has one header line and WorldVista three (concatenated query outputs).
    assert counts == {
        "onc-high-priority": 1930,
        "onc-non-interruptive": 2101,
        "oscar": 3872,
        "worldvista-ansm": 956,
    }
