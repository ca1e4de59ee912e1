"""Factories for the built-in backends, registered in :mod:`curbside.backends` by name exactly
as a plugin's entry points would be. Each imports its implementation only when chosen, so an
optional dependency (onnxruntime, openai) is needed only by who uses it."""

from __future__ import annotations

from curbside.protocols import ArticleRepository, Composer, Embedder, Store
from curbside.settings import Settings


def sqlite_store(settings: Settings) -> Store:
    from curbside.knowledge.sqlite_store import SqliteStore

    return SqliteStore(settings.database_path, settings.vector_index)


def postgres_store(settings: Settings) -> Store:
    # Optional backend (extra "postgres": psycopg).
    from curbside.knowledge.postgres_store import PostgresStore

    assert settings.database_url is not None  # Settings refuses "postgres" without a URL
    return PostgresStore(settings.database_url)


def minilm_embedder(threads: int | None) -> Embedder:
    from curbside.knowledge.embedding import MiniLmEmbedder

    return MiniLmEmbedder(threads=threads)


def onnx_embedder(threads: int | None) -> Embedder:
    # Optional backend (extra "onnx").
    from curbside.knowledge.onnx_embedding import OnnxMiniLmEmbedder

    return OnnxMiniLmEmbedder(threads=threads) if threads else OnnxMiniLmEmbedder()


def hashing_embedder(threads: int | None) -> Embedder:
    from curbside.knowledge.embedding import HashingEmbedder

    return HashingEmbedder()


def offline_composer(settings: Settings) -> Composer:
    from curbside.composition.offline import OfflineComposer

    return OfflineComposer()


def llm_composer(settings: Settings) -> Composer:
    if not settings.llm_base_url:
        raise ValueError("composer 'llm' needs CURBSIDE_LLM_BASE_URL")
    from curbside.composition.llm import LlmComposer

    return LlmComposer(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout_s)


def sqlite_article_repository(settings: Settings) -> ArticleRepository:
    from curbside.review.repository import SqliteArticleRepository

    return SqliteArticleRepository(settings.review_database_path)


def postgres_article_repository(settings: Settings) -> ArticleRepository:
    from curbside.review.postgres_repository import PostgresArticleRepository

    assert settings.database_url is not None  # Settings refuses "postgres" without a URL
    return PostgresArticleRepository(settings.database_url)
