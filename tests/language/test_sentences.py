from curbside.language.sentences import MAX_WORDS, chunk_text, split_sentences


def test_splits_on_sentence_end_before_capital_or_digit() -> None:
    assert split_sentences("Take it daily. 2 tablets at night! Is it safe? yes.") == [
        "Take it daily.",
        "2 tablets at night!",
        "Is it safe? yes.",
    ]


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "Use e.g. Drug A vs. Drug B as in Smith et al. The dose is 2.5 mg in the U.S. Market data differ."
    assert split_sentences(text) == [text]


def test_closing_quote_or_bracket_stays_with_its_sentence() -> None:
    assert split_sentences('He said "Stop." Then he left. (See below.) Next one.') == [
        'He said "Stop."',
        "Then he left.",
        "(See below.)",
        "Next one.",
    ]


def test_chunks_keep_whole_sentences_within_the_word_budget() -> None:
    sentence = "Word " + " ".join(["word"] * 29) + "."
    text = " ".join([sentence] * 10)
    chunks = chunk_text(text)
    assert len(chunks) == 3
    assert all(len(chunk.split()) <= MAX_WORDS for chunk in chunks)
    assert " ".join(chunks) == text


def test_a_sentence_longer_than_the_budget_stands_alone() -> None:
    long_sentence = "Long " + " ".join(["word"] * (MAX_WORDS + 10)) + "."
    assert chunk_text(f"Short one. {long_sentence} Tail.") == ["Short one.", long_sentence, "Tail."]


def test_blank_text_has_no_chunks() -> None:
    assert chunk_text(" \n\t ") == []
    assert split_sentences("") == []
