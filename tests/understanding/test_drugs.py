"""DrugRecognizer: canonical names, classes from the MeSH data, false positives, speed."""

from __future__ import annotations

import copy
import time

import pytest

from curbside.understanding.drugs import DrugRecognizer, normalise_name


def test_brand_resolves_to_generic(drugs: DrugRecognizer) -> None:
    assert drugs.canonical("Zoloft") == "sertraline"
    assert drugs.canonical("Tylenol") == "acetaminophen"
    assert drugs.canonical("Zorblaxin") is None


def test_recognize_returns_ids_and_surface(drugs: DrugRecognizer) -> None:
    [mention] = drugs.recognize("Can I take Zoloft at night?")
    assert mention.name == "sertraline"
    assert mention.surface == "Zoloft"
    assert mention.drugbank_id == "DB01104"
    assert not mention.is_class


def test_each_drug_once_in_text_order(drugs: DrugRecognizer) -> None:
    names = [m.name for m in drugs.recognize("warfarin and aspirin; is warfarin safe?")]
    assert names == ["warfarin", "aspirin"]


def test_class_plural_and_long_names(drugs: DrugRecognizer) -> None:
    [ssri] = drugs.recognize("several SSRIs tried")
    assert ssri.is_class
    assert ssri.name == "selective serotonin reuptake inhibitors"
    assert any(code.startswith("MeSH-tree:D27.505") for code in ssri.class_codes)
    [long_form] = drugs.recognize("selective serotonin reuptake inhibitors were tried")
    assert long_form.name == ssri.name


def test_class_membership_comes_from_mesh_tree(drugs: DrugRecognizer) -> None:
    members = drugs.members_of("benzodiazepines")
    assert {"diazepam", "lorazepam", "alprazolam"} <= set(members)
    assert "benzodiazepines" in drugs.classes_of("lorazepam")


def test_class_membership_from_pharmacological_action_links(drugs: DrugRecognizer) -> None:
    assert {"omeprazole", "esomeprazole"} <= set(drugs.members_of("proton pump inhibitors"))
    assert "metoprolol" in drugs.members_of("adrenergic beta-antagonists")


def test_common_english_words_are_not_drugs(drugs: DrugRecognizer) -> None:
    assert drugs.recognize("Is there more I can do today to help?") == []


def test_normalise_name() -> None:
    assert normalise_name("  Beta-Blockers ") == "beta blockers"


@pytest.mark.timing  # a wall-clock assertion: not in the fast tier (make test-fast)
def test_recognition_is_fast(drugs: DrugRecognizer) -> None:
    question = "patient on buspirone for years, several SSRIs tried with no improvement: next?"
    drugs.recognize(question)
    started = time.perf_counter()
    for _ in range(50):
        drugs.recognize(question)
    assert (time.perf_counter() - started) / 50 < 0.010


def test_class_abbreviation_in_the_singular(drugs: DrugRecognizer) -> None:
    # The dictionary lists "SSRIs"; "an adequate trial of an SSRI" names the same class.
    [mention] = drugs.recognize("has not responded to an adequate trial of an SSRI")
    assert mention.name == "selective serotonin reuptake inhibitors" and mention.surface == "SSRI"


class _EveryWord:
    """Stands in for the first-word set: every token may start a multi-word name."""

    def __contains__(self, item: object) -> bool:
        return True


@pytest.mark.parametrize(
    "text",
    [
        "Can St. John's wort be taken with selective serotonin reuptake inhibitors and tramadol?",
        "On SSRIs and an MAOI; Zoloft 50 mg, then acetylsalicylic acid, warfarin sodium, vitamin K.",
        "beta blockers, ACE inhibitors, angiotensin receptor blockers and calcium channel blockers",
        "Nothing here names a drug at all.",
    ],
)
def test_first_word_shortcut_finds_the_same_spans(drugs: DrugRecognizer, text: str) -> None:
    exhaustive = copy.copy(drugs)
    exhaustive._first_words = _EveryWord()  # type: ignore[assignment]
    assert drugs.recognize_spans(text) == exhaustive.recognize_spans(text)
