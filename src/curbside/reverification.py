"""Re-verify an article after a reviewer edits its wording: the pipeline's verify step, run alone.

Lives beside ``pipeline.py`` (not in ``review/``) because it needs the open pipeline; review
receives it as a plain callable, so stages still never import each other.
"""

from __future__ import annotations

from curbside.domain.article import Article
from curbside.domain.evidence import EvidenceSet
from curbside.domain.question import UnderstoodQuestion
from curbside.pipeline import Curbside

NO_EVIDENCE = EvidenceSet(queries=(), applicable=(), set_aside=())


def reverify(curbside: Curbside, article: Article, question: UnderstoodQuestion) -> Article:
    """``article`` with verdicts, support summary and publish gate recomputed against the very
    passages its references cite (read back from the knowledge base), as ``Curbside.ask`` does.

    Raises:
        RuntimeError: when the pipeline was opened without a verifier.
    """
    if curbside.verifier is None:
        raise RuntimeError("this Curbside has no verifier")
    cited = curbside.cited_evidence(article, NO_EVIDENCE)
    statements = ([article.bottom_line] if article.bottom_line else []) + [
        s for section in article.sections for s in section.statements
    ]
    texts = [s.text for s in statements] + [passage.text for _, passage in cited.values()]
    lexicon = curbside.understanding.drugs.lexicon(texts)
    verified: Article = curbside.verifier.verify(article, question, cited, lexicon)
    return verified
