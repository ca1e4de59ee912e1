"""Drug classes and their members, taken from the MeSH data that ``drug_named_entity_recognition`` ships.

Nothing here is a hand-written list of members. The package's dictionary carries, for each
entry, a MeSH descriptor id and MeSH tree numbers; the class entries are MeSH descriptors
whose tree numbers sit under ``D27.505`` (Pharmacologic Actions) or chemical-structure
descriptors (``D02``–``D04``) that have drugs below them. Membership is derived two ways:

1. **Tree hierarchy** — a drug whose own MeSH tree number descends from a class's tree
   number is a member (e.g. lorazepam ``D03.633.100.079.080…`` under benzodiazepines
   ``D03.633.100.079``). Sub-classes roll up: members of "adrenergic beta-1 receptor
   antagonists" are members of "adrenergic beta-antagonists".
2. **Pharmacological-action links** — the package sometimes stores, as a drug's
   ``mesh_id``, the id of a pharmacological-action descriptor (metoprolol → beta-1
   antagonists). Such a link is used only when exactly one class entry carries that id:
   in the package some class ids are shared by several class names (e.g. one id is on both
   "sympathomimetics" and "selective serotonin reuptake inhibitors"), and an ambiguous link
   would assign members to the wrong class — worse than assigning none.

Extra memberships from another real classification (ATC, MeSH PA file) can be added with
:meth:`DrugClassification.with_memberships`; the package alone lacks many PA links (e.g. it
gives no members for SSRIs), which is reported rather than patched by hand.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: MeSH tree prefix of the Pharmacologic Actions branch ("Molecular Mechanisms", "Therapeutic Uses"…).
PHARMACOLOGIC_ACTION_PREFIX = "D27.505"
#: Chemical-structure branches (organic, heterocyclic, polycyclic compounds) whose descriptors
#: can define a class such as benzodiazepines; protein/peptide branches (D12) are targets, not classes.
CHEMICAL_PREFIXES = ("D02", "D03", "D04")


@dataclass(frozen=True, slots=True)
class DrugClass:
    """One class: canonical name, its MeSH codes and its canonical member drug names."""

    name: str
    mesh_id: str | None
    tree_numbers: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Classification codes for :class:`DrugMention.class_codes` (MeSH UI and tree numbers)."""
        ui = (f"MeSH:{self.mesh_id}",) if self.mesh_id else ()
        return ui + tuple(f"MeSH-tree:{t}" for t in self.tree_numbers)


def _is_drug(data: Mapping[str, Any]) -> bool:
    """A member must be an actual drug: the package gives DrugBank ids only to drugs."""
    return bool(data.get("drugbank_id"))


