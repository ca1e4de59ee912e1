"""The Composer protocol: evidence in, article out."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from curbside.domain.article import Article
from curbside.domain.evidence import EvidenceSet
from curbside.domain.question import UnderstoodQuestion


@runtime_checkable
class Composer(Protocol):
    """Contract: ``compose`` returns an Article whose every statement cites references that
    exist in ``article.references``, each reference pointing at a passage from ``evidence``
    (the composer may not cite anything else). It abstains (``abstained=True`` with a reason)
    rather than use evidence that does not apply. Deterministic composers return the same
    article for the same input.

    Example::

        article = OfflineComposer().compose(question, evidence)
    """

    name: str

    def compose(self, question: UnderstoodQuestion, evidence: EvidenceSet) -> Article: ...
