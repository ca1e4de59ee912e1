import pytest

from curbside.composition import populations
from curbside.domain.documents import Document, DocumentKind, Passage, PassageRecord
from curbside.domain.question import AgeGroup, Intent, UnderstoodQuestion


def record(title: str, population: str | None = None) -> PassageRecord:
    document = Document("ngc:1", "ngc", DocumentKind.GUIDELINE, "NICE", title, 2015, "u", "", population=population)
    return PassageRecord(document, Passage("ngc:1#0", ("Major Recommendations",), "text", 0))


ADULT_UNSTATED = UnderstoodQuestion("q", Intent.NEXT_STEP)
CHILD = UnderstoodQuestion("q", Intent.NEXT_STEP, age_group=AgeGroup.CHILD)


def test_statement_clause_for_children_misfits_an_adult_by_default() -> None:
    text = "For children and young people with psychotic depression, augmenting should be considered."
    assert populations.population_fit(record("Depression"), text, ADULT_UNSTATED) == -1
    assert populations.population_fit(record("Depression"), text, CHILD) == 1


def test_guideline_scope_decides_when_the_statement_names_no_group() -> None:
    children = record("Depression in children and young people: identification and management.")
    assert populations.population_fit(children, "Offer fluoxetine.", ADULT_UNSTATED) == -1
    both = record("Social anxiety disorder", "Adults (aged 18 and older); children and young people")
    assert populations.population_fit(both, "Offer CBT.", ADULT_UNSTATED) == 1
    assert populations.population_fit(record("Depression"), "Offer CBT.", ADULT_UNSTATED) == 0


def test_older_adults_are_not_also_read_as_every_adult() -> None:
    assert populations.statement_groups("Screening in older adults is advised.") == {AgeGroup.OLDER_ADULT}


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"groups": []}',
        '{"provenance": "x", "groups": [{"words": [], "covers": ["adult"]}]}',
        '{"provenance": "x", "groups": [{"words": ["kids"], "covers": ["toddler"]}]}',
    ],
)
def test_malformed_words_file_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        populations.parse_words(text)


def test_shipped_words_file_loads() -> None:
    assert populations.population_words().groups