class DrugClassification:
    """Class ↔ member lookup built once from the package's canonical-entry table.

    Contract: class and drug names are the package's lower-case canonical names;
    ``members_of`` and ``classes_of`` return sorted tuples and never raise for unknown names.
    """

    def __init__(self, canonical_to_data: Mapping[str, Mapping[str, Any]]) -> None:
        self._data = canonical_to_data
        self._class_trees = self._find_class_entries(canonical_to_data)
        self._members: dict[str, set[str]] = defaultdict(set)
        self._ambiguous_ids = self._shared_class_ids()
        self._add_tree_members()
        self._add_action_links()
        self._freeze()

    @staticmethod
    def _find_class_entries(data: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
        """Entries that can be classes: PA descriptors and non-drug chemical-group descriptors."""
        found: dict[str, tuple[str, ...]] = {}
        for name, entry in data.items():
            trees = tuple(entry.get("mesh_tree") or ())
            if any(t.startswith(PHARMACOLOGIC_ACTION_PREFIX) for t in trees) or (
                trees and not _is_drug(entry) and all(t.startswith(CHEMICAL_PREFIXES) for t in trees)
            ):
                found[name] = trees
        return found

    def _shared_class_ids(self) -> set[str]:
        owners: dict[str, int] = defaultdict(int)
        for name in self._class_trees:
            mesh_id = self._data[name].get("mesh_id")
            if mesh_id:
                owners[mesh_id] += 1
        return {mesh_id for mesh_id, count in owners.items() if count > 1}

    def _add_tree_members(self) -> None:
        """Hierarchy: every drug tree number below a class tree number makes a member."""
        drug_trees = sorted(
            (tree, name)
            for name, entry in self._data.items()
            if _is_drug(entry)
            for tree in entry.get("mesh_tree") or ()
        )
        keys = [tree for tree, _ in drug_trees]
        for class_name, trees in self._class_trees.items():
            for tree in trees:
                start = bisect.bisect_left(keys, tree + ".")
                end = bisect.bisect_left(keys, tree + "/")  # "/" sorts right after "."
                self._members[class_name].update(name for _, name in drug_trees[start:end])

    def _add_action_links(self) -> None:
        """Pharmacological-action ids stored as a drug's mesh_id, when the id has one owner."""
        owner_of = {
            self._data[name]["mesh_id"]: name
            for name in self._class_trees
            if self._data[name].get("mesh_id") and self._data[name]["mesh_id"] not in self._ambiguous_ids
        }
        for name, entry in self._data.items():
            owner = owner_of.get(entry.get("mesh_id") or "")
            if owner and owner != name and _is_drug(entry):
                self._members[owner].add(name)

    def _freeze(self) -> None:
        # Sub-classes roll up into their ancestors through the tree numbers.
        by_tree = sorted((t, c) for c, trees in self._class_trees.items() for t in trees)
        tree_keys = [t for t, _ in by_tree]
        rolled: dict[str, set[str]] = {}
        for class_name, trees in self._class_trees.items():
            acc = set(self._members.get(class_name, ()))
            for tree in trees:
                lo, hi = bisect.bisect_left(tree_keys, tree + "."), bisect.bisect_left(tree_keys, tree + "/")
                for _, sub in by_tree[lo:hi]:
                    acc.update(self._members.get(sub, ()))
            rolled[class_name] = acc
        self._classes = {
            name: DrugClass(
                name=name,
                mesh_id=self._data[name].get("mesh_id")
                if self._data[name].get("mesh_id") not in self._ambiguous_ids
                else None,
                tree_numbers=trees,
                members=tuple(sorted(rolled[name])),
            )
            for name, trees in self._class_trees.items()
        }
        self._classes_of: dict[str, set[str]] = defaultdict(set)
        for cls in self._classes.values():
            for member in cls.members:
                self._classes_of[member].add(cls.name)

    def is_class(self, name: str) -> bool:
        """True when ``name`` (canonical) is a class entry."""
        return name in self._classes

    def get(self, name: str) -> DrugClass | None:
        """The class record for a canonical class name, or None."""
        return self._classes.get(name)

    def members_of(self, class_name: str) -> tuple[str, ...]:
        """Canonical member drugs of a canonical class name (empty if unknown)."""
        cls = self._classes.get(class_name)
        return cls.members if cls else ()

    def classes_of(self, drug: str) -> tuple[str, ...]:
        """Canonical class names that list ``drug`` (canonical) as a member."""
        return tuple(sorted(self._classes_of.get(drug, ())))

    def with_memberships(self, pairs: Iterable[tuple[str, str]]) -> DrugClassification:
        """Add ``(class_name, drug_name)`` memberships from another real classification.

        Pairs naming an unknown class are ignored; returns ``self`` for chaining.
        """
        for class_name, drug in pairs:
            cls = self._classes.get(class_name)
            if cls is None or drug in cls.members:
                continue
            self._classes[class_name] = DrugClass(
                cls.name, cls.mesh_id, cls.tree_numbers, tuple(sorted((*cls.members, drug)))
            )
            self._classes_of[drug].add(class_name)
        return self
