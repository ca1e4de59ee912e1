"""Every pair regardless of intent; the interaction verdict as bottom line; no abstention."""

from __future__ import annotations

from curbside.domain.article import Statement
from curbside.domain.question import Intent
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety.interactions import InteractionChecker, pairs_to_check
from curbside.safety.screen import SafetyScreen
from tests.safety.helpers import FakeResolver, article, question


def test_question_drugs_are_paired_whatever_the_intent(store: SqliteStore) -> None:
    checker = InteractionChecker(store, FakeResolver())
    q = question(drugs=["phenelzine", "tramadol"], intent=Intent.CAUSES)
    assert {frozenset((x.name, y.name)) for x, y in pairs_to_check(checker, q, ())} == {
        frozenset(("phenelzine", "tramadol"))
    }


def test_answer_drugs_are_not_paired_with_each_other(store: SqliteStore) -> None:
    checker = InteractionChecker(store, FakeResolver())
    q = question(current=["phenelzine"])
    pairs = {frozenset((x.name, y.name)) for x, y in pairs_to_check(checker, q, ("tramadol", "ibuprofen"))}
    assert frozenset(("tramadol", "ibuprofen")) not in pairs and frozenset(("phenelzine", "tramadol")) in pairs


def test_interaction_question_leads_with_the_verdict(screen: SafetyScreen) -> None:
    q = question(
        "Can a patient on phenelzine take tramadol?",
        current=["phenelzine"],
        drugs=["tramadol"],
        intent=Intent.INTERACTION,
    )
    result = screen.screen(article("Back pain: consider corticosteroids."), q, ())
    assert result.bottom_line is not None and result.bottom_line.text.startswith("Phenelzine + tramadol")
    assert result.bottom_line.citations
    also = [s for s in result.sections if s.heading == "Also found"]
    assert also and also[0].statements[0].text == "Back pain: consider corticosteroids."


def test_an_interaction_alert_answers_an_abstained_article(screen: SafetyScreen) -> None:
    q = question("phenelzine and tramadol?", current=["phenelzine"], drugs=["tramadol"], intent=Intent.DOSING)
    abstained = article().model_copy(update={"abstained": True, "abstain_reason": "no passage"})
    result = screen.screen(abstained, q, ())
    assert not result.abstained and isinstance(result.bottom_line, Statement)
    assert any(s.kind == "safety" for s in result.sections)


def test_no_finding_leaves_the_bottom_line(screen: SafetyScreen) -> None:
    q = question("pain?", drugs=["acetaminophen"], intent=Intent.INTERACTION)
    result = screen.screen(article("Use acetaminophen."), q, ())
    assert result.bottom_line is not None and result.bottom_line.text == "Use acetaminophen."
