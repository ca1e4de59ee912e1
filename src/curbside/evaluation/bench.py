"""``curbside bench``: latency, throughput, cold start, memory and ingest speed, measured honestly.

What is measured (all loops bounded by a count *and* by seconds; network is loopback only):

* ``ask.*`` — warm in-process ``Curbside.ask`` wall time over the first N LiveQA training
  questions in file order (one unmeasured warm-up ask first).
* ``verify.*`` — the verifier's share of those same asks (``timings_ms["verify"]``: cited
  passages gathered, drug lexicon, every statement checked for support and applicability),
  per answered article; ``verify_per_statement.*`` — that time divided by the article's
  statements (bottom line included). Abstentions verify nothing and are left out.
* ``search.*`` — hybrid ``searcher.search(q, limit=10)`` (query embedding, BM25, dense index,
  fusion) over the same questions, three rounds.
* ``bm25_floor.*`` — ``store.lexical_search(q, 10)`` on the same store and questions in the
  same run (three rounds): the cost of the cheapest possible retrieval, as a floor.
  ``ratio`` = ask.p50 / bm25_floor.p50.
* ``qps_<c>_clients`` — completed answers per second with c concurrent HTTP clients against
  a real uvicorn server (``curbside.web.app:create_app``) on a free 127.0.0.1 port, calling
  ``POST /api/ask``; if that route is missing, ``GET /healthz`` (then ``qps.endpoint`` says
  so). The server runs on a *copy* of the database (SQLite backup API) because ``/api/ask``
  stores every article, and the benchmark must not write into the real knowledge base.
* ``server.ready_s`` — spawning the server process → its first successful health check.
* ``cold_start_s`` — a fresh interpreter: process start → first answer printed.
* ``peak_rss_mb`` — this process's peak resident set (``getrusage``), which held the
  pipeline; ``server.peak_rss_mb`` — the server's ``VmHWM`` read before it is stopped.
* ``ingest.passages_per_s`` — a fresh ingest of the first ``ingest_files`` NGC guideline
  files into a temporary data dir (parse + embed + write), passages / seconds.
"""

from __future__ import annotations

import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curbside.evaluation.common import latency_summary
from curbside.evaluation.server_load import ServerRun, run_server_load

if TYPE_CHECKING:
    from curbside.pipeline import Curbside
    from curbside.settings import Settings

COLD_START_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class BenchConfig:
    """Bounds of one bench run; every loop stops at its count or its seconds, whichever first."""

    questions: int = 10
    clients: tuple[int, ...] = (1, 4, 8)
    seconds: float = 20.0
    max_requests: int = 40
    ask_seconds: float = 120.0
    bm25_rounds: int = 3
    ingest_files: int = 10
    cold_start: bool = True
    server: bool = True
    ingest: bool = True


@dataclass(frozen=True)
class BenchResult:
    """Measurements; ``to_json`` gives the flat keys named after what they measure."""

    questions: int
    ask_ms: dict[str, float | None]
    bm25_ms: dict[str, float | None]
    server: ServerRun | None
    cold_start_s: float | None
    peak_rss_mb: float
    ingest_passages: int | None
    ingest_seconds: float | None
    notes: tuple[str, ...] = field(default=())
    search_ms: dict[str, float | None] = field(default_factory=dict)
    verify_ms: dict[str, float | None] = field(default_factory=dict)
    verify_statement_ms: dict[str, float | None] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        ask, floor = self.ask_ms.get("p50"), self.bm25_ms.get("p50")
        return round(ask / floor, 1) if ask and floor else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"questions": self.questions}
        for prefix, stats in (
            ("ask", self.ask_ms), ("verify", self.verify_ms), ("verify_per_statement", self.verify_statement_ms),
            ("search", self.search_ms), ("bm25_floor", self.bm25_ms),
        ):  # fmt: skip
            out |= {f"{prefix}.{k}_ms": stats.get(k) for k in ("p50", "p95", "p99", "mean")}
            out[f"{prefix}.n"] = stats.get("n")
        out["ratio"] = self.ratio
        if self.server is not None:
            out |= {f"qps_{c}_clients": q for c, q in self.server.qps.items()}
            out |= {f"requests_{c}_clients": n for c, n in self.server.completed.items()}
            out |= {"qps.endpoint": self.server.endpoint, "server.peak_rss_mb": self.server.peak_rss_mb,
                    "server.errors": self.server.errors, "server.ready_s": self.server.ready_s}  # fmt: skip
        out["cold_start_s"] = self.cold_start_s
        out["peak_rss_mb"] = self.peak_rss_mb
        rate = self.ingest_passages / self.ingest_seconds if self.ingest_passages and self.ingest_seconds else None
        seconds = round(self.ingest_seconds, 3) if self.ingest_seconds is not None else None
        out |= {"ingest.passages": self.ingest_passages, "ingest.seconds": seconds,
                "ingest.passages_per_s": round(rate, 1) if rate else None}  # fmt: skip
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True, slots=True)
class AskTiming:
    """One measured ask: wall time, the verifier's part of it (None when it abstained), statements."""

    total_ms: float
    verify_ms: float | None
    statements: int


def time_asks(curbside: Curbside, questions: Sequence[str], seconds: float) -> list[AskTiming]:
    """Warm ``ask`` timings: one unmeasured warm-up, then each question once, in order,
    stopping early when ``seconds`` have passed."""
    if not questions:
        return []
    curbside.ask(questions[0])
    deadline = time.perf_counter() + seconds
    out = []
    for question in questions:
        if time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        article = curbside.ask(question).article
        total = (time.perf_counter() - started) * 1000
        statements = sum(len(s.statements) for s in article.sections) + (article.bottom_line is not None)
        out.append(AskTiming(total, article.timings_ms.get("verify"), statements))
    return out


