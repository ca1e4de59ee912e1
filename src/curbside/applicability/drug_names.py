"""Drug names as the caller knows them: surface form → canonical name.

Neither the applicability checker nor the verifier knows drug names of its own: they come from
the question and from the drug recogniser the orchestrator runs over statements and passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

DrugNames = Mapping[str, str] | Iterable[str]


def drug_lexicon(names: DrugNames) -> dict[str, str]:
    """Surface form → canonical name, lower-case. A plain iterable maps each name to itself."""
    if isinstance(names, Mapping):
        return {k.lower().strip(): v.lower().strip() for k, v in names.items() if k.strip()}
    return {n.lower().strip(): n.lower().strip() for n in names if n.strip()}


def find_drugs(text: str, known: DrugNames = ()) -> dict[str, str]:
    """Known drug names in ``text``: canonical name → the surface form found."""
    lowered = text.lower()
    found: dict[str, str] = {}
    for surface, canonical in sorted(drug_lexicon(known).items(), key=lambda item: -len(item[0])):
        if re.search(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", lowered):
            found.setdefault(canonical, surface)
    return found
