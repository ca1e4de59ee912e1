"""One Settings object, built once (from the environment and CLI flags) and passed in.

Nothing reads the environment at import time; ``Settings.from_env()`` is called by the
CLI and the web app factory, and tests construct ``Settings(...)`` directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from curbside.domain.terms import SourceTermsPolicy

CORPUS_HELP = (
    "No corpus found. Set CURBSIDE_CORPUS_DIR (or pass --corpus DIR) to a folder holding the "
    "sources (medquad/, guidelines-ngc/, textbooks-openstax/, fda-labels-nlm/, interactions/, glossaries/), "
    "put them in ./corpora, or fetch the public ones with `curbside corpus download`."
)


class SettingsError(ValueError):
    """A setting has a value it cannot take; the message names the setting and what it allows."""


LLM_UNSUPPORTED_POLICIES = ("mark", "remove")
LLM_FALLBACKS = ("none", "offline")
MAX_RATE_WINDOW_S = 86_400  # the review database keeps rate-limit rows at most this long
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
VECTOR_INDEXES = ("hnsw", "exact")  # knowledge.vector_index registers one index per name
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class CorpusNotFoundError(RuntimeError):
    """No corpus directory could be located; the message says how to get one."""


def locate_corpus(explicit: Path | None, cwd: Path) -> Path:
    """Resolve the corpus directory: explicit, then ./corpora, then ../shared/corpora.

    Raises:
        CorpusNotFoundError: when none exists, with instructions.
    """
    if explicit is not None:
        if not explicit.is_dir():
            raise CorpusNotFoundError(f"Corpus directory {explicit} does not exist. {CORPUS_HELP}")
        return explicit.resolve()
    for candidate in (cwd / "corpora", cwd.parent / "shared" / "corpora"):
        if candidate.is_dir():
            return candidate.resolve()
    raise CorpusNotFoundError(CORPUS_HELP)


@dataclass(frozen=True)
class GateSettings:
    """The publish gate: an answer below it is never shown as approved."""

    bottom_line_must_be_supported: bool = True
    min_supported_share: float = 0.95


@dataclass(frozen=True)
class Settings:
    """All configuration. Every field has an environment variable ``CURBSIDE_<NAME>``.

    Attributes:
        corpus_dir: where the sources are read from (None: located at use, see locate_corpus).
        data_dir: where the SQLite knowledge base and articles live.
        store: knowledge-base backend ("sqlite").
        embedder: "minilm" (real model) or "hashing" (tests only).
        vector_index: dense index beside the database: "hnsw" (approximate, default) or "exact".
        host, port: where `curbside serve` listens.
        llm_base_url, llm_model, llm_api_key: an OpenAI-compatible model; composer "llm" uses it.
        composer: "offline" (default) or "llm".
        llm_unsupported: what to do with unsupported LLM statements: "remove" or "mark".
        llm_fallback: when the LLM composer fails, "offline" answers with the offline composer
            instead; "none" (default) reports the failure.
        article_store: article-repository backend ("sqlite").
        eval_dir: where the evaluation dev sets are (None: located at use, see evaluation.common).
        log_questions: log question text (off by default: questions may hold patient data).
        gate: publish gate thresholds.
        review_db: the review database (articles, versions, accounts, audit log); None: a file
            in ``<data dir>-review/`` beside the data dir (``./var-review/`` by default; one per
            data dir), so rebuilding or cleaning the knowledge base
            never touches the advisory board's work.
        secure_cookies: mark session cookies Secure (HTTPS only); off only for plain-HTTP local use.
        cds_issuers: CDS Hooks clients allowed to call: (JWT ``iss``, JWKS file path or URL) pairs.
        cds_allow_unsigned: accept CDS Hooks calls without a JWT (local testing with a sandbox only).
        cds_cors_origins: browser origins allowed to call the CDS Hooks service ("*" = any).
        public_url: this server's public base URL (absolute links in cards; JWT ``aud``).
        chromium: the Chromium executable that prints article PDFs.
        source_terms: which documents may be ingested and served: "all" or "open" (public
            domain / CC BY only); a string is validated (an error naming the allowed values).
        ask_rate_limit, ask_rate_window_s: anonymous asks (questions, follow-ups, corrections)
            allowed per client address in a sliding window; counted in the review database, so
            every worker shares them. 0 turns the limit off; board accounts are never limited.
        database_url: a ``postgresql://`` URL; when set (from the environment) the knowledge
            base and the review database both live in that PostgreSQL database.
    """

    corpus_dir: Path | None = None
    data_dir: Path = Path("var")
    store: str = "sqlite"
    embedder: str = "minilm"
    vector_index: str = "hnsw"
    host: str = "127.0.0.1"
    port: int = 8000
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0
    composer: str = "offline"
    llm_unsupported: str = "mark"
    log_questions: bool = False
    gate: GateSettings = field(default_factory=GateSettings)
    llm_fallback: str = "none"
    article_store: str = "sqlite"
    review_db: Path | None = None
    secure_cookies: bool = True
    eval_dir: Path | None = None
    cds_issuers: tuple[tuple[str, str], ...] = ()
    cds_allow_unsigned: bool = False
    cds_cors_origins: tuple[str, ...] = ("*",)
    public_url: str | None = None
    chromium: str = "/usr/bin/chromium"
    source_terms: SourceTermsPolicy = SourceTermsPolicy.ALL
    ask_rate_limit: int = 30
    ask_rate_window_s: int = 60
    database_url: str | None = None

    def __post_init__(self) -> None:
        # Validated when built, so a wrong value fails at start with the allowed ones named,
        # not deep inside a request.
        from curbside.backends import backend_names

        _one_of("CURBSIDE_STORE", self.store, backend_names("store"))
        _one_of("CURBSIDE_EMBEDDER", self.embedder, backend_names("embedder"))
        _one_of("CURBSIDE_COMPOSER", self.composer, backend_names("composer"))
        _one_of("CURBSIDE_ARTICLE_STORE", self.article_store, backend_names("article-repository"))
        _one_of("CURBSIDE_LLM_UNSUPPORTED", self.llm_unsupported, LLM_UNSUPPORTED_POLICIES)
        _one_of("CURBSIDE_LLM_FALLBACK", self.llm_fallback, LLM_FALLBACKS)
        _one_of("CURBSIDE_VECTOR_INDEX", self.vector_index, VECTOR_INDEXES)
        if self.database_url is not None and not self.database_url.startswith(POSTGRES_SCHEMES):
            raise SettingsError(
                f"CURBSIDE_DATABASE_URL must be a PostgreSQL URL ({' or '.join(POSTGRES_SCHEMES)}…), not a"
                f" {self.database_url.split(':', 1)[0]!r} URL"
            )
        for name, chosen in (("CURBSIDE_STORE", self.store), ("CURBSIDE_ARTICLE_STORE", self.article_store)):
            if chosen == "postgres" and not self.database_url:
                raise SettingsError(f"{name}=postgres needs CURBSIDE_DATABASE_URL (postgresql://user@host/db)")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"CURBSIDE_PORT must be a port number 0–65535, not {self.port}")
        if not self.llm_timeout_s > 0:
            raise SettingsError(f"CURBSIDE_LLM_TIMEOUT_S must be more than 0 seconds, not {self.llm_timeout_s}")
        if not 0.0 <= self.gate.min_supported_share <= 1.0:
            raise SettingsError(
                f"CURBSIDE_GATE_MIN_SUPPORTED must be a share from 0 to 1, not {self.gate.min_supported_share}"
            )
        if self.ask_rate_limit < 0:
            raise SettingsError(f"CURBSIDE_ASK_RATE_LIMIT must be 0 (off) or more, not {self.ask_rate_limit}")
        if not 1 <= self.ask_rate_window_s <= MAX_RATE_WINDOW_S:
            raise SettingsError(
                f"CURBSIDE_ASK_RATE_WINDOW_S must be 1–{MAX_RATE_WINDOW_S} seconds, not {self.ask_rate_window_s}"
            )
        try:
            object.__setattr__(self, "source_terms", SourceTermsPolicy.parse(str(self.source_terms)))
        except ValueError as error:
            raise SettingsError(str(error)) from None

    @property
    def database_path(self) -> Path:
        return self.data_dir / "curbside.sqlite3"

    @property
    def review_database_path(self) -> Path:
        return self.review_db or self.data_dir.parent / f"{self.data_dir.name}-review" / "review.sqlite3"

    def resolved_corpus_dir(self, cwd: Path | None = None) -> Path:
        return locate_corpus(self.corpus_dir, cwd or Path.cwd())

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given non-None fields replaced (CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"CURBSIDE_{name}")
            return value if value not in (None, "") else None

        base = cls()
        flag = (get("LOG_QUESTIONS") or "0").lower()
        if flag not in _TRUE + _FALSE:
            raise SettingsError(f"CURBSIDE_LOG_QUESTIONS must be one of {', '.join(_TRUE + _FALSE)}, not {flag!r}")
        gate_share = _number("GATE_MIN_SUPPORTED", get("GATE_MIN_SUPPORTED"), float)
        corpus = get("CORPUS_DIR")
        data = get("DATA_DIR")
        port = _number("PORT", get("PORT"), int)
        timeout = _number("LLM_TIMEOUT_S", get("LLM_TIMEOUT_S"), float)
        review_db = get("REVIEW_DB")
        rate_limit = _number("ASK_RATE_LIMIT", get("ASK_RATE_LIMIT"), int)
        rate_window = _number("ASK_RATE_WINDOW_S", get("ASK_RATE_WINDOW_S"), int)
        database_url = get("DATABASE_URL")
        # One setting apart: a PostgreSQL URL moves every store there unless one is named.
        on_postgres = database_url is not None and database_url.startswith(POSTGRES_SCHEMES)
        default_backend = "postgres" if on_postgres else base.store
        cookies = (get("SECURE_COOKIES") or "on").lower()
        if cookies not in _TRUE + _FALSE:
            raise SettingsError(f"CURBSIDE_SECURE_COOKIES must be on or off, not {cookies!r}")
        return cls(
            corpus_dir=Path(corpus) if corpus else None,
            data_dir=Path(data) if data else base.data_dir,
            store=get("STORE") or default_backend,
            embedder=get("EMBEDDER") or base.embedder,
            vector_index=get("VECTOR_INDEX") or base.vector_index,
            host=get("HOST") or base.host,
            port=base.port if port is None else int(port),
            llm_base_url=get("LLM_BASE_URL"),
            llm_model=get("LLM_MODEL") or base.llm_model,
            llm_api_key=get("LLM_API_KEY"),
            llm_timeout_s=base.llm_timeout_s if timeout is None else float(timeout),
            composer=get("COMPOSER") or base.composer,
            llm_unsupported=get("LLM_UNSUPPORTED") or base.llm_unsupported,
            log_questions=flag in _TRUE,
            gate=base.gate if gate_share is None else GateSettings(min_supported_share=float(gate_share)),
            llm_fallback=get("LLM_FALLBACK") or base.llm_fallback,
            article_store=get("ARTICLE_STORE") or default_backend,
            review_db=Path(review_db) if review_db else None,
            secure_cookies=cookies not in _FALSE,
            eval_dir=Path(eval_dir) if (eval_dir := get("EVAL_DIR")) else None,
            cds_issuers=parse_issuers(get("CDS_ISSUERS")),
            cds_allow_unsigned=_flag("CDS_ALLOW_UNSIGNED", get("CDS_ALLOW_UNSIGNED")),
            cds_cors_origins=tuple(o.strip() for o in (get("CDS_CORS_ORIGINS") or "*").split(",") if o.strip()),
            public_url=(get("PUBLIC_URL") or "").rstrip("/") or None,
            chromium=get("CHROMIUM") or base.chromium,
            source_terms=get("SOURCE_TERMS") or base.source_terms,  # type: ignore[arg-type]  # parsed in __post_init__
            ask_rate_limit=base.ask_rate_limit if rate_limit is None else int(rate_limit),
            ask_rate_window_s=base.ask_rate_window_s if rate_window is None else int(rate_window),
            database_url=database_url,
        )


def _flag(name: str, value: str | None) -> bool:
    """An on/off setting (unset = off); anything else is an error naming the setting."""
    flag = (value or "0").lower()
    if flag not in _TRUE + _FALSE:
        raise SettingsError(f"CURBSIDE_{name} must be one of {', '.join(_TRUE + _FALSE)}, not {flag!r}")
    return flag in _TRUE


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def _number(name: str, value: str | None, kind: type[int] | type[float]) -> int | float | None:
    """``value`` as a number, None when unset; a malformed one is an error naming the setting."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise SettingsError(f"CURBSIDE_{name} must be {noun}, not {value!r}") from None


def parse_issuers(value: str | None) -> tuple[tuple[str, str], ...]:
    """``CURBSIDE_CDS_ISSUERS``: a JSON object {"issuer": "JWKS file or URL", …}.

    Raises:
        ValueError: when the value is not such an object.
    """
    if not value:
        return ()
    try:
        data = json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"CURBSIDE_CDS_ISSUERS is not JSON: {error}") from error
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError('CURBSIDE_CDS_ISSUERS must be a JSON object {"issuer": "JWKS file or URL"}')
    return tuple(sorted(data.items()))
