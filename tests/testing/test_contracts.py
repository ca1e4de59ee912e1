"""Run the package's contract suites (curbside.testing) on every implementation shipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from curbside.composition.llm import LlmComposer
from curbside.composition.offline import OfflineComposer
from curbside.knowledge.embedding import HashingEmbedder
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.protocols import ArticleRepository, Composer, Embedder, Store
from curbside.review.memory import InMemoryArticleRepository
from curbside.review.rate_limits import SqlRateLimiter
from curbside.review.repository import SqliteArticleRepository
from curbside.testing.article_repository import ArticleRepositoryContract
from curbside.testing.composer import ComposerContract
from curbside.testing.embedder import EmbedderContract
from curbside.testing.rate_limiter import RateLimiterContract, SteppedClock
from curbside.testing.store import StoreContract
from tests.composition.test_llm_composer import EVIDENCE, HYPERTENSION, QUESTION
from tests.llm_server import recorded_llm_server


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        opened = SqliteStore(tmp_path / "kb.sqlite3")
        yield opened
        opened.close()


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_url: str) -> Iterator[Store]:
        from curbside.knowledge.postgres_store import PostgresStore

        opened = PostgresStore(postgres_url)
        yield opened
        opened.close()


class TestHashingEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self) -> Embedder:
        return HashingEmbedder()


@pytest.mark.slow
class TestMiniLmEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, minilm: Embedder) -> Embedder:
        return minilm


class ComposerFixtures:
    @pytest.fixture
    def question(self):  # type: ignore[no-untyped-def]
        return QUESTION

    @pytest.fixture
    def evidence(self):  # type: ignore[no-untyped-def]
        return EVIDENCE


class TestOfflineComposer(ComposerFixtures, ComposerContract):
    @pytest.fixture
    def composer(self) -> Composer:
        return OfflineComposer()

    def test_deterministic(self, composer: Composer) -> None:
        assert composer.compose(QUESTION, EVIDENCE) == composer.compose(QUESTION, EVIDENCE)


class TestLlmComposerAgainstTheLoopbackServer(ComposerFixtures, ComposerContract):
    @pytest.fixture
    def composer(self) -> Iterator[Composer]:
        text = HYPERTENSION.record.passage.text.split(". ")[0] + "."
        with recorded_llm_server() as llm:
            llm.reply_with(
                json.dumps(
                    {
                        "abstain": False,
                        "reason": "",
                        "bottom_line": {"text": text, "citations": ["P1"]},
                        "sections": [
                            {
                                "heading": "Treatment",
                                "kind": "options",
                                "statements": [{"text": text, "citations": ["P1"]}],
                            }
                        ],
                    }
                )
            )
            yield LlmComposer(llm.base_url, "test-model", None, timeout_s=5)


class TestSqliteArticleRepository(ArticleRepositoryContract):
    @pytest.fixture
    def repository(self, tmp_path: Path) -> Iterator[ArticleRepository]:
        opened = SqliteArticleRepository(tmp_path / "articles.sqlite3")
        yield opened
        opened.close()


class TestPostgresArticleRepository(ArticleRepositoryContract):
    @pytest.fixture
    def repository(self, postgres_url: str) -> Iterator[ArticleRepository]:
        from curbside.review.postgres_repository import PostgresArticleRepository

        opened = PostgresArticleRepository(postgres_url)
        yield opened
        opened.close()


class TestInMemoryArticleRepository(ArticleRepositoryContract):
    @pytest.fixture
    def repository(self) -> ArticleRepository:
        return InMemoryArticleRepository()


class TestSqliteRateLimiter(RateLimiterContract):
    @pytest.fixture
    def limiter(self, tmp_path: Path, clock: SteppedClock) -> SqlRateLimiter:
        return SqlRateLimiter(SqliteArticleRepository(tmp_path / "review.sqlite3"), clock)


class TestPostgresRateLimiter(RateLimiterContract):
    """The same limiter SQL on the PostgreSQL review database, so workers on several hosts share it."""

    @pytest.fixture
    def limiter(self, postgres_url: str, clock: SteppedClock) -> Iterator[SqlRateLimiter]:
        from curbside.review.postgres_repository import PostgresArticleRepository

        database = PostgresArticleRepository(postgres_url)
        yield SqlRateLimiter(database, clock)
        database.close()
