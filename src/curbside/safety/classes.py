"""Drug-class name variants, so a list's "MAOIS" meets a resolver's "monoamine oxidase inhibitors".

Interaction lists abbreviate class names (OSCAR: "MAOIS", "NSAIDS", "BETA BLOCKERS") while
the resolver speaks MeSH ("adrenergic beta-antagonists") and labels write "strong CYP 3A
inhibitors". The groups of names denoting one class live in ``safety/data/class_names.json``
(versioned, with provenance); every name is normalised before comparison, with "cyp 3a4"
written as "cyp3a4".
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from curbside.safety.resolver import normalise

#: ATC-style classification codes ("N06AF", "N06AF03", "C07A").
ATC_CODE = re.compile(r"^[A-Z]\d{2}(?:[A-Z]{1,2}(?:\d{2})?)?$")
_CYP = re.compile(r"\bcyp (?=\d)")


class ClassDataError(ValueError):
    """A class data file is malformed; the message names the field."""


def class_name_key(name: str) -> str:
    """Normalised class name ("strong CYP 3A inhibitors" → "strong cyp3a inhibitors")."""
    return _CYP.sub("cyp", normalise(name))


def parse_groups(raw: Any) -> dict[str, frozenset[str]]:
    """Name → every name of its class; raises ClassDataError on a malformed file."""
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int) or not raw.get("provenance"):
        raise ClassDataError("class names: expected an object with integer 'version' and 'provenance'")
    groups = raw.get("groups")
    if not isinstance(groups, list) or not groups:
        raise ClassDataError("class names: 'groups' must be a non-empty list")
    index: dict[str, frozenset[str]] = {}
    for i, group in enumerate(groups):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(n, str) and n.strip() for n in group):
            raise ClassDataError(f"class names: groups[{i}] must list at least two non-empty names")
        names = frozenset(class_name_key(n) for n in group)
        for name in names:
            index[name] = index.get(name, frozenset()) | names
    return index


def load_groups(path: Path | None = None) -> dict[str, frozenset[str]]:
    try:
        text = path.read_text(encoding="utf-8") if path else _packaged("class_names.json")
        return parse_groups(json.loads(text))
    except json.JSONDecodeError as error:
        raise ClassDataError(f"class names: not valid JSON ({error})") from error


def _packaged(name: str) -> str:
    return resources.files("curbside.safety").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _default_groups() -> dict[str, frozenset[str]]:
    return load_groups()


def class_variants(name: str) -> frozenset[str]:
    """Normalised names denoting the same class as ``name`` (always includes ``name`` itself,
    plus a naive singular/plural so "benzodiazepine" meets "benzodiazepines")."""
    key = class_name_key(name)
    if not key:
        return frozenset()
    variants = {key, normalise(name), key[:-1] if key.endswith("s") else key + "s"}
    return frozenset(variants | _default_groups().get(key, frozenset()))


def atc_codes(ids: tuple[str, ...]) -> tuple[str, ...]:
    """ATC codes among record ids such as ``("ATC:N06AF",)``."""
    return tuple(i.split(":", 1)[1] for i in ids if i.startswith("ATC:"))
