"""Card building rules that need no knowledge base: summary length, indicators, escaping."""

from __future__ import annotations

import pytest

from curbside.domain.article import Alert, Reference
from curbside.medication_check import MedicationFinding
from curbside.web.cds_hooks.cards import (
    INDICATORS,
    article_question,
    build_card,
    indicator_for,
    quote_for,
    summarise,
)
from curbside.web.cds_hooks.prefetch import PrefetchUnavailableError, render

REFERENCE = Reference(
    n=3,
    source_id="s",
    passage_id="p",
    organization="Org",
    title="Label [X]",
    year=2020,
    url="https://example.org/label",
    section="8.1 Pregnancy",
    kind="drug_label",
    quote="Do not use <b>this</b> in pregnancy.",
)


def test_every_curbside_severity_has_an_indicator() -> None:
    assert set(INDICATORS) == {"emergency", "contraindicated", "major", "moderate", "minor", "info"}
    assert indicator_for("contraindicated") == "critical"
    assert indicator_for("moderate") == "warning"
    assert indicator_for("something new") == "info"


@pytest.mark.parametrize("text", ["Short. Second sentence.", "word " * 80, "x" * 500])
def test_summaries_stay_under_140_characters(text: str) -> None:
    summary = summarise(text)
    assert 0 < len(summary) < 140


def test_a_card_escapes_source_text_and_cites_it() -> None:
    finding = MedicationFinding(
        Alert(kind="population", severity="major", text="Pregnancy — Label: avoid.", citations=(3,)),
        ("quorvanide",),
        (REFERENCE,),
    )
    card = build_card(finding, "https://curbside.example")
    assert card is not None
    assert "<b>" not in (card.detail or "") and "&lt;b&gt;" in (card.detail or "")
    assert "> Do not use &lt;b&gt;this&lt;/b&gt; in pregnancy. [3]" in (card.detail or "")
    assert card.links and card.links[0].url.startswith("https://curbside.example/ask?q=Is+quorvanide+safe+in+pregnancy")
    assert card.source.url == "https://example.org/label"


def test_a_finding_citing_nothing_gives_no_card() -> None:
    finding = MedicationFinding(Alert(kind="dose", severity="info", text="Dose not verified."), ("x",), ())
    assert build_card(finding, "https://curbside.example") is None


def test_article_questions_per_kind() -> None:
    interaction = MedicationFinding(
        Alert(kind="interaction", severity="major", text="A + b"), ("warfarin", "aspirin"), ()
    )
    assert article_question(interaction) == "Can warfarin be taken together with aspirin?"
    dose = MedicationFinding(Alert(kind="dose", severity="major", text="Dose"), ("quorvanide",), ())
    assert article_question(dose) == "What is the dose of quorvanide?"


def test_prefetch_templates_are_filled_and_escaped() -> None:
    assert render("Patient/{{context.patientId}}", {"patientId": "a/b c"}) == "Patient/a%2Fb%20c"
    with pytest.raises(PrefetchUnavailableError):
        render("Patient/{{context.patientId}}", {})


def test_quotes_keep_the_sentences_naming_the_cards_drugs() -> None:
    passage = "Adenosine. Other drug text here. Aspirin can displace warfarin from binding sites. More text."
    assert quote_for(passage, ("warfarin", "aspirin")) == "Aspirin can displace warfarin from binding sites."
    assert quote_for("Nothing relevant. At all.", ("warfarin",)) == "Nothing relevant. At all."


def test_quotes_prefer_sentences_naming_both_drugs_of_a_pair() -> None:
    passage = "Aspirin affects heparin. Aspirin can displace warfarin from binding sites."
    assert quote_for(passage, ("warfarin", "aspirin")) == "Aspirin can displace warfarin from binding sites."
