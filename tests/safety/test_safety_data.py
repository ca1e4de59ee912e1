"""Each safety data file loads, and a malformed copy fails with a clear error."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from curbside.safety.classes import ClassDataError, load_groups
from curbside.safety.red_flags import RedFlagDataError, load_rules
from curbside.safety.source_classes import load_index
from curbside.safety.suicide_guideline import SuicideGuidelineDataError, load_suicide_guideline


def packaged(name: str) -> dict:
    return json.loads(resources.files("curbside.safety").joinpath("data", name).read_text("utf-8"))


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_packaged_files_load() -> None:
    assert load_rules().rules and load_groups() and load_suicide_guideline().title_words
    index = load_index()
    assert {"ibuprofen", "naproxen"} <= set(index.members_of("NSAIDs"))
    assert "sertraline" in index.members_of("SSRIs")
    assert "clarithromycin" in index.members_of("strong CYP3A4 inhibitors")
    assert index.provenance("NSAIDs", "ibuprofen")[0].source


def test_red_flag_file_with_a_bad_pattern_fails(tmp_path: Path) -> None:
    data = packaged("red_flags.json")
    data["rules"][0]["acute"] = "(unclosed"
    with pytest.raises(RedFlagDataError, match="rules\\[0\\]"):
        load_rules(write(tmp_path, data))


def test_red_flag_file_without_notices_fails(tmp_path: Path) -> None:
    data = packaged("red_flags.json")
    del data["notices"]["suicide"]
    with pytest.raises(RedFlagDataError, match="notices"):
        load_rules(write(tmp_path, data))


def test_red_flag_file_that_is_not_json_fails(tmp_path: Path) -> None:
    with pytest.raises(RedFlagDataError, match="JSON"):
        load_rules(write(tmp_path, "{not json"))


def test_class_names_with_a_one_name_group_fail(tmp_path: Path) -> None:
    data = packaged("class_names.json")
    data["groups"].append(["lonely"])
    with pytest.raises(ClassDataError, match="groups"):
        load_groups(write(tmp_path, data))


def test_class_members_without_provenance_fail(tmp_path: Path) -> None:
    data = {"version": 1, "classes": {"nsaids": {"members": {"ibuprofen": []}}}}
    with pytest.raises(ClassDataError, match="provenance"):
        load_index(write(tmp_path, data))


def test_suicide_guideline_without_query_fails(tmp_path: Path) -> None:
    data = packaged("suicide_guideline.json")
    data["query"] = ""
    with pytest.raises(SuicideGuidelineDataError, match="query"):
        load_suicide_guideline(write(tmp_path, data))
