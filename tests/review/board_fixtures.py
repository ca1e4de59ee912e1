"""A review database with one account per role, and a deterministic re-verifier, for review tests."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from curbside.domain.article import Article, SupportSummary, Verdict
from curbside.domain.question import UnderstoodQuestion
from curbside.review.accounts import Account
from curbside.review.repository import SqlArticleRepository, SqliteArticleRepository
from curbside.review.statements import statements
from curbside.review.workflow import ReviewDesk

PASSWORD = "correct horse battery staple"
# Cheap argon2 parameters: tests hash dozens of passwords on a shared 2-core machine.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def keyword_reverify(article: Article, question: UnderstoodQuestion) -> Article:
    """Deterministic stand-in for the verifier: a statement is supported when every word of it
    appears in a passage it cites (so tests can make an edit pass or fail on purpose)."""
    quotes = {r.n: r.quote.lower() for r in article.references}

    def judged(statement):  # type: ignore[no-untyped-def]
        words = [w.strip(".,") for w in statement.text.lower().split()]
        ok = all(any(w in quotes.get(n, "") for n in statement.citations) for w in words)
        return statement.model_copy(update={"verdict": Verdict.SUPPORTED if ok else Verdict.UNSUPPORTED})

    bottom = judged(article.bottom_line) if article.bottom_line else None
    sections = tuple(
        s.model_copy(update={"statements": tuple(judged(x) for x in s.statements)}) for s in article.sections
    )
    checked = article.model_copy(update={"bottom_line": bottom, "sections": sections})
    verdicts = [located.statement.verdict for located in statements(checked)]
    supported = sum(v == Verdict.SUPPORTED for v in verdicts)
    gate = supported == len(verdicts)
    return checked.model_copy(
        update={"support": SupportSummary(supported=supported, total=len(verdicts), gate_passed=gate)}
    )


def reopen(repository: SqlArticleRepository) -> SqlArticleRepository:
    """A second repository on the same database, as another app worker would open it."""
    if isinstance(repository, SqliteArticleRepository):
        return SqliteArticleRepository(repository.path)
    from curbside.review.postgres_repository import PostgresArticleRepository

    assert isinstance(repository, PostgresArticleRepository)
    return PostgresArticleRepository(repository.url)


@dataclass
class Board:
    repository: SqlArticleRepository
    desk: ReviewDesk
    reviewer: Account
    other_reviewer: Account
    editor: Account
    admin: Account

    def rev2_email(self) -> str:
        return self.other_reviewer.email
