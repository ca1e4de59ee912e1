from __future__ import annotations

from curbside.domain.article import Alert, Statement
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety import severity as sev
from curbside.safety.doses import check_doses, parse_doses, parse_frequencies
from curbside.safety.labels import LabelIndex
from curbside.safety.references import DocumentCache, ReferenceBook
from tests.safety.helpers import article, label_document, reference_to


def dose_alerts(store: SqliteStore, text: str, *, cite_label: bool = True) -> list[Alert]:
    references = [reference_to(label_document(), 0, 1)] if cite_label else []
    statement = Statement(text=text, citations=(1,) if cite_label else ())
    original = article(statements=[statement], references=references)
    book = ReferenceBook(original.references)
    return check_doses(original, LabelIndex(store), DocumentCache(store), book)


def test_parse_doses_ranges_units_and_combinations() -> None:
    doses = parse_doses("5 to 20 mg daily, 0.5 mcg/kg, 2 g, 300/10/25 mg")
    assert [(d.unit, d.low, d.high) for d in doses] == [("mg", 5, 20), ("mg/kg", 0.0005, 0.0005), ("mg", 2000, 2000)]
    assert parse_frequencies("twice daily") == {2.0}
    assert parse_frequencies("15 mg three times a day") == {3.0}


def test_dose_within_label_text_passes(store: SqliteStore) -> None:
    assert dose_alerts(store, "Phenelzine 15 mg three times a day.") == []


def test_dose_above_label_maximum_is_major_and_cites_dosing_passage(store: SqliteStore) -> None:
    (alert,) = dose_alerts(store, "Phenelzine 120 mg three times a day.")
    assert alert.kind == "dose" and alert.severity == sev.MAJOR
    assert "90 mg" in alert.text
    assert alert.action == "Dosage may be increased to 90 mg per day."


def test_frequency_not_in_label_text(store: SqliteStore) -> None:
    (alert,) = dose_alerts(store, "Phenelzine 15 mg twice daily.")
    assert alert.severity == sev.MODERATE and "frequency" in alert.text


def test_label_found_by_drug_name_when_statement_cites_none(store: SqliteStore) -> None:
    alerts = dose_alerts(store, "Nardil 200 mg three times a day.", cite_label=False)
    (alert,) = alerts
    assert alert.severity == sev.MAJOR and "NARDIL (phenelzine sulfate)" in alert.text


def test_dose_without_label_support_is_flagged(store: SqliteStore) -> None:
    (alert,) = dose_alerts(store, "Sertraline 50 mg daily.", cite_label=False)
    assert alert.severity == sev.INFO and "not verified" in alert.text


def test_micro_sign_and_greek_mu_units_both_parse() -> None:
    # "µg".lower() yields Greek mu; both spellings must mean micrograms (and never crash).
    for text in ("Give 50 µg daily.", "Give 50 μg daily.", "Give 50 µG daily."):
        [dose] = parse_doses(text)
        assert dose.unit == "mg" and abs(dose.low - 0.05) < 1e-9


def test_grouped_thousands_are_one_dose() -> None:
    assert [(d.low, d.high) for d in parse_doses("greater than 4,000 mg daily; 1,000–1,500 mg")] == [
        (4000, 4000),
        (1000, 1500),
    ]


def test_a_statement_quoting_a_textbook_dosing_row_is_not_flagged_as_unverified(store: SqliteStore) -> None:
    from curbside.domain.documents import Document, DocumentKind
    from tests.safety.helpers import passage

    row = "Quorvanide (Brandex) — Routes and Dosage Ranges: Adults: 50 mg orally once daily."
    book_doc = Document(
        "openstax:x", "openstax", DocumentKind.TEXTBOOK, "OpenStax", "Fixture Pharmacology", 2024, "u", "CC BY",
        passages=(passage("openstax:x", 0, ("Drug Emphasis Table",), row),),
    )  # fmt: skip
    original = article(statements=[Statement(text=row, citations=(1,))], references=[reference_to(book_doc, 0, 1)])
    assert check_doses(original, LabelIndex(store), DocumentCache(store), ReferenceBook(original.references)) == []
