"""The test knowledge base's guideline subset: a well-formed manifest, honoured exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.sources.base import SourceFormatError
from curbside.sources.ngc import NgcGuidelineLoader
from tests.kb_subset import MANIFEST, SubsetLoader, subset_guidelines


def test_manifest_is_well_formed_and_names_the_golden_topics() -> None:
    names = subset_guidelines()
    assert 50 <= len(names) <= 200  # a subset: far fewer than the 1,416 summaries
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("line", "message"),
    [("guideline.xml", "expected a file name"), ("ngc-1.xml\nngc-1.xml", "listed twice")],
)
def test_malformed_manifest_is_refused(tmp_path: Path, line: str, message: str) -> None:
    manifest = tmp_path / "subset.txt"
    manifest.write_text(f"# comment\n\n{line}\n")
    with pytest.raises(ValueError, match=message):
        subset_guidelines(manifest)


def test_subset_loader_discovers_only_listed_files(tmp_path: Path) -> None:
    folder = tmp_path / "guidelines-ngc"
    folder.mkdir()
    for number in (1, 2, 3):
        (folder / f"ngc-{number}.xml").write_text("<Version/>")
    units = SubsetLoader(NgcGuidelineLoader(), ["ngc-1.xml", "ngc-3.xml"]).discover(tmp_path)
    assert [unit.paths[0].name for unit in units] == ["ngc-1.xml", "ngc-3.xml"]
    with pytest.raises(SourceFormatError, match=r"ngc-9\.xml"):
        SubsetLoader(NgcGuidelineLoader(), ["ngc-1.xml", "ngc-9.xml"]).discover(tmp_path)


def test_every_listed_file_is_in_the_real_corpus(real_corpus: Path) -> None:
    present = {path.name for path in (real_corpus / "guidelines-ngc").glob("ngc-*.xml")}
    assert set(subset_guidelines()) <= present, MANIFEST
