"""UnderstoodQuestion ⇄ JSON, so a stored thread can give follow-ups their context back.

The domain type is a frozen dataclass tree (not pydantic), so the mapping is written out
here; ``understood_from_json(understood_to_json(q)) == q`` for every question.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from curbside.domain.question import (
    AgeGroup,
    ConditionMention,
    DrugMention,
    Intent,
    SpellingCorrection,
    UnderstoodQuestion,
)

FORMAT_VERSION = 1


def understood_to_json(question: UnderstoodQuestion) -> str:
    """Serialise a parsed question (enums as their values, tuples as lists)."""
    data: dict[str, Any] = asdict(question)
    data["intent"] = question.intent.value
    data["age_group"] = question.age_group.value if question.age_group else None
    data["format"] = FORMAT_VERSION
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _drug(data: dict[str, Any]) -> DrugMention:
    return DrugMention(
        name=data["name"],
        surface=data.get("surface", data["name"]),
        is_class=bool(data.get("is_class", False)),
        drugbank_id=data.get("drugbank_id"),
        mesh_id=data.get("mesh_id"),
        members=tuple(data.get("members") or ()),
        class_codes=tuple(data.get("class_codes") or ()),
    )


def _condition(data: dict[str, Any]) -> ConditionMention:
    return ConditionMention(
        name=data["name"],
        surface=data.get("surface", data["name"]),
        origin=data.get("origin", "reader"),
        codes=tuple(data.get("codes") or ()),
    )


def understood_from_json(text: str) -> UnderstoodQuestion:
    """Rebuild a parsed question from :func:`understood_to_json` output.

    Raises:
        ValueError: when the JSON is not a stored question (bad JSON, unknown intent).
    """
    try:
        data = json.loads(text)
        return UnderstoodQuestion(
            text=data["text"],
            intent=Intent(data["intent"]),
            intent_confidence=float(data.get("intent_confidence", 0.0)),
            drugs=tuple(_drug(d) for d in data.get("drugs", ())),
            current_medications=tuple(_drug(d) for d in data.get("current_medications", ())),
            failed_medications=tuple(_drug(d) for d in data.get("failed_medications", ())),
            conditions=tuple(_condition(c) for c in data.get("conditions", ())),
            age_group=AgeGroup(data["age_group"]) if data.get("age_group") else None,
            pregnant=data.get("pregnant"),
            duration=data.get("duration"),
            negations=tuple(data.get("negations") or ()),
            unknown_terms=tuple(data.get("unknown_terms") or ()),
            corrections=tuple(SpellingCorrection(c["original"], c["corrected"]) for c in data.get("corrections") or ()),
            corrected_text=data.get("corrected_text"),
        )
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a stored question: {error}") from error
