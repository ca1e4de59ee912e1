from __future__ import annotations

import time

import pytest

from curbside.domain.article import Statement
from curbside.domain.question import AgeGroup
from curbside.safety import severity as sev
from curbside.safety.screen import SafetyScreen
from tests.safety.helpers import GUIDELINE_ID, article, question


def test_alerts_are_ordered_and_a_safety_section_is_added(screen: SafetyScreen) -> None:
    original = article(
        "Tramadol is an option.",
        statements=[Statement(text="Sertraline 50 mg daily.", citations=())],
    )
    result = screen.screen(original, question(current=["phenelzine", "fluoxetine"], pregnant=True), ("tramadol",))
    severities = [sev.RANK[a.severity] for a in result.alerts]
    assert severities == sorted(severities)
    assert {a.kind for a in result.alerts} >= {"interaction", "dose", "population"}
    safety = [s for s in result.sections if s.kind == "safety"]
    assert len(safety) == 1 and [s.text for s in safety[0].statements] == [a.text for a in result.alerts]
    assert original.alerts == () and original.sections[0].kind == "options"  # input untouched
    assert "safety" in result.timings_ms
    numbers = [r.n for r in result.references]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(n in numbers for a in result.alerts for n in a.citations)


def test_bottom_line_naming_a_contraindicated_drug_gets_a_warning(screen: SafetyScreen) -> None:
    original = article("Phenelzine is an effective option.", bottom_citations=(1,))
    result = screen.screen(original, question(current=["fluoxetine"]), ("phenelzine",))
    assert result.bottom_line is not None
    text = result.bottom_line.text
    assert text.startswith("Warning: fluoxetine + phenelzine is a contraindicated combination (WorldVista/ANSM).")
    assert text.endswith("Phenelzine is an effective option.")
    (contraindicated,) = [a for a in result.alerts if a.severity == sev.CONTRAINDICATED]
    assert set(contraindicated.citations) <= set(result.bottom_line.citations)


def test_bottom_line_untouched_without_contraindication(screen: SafetyScreen) -> None:
    original = article("Tramadol is an option.")
    result = screen.screen(original, question(current=["phenelzine"]), ("tramadol",))
    assert result.bottom_line == original.bottom_line


def test_suicidal_crisis_comes_first_with_988_and_the_va_dod_guideline(screen: SafetyScreen) -> None:
    q = question("I've been thinking about ending my life. Is phenelzine safe with tramadol?", current=["phenelzine"])
    result = screen.screen(article("Tramadol is an option."), q, ("tramadol",))
    first = result.alerts[0]
    assert first.kind == "emergency" and first.severity == sev.EMERGENCY and "988" in first.text
    (n,) = first.citations
    ref = result.references[n - 1]
    assert ref.source_id == GUIDELINE_ID and ref.section.startswith("Major Recommendations")


def test_guideline_not_attached_for_adolescents(screen: SafetyScreen) -> None:
    q = question("My son says he wants to kill himself", age_group=AgeGroup.ADOLESCENT)
    result = screen.screen(article("Call now."), q, ())
    assert result.alerts[0].kind == "emergency" and result.alerts[0].citations == ()


def test_no_alerts_leaves_sections_alone(screen: SafetyScreen) -> None:
    original = article("Rest and fluids.")
    result = screen.screen(original, question("How long does a cold last?"), ())
    assert result.alerts == () and result.sections == ()


@pytest.mark.timing  # a wall-clock assertion: not in the fast tier (make test-fast)
def test_screening_latency_on_fixture_store(screen: SafetyScreen) -> None:
    q = question(current=["phenelzine", "fluoxetine"], pregnant=True)
    original = article("Tramadol 50 mg every 6 hours.")
    screen.screen(original, q, ("tramadol",))
    started = time.perf_counter()
    for _ in range(20):
        screen.screen(original, q, ("tramadol",))
    assert (time.perf_counter() - started) / 20 < 0.02


def test_within_a_level_the_pair_the_question_names_comes_first() -> None:
    from curbside.domain.article import Alert
    from curbside.safety.screen import _ordered

    passage_pair = Alert(kind="interaction", severity=sev.MODERATE, text="Warfarin + clopidogrel: moderate")
    asked_pair = Alert(kind="interaction", severity=sev.MODERATE, text="Warfarin + ibuprofen: moderate")
    major = Alert(kind="interaction", severity=sev.MAJOR, text="Warfarin + heparin: major")
    ordered = _ordered([passage_pair, major, asked_pair], {asked_pair.text})
    assert [a.text for a in ordered] == [major.text, asked_pair.text, passage_pair.text]
