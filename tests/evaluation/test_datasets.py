"""Dev-set readers on tiny, format-faithful fixtures with invented content."""

from __future__ import annotations

from pathlib import Path

import pytest

from curbside.evaluation.calibration import load_healthver
from curbside.evaluation.common import EvalDataNotFoundError, locate_eval_data
from curbside.evaluation.datasets import (
    DatasetFormatError,
    liveqa_paths,
    read_kqa,
    read_liveqa,
    read_medicationqa_items,
)
from tests.evaluation.conftest import EVAL_DATA


def test_liveqa_reads_both_training_formats_in_order() -> None:
    items = read_liveqa(liveqa_paths(EVAL_DATA))
    assert [i.qid for i in items] == ["train1:Q1", "train1:Q2", "train2:1.0"]
    first, second, third = items
    # Empty subject: the message alone is the question; otherwise "subject. message".
    assert first.question.startswith("Screening for example disease.")
    assert second.question == "treatment of example syndrome. What are the treatments for example syndrome in children?"
    assert len(first.answers) == 2 and first.focus == ("example disease",) and first.types == ("screening",)
    # No AnswerURL in training files: URLs come from inside the answers, trailing punctuation cut.
    assert first.urls == ("https://www.example.org/screening/",)
    assert third.urls == ("http://www.example.gov/zorvax",)
    assert second.urls == ()


def test_liveqa_reads_test_style_paraphrase_and_answer_url(tmp_path: Path) -> None:
    path = tmp_path / "test.xml"
    path.write_text(
        "<NLM-QUESTIONS><NLM-QUESTION qid='T1'><Original-Question><SUBJECT>s</SUBJECT><MESSAGE>long m</MESSAGE>"
        "</Original-Question><NIST-PARAPHRASE>Clean question?</NIST-PARAPHRASE><ReferenceAnswers><ReferenceAnswer>"
        "<ANSWER>Answer text.</ANSWER><AnswerURL>https://example.org/x</AnswerURL></ReferenceAnswer>"
        "</ReferenceAnswers></NLM-QUESTION></NLM-QUESTIONS>",
        encoding="utf-8",
    )
    (item,) = read_liveqa([path])
    assert item.question == "Clean question?" and item.urls == ("https://example.org/x",)


def test_liveqa_bad_xml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("<NLM-QUESTIONS><oops></NLM-QUESTIONS>", encoding="utf-8")
    with pytest.raises(DatasetFormatError, match=r"bad\.xml: not valid XML"):
        read_liveqa([path])


def test_kqa_keeps_questions_with_must_have_statements() -> None:
    items = read_kqa(EVAL_DATA / "kqa" / "questions_w_answers.dev.jsonl")
    assert len(items) == 2
    assert items[0].must_have == ("Example syndrome is a rare condition", "Treatment of example syndrome is supportive")
    assert items[0].nice_to_have == ("Example syndrome can be inherited",)


def test_medicationqa_fields() -> None:
    items = read_medicationqa_items(EVAL_DATA / "medicationqa" / "medicationqa.dev.jsonl")
    assert [(i.focus, i.question_type) for i in items] == [
        ("Zorvax 20 mg", "Interaction"),
        ("Zorvax", "Storage and Disposal"),
    ]


def test_jsonl_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "k.jsonl"
    path.write_text('{"Question": "q", "Must_have": ["a"]}\n{not json\n', encoding="utf-8")
    with pytest.raises(DatasetFormatError, match=r"k\.jsonl:2: not JSON"):
        read_kqa(path)


def test_healthver_fixture_reads_with_the_verifier_reader() -> None:
    rows = load_healthver(EVAL_DATA / "healthver" / "healthver_dev.csv")
    assert [r["label"] for r in rows] == ["Supports", "Refutes", "Neutral", "Supports"]


def test_missing_data_folder_says_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CURBSIDE_EVAL_DIR", raising=False)
    with pytest.raises(EvalDataNotFoundError, match="--data"):
        locate_eval_data(tmp_path / "missing", cwd=tmp_path)
    assert locate_eval_data(EVAL_DATA) == EVAL_DATA.resolve()
