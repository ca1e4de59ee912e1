"""Class membership from the ATC codes the interaction lists carry.

OSCAR's drugref2 list codes every row with WHO ATC codes: class rows carry a group code
("MAOIS" → N06AF) and drug rows a full code ("PHENELZINE" → N06AF03). In ATC a drug belongs
to a group exactly when its code starts with the group's code, so the list itself gives
real class membership — no hand-made member lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from curbside.domain.documents import InteractionRecord
from curbside.protocols import InteractionLookups
from curbside.safety.classes import atc_codes
from curbside.safety.resolver import DrugClassResolver, normalise

ATC_LIST = "OSCAR"
FULL_CODE_LENGTH = 7


class AtcClassIndex:
    """drug name → ATC class names, built from records that carry ATC ids."""

    def __init__(self, records: Iterable[InteractionRecord]) -> None:
        group_names: dict[str, set[str]] = defaultdict(set)
        drug_codes: dict[str, set[str]] = defaultdict(set)
        for record in records:
            for name, ids in ((record.drug_a, record.drug_a_ids), (record.drug_b, record.drug_b_ids)):
                for code in atc_codes(ids):
                    if len(code) >= FULL_CODE_LENGTH:
                        drug_codes[normalise(name)].add(code)
                    else:
                        group_names[code].add(name)
        self._groups = {code: tuple(sorted(names)) for code, names in group_names.items()}
        self._drug_codes = {name: tuple(sorted(codes)) for name, codes in drug_codes.items()}

    @classmethod
    def from_store(cls, store: InteractionLookups, list_name: str = ATC_LIST) -> AtcClassIndex:
        return cls(store.interactions_in_list(list_name))

    def classes_of(self, drug: str) -> tuple[str, ...]:
        names: list[str] = []
        for code in self._drug_codes.get(normalise(drug), ()):
            for group, group_names in self._groups.items():
                if code.startswith(group):
                    names.extend(group_names)
        return tuple(dict.fromkeys(names))


class CombinedResolver:
    """A resolver that adds ATC classes from the lists to another resolver's classes."""

    def __init__(self, base: DrugClassResolver, atc: AtcClassIndex) -> None:
        self._base = base
        self._atc = atc

    def canonical(self, name: str) -> str | None:
        return self._base.canonical(name)

    def classes_of(self, drug: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._base.classes_of(drug) + self._atc.classes_of(drug)))
