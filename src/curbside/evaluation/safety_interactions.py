"""Evaluation helpers for the interaction check, pure functions over an ``ask`` callable.

The lead wires ``ask`` to the real pipeline (question text → Article). Nothing here reads
the store: the pairs come from the caller, so the same functions evaluate any backend.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

from curbside.domain.article import Alert, Article

Ask = Callable[[str], Article]
QUESTION = "Can a patient taking {a} also take {b}?"


def interaction_alerts(article: Article) -> list[Alert]:
    return [a for a in article.alerts if a.kind == "interaction"]


def names_pair(alert: Alert, a: str, b: str) -> bool:
    """True when the alert text names both drugs (case-insensitive)."""
    text = alert.text.lower()
    return a.lower() in text and b.lower() in text


def interaction_recall(ask: Ask, pairs: Iterable[tuple[str, str]]) -> dict[str, object]:
    """Share of known interacting pairs for which "Can a patient taking A also take B?" yields
    an interaction alert naming both drugs. Returns ``{"pairs", "hits", "recall", "missed"}``."""
    hits, missed, total = 0, [], 0
    for a, b in pairs:
        total += 1
        article = ask(QUESTION.format(a=a, b=b))
        if any(names_pair(alert, a, b) for alert in interaction_alerts(article)):
            hits += 1
        else:
            missed.append((a, b))
    return {"pairs": total, "hits": hits, "recall": hits / total if total else 1.0, "missed": missed}


def false_alert_rate(ask: Ask, pairs: Iterable[tuple[str, str]]) -> dict[str, object]:
    """Share of pairs on *no* list that still get an interaction alert (any interaction alert
    counts: the question names only these two drugs). Returns ``{"pairs", "alerted", "rate", "examples"}``."""
    alerted, examples, total = 0, [], 0
    for a, b in pairs:
        total += 1
        found = interaction_alerts(ask(QUESTION.format(a=a, b=b)))
        if found:
            alerted += 1
            examples.append((a, b, found[0].text))
    return {"pairs": total, "alerted": alerted, "rate": alerted / total if total else 0.0, "examples": examples}


def sample_unlisted_pairs(
    drugs: Sequence[str], listed: Iterable[tuple[str, str]], n: int, seed: int = 0
) -> list[tuple[str, str]]:
    """``n`` random distinct drug pairs (from ``drugs``) that are not in ``listed`` (either order)."""
    known = {frozenset((a.lower(), b.lower())) for a, b in listed}
    rng = random.Random(seed)
    chosen: dict[frozenset[str], tuple[str, str]] = {}
    attempts = 0
    while len(chosen) < n and attempts < n * 50 and len(drugs) > 1:
        attempts += 1
        a, b = rng.sample(list(drugs), 2)
        key = frozenset((a.lower(), b.lower()))
        if len(key) == 2 and key not in known:
            chosen.setdefault(key, (a, b))
    return list(chosen.values())
