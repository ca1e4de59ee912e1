from __future__ import annotations

from curbside.domain.article import Alert, Article
from curbside.evaluation.safety_interactions import false_alert_rate, interaction_recall, sample_unlisted_pairs
from tests.safety.helpers import article

KNOWN = {frozenset(("phenelzine", "tramadol"))}


def fake_ask(text: str) -> Article:
    words = {w.strip("?").lower() for w in text.split()}
    alerts = tuple(
        Alert(kind="interaction", severity="major", text=f"{' + '.join(sorted(pair))}: major")
        for pair in KNOWN
        if pair <= words
    )
    return article("x").model_copy(update={"alerts": alerts})


def test_interaction_recall_counts_alerts_naming_both_drugs() -> None:
    result = interaction_recall(fake_ask, [("phenelzine", "tramadol"), ("warfarin", "aspirin")])
    assert result["recall"] == 0.5 and result["missed"] == [("warfarin", "aspirin")]


def test_false_alert_rate() -> None:
    result = false_alert_rate(fake_ask, [("phenelzine", "tramadol"), ("warfarin", "aspirin")])
    assert result["rate"] == 0.5 and result["alerted"] == 1


def test_sample_unlisted_pairs_excludes_listed_pairs_in_either_order() -> None:
    pairs = sample_unlisted_pairs(["a", "b", "c"], [("b", "a")], n=5, seed=1)
    assert {frozenset(p) for p in pairs} == {frozenset(("a", "c")), frozenset(("b", "c"))}
