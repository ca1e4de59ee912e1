from __future__ import annotations

from pathlib import Path

from curbside.domain.documents import Document, DocumentKind, LoadedUnit
from curbside.domain.question import AgeGroup, Intent, StatedDose, UnderstoodQuestion
from curbside.knowledge.sqlite_store import SqliteStore
from curbside.safety import severity as sev
from curbside.safety.question_doses import DoseMaxima, daily_totals, dose_alerts
from curbside.safety.references import ReferenceBook
from tests.safety.helpers import passage, write

BOOK_ID = "openstax:fixture-book#m1"
# A made-up drug in the shape of a textbook dosing row: the numbers are the test's own.
ROW = (
    "Quorvanide (Brandex) — Routes and Dosage Ranges: Adults and adolescents (13–17 years): Initial dose: "
    "20 mg/day orally. Maximum dose for adults: 120 mg/day. Maximum dose for adolescents: 80 mg/day."
)
OTHER_ROW = "Zelmaprine (Othrex) — Routes and Dosage Ranges: Adults: 5 mg daily; maximum dose: 10 mg/day."


def _store(tmp_path: Path) -> SqliteStore:
    book = Document(
        source_id=BOOK_ID,
        source="openstax",
        kind=DocumentKind.TEXTBOOK,
        organization="OpenStax",
        title="Fixture Pharmacology",
        year=2024,
        url="https://example.org/book",
        licence="CC BY 4.0",
        drugs=("quorvanide", "zelmaprine"),
        passages=(
            passage(BOOK_ID, 0, ("Drugs", "Drug Emphasis Table"), ROW),
            passage(BOOK_ID, 1, ("Drugs", "Drug Emphasis Table"), OTHER_ROW),
        ),
    )
    store = SqliteStore(tmp_path / "kb.sqlite")
    write(store, "openstax/m1", LoadedUnit(documents=(book,)))
    return store


def _question(*doses: StatedDose, age: AgeGroup | None = None) -> UnderstoodQuestion:
    return UnderstoodQuestion(text="q", intent=Intent.DOSING, doses=doses, age_group=age)


def test_a_row_s_maximum_for_the_patient_s_group_is_quoted(tmp_path: Path) -> None:
    store = _store(tmp_path)
    dose = StatedDose("quorvanide", 100, "mg", 1, "100 mg daily")
    adult, _ = dose_alerts(_question(dose), DoseMaxima(store), ReferenceBook(), 3.0)
    teen, _ = dose_alerts(_question(dose, age=AgeGroup.ADOLESCENT), DoseMaxima(store), ReferenceBook(), 3.0)
    assert adult == []  # 100 mg/day is within the adult maximum of 120
    (alert,) = teen
    assert alert.severity == sev.MAJOR and "maximum of 80 mg/day" in alert.text and "adolescents" in alert.text
    store.close()


def test_another_drug_s_row_never_lends_its_maximum(tmp_path: Path) -> None:
    store = _store(tmp_path)
    maximum = DoseMaxima(store).maximum("zelmaprine", None)
    assert maximum is not None and maximum.mg_per_day == 10
    store.close()


def test_doses_the_question_adds_together_are_one_daily_total() -> None:
    doses = (
        StatedDose("acetaminophen", 1000, "mg", 4, "1000 mg QID"),
        StatedDose("acetaminophen", 1000, "mg", 1, "two 500 mg tablets at bedtime", adds_to_previous=True),
        StatedDose("acetaminophen", 500, "mg", 1, "500 mg daily"),
    )
    assert daily_totals(doses) == [
        ("acetaminophen", 5000, "1000 mg QID plus two 500 mg tablets at bedtime"),
        ("acetaminophen", 500, "500 mg daily"),
    ]
