from __future__ import annotations

from typing import Any

from curbside.domain.article import Alert, Article
from curbside.domain.question import Intent
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety import severity as sev
from curbside.safety.interactions import InteractionChecker, pairs_to_check
from curbside.safety.references import DocumentCache, ReferenceBook
from curbside.safety.resolver import NoClasses
from curbside.safety.screen import SafetyScreen
from tests.safety.helpers import DXM_SENTENCE, LABEL_ID, FakeResolver, article, list_document, question, reference_to


def interaction_alerts(
    screen: SafetyScreen, mentioned: tuple[str, ...] = (), **kwargs: Any
) -> tuple[list[Alert], Article]:
    result = screen.screen(article("Bottom line."), question(**kwargs), mentioned)
    return [a for a in result.alerts if a.kind == "interaction"], result


def test_drug_and_class_records_merge_into_one_alert_with_disagreement(screen: SafetyScreen) -> None:
    alerts, result = interaction_alerts(screen, current=["phenelzine"], mentioned=("tramadol",))
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.severity == sev.MAJOR  # ONC high-priority major beats OSCAR significance 1 (minor)
    assert "Sources disagree: ONC high-priority major; OSCAR minor" in alert.text
    assert "Serotonin syndrome reported" in alert.text
    cited = {result.references[n - 1].source_id for n in alert.citations}
    assert cited == {"list:onc-high-priority", "list:oscar"}


def test_class_rule_needs_the_resolver_to_place_the_drug_in_the_class(store: SqliteStore) -> None:
    book, docs = ReferenceBook(), DocumentCache(store)
    for resolver, expected in ((FakeResolver(), {"ONC high-priority", "OSCAR"}), (NoClasses(), {"ONC high-priority"})):
        checker = InteractionChecker(store, resolver)
        pairs = [(checker.entity("phenelzine", current=True), checker.entity("tramadol"))]
        (finding,) = checker.check(pairs, book, docs)
        assert set(finding.sources) == expected


def test_brand_names_resolve_to_the_generic(screen: SafetyScreen) -> None:
    alerts, _ = interaction_alerts(screen, current=["Nardil"], mentioned=("Ultram",))
    # The reader's own name comes first, the generic after it, so both can be recognised.
    assert len(alerts) == 1 and alerts[0].text.startswith("Nardil (phenelzine) + tramadol")


def test_an_alert_for_a_generic_written_as_the_reader_wrote_it(screen: SafetyScreen) -> None:
    alerts, _ = interaction_alerts(screen, current=["phenelzine"], mentioned=("Ultram",))
    assert len(alerts) == 1 and alerts[0].text.startswith("Phenelzine + tramadol")


def test_contraindicated_worldvista_record_with_action_from_source(screen: SafetyScreen) -> None:
    alerts, _ = interaction_alerts(screen, current=["fluoxetine"], mentioned=("phenelzine",))
    (alert,) = alerts
    assert alert.severity == sev.CONTRAINDICATED
    assert "Risk of serotonin syndrome" in alert.text
    assert alert.action is not None and "5-week interval" in alert.action


def test_label_annotation_cites_the_passage_holding_the_sentence(screen: SafetyScreen) -> None:
    alerts, result = interaction_alerts(
        screen,
        text="Can phenelzine be taken with dextromethorphan?",
        intent=Intent.INTERACTION,
        drugs=["phenelzine", "dextromethorphan"],
    )
    (alert,) = alerts
    assert alert.severity == sev.MAJOR  # the sentence says "Do not use"
    (n,) = alert.citations
    ref = result.references[n - 1]
    assert ref.source_id == LABEL_ID and ref.passage_id == f"{LABEL_ID}#0" and DXM_SENTENCE in ref.quote
    assert alert.action == DXM_SENTENCE


def test_no_effect_records_do_not_alert(screen: SafetyScreen) -> None:
    alerts, _ = interaction_alerts(screen, current=["phenelzine"], mentioned=("acetaminophen",))
    assert alerts == []


def test_alternatives_in_an_answer_are_not_paired_with_each_other(screen: SafetyScreen) -> None:
    alerts, _ = interaction_alerts(screen, mentioned=("tramadol", "phenelzine"))
    assert alerts == []


def test_existing_reference_number_is_reused(screen: SafetyScreen) -> None:
    onc = list_document("list:onc-high-priority", "ONC High-Priority")
    original = article("Bottom line.", references=[reference_to(onc, 0, 1)])
    result = screen.screen(original, question(current=["phenelzine"]), ("tramadol",))
    (alert,) = [a for a in result.alerts if a.kind == "interaction"]
    assert 1 in alert.citations
    assert [r.source_id for r in result.references].count("list:onc-high-priority") == 1


def test_pairs_skip_a_drug_and_its_own_class(store: SqliteStore) -> None:
    checker = InteractionChecker(store, FakeResolver())
    q = question(current=["phenelzine"], drugs=["monoamine oxidase inhibitors"], intent=Intent.INTERACTION)
    assert pairs_to_check(checker, q, ()) == []
