"""Which guideline the suicidal-crisis notice cites: read from ``safety/data/suicide_guideline.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


class SuicideGuidelineDataError(ValueError):
    """The suicide-guideline data file is malformed; the message names the field."""


@dataclass(frozen=True, slots=True)
class SuicideGuideline:
    """Title words that identify the guideline, organisations to search, and the search words."""

    title_words: tuple[str, ...]
    organizations: tuple[str, ...]
    query: str


def load_suicide_guideline(path: Path | None = None) -> SuicideGuideline:
    """Read and validate the data file (the packaged one by default)."""
    try:
        if path is None:
            text = resources.files("curbside.safety").joinpath("data", "suicide_guideline.json").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise SuicideGuidelineDataError(f"suicide guideline data: not valid JSON ({error})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int) or not raw.get("provenance"):
        raise SuicideGuidelineDataError("suicide guideline data: needs integer 'version' and 'provenance'")
    lists = {}
    for key in ("title_words", "organizations"):
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise SuicideGuidelineDataError(f"suicide guideline data: '{key}' must be a non-empty list of strings")
        lists[key] = tuple(v.lower() if key == "title_words" else v for v in value)
    if not isinstance(raw.get("query"), str) or not raw["query"].strip():
        raise SuicideGuidelineDataError("suicide guideline data: 'query' must be a non-empty string")
    return SuicideGuideline(lists["title_words"], lists["organizations"], raw["query"])
