"""Answers in Markdown, plain text and HTML with every footnote style read as the same statements."""

from __future__ import annotations

from curbside.verification.answer_formats import answer_markdown, detect_kind
from curbside.verification.statements import split_statements


def _read(text: str, kind: str = "auto") -> list[tuple[str, tuple[int, ...], str, bool]]:
    return [(s.text, s.citations, s.heading, s.emphasised) for s in split_statements(answer_markdown(text, kind))]


def test_footnote_styles() -> None:
    for marker, expected in (("[1]", (1,)), ("¹", (1,)), ("(1)", (1,)), ("[1,2]", (1, 2)), ("(1, 2)", (1, 2))):
        rows = _read(f"Take it with food {marker}.\n", "markdown")
        assert rows[0][:2] == ("Take it with food.", expected), marker


def test_enumeration_and_values_are_not_footnotes() -> None:
    rows = _read("(1) Take the dose (10 mg) with food.\n", "text")
    assert rows[0][1] == ()


def test_html_answer_keeps_headings_items_bold_bottom_line_and_sup() -> None:
    page = (
        "<html><head><style>p{}</style></head><body><h1>Q</h1><p><strong>Never combine A with B; allow "
        "14 days between them.<sup>1</sup></strong></p><h2>Options</h2><ul><li>Take it daily<sup>2</sup>.</li>"
        "</ul></body></html>"
    )
    assert detect_kind(page) == "html"
    rows = _read(page)
    assert rows[0] == ("Never combine A with B; allow 14 days between them.", (1,), "Q", True)
    assert rows[1] == ("Take it daily.", (2,), "Options", False)


def test_plain_text_bottom_line_lead_becomes_its_own_heading() -> None:
    rows = _read("Bottom line: Avoid it (1).\nTake it with food (2).\n\nMore prose here now (2).\n", "text")
    assert rows[0][2] == "Bottom line"
    assert rows[-1][2] != "Bottom line"
