from __future__ import annotations

import pytest

from curbside.understanding.conditions import ConditionRecognizer, source_acronyms
from curbside.understanding.drugs import DrugRecognizer
from curbside.understanding.shorthand import ShorthandDataError, default_shorthand, parse_shorthand


def test_listed_shorthand_is_read_case_sensitively_as_whole_words() -> None:
    shorthand = default_shorthand()
    assert shorthand.expand("34F with GAD; her PCP asks") == (
        "34F with generalized anxiety disorder; her primary care provider asks"
    )
    assert shorthand.expand("gad about town, GADs, anti-GAD") == "gad about town, GADs, anti-GAD"


@pytest.mark.parametrize(
    "raw",
    [
        {"expansions": []},
        {"version": 1, "expansions": [{"short": "GAD"}]},
        {"version": 1, "expansions": [{"short": "A", "long": "x"}, {"short": "A", "long": "y"}]},
        {"version": 1, "expansions": "GAD"},
    ],
)
def test_a_malformed_shorthand_file_is_refused(raw: object) -> None:
    with pytest.raises(ShorthandDataError):
        parse_shorthand(raw)


def test_every_expansion_is_a_condition_icd10_names_a_drug_class_or_a_person() -> None:
    import simple_icd_10_cm as icd

    descriptions = [icd.get_description(c).lower() for c in icd.get_all_codes(with_dots=True)]
    recognizer = ConditionRecognizer([])  # ICD-10-CM descriptions and inclusion terms
    drugs = DrugRecognizer.from_package()
    for short, long in default_shorthand().long_forms.items():
        if "provider" in long:
            continue  # who is asking, not what the patient has
        is_class = any(m.is_class for m in drugs.recognize(long))
        assert any(long in d for d in descriptions) or recognizer.recognize(long) or is_class, (short, long)


def test_drug_class_shorthand_is_read_as_the_class() -> None:
    drugs = DrugRecognizer.from_package()
    for text, expected in (("buspirone with an MAOI", "monoamine oxidase inhibitors"), ("on a beta blocker", "beta")):
        names = [m.name for m in drugs.recognize(default_shorthand().expand(text)) if m.is_class]
        assert any(expected in name for name in names), (text, names)


def test_a_source_acronym_answers_for_the_words_it_abbreviates() -> None:
    phrase = "psychological disorders such as post traumatic stress disorder (PTSD)"
    assert source_acronyms(phrase) == {"PTSD": "post traumatic stress disorder"}
    assert source_acronyms("Hypertension (HTN)") == {"HTN": "hypertension"}
    assert source_acronyms("Pain (acute)") == {}
    recognizer = ConditionRecognizer([(phrase, (), "guideline")], include_icd10=False)
    assert [c.name for c in recognizer.recognize("pt with PTSD")] == ["post traumatic stress disorder"]
