"""Contract suite for composers (:class:`curbside.protocols.Composer`).

Provide ``composer``, ``question`` and ``evidence`` fixtures: evidence that answers the question
(a remote-model composer's fixture arranges a faithful reply for it).
"""

from __future__ import annotations

from curbside.domain.article import Article, Statement
from curbside.domain.evidence import EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.protocols import Composer


def statements_of(article: Article) -> list[Statement]:
    return ([article.bottom_line] if article.bottom_line else []) + [
        s for section in article.sections for s in section.statements
    ]


class ComposerContract:
    def test_it_satisfies_the_protocol(self, composer: Composer) -> None:
        assert isinstance(composer, Composer) and composer.name

    def test_answers_citing_only_references_to_the_evidence(
        self, composer: Composer, question: UnderstoodQuestion, evidence: EvidenceSet
    ) -> None:
        article = composer.compose(question, evidence)
        assert not article.abstained, article.abstain_reason
        numbers = {r.n for r in article.references}
        given = {e.record.passage.passage_id for e in evidence.applicable}
        assert statements_of(article), "an answer has statements"
        assert all(s.citations and set(s.citations) <= numbers for s in statements_of(article))
        assert {r.passage_id for r in article.references} <= given

    def test_abstains_with_a_reason_when_nothing_applies(
        self, composer: Composer, question: UnderstoodQuestion
    ) -> None:
        article = composer.compose(question, EvidenceSet(("nothing",), (), ()))
        assert article.abstained and article.abstain_reason
        assert (not article.references and article.bottom_line is None) or not statements_of(article)[1:]
