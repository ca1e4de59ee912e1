"""The fixture layout: every renamed fixture exists and appears under its official name."""

from __future__ import annotations

from tests.sample_tree import OFFICIAL_PATHS, STORED, official_path, sample_tree


def test_every_renamed_fixture_is_stored() -> None:
    assert all((STORED / kept).exists() for kept in OFFICIAL_PATHS.values())


def test_sample_tree_uses_official_names() -> None:
    root = sample_tree()
    for official in OFFICIAL_PATHS:
        assert (root / official).exists(), official
    assert (root / "medquad" / "2_GARD_QA" / "0000001.xml").read_bytes() == (
        STORED / "nih-qa-xml" / "2_GARD_QA" / "0000001.xml"
    ).read_bytes()


def test_unrenamed_paths_keep_their_names() -> None:
    assert official_path("safety/red_flags.jsonl") == "safety/red_flags.jsonl"
    assert official_path("nih-qa-xml-extra/x.xml") == "nih-qa-xml-extra/x.xml"
