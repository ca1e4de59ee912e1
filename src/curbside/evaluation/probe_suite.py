"""Behaviour probes: hand-written questions with expectations about the article.

Probe file format (JSONL, UTF-8; blank lines and lines starting with ``#`` are skipped). Each
line is one object::

    {"id": "abstain-fabricated-drug",            # required, unique in the file
     "question": "What is the dose of Zorblaxin?", # required, non-empty
     "note": "why this probe exists",              # optional, free text
     "expect": {                                   # required, at least one key
        "abstain": true,                           # article.abstained must equal this
        "alert_kind": "interaction",               # some alert has this kind
        "alert_severity_at_least": "major",        # some alert (of alert_kind, if given) is at
                                                   #   least this severe: emergency >
                                                   #   contraindicated > major > moderate > minor > info
        "must_not_alert_kind": "emergency",        # no alert has this kind (false-alarm guard)
        "must_cite_kind": "guideline",             # some reference has this kind
        "must_cite_org": "Preventive Services",    # some reference's organisation contains this
        "must_mention": ["warfarin"],              # each string occurs in the article text
                                                   #   (bottom line, statements, alerts)
        "must_not_cite_title_contains": ["irritable bowel"]  # no reference title contains any
     }}

Matching of strings is case-insensitive. Unknown keys, wrong types and duplicate ids are errors
(``ProbeFileError`` naming file and line), so a typo never silently passes. A probe passes when
every expectation holds; its row lists each failed expectation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curbside.domain.article import Article
from curbside.evaluation.common import SuiteResult, article_text, share, timed_ask
from curbside.safety.severity import RANK

if TYPE_CHECKING:
    from curbside.pipeline import Curbside

_EXPECT_TYPES: dict[str, type] = {
    "abstain": bool,
    "alert_kind": str,
    "alert_severity_at_least": str,
    "must_not_alert_kind": str,
    "must_cite_kind": str,
    "must_cite_org": str,
    "must_mention": list,
    "must_not_cite_title_contains": list,
}
_TOP_KEYS = {"id", "question", "expect", "note"}


class ProbeFileError(ValueError):
    """A probe line is invalid; the message is ``<file>:<line>: <what is wrong>``."""


@dataclass(frozen=True, slots=True)
class Probe:
    id: str
    question: str
    expect: dict[str, Any]
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProbeRow:
    id: str
    question: str
    passed: bool
    failures: tuple[str, ...]
    abstained: bool
    alerts: tuple[str, ...]
    cited: tuple[str, ...]
    latency_ms: float


def default_probe_file() -> Path:
    """The probes shipped with the package (``curbside/evaluation/probes/default.jsonl``)."""
    return Path(str(resources.files("curbside.evaluation") / "probes" / "default.jsonl"))


def _check_expect(expect: object, where: str) -> dict[str, Any]:
    if not isinstance(expect, dict) or not expect:
        raise ProbeFileError(f"{where}: 'expect' must be a non-empty object")
    for key, value in expect.items():
        wanted = _EXPECT_TYPES.get(key)
        if wanted is None:
            raise ProbeFileError(f"{where}: unknown expectation {key!r}; known: {', '.join(sorted(_EXPECT_TYPES))}")
        if not isinstance(value, wanted):
            raise ProbeFileError(f"{where}: {key!r} must be a {wanted.__name__}, got {type(value).__name__}")
        if isinstance(value, list) and not (value and all(isinstance(v, str) and v.strip() for v in value)):
            raise ProbeFileError(f"{where}: {key!r} must be a non-empty list of non-empty strings")
    severity = expect.get("alert_severity_at_least")
    if severity is not None and severity not in RANK:
        raise ProbeFileError(f"{where}: unknown severity {severity!r}; known: {', '.join(RANK)}")
    return dict(expect)


def parse_probe_line(line: str, where: str) -> Probe:
    """One probe from one JSON line; ``where`` ("file:line") prefixes every error."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise ProbeFileError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(raw, dict):
        raise ProbeFileError(f"{where}: a probe must be a JSON object")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ProbeFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {sorted(_TOP_KEYS)}")
    for key in ("id", "question"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ProbeFileError(f"{where}: {key!r} is required and must be a non-empty string")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ProbeFileError(f"{where}: 'note' must be a string")
    return Probe(raw["id"].strip(), raw["question"].strip(), _check_expect(raw.get("expect"), where), note)


def parse_probes(lines: Iterable[str], name: str = "<probes>") -> list[Probe]:
    """Every probe in ``lines``; raises ``ProbeFileError`` on the first bad line or duplicate id."""
    probes: list[Probe] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        probe = parse_probe_line(line, f"{name}:{number}")
        if probe.id in seen:
            raise ProbeFileError(f"{name}:{number}: duplicate id {probe.id!r} (first on line {seen[probe.id]})")
        seen[probe.id] = number
        probes.append(probe)
    if not probes:
        raise ProbeFileError(f"{name}: no probes found")
    return probes


def load_probes(path: Path) -> list[Probe]:
    if not path.is_file():
        raise ProbeFileError(f"{path}: probe file not found")
    return parse_probes(path.read_text(encoding="utf-8").splitlines(), str(path))


def check(article: Article, expect: dict[str, Any]) -> list[str]:
    """Each unmet expectation as one line (empty: the probe passes)."""
    failures: list[str] = []
    if "abstain" in expect and article.abstained != expect["abstain"]:
        failures.append(f"abstained={article.abstained}, expected {expect['abstain']}")
    kind, floor = expect.get("alert_kind"), expect.get("alert_severity_at_least")
    if kind or floor:
        alerts = [a for a in article.alerts if kind is None or a.kind == kind]
        if floor:
            alerts = [a for a in alerts if RANK.get(a.severity, len(RANK)) <= RANK[floor]]
        if not alerts:
            have = ", ".join(f"{a.kind}/{a.severity}" for a in article.alerts) or "none"
            failures.append(f"no {kind or 'any'} alert at least {floor or 'any severity'} (alerts: {have})")
    if (quiet := expect.get("must_not_alert_kind")) and any(a.kind == quiet for a in article.alerts):
        failures.append(f"raised a {quiet} alert it should not have")
    refs = article.references
    if (want := expect.get("must_cite_kind")) and not any(r.kind == want for r in refs):
        failures.append(f"no cited {want} (cited kinds: {sorted({r.kind for r in refs}) or 'none'})")
    if (org := expect.get("must_cite_org")) and not any(org.lower() in r.organization.lower() for r in refs):
        failures.append(f"no citation from an organisation containing {org!r}")
    text = " ".join([article_text(article), *(a.text for a in article.alerts)]).lower()
    for term in expect.get("must_mention", ()):
        if term.lower() not in text:
            failures.append(f"article does not mention {term!r}")
    for banned in expect.get("must_not_cite_title_contains", ()):
        titles = [r.title for r in refs if banned.lower() in r.title.lower()]
        if titles:
            failures.append(f"cites {titles[0]!r} (title contains {banned!r})")
    return failures


def run_probe(curbside: Curbside, probe: Probe) -> ProbeRow:
    timed = timed_ask(curbside, probe.question)
    article = timed.article
    if article is None:
        return ProbeRow(probe.id, probe.question, False, (f"no article: {timed.error}",), True, (), (),
                        round(timed.latency_ms, 1))  # fmt: skip
    failures = check(article, probe.expect)
    return ProbeRow(
        id=probe.id,
        question=probe.question,
        passed=not failures,
        failures=tuple(failures),
        abstained=article.abstained,
        alerts=tuple(f"{a.kind}/{a.severity}" for a in article.alerts),
        cited=tuple(dict.fromkeys(f"{r.organization}: {r.title}"[:120] for r in article.references)),
        latency_ms=round(timed.latency_ms, 1),
    )


def run_probes(curbside: Curbside, path: Path | None = None, limit: int | None = None) -> SuiteResult:
    """Run every probe of ``path`` (default: the shipped file), the first ``limit`` if given."""
    source = path or default_probe_file()
    probes = load_probes(source)
    chosen = probes[:limit] if limit else probes
    rows = tuple(run_probe(curbside, p) for p in chosen)
    return SuiteResult(
        suite="probes",
        rows=rows,
        summary={"n": len(rows), "passed": sum(r.passed for r in rows), "pass_rate": share([r.passed for r in rows])},
        scores={"passed": tuple(float(r.passed) for r in rows)},
        latencies_ms=tuple(r.latency_ms for r in rows),
        notes=(f"probe file: {source.name} ({len(probes)} probes)",),
        limit=limit,
    )
