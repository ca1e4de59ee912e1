"""Emergency detection in the question: suicidal crisis, harm to others, chest pain, stroke,
overdose, bleeding, critical laboratory values and the other categories listed in the data file.

The triggers, abbreviations and notices live in ``safety/data/red_flags.json`` (versioned, with
provenance); this module holds only the decision rules, documented because they decide who sees
a 911/988 notice:

* Clinical shorthand is expanded first, case-sensitively and as whole words ("SI" → "suicidal
  ideation", "ICP" → "intracranial pressure"), so "+SI" and "denies SI/HI" read like prose.
* A question is an emergency when it describes a person in that situation *now*, not when it
  asks *about* the topic ("What is the suicide rate?", "symptoms of digoxin overdose"): a trigger
  in an informational frame (``frame_before`` / ``frame_after``) does not fire. "Signs of" /
  "symptoms of" frame a trigger only in a question about the signs (``frame_question``: "What are
  the signs of …"), since clinicians also write "now shows signs of increased intracranial pressure".
* ``acute`` phrases describe the emergency by themselves; ``weak`` phrases need a ``feature``
  in the question and no ``benign`` explanation (``needs_two``: two distinct weak matches also do).
* A trigger in a clause that places it in the past ("used to", "years ago") does not fire.
* Negation: a trigger preceded in its clause (within 4 words) by a negation word is ignored
  ("no chest pain or shortness of breath", "denies SI").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

# Clause breaks; a point or comma between digits is a decimal ("K 6.8", "38,6"), not a break.
_CLAUSE = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[;!?]|\bbut\b|\s-\s|—")
_TOKENS = re.compile(r"[a-z0-9']+")
NOTICE_KEYS = ("default", "suicide", "violence", "overdose")


class RedFlagDataError(ValueError):
    """The red-flag data file is malformed; the message names the field."""


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One detected emergency: ``category`` key, human ``label`` and the phrase that matched."""

    category: str
    label: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    label: str
    acute: re.Pattern[str]
    weak: re.Pattern[str] | None = None
    feature: re.Pattern[str] | None = None
    benign: re.Pattern[str] | None = None
    needs_two: bool = False  # weak needs two distinct weak matches, or one plus a feature


@dataclass(frozen=True, slots=True)
class RedFlagRules:
    """Everything ``detect_red_flags`` needs, as read from the data file."""

    version: int
    rules: tuple[Rule, ...]
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    negations: frozenset[str]
    frame_before: re.Pattern[str]
    frame_question: re.Pattern[str]
    frame_after: re.Pattern[str]
    past: re.Pattern[str]
    notices: dict[str, str]
    overdose_multiple: float


def _pattern(raw: dict[str, Any], key: str, where: str, required: bool = True) -> re.Pattern[str] | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise RedFlagDataError(f"{where}: '{key}' must be a non-empty regular expression")
    try:
        return re.compile(value)
    except re.error as error:
        raise RedFlagDataError(f"{where}: '{key}' is not a valid regular expression ({error})") from error


def parse_rules(raw: Any) -> RedFlagRules:
    """Validate and compile the data file's content; raises RedFlagDataError naming the bad field."""
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), int):
        raise RedFlagDataError("red-flag data: expected an object with an integer 'version'")
    if not isinstance(raw.get("rules"), list) or not raw["rules"]:
        raise RedFlagDataError("red-flag data: 'rules' must be a non-empty list")
    rules = []
    for i, item in enumerate(raw["rules"]):
        where = f"rules[{i}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("category", "label")):
            raise RedFlagDataError(f"{where}: needs string 'category' and 'label'")
        acute = _pattern(item, "acute", where)
        assert acute is not None
        rules.append(
            Rule(
                item["category"],
                item["label"],
                acute,
                _pattern(item, "weak", where, required=False),
                _pattern(item, "feature", where, required=False),
                _pattern(item, "benign", where, required=False),
                bool(item.get("needs_two", False)),
            )
        )
    abbreviations = []
    for i, item in enumerate(raw.get("abbreviations", [])):
        if not isinstance(item, dict) or not item.get("short") or not item.get("long"):
            raise RedFlagDataError(f"abbreviations[{i}]: needs 'short' and 'long'")
        abbreviations.append((re.compile(rf"(?<![A-Za-z]){re.escape(item['short'])}(?![A-Za-z])"), item["long"]))
    notices = raw.get("notices")
    if not isinstance(notices, dict) or any(not isinstance(notices.get(k), str) for k in NOTICE_KEYS):
        raise RedFlagDataError(f"red-flag data: 'notices' must give text for {', '.join(NOTICE_KEYS)}")
    multiple = raw.get("overdose_multiple")
    if not isinstance(multiple, (int, float)) or multiple <= 1:
        raise RedFlagDataError("red-flag data: 'overdose_multiple' must be a number above 1")
    patterns = {k: _pattern(raw, k, "red-flag data") for k in ("frame_before", "frame_question", "frame_after", "past")}
    return RedFlagRules(
        version=raw["version"],
        rules=tuple(rules),
        abbreviations=tuple(abbreviations),
        negations=frozenset(str(w) for w in raw.get("negation_words", [])),
        frame_before=patterns["frame_before"],  # type: ignore[arg-type]
        frame_question=patterns["frame_question"],  # type: ignore[arg-type]
        frame_after=patterns["frame_after"],  # type: ignore[arg-type]
        past=patterns["past"],  # type: ignore[arg-type]
        notices={k: str(v) for k, v in notices.items()},
        overdose_multiple=float(multiple),
    )


