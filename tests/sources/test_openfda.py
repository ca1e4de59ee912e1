"""openFDA label loader: fixture JSON with two results, zip distribution, malformed files."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from curbside.domain.documents import DocumentKind
from curbside.sources.base import SourceFormatError, SourceLoader, SourceUnit
from curbside.sources.openfda import OpenFdaLabelLoader

FIXTURES = Path(__file__).parent.parent / "fixtures" / "openfda"
FIRST = "11111111-aaaa-bbbb-cccc-000000000001"


def load_fixture() -> tuple:
    loader = OpenFdaLabelLoader()
    (unit,) = loader.discover(FIXTURES)
    return loader.load(unit).documents


def test_one_document_per_result() -> None:
    assert isinstance(OpenFdaLabelLoader(), SourceLoader)
    first, second = load_fixture()
    assert first.source_id == f"openfda:{FIRST}"
    assert first.kind is DocumentKind.DRUG_LABEL
    assert first.title == "Zorvax (zorvastatin calcium)"
    assert first.year == 2023
    assert first.url == f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={FIRST}"
    assert first.drugs == ("zorvax", "zorvastatin calcium")
    assert first.metadata["pharm_class_epc"] == ["HMG-CoA Reductase Inhibitor [EPC]"]
    assert first.metadata["rxcui"] == ["900001"]
    # A result without openfda names or a valid date still loads.
    assert second.title == "FDA drug label 11111111-aaaa-bbbb-cccc-000000000002"
    assert second.year is None and second.drugs == ()


def test_passages_follow_section_order_with_readable_headings() -> None:
    first, second = load_fixture()
    headings = [(p.heading_path, p.section_number) for p in first.passages]
    assert headings == [
        (("Boxed Warning",), None),
        (("1 Indications and Usage",), "1"),
        (("4 Contraindications",), "4"),
        (("5 Warnings and Precautions",), "5"),
        (("7 Drug Interactions",), "7"),
    ]
    assert first.passages[1].text.startswith("1 INDICATIONS AND USAGE Zorvax is indicated")
    assert all("NDC" not in p.text for p in first.passages)  # package label text is not a passage
    assert [p.heading_path for p in second.passages] == [("Warnings",), ("Pediatric Use",)]
    assert [p.passage_id for p in second.passages] == [
        "openfda:11111111-aaaa-bbbb-cccc-000000000002#0",
        "openfda:11111111-aaaa-bbbb-cccc-000000000002#1",
    ]


def test_zip_as_distributed(tmp_path: Path) -> None:
    folder = tmp_path / "openfda"
    folder.mkdir()
    with zipfile.ZipFile(folder / "drug-label-0001-of-0001.json.zip", "w") as archive:
        archive.write(FIXTURES / "openfda" / "labels.json", "drug-label-0001-of-0001.json")
    loader = OpenFdaLabelLoader()
    (unit,) = loader.discover(tmp_path)
    assert len(loader.load(unit).documents) == 2


def test_discover_is_empty_without_folder(tmp_path: Path) -> None:
    assert list(OpenFdaLabelLoader().discover(tmp_path)) == []


@pytest.mark.parametrize(
    "content",
    ['{"meta": {}, "results": [', '{"meta": {}}', '{"results": [{"id": "x"}]}', "[]"],
)
def test_malformed_file_names_the_file(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "broken-labels.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=re.escape("broken-labels.json")):
        OpenFdaLabelLoader().load(SourceUnit(key="openfda/broken-labels.json", paths=(bad,)))


def test_bad_zip_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "labels.json.zip"
    shutil.copy(FIXTURES / "openfda" / "labels.json", bad)  # JSON bytes, not a zip archive
    with pytest.raises(SourceFormatError, match=re.escape("labels.json.zip")):
        OpenFdaLabelLoader().load(SourceUnit(key="openfda/labels.json.zip", paths=(bad,)))
