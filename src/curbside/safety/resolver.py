"""What the safety stage needs to know about drug names, as a protocol.

The understanding stage's recogniser satisfies it; safety never imports that stage.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

_NON_WORD = re.compile(r"[^a-z0-9]+")


@runtime_checkable
class DrugClassResolver(Protocol):
    """Contract:

    - ``canonical(name)``: the canonical lower-case generic or class name for any variant
      (brand, salt, plural), or None when the name is unknown.
    - ``classes_of(drug)``: class names (and/or classification codes such as ATC "N06AF")
      the canonical ``drug`` belongs to; empty when unknown.
    """

    def canonical(self, name: str) -> str | None: ...

    def classes_of(self, drug: str) -> tuple[str, ...]: ...


class NoClasses:
    """A resolver that knows nothing: drug-level matching by normalised name only."""

    def canonical(self, name: str) -> str | None:
        return None

    def classes_of(self, drug: str) -> tuple[str, ...]:
        return ()


def normalise(name: str) -> str:
    """Same key the store indexes interactions by: lower-case, punctuation to single spaces."""
    return _NON_WORD.sub(" ", name.lower()).strip()