def load_rules(path: Path | None = None) -> RedFlagRules:
    """The rules from ``path``, or the packaged ``safety/data/red_flags.json``."""
    try:
        text = path.read_text(encoding="utf-8") if path else _packaged("red_flags.json")
        return parse_rules(json.loads(text))
    except json.JSONDecodeError as error:
        raise RedFlagDataError(f"red-flag data is not valid JSON: {error}") from error


def _packaged(name: str) -> str:
    return resources.files("curbside.safety").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_rules() -> RedFlagRules:
    return load_rules()


def expand_abbreviations(text: str, rules: RedFlagRules) -> str:
    for pattern, long in rules.abbreviations:
        text = pattern.sub(long, text)
    return text


def _clauses(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    return [c.strip() for c in _CLAUSE.split(lowered) if c.strip()]


def _live(clause: str, match: re.Match[str], rules: RedFlagRules) -> bool:
    """True unless the match is negated or sits in an informational frame."""
    before = clause[: match.start()]
    window = _TOKENS.findall(before)[-4:]
    if any(w in rules.negations or w.endswith("n't") for w in window):
        return False
    if rules.frame_after.search(clause[match.end() :]):
        return False
    # "I used to have suicidal thoughts in college": the clause itself says it is over.
    if rules.past.search(clause):
        return False
    return not (rules.frame_before.search(before) or rules.frame_question.search(before))


def _matches(pattern: re.Pattern[str] | None, clauses: list[str], rules: RedFlagRules) -> list[str]:
    if pattern is None:
        return []
    return [m.group(0) for c in clauses for m in pattern.finditer(c) if _live(c, m, rules)]


def _fires(rule: Rule, clauses: list[str], whole: str, rules: RedFlagRules) -> str | None:
    """The evidence phrase when ``rule`` fires on the question, else None."""
    if acute := _matches(rule.acute, clauses, rules):
        return acute[0]
    weak = _matches(rule.weak, clauses, rules)
    if not weak or rules.past.search(whole) or (rule.benign is not None and rule.benign.search(whole)):
        return None
    features = [f for f in _matches(rule.feature, clauses, rules) if not any(f in w for w in weak)]
    if rule.needs_two and len(set(weak)) >= 2:
        return weak[0]
    return weak[0] if features else None


def detect_red_flags(text: str, rules: RedFlagRules | None = None) -> tuple[RedFlag, ...]:
    """Emergencies the question describes, in rule order (suicide first). Empty when none."""
    rules = rules or default_rules()
    clauses = _clauses(expand_abbreviations(text, rules))
    whole = " ".join(clauses)
    found = []
    for rule in rules.rules:
        evidence = _fires(rule, clauses, whole, rules)
        if evidence is not None:
            found.append(RedFlag(rule.category, rule.label, evidence))
    return tuple(found)


def emergency_notice(flag: RedFlag, rules: RedFlagRules | None = None) -> str:
    """The data file's notice for ``flag`` (US numbers: 911; 988 for suicidal crisis)."""
    notices = (rules or default_rules()).notices
    return notices.get(flag.category, notices["default"]).format(label=flag.label)
