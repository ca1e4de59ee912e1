"""One Settings object, built once (from the environment and CLI flags) and passed in.

Nothing reads the environment at import time; ``Settings.from_env()`` is called by the
CLI and the web app factory, and tests construct ``Settings(...)`` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

CORPUS_HELP = (
    "No corpus found. Set CURBSIDE_CORPUS_DIR (or pass --corpus DIR) to a folder holding the "
    "sources (medquad/, guidelines-ngc/, fda-labels-nlm/, interactions/, glossaries/), put them in "
    "./corpora, or fetch the public ones with `curbside corpus download`."
)


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
        host, port: where `curbside serve` listens.
        llm_base_url, llm_model, llm_api_key: an OpenAI-compatible model; composer "llm" uses it.
        composer: "offline" (default) or "llm".
        llm_unsupported: what to do with unsupported LLM statements: "remove" or "mark".
        log_questions: log question text (off by default: questions may hold patient data).
        gate: publish gate thresholds.
        advisory_token: token the medical advisory board uses to change review status.
        eval_dir: the dev-set folder evaluation and calibration read (None: located at use).
    """

    corpus_dir: Path | None = None
    data_dir: Path = Path("var")
    store: str = "sqlite"
    embedder: str = "minilm"
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
    advisory_token: str | None = None
    eval_dir: Path | None = None

    @property
    def database_path(self) -> Path:
        return self.data_dir / "curbside.sqlite3"

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
        flag = get("LOG_QUESTIONS")
        gate_share = get("GATE_MIN_SUPPORTED")
        corpus = get("CORPUS_DIR")
        data = get("DATA_DIR")
        port = get("PORT")
        return cls(
            corpus_dir=Path(corpus) if corpus else None,
            data_dir=Path(data) if data else base.data_dir,
            store=get("STORE") or base.store,
            embedder=get("EMBEDDER") or base.embedder,
            host=get("HOST") or base.host,
            port=int(port) if port else base.port,
            llm_base_url=get("LLM_BASE_URL"),
            llm_model=get("LLM_MODEL") or base.llm_model,
            llm_api_key=get("LLM_API_KEY"),
            llm_timeout_s=float(get("LLM_TIMEOUT_S") or base.llm_timeout_s),
            composer=get("COMPOSER") or base.composer,
            llm_unsupported=get("LLM_UNSUPPORTED") or base.llm_unsupported,
            log_questions=(flag or "").lower() in {"1", "true", "yes"},
            gate=GateSettings(min_supported_share=float(gate_share)) if gate_share else base.gate,
            advisory_token=get("ADVISORY_TOKEN"),
            eval_dir=Path(eval_dir) if (eval_dir := get("EVAL_DIR")) else None,
        )
