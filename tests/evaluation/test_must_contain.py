from curbside.evaluation.must_contain import best_overlap, judge_text


def test_fact_is_covered_by_one_sentence_holding_most_of_its_words() -> None:
    text = "Offer CBT. Recommends switching to another monotherapy or augmenting with a second medication."
    judged = judge_text(["switch to another monotherapy", "monitor lithium levels"], [], text)
    assert judged.covered == (True, False)
    assert best_overlap("monitor lithium levels", text) == 0.0


def test_must_not_is_flagged_unless_negated() -> None:
    assert judge_text([], ["combine with an MAOI"], "Do not combine with an MAOI.").flagged == ()
    assert judge_text([], ["combine with an MAOI"], "Combine with an MAOI.").flagged == ("combine with an MAOI",)
