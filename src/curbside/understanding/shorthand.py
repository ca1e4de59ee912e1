"""Clinical shorthand in a question, read as its long form before recognition.

"34F with GAD, her PCP asks…" holds two abbreviations no vocabulary reads right: the knowledge
base's own "(GAD)" is an antibody test and ICD-10-CM files "PCP" under phencyclidine. The
expansions live in ``understanding/data/clinical_shorthand.json`` (versioned, with provenance);
this module only applies them: case-sensitively, as whole words, so prose is never rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


class ShorthandDataError(ValueError):
    """The shorthand data file is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Shorthand:
    version: int
    pattern: re.Pattern[str] | None
    long_forms: dict[str, str]

    def expand(self, text: str) -> str:
        """``text`` with every listed short form replaced by its long form."""
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.long_forms[m.group(0)], text)


def parse_shorthand(raw: Any) -> Shorthand:
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int):
        raise ShorthandDataError("shorthand data: expected an object with an integer 'version'")
    entries = raw.get("expansions")
    if not isinstance(entries, list):
        raise ShorthandDataError("shorthand data: 'expansions' must be a list")
    long_forms: dict[str, str] = {}
    for i, entry in enumerate(entries):
        short, long = (entry.get("short"), entry.get("long")) if isinstance(entry, dict) else (None, None)
        if not isinstance(short, str) or not short.strip() or not isinstance(long, str) or not long.strip():
            raise ShorthandDataError(f"expansions[{i}]: needs non-empty 'short' and 'long'")
        if short in long_forms:
            raise ShorthandDataError(f"expansions[{i}]: '{short}' is listed twice")
        long_forms[short] = long
    if not long_forms:
        return Shorthand(raw["version"], None, {})
    alternatives = "|".join(re.escape(s) for s in sorted(long_forms, key=len, reverse=True))
    return Shorthand(raw["version"], re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w/-])"), long_forms)


@lru_cache(maxsize=1)
def default_shorthand() -> Shorthand:
    text = resources.files("curbside.understanding").joinpath("data", "clinical_shorthand.json").read_text("utf-8")
    try:
        return parse_shorthand(json.loads(text))
    except json.JSONDecodeError as error:
        raise ShorthandDataError(f"shorthand data is not valid JSON: {error}") from error
