"""Which drug labels the store holds, by drug name — built once per ``SafetyScreen``.

Interaction matching needs a label's brand names (annotations name the label drug by
brand), and the dose and population checks need "the label for this drug". One pass over
``store.documents(kind="drug_label")`` (documents only, no passages) answers both.
"""

from __future__ import annotations

import re

from curbside.protocols import DocumentCatalogue
from curbside.safety.resolver import normalise

_WORD = re.compile(r"[a-z0-9]+")
MAX_NGRAM = 4


class LabelIndex:
    """Label source ids by normalised drug name, and each label's drug names.

    Contract: ``names_of(source_id)`` is empty for non-labels; ``labels_for(name)`` lists
    label source ids in store order; ``named_in(text)`` finds label drug names in free text.
    """

    def __init__(self, store: DocumentCatalogue) -> None:
        self._names: dict[str, frozenset[str]] = {}
        self._labels: dict[str, list[str]] = {}
        for document in store.documents(kind="drug_label"):
            names = frozenset(n for n in (normalise(d) for d in document.drugs) if n)
            self._names[document.source_id] = names
            for name in names:
                self._labels.setdefault(name, []).append(document.source_id)

    def names_of(self, source_id: str) -> frozenset[str]:
        return self._names.get(source_id, frozenset())

    def labels_for(self, name: str) -> tuple[str, ...]:
        return tuple(self._labels.get(normalise(name), ()))

    def aliases(self, name: str) -> frozenset[str]:
        """Every name of every label that names ``name`` (brand ↔ generic)."""
        out: set[str] = set()
        for source_id in self._labels.get(normalise(name), ()):
            out |= self._names[source_id]
        return frozenset(out)

    def named_in(self, text: str) -> list[str]:
        """Label drug names occurring in ``text`` as whole words (longest n-grams first)."""
        words = _WORD.findall(text.lower())
        found: list[str] = []
        for size in range(MAX_NGRAM, 0, -1):
            for i in range(len(words) - size + 1):
                gram = " ".join(words[i : i + size])
                if gram in self._labels and gram not in found:
                    found.append(gram)
        return found
