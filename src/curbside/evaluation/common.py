"""Shared pieces of the evaluation suites: the typed result, metric helpers, timed asks.

Contract of every suite module: a ``run_<suite>(...)`` function returning a ``SuiteResult``
whose ``rows`` are frozen dataclasses (one per item, JSON-serialisable via ``asdict``) and
whose ``summary`` maps metric names to numbers (``None`` when a metric has no items, never a
made-up 0). ``scores`` holds the per-item values worth plotting; ``latencies_ms`` the
per-question ``ask`` wall time.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from curbside.domain.article import Article
from curbside.language.sentences import split_sentences

if TYPE_CHECKING:
    from curbside.knowledge.embedding import Embedder
    from curbside.pipeline import Curbside

Number = float | int | None


class EvalDataNotFoundError(RuntimeError):
    """An evaluation data file is missing; the message names the path and how to point at it."""


@dataclass(frozen=True)
class SuiteResult:
    """One suite's outcome: per-item rows, summary metrics, plottable scores and notes.

    ``notes`` say what was measured and any caveat a reader needs (e.g. "no reference URLs
    in the training XML"); ``limit`` is the --limit used (None: the whole set).
    """

    suite: str
    rows: tuple[Any, ...]
    summary: Mapping[str, Number]
    scores: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    latencies_ms: tuple[float, ...] = ()
    notes: tuple[str, ...] = ()
    limit: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain-dict view (rows via ``asdict``) for ``--json`` and the result file."""
        return {
            "suite": self.suite,
            "limit": self.limit,
            "summary": dict(self.summary),
            "notes": list(self.notes),
            "latency_ms": latency_summary(self.latencies_ms),
            "rows": [asdict(row) for row in self.rows],
        }


def locate_eval_data(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The dev-set folder: explicit, then $CURBSIDE_EVAL_DIR, then ../shared/eval.

    Raises:
        EvalDataNotFoundError: when none exists.
    """
    env = os.environ.get("CURBSIDE_EVAL_DIR")
    here = cwd or Path.cwd()
    for candidate in (explicit, Path(env) if env else None, here.parent / "shared" / "eval", here / "eval-data"):
        if candidate is not None and candidate.is_dir():
            return candidate.resolve()
    raise EvalDataNotFoundError(
        "No evaluation data found. Pass --data DIR or set CURBSIDE_EVAL_DIR to the folder holding "
        "kqa/, medicationqa/, liveqa-train/ and healthver/."
    )


def require_file(path: Path) -> Path:
    if not path.is_file():
        raise EvalDataNotFoundError(f"{path} does not exist (is --data pointing at the eval folder?)")
    return path


# ------------------------------------------------------------------ metric helpers
def normalise_url(url: str) -> str:
    """Compare URLs by host and path only: scheme, ``www.``, case of host, trailing slashes,
    query-less fragments are ignored (``http://www.X.gov/a/`` == ``https://x.gov/a``)."""
    text = url.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation (numpy's default); None if empty."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0–100, got {q}")
    return float(np.percentile(np.asarray(values, dtype=float), q))


def latency_summary(values: Sequence[float]) -> dict[str, float | None]:
    """``{"p50", "p95", "p99", "mean", "n"}`` in milliseconds, rounded to 0.1 ms."""

    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 1)

    return {
        "n": len(values),
        "p50": r(percentile(values, 50)),
        "p95": r(percentile(values, 95)),
        "p99": r(percentile(values, 99)),
        "mean": r(sum(values) / len(values)) if values else None,
    }


def share(flags: Sequence[bool | None]) -> float | None:
    """Share of True among the non-None flags (None when there are none)."""
    known = [f for f in flags if f is not None]
    return round(sum(known) / len(known), 4) if known else None


def mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None and not math.isnan(v)]
    return round(sum(known) / len(known), 4) if known else None


def article_text(article: Article) -> str:
    """The answer as a reader sees it: bottom line then every section statement."""
    parts = [article.bottom_line.text] if article.bottom_line else []
    parts += [s.text for section in article.sections for s in section.statements]
    return " ".join(parts)


def text_similarity(embedder: Embedder, a: str, b: str) -> float | None:
    """Cosine of the sentence-centroid embeddings of two texts (None if either is empty).

    Why centroids: the MiniLM embedder reads only its first 64 word pieces, so embedding a
    whole article would compare openings; averaging unit sentence vectors covers every
    sentence with equal weight.
    """
    first, second = _sentences(a), _sentences(b)
    if not first or not second:
        return None
    vectors = embedder.embed(first + second)
    centroid_a, centroid_b = vectors[: len(first)].mean(axis=0), vectors[len(first) :].mean(axis=0)
    norm = float(np.linalg.norm(centroid_a) * np.linalg.norm(centroid_b))
    return round(float(centroid_a @ centroid_b) / norm, 4) if norm else None


def _sentences(text: str, limit: int = 40) -> list[str]:
    # Bounded: a 40-sentence answer is already long; more only costs embedding time.
    return [s for s in split_sentences(" ".join(text.split())) if s.strip()][:limit]


# ------------------------------------------------------------------ asking
@dataclass(frozen=True, slots=True)
class TimedAnswer:
    """An ``ask`` outcome: the article (None when refused or crashed), wall time, and why not.

    ``crashed`` marks an unexpected exception inside the pipeline (a bug to report), as
    opposed to a refused question (``QuestionError``).
    """

    article: Article | None
    latency_ms: float
    error: str | None
    intent: str | None
    crashed: bool = False


def timed_ask(curbside: Curbside, text: str) -> TimedAnswer:
    """Ask once, timing it; a refused question (empty, too long) or a pipeline crash is
    reported in the result, not raised, so one bad item cannot end a whole suite.

    Over-long questions are cut to the pipeline's limit first: dev-set messages are consumer
    e-mails, and the service's own limit is part of what it does, not an evaluation error.
    """
    from curbside.pipeline import MAX_QUESTION_CHARS, QuestionError

    cleaned = " ".join(text.split())[:MAX_QUESTION_CHARS]
    started = time.perf_counter()
    try:
        answer = curbside.ask(cleaned)
    except QuestionError as error:
        return TimedAnswer(None, (time.perf_counter() - started) * 1000, str(error), None)
    except Exception as error:  # an evaluation records crashes as findings, it does not stop on them
        message = f"crash: {type(error).__name__}: {error}"
        return TimedAnswer(None, (time.perf_counter() - started) * 1000, message, None, crashed=True)
    return TimedAnswer(answer.article, (time.perf_counter() - started) * 1000, None, answer.question.intent.value)


def write_json(result: Mapping[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