def time_bm25(curbside: Curbside, questions: Sequence[str], rounds: int) -> list[float]:
    """``store.lexical_search(q, 10)`` latencies (ms), ``rounds`` passes over the questions."""
    if questions:  # warm the FTS index pages once, unmeasured
        curbside.store.lexical_search(questions[0], 10)
    out = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            curbside.store.lexical_search(question, 10)
            out.append((time.perf_counter() - started) * 1000)
    return out


def time_search(curbside: Curbside, questions: Sequence[str], rounds: int) -> list[float]:
    """Hybrid (BM25 + dense) ``search(q, limit=10)`` latencies (ms), query embedding included."""
    if questions:  # load the dense index and warm the FTS pages once, unmeasured
        curbside.searcher.search(questions[0], limit=10)
    out = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            curbside.searcher.search(question, limit=10)
            out.append((time.perf_counter() - started) * 1000)
    return out


def copy_knowledge_base(settings: Settings, target: Path) -> None:
    """A consistent copy of the database (SQLite backup API), the dense index files beside it
    (their manifest names the database generation they match) and the start-up caches."""
    from curbside.wiring import INTENT_MODEL_FILE, UNDERSTANDING_CACHE_FILE

    target.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{settings.database_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target / settings.database_path.name)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    beside = [settings.data_dir / INTENT_MODEL_FILE, settings.data_dir / UNDERSTANDING_CACHE_FILE]
    beside += [
        p for p in settings.data_dir.glob(f"{settings.database_path.name}.*") if not p.name.endswith(("-wal", "-shm"))
    ]
    for path in beside:
        if path.is_file():
            shutil.copy2(path, target / path.name)


def cold_start(settings: Settings, question: str) -> float:
    """Seconds from spawning a fresh interpreter to its first printed answer."""
    command = [sys.executable, "-m", "curbside.evaluation.bench_helpers", "cold",
               str(settings.data_dir), settings.embedder, question]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=COLD_START_TIMEOUT_S, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or "answered" not in done.stdout:
        raise RuntimeError(f"cold-start process failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return round(elapsed, 2)


def ingest_throughput(settings: Settings, files: int) -> tuple[int, float]:
    """(passages, seconds) of a fresh ingest of the first ``files`` NGC guidelines (sorted)."""
    from curbside.knowledge.embedding import create_embedder
    from curbside.knowledge.ingest import ingest
    from curbside.knowledge.sqlite_store import SqliteStore
    from curbside.sources.ngc import SUBDIR
    from curbside.sources.registry import create_loaders

    source = settings.resolved_corpus_dir() / SUBDIR
    chosen = sorted(source.glob("ngc-*.xml"))[:files]
    if not chosen:
        raise RuntimeError(f"no NGC guideline files in {source}")
    with tempfile.TemporaryDirectory(prefix="curbside-bench-ingest-") as tmp:
        corpus = Path(tmp) / "corpus" / SUBDIR
        corpus.mkdir(parents=True)
        for path in chosen:
            (corpus / path.name).symlink_to(path.resolve())
        store = SqliteStore(Path(tmp) / "data" / "curbside.sqlite3")
        try:
            report = ingest(store, create_embedder(settings.embedder), create_loaders(["ngc"]), corpus.parent)
        finally:
            store.close()
    # Unrounded: a tiny ingest with the hashing embedder takes milliseconds.
    return sum(r.passages for r in report.sources.values()), report.seconds


def run_bench(curbside: Curbside, settings: Settings, questions: Sequence[str], config: BenchConfig) -> BenchResult:
    """Every measurement of the module docstring, in a fixed order (in-process first)."""
    from curbside.pipeline import MAX_QUESTION_CHARS

    # Same cut as the suites: consumer messages may exceed the service's question limit.
    chosen = [" ".join(q.split())[:MAX_QUESTION_CHARS] for q in questions[: config.questions]]
    notes: list[str] = [f"questions: first {len(chosen)} LiveQA training questions, file order"]
    asks = time_asks(curbside, chosen, config.ask_seconds)
    floor = time_bm25(curbside, chosen, config.bm25_rounds)
    search = time_search(curbside, chosen, config.bm25_rounds)
    server = None
    if config.server:
        with tempfile.TemporaryDirectory(prefix="curbside-bench-server-") as tmp:
            copy_knowledge_base(settings, Path(tmp))
            server = run_server_load(Path(tmp), settings.embedder, chosen, config.clients, config.seconds,
                                     config.max_requests)  # fmt: skip
        notes.extend(server.notes)
    cold = cold_start(settings, chosen[0]) if config.cold_start and chosen else None
    passages, seconds = ingest_throughput(settings, config.ingest_files) if config.ingest else (None, None)
    if config.ingest:
        notes.append(f"ingest: fresh ingest of the first {config.ingest_files} NGC guideline files (sorted)")
    return BenchResult(
        questions=len(chosen),
        ask_ms=latency_summary([a.total_ms for a in asks]),
        verify_ms=latency_summary([a.verify_ms for a in asks if a.verify_ms is not None]),
        verify_statement_ms=latency_summary(
            [a.verify_ms / a.statements for a in asks if a.verify_ms is not None and a.statements]
        ),
        bm25_ms=latency_summary(floor),
        search_ms=latency_summary(search),
        server=server,
        cold_start_s=cold,
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        ingest_passages=passages,
        ingest_seconds=seconds,
        notes=tuple(notes),
    )
