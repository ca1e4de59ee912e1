"""Statement splitting: sentences, list items, headings, citation forms."""

from __future__ import annotations

from curbside.verification.statements import extract_citations, split_statements


def test_sentences_list_items_and_headings() -> None:
    markdown = (
        "# Bottom line\n"
        "Low-dose amitriptyline may help [1]. Review after 6 weeks [2].\n\n"
        "## Options\n"
        "- Start at 10 mg at night [1, 3]\n"
        "- Increase slowly. Do not exceed 30 mg [1][2]\n"
        "**Monitoring**\n"
        "Check for drowsiness.\n"
    )
    statements = split_statements(markdown)
    assert [s.text for s in statements] == [
        "Low-dose amitriptyline may help.",
        "Review after 6 weeks.",
        "Start at 10 mg at night",
        "Increase slowly. Do not exceed 30 mg",
        "Check for drowsiness.",
    ]
    assert [s.citations for s in statements] == [(1,), (2,), (1, 3), (1, 2), ()]
    assert statements[0].heading == "Bottom line"
    assert statements[2].is_list_item and not statements[0].is_list_item
    assert statements[4].heading == "Monitoring"


def test_citation_forms() -> None:
    assert extract_citations("Screen adults [1-3].") == ("Screen adults.", (1, 2, 3))
    assert extract_citations("Screen adults.[2] ") == ("Screen adults.", (2,))
    assert extract_citations("Screen adults<sup>4</sup>.") == ("Screen adults.", (4,))
    assert extract_citations("Screen adults.¹²") == ("Screen adults.", (12,))
    assert extract_citations("Screen adults.¹,³") == ("Screen adults.", (1, 3))
    assert extract_citations("Screen adults^2.") == ("Screen adults.", (2,))


def test_units_and_links_are_not_citations() -> None:
    text, citations = extract_citations("Give 60 mg/m² daily; see [the label](https://x.org) and 10^9/L.")
    assert citations == ()
    assert "mg/m²" in text and "10^9/L" in text


def test_citation_after_full_stop_stays_with_its_sentence() -> None:
    statements = split_statements("First claim. [1] Second claim, e.g. a dose of 2.5 mg. [2]")
    assert [(s.text, s.citations) for s in statements] == [
        ("First claim.", (1,)),
        ("Second claim, e.g. a dose of 2.5 mg.", (2,)),
    ]


def test_setext_heading_and_table_rows() -> None:
    statements = split_statements("Summary\n=======\nUse drug A [1].\n\n| Drug | Dose |\n|---|---|\n| A | 5 mg [2] |\n")
    assert statements[0].heading == "Summary"
    assert statements[0].text == "Use drug A."
    assert statements[-1].citations == (2,)
    assert all("---" not in s.text for s in statements)
