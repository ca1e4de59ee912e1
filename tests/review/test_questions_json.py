from __future__ import annotations

import pytest

from curbside.domain.question import Intent, UnderstoodQuestion
from curbside.review.questions_json import understood_from_json, understood_to_json
from tests.review.samples import QUESTION


def test_round_trip_keeps_every_field() -> None:
    assert understood_from_json(understood_to_json(QUESTION)) == QUESTION


def test_minimal_question_round_trips() -> None:
    question = UnderstoodQuestion(text="<script>é</script>", intent=Intent.INFORMATION)
    assert understood_from_json(understood_to_json(question)) == question


@pytest.mark.parametrize("text", ["", "{}", '{"text": "x", "intent": "astrology"}', "[1]"])
def test_bad_json_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        understood_from_json(text)
