"""HTML-to-text conversion for NGC field values: entities, blocks, lists, tables, links."""

from __future__ import annotations

from curbside.sources.html_text import TextBlock, html_blocks, html_links, html_to_text


def test_decodes_entities_and_collapses_whitespace() -> None:
    assert html_to_text("<p>ankle&ndash;brachial&#xD;&#xA;  index&nbsp;(ABI)</p>") == "ankle–brachial index (ABI)"


def test_paragraphs_and_list_items_become_separate_lines() -> None:
    fragment = "<div><p>First.</p><ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>After</div>"
    assert html_to_text(fragment) == "First.\n- One\n- Two\n  - Nested\nAfter"


def test_table_rows_join_cells() -> None:
    fragment = "<table><tr><th>Grade</th><th>Meaning</th></tr><tr><td>B</td><td><p>Offer it.</p></td></tr></table>"
    assert html_blocks(fragment) == [TextBlock("Grade | Meaning", "row"), TextBlock("B | Offer it.", "row")]


def test_bold_only_paragraph_is_a_heading_but_inline_bold_is_not() -> None:
    blocks = html_blocks("<p><strong><span>Screening Tests</span></strong></p><p>Adults (<strong>B</strong>)</p>")
    assert [block.kind for block in blocks] == ["heading", "paragraph"]


def test_br_splits_lines_and_scripts_are_dropped() -> None:
    assert html_to_text("a<br/>b<script>x()</script>") == "a\nb"


def test_malformed_markup_does_not_raise() -> None:
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"
    assert html_to_text("") == ""


def test_links_are_listed_in_order() -> None:
    fragment = '<a href="http://a.example/x?y=1&amp;z=2">A</a> text <a name="n">no</a><a href=" http://b ">B</a>'
    assert html_links(fragment) == ["http://a.example/x?y=1&z=2", "http://b"]


def test_footnote_marks_after_words_are_dropped_but_exponents_kept() -> None:
    text = html_to_text(
        "<p>offer an alternative (fluvoxamine<sup>1</sup> or paroxetine<sup>2, 3</sup>).<sup>*</sup>"
        " Counts of 150 &times; 10<sup>9</sup>/L.</p>"
    )
    assert text == "offer an alternative (fluvoxamine or paroxetine). Counts of 150 × 10^9/L."
