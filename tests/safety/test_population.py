from __future__ import annotations

from typing import Any

from curbside.domain.article import Alert, Article
from curbside.domain.question import AgeGroup
from curbside.safety import severity as sev
from curbside.safety.screen import SafetyScreen
from tests.safety.helpers import article, guideline_document, question, reference_to


def population(screen: SafetyScreen, **kwargs: Any) -> tuple[list[Alert], Article]:
    result = screen.screen(article("Consider phenelzine."), question(**kwargs), ("phenelzine",))
    return [a for a in result.alerts if a.kind == "population"], result


def test_pregnancy_section_of_the_label_surfaces_for_pregnant_patient(screen: SafetyScreen) -> None:
    alerts, result = population(screen, pregnant=True)
    (alert,) = alerts
    assert alert.text.startswith("Pregnancy — NARDIL")
    assert "Avoid use in pregnant women" in alert.text and alert.severity == sev.MAJOR
    assert result.references[alert.citations[0] - 1].section.endswith("8.1 Pregnancy")


def test_pediatric_and_geriatric_sections(screen: SafetyScreen) -> None:
    (child,), _ = population(screen, age_group=AgeGroup.CHILD)
    assert child.text.startswith("Pediatric use") and "not been established" in child.text
    (older,), _ = population(screen, age_group=AgeGroup.OLDER_ADULT)
    assert older.text.startswith("Geriatric use") and "orthostatic" in older.text


def test_no_group_no_alert(screen: SafetyScreen) -> None:
    alerts, _ = population(screen, age_group=AgeGroup.ADULT, pregnant=False)
    assert alerts == []


def test_guideline_text_about_the_group_is_the_answer_not_an_alert(screen: SafetyScreen) -> None:
    # Population alerts come from drug labels' group sections; a guideline passage about older
    # adults is already part of the answer, so repeating it as an alert would be noise.
    guideline = guideline_document()
    older = question(age_group=AgeGroup.OLDER_ADULT)
    for index in (0, 2):
        screened = screen.screen(article("Refer.", references=[reference_to(guideline, index, 1)]), older, ())
        assert [a for a in screened.alerts if a.kind == "population"] == []
