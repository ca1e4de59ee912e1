"""Hard checks: doses, drugs, polarity, percentages, CIs, ages, frequencies."""

from __future__ import annotations

from curbside.verification.checks import extract_all, find_drugs, hard_checks
from curbside.verification.polarity import is_negative

PASSAGE = (
    "Amitriptyline 10 mg once at night is recommended for adults aged 18 to 64 years. "
    "Screening reduced mortality by 22% (95% CI, 0.68 to 0.90). Do not exceed 30 mg."
)


def failed(statement: str, drugs: tuple[str, ...] = ()) -> list[str]:
    best = PASSAGE.split(". ")[0]
    return hard_checks(statement, PASSAGE, best, drugs)[1]


def test_same_facts_pass() -> None:
    assert failed("Amitriptyline 10 mg once daily is recommended for adults aged 18 to 64 years.") == []


def test_changed_dose_fails_with_passage_value() -> None:
    problems = failed("Amitriptyline 20 mg once at night is recommended for adults.")
    assert problems == ["dose 20 mg not in cited passage (passage says 10 mg)"]


def test_wrong_drug_fails_with_caller_names() -> None:
    drugs = ("nortriptyline", "amitriptyline")
    assert failed("Nortriptyline 10 mg once at night is recommended.", drugs) == [
        "drug nortriptyline not in cited passage"
    ]
    assert failed("Elavil-free regimens with drugx 10 mg are recommended.", drugs=("drugx",)) == [
        "drug drugx not in cited passage"
    ]


def test_dropped_not_fails_polarity() -> None:
    best = "Aspirin is not recommended for primary prevention in adults aged 70 years or older."
    _, problems = hard_checks("Aspirin is recommended for primary prevention in adults.", best, best)
    assert problems and problems[0].startswith("polarity differs")


def test_limit_phrasing_is_not_a_negation() -> None:
    assert not is_negative("Do not exceed 4 g per day.")
    assert is_negative("Avoid NSAIDs in the third trimester.")
    assert is_negative("Routine screening is not recommended.")


def test_changed_percentage_and_ci() -> None:
    assert failed("Screening reduced mortality by 32% (95% CI, 0.68 to 0.90).") == [
        "percentage 32% not in cited passage (passage says 22%)"
    ]
    assert failed("Screening reduced mortality by 22% (95% CI, 0.58 to 0.90).") == [
        "confidence interval 95% CI, 0.58 to 0.90 not in cited passage (passage says 95% CI, 0.68 to 0.90)"
    ]


def test_changed_age_range() -> None:
    problems = failed("Amitriptyline 10 mg is recommended for adults aged 40 to 64 years.")
    assert problems == ["age aged 40 to 64 years not in cited passage (passage says aged 18 to 64 years)"]


def test_frequency_equivalents_and_mass_units() -> None:
    facts = extract_all("Give 1 g q8h or 500 mg twice daily.")
    assert set(facts["dose"]) == {"1000 mg", "500 mg"}
    assert set(facts["frequency"]) == {"3/day", "2/day"}
    assert extract_all("three times daily")["frequency"].keys() == {"3/day"}
    assert failed("Amitriptyline 10 mg twice daily is recommended.")[0].startswith("frequency twice daily")


def test_names_with_numbers_are_not_values() -> None:
    assert extract_all("COVID-19 and SARS-CoV-2 in type 2 diabetes")["number"].keys() == {"2"}


def test_drugs_come_from_the_callers_lexicon_with_brands_mapped() -> None:
    lexicon = {"paracetamol": "acetaminophen", "ibuprofen": "ibuprofen", "lisinopril": "lisinopril"}
    assert find_drugs("Paracetamol or ibuprofen; then lisinopril.", lexicon) == {
        "acetaminophen": "paracetamol",
        "ibuprofen": "ibuprofen",
        "lisinopril": "lisinopril",
    }
    # The verifier knows no drug names of its own.
    assert find_drugs("Follow the guideline; lisinopril is fine.") == {}


def test_daily_amounts_compare_as_doses() -> None:
    assert extract_all("maximum dose: 200 mg/day")["dose"] == {"200 mg": "200 mg"}
    passage = "Start 50 mg once daily; maximum dose: 200 mg/day."
    assert hard_checks("Do not go beyond 200 mg a day.", passage, passage)[1] == []
    assert hard_checks("Do not go beyond 300 mg a day.", passage, passage)[1][0].startswith("dose 300 mg")


def test_suspended_hyphen_ranges_and_ages() -> None:
    assert set(extract_all("in 4- to 6-week trials")["duration"]) == {"28 days", "42 days"}
    assert set(extract_all("screen 55- to 80-year-olds")["age"]) == set(
        extract_all("adults aged 55 to 80 years")["age"]
    )
    assert extract_all("an 80-year-old woman")["duration"] == {}


def test_interval_and_every_forms_are_one_schedule() -> None:
    weekly = set(extract_all("increase at 1-week intervals")["frequency"])
    assert weekly == set(extract_all("increase every 7 days")["frequency"]) == set(extract_all("weekly")["frequency"])
    assert extract_all("levels rose by 70% within a day")["frequency"] == {}


def test_drug_named_only_in_the_heading_passes() -> None:
    passage = "Adults: 25 to 100 mg orally every 6 hours as needed."
    statement = "Drugx for adults is 25 to 100 mg every 6 hours as needed."
    assert hard_checks(statement, passage, passage, ("drugx",))[1] == ["drug drugx not in cited passage"]
    assert hard_checks(statement, passage, passage, ("drugx",), heading="Drugx tablets — Dosage")[1] == []


def test_drug_class_in_the_singular_counts() -> None:
    passage = "Coadministration of drugx decreases the diuretic activity of drugy."
    names = {"diuretic effect": "diuretics", "drugx": "drugx"}
    assert hard_checks("Drugx lowers the diuretic effect of drugy.", passage, passage, names)[1] == []


def test_sharing_one_age_group_is_not_the_same_population() -> None:
    passage = "Newer studies add little on harms in children and adolescents."
    assert any(f.startswith("population") for f in hard_checks("Studies add little on harms in adults and adolescents.",
                                                               passage, passage)[1])  # fmt: skip
    assert hard_checks("Studies add little on harms in adolescents.", passage, passage)[1] == []
