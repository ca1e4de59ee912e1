"""Safety evaluation over understood questions: red-flag recall/precision, dose-alert recall and
the interaction sweep (every pair × every wording), calling the safety screen directly.

``Screen`` is any callable question text → Article (the CLI wires it to understanding + the
safety screen on an empty article, which is what decides alerts; the full ``ask`` works too).
Data formats (JSONL, one object a line):

* red flags: ``{"question", "emergency": bool}`` (or ``"red_flag"``);
* over-maximum doses: ``{"question", "drug", "over_max": bool}``;
* pairs: ``{"a", "b", "interacts": bool}``; wordings: ``{"id", "template"}`` with ``{a}``/``{b}`` (or ``{A}``/``{B}``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from curbside.domain.article import Article
from curbside.safety.red_flags import detect_red_flags

Screen = Callable[[str], Article]
DATA = Path(__file__).resolve().parent / "data"

#: Our own wordings (written before tuning); the independent author's come from a file.
OWN_WORDINGS: tuple[tuple[str, str], ...] = (
    ("taking-also", "Can a patient taking {a} also take {b}?"),
    ("my-patient", "My patient is on {a} and wants {b}. OK?"),
    ("safe-with", "Is {b} safe with {a}?"),
    ("started", "started {b}, already on {a} — any problem?"),
    ("plus", "{a} + {b}"),
    ("patient-words", "I take {a} every day. Can I take {b} for a few days?"),
    ("give-to", "Can I give {b} to a patient already taking {a}?"),
    ("vignette", "72-year-old woman with hypertension on {a} for years; the team plans to add {b} tomorrow."),
)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path.name} line {number}: not JSON ({error})") from error
    return rows


def red_flag_scores(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Recall/precision of the red-flag detector; misses and false alarms listed."""
    tp = fp = fn = tn = 0
    missed: list[str] = []
    false_alarms: list[str] = []
    for row in rows:
        expected = bool(row.get("emergency", row.get("red_flag")))
        flagged = bool(detect_red_flags(row["question"]))
        tp += flagged and expected
        fp += flagged and not expected
        fn += expected and not flagged
        tn += not flagged and not expected
        (missed if expected and not flagged else false_alarms if flagged and not expected else []).append(
            row["question"]
        )
    return {
        "n": tp + fp + fn + tn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "missed": missed,
        "false_alarms": false_alarms,
    }


def dose_scores(screen: Screen, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Share of over-maximum questions with a dose alert above the maximum (severity major)."""
    hits = total = 0
    unchecked: list[str] = []
    for row in rows:
        if not row.get("over_max", True):
            continue
        total += 1
        alerts = [a for a in screen(row["question"]).alerts if a.kind == "dose"]
        if any(a.severity == "major" and "above the maximum" in a.text for a in alerts):
            hits += 1
        else:
            unchecked.append(row["question"])
    return {"n": total, "alerted": hits, "recall": hits / total if total else 1.0, "missed": unchecked}


def fill(template: str, a: str, b: str) -> str:
    """A wording with the pair filled in (``{a}``/``{b}`` or ``{A}``/``{B}``)."""
    return template.format(a=a, b=b, A=a, B=b)


def names_both(text: str, a: str, b: str) -> bool:
    lowered = text.lower()
    return a.lower() in lowered and b.lower() in lowered


def sweep(
    screen: Screen, pairs: Sequence[tuple[str, str]], wordings: Sequence[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Per wording: recall over ``pairs`` (an interaction alert naming both drugs) and the misses."""
    out: dict[str, dict[str, Any]] = {}
    for key, template in wordings:
        hits, missed = 0, []
        for a, b in pairs:
            article = screen(fill(template, a, b))
            if any(x.kind == "interaction" and names_both(x.text, a, b) for x in article.alerts):
                hits += 1
            else:
                missed.append((a, b))
        out[key] = {"pairs": len(pairs), "hits": hits, "recall": hits / len(pairs) if pairs else 1.0, "missed": missed}
    return out


def false_alerts(screen: Screen, pairs: Sequence[tuple[str, str]], template: str) -> dict[str, Any]:
    """Share of unlisted pairs that still get an interaction alert."""
    alerted = [(a, b) for a, b in pairs if any(x.kind == "interaction" for x in screen(fill(template, a, b)).alerts)]
    return {
        "pairs": len(pairs),
        "alerted": len(alerted),
        "rate": len(alerted) / len(pairs) if pairs else 0.0,
        "examples": alerted[:10],
    }


def sample_pairs(drugs: Sequence[str], listed: set[frozenset[str]], n: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    chosen: dict[frozenset[str], tuple[str, str]] = {}
    for _ in range(n * 50):
        if len(chosen) >= n or len(drugs) < 2:
            break
        a, b = rng.sample(list(drugs), 2)
        key = frozenset((a.lower(), b.lower()))
        if len(key) == 2 and key not in listed:
            chosen.setdefault(key, (a, b))
    return list(chosen.values())
