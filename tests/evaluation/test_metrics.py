"""Metric helpers: URL normalisation, percentiles, comprehensiveness and contradiction."""

from __future__ import annotations

import pytest

from curbside.evaluation.common import latency_summary, normalise_url, percentile, share
from curbside.evaluation.consumer_questions import url_matches
from curbside.evaluation.kqa import comprehensiveness, judge
from curbside.knowledge.embedding import HashingEmbedder
from curbside.verification.support import SupportScorer, VectorCache


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://www.nhlbi.nih.gov/health/", "https://nhlbi.nih.gov/health"),
        ("HTTPS://WWW.Example.ORG/a/b///", "example.org/a/b"),
        ("https://example.org/page?id=3", "http://www.example.org/page/?id=3"),
    ],
)
def test_normalise_url_ignores_scheme_www_case_and_trailing_slash(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)


def test_normalise_url_keeps_path_and_query_differences() -> None:
    assert normalise_url("https://x.org/a") != normalise_url("https://x.org/b")
    assert normalise_url("https://x.org/a?id=1") != normalise_url("https://x.org/a?id=2")
    assert normalise_url("  ") == ""


def test_url_matches_top_and_any() -> None:
    reference = ["https://www.a.org/x/"]
    assert url_matches(["http://a.org/x", "https://b.org"], reference) == (True, True)
    assert url_matches(["https://b.org", "http://a.org/x"], reference) == (False, True)
    assert url_matches(["https://b.org"], reference) == (False, False)
    assert url_matches([], []) == (None, None)


def test_percentile_interpolates_and_handles_empty() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 100) == 40.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="0–100"):
        percentile(values, 101)
    assert latency_summary([5.0]) == {"n": 1, "p50": 5.0, "p95": 5.0, "p99": 5.0, "mean": 5.0}


def test_share_ignores_unknown() -> None:
    assert share([True, False, None]) == 0.5
    assert share([None]) is None


def test_comprehensiveness_and_contradiction_on_a_tiny_answer() -> None:
    scorer = SupportScorer(VectorCache(HashingEmbedder()))
    answer = "Ivermectin is an oral treatment for scabies. Permethrin cream is not recommended for infants."
    must = [
        "Ivermectin is an oral treatment for scabies.",  # stated verbatim: covered
        "Sulfur ointment is safe in pregnancy.",  # not stated: not covered
        "Permethrin cream is recommended for infants.",  # close match, opposite polarity
    ]
    judged = judge(scorer, must, answer, "answer-1")
    assert [j.covered for j in judged] == [True, False, False]
    assert [j.contradicted for j in judged] == [False, False, True]
    assert comprehensiveness(judged) == pytest.approx(1 / 3)
    assert comprehensiveness([]) == 0.0
    # An abstention (empty answer) covers nothing and contradicts nothing.
    assert all(not j.covered and not j.contradicted for j in judge(scorer, must, "", "empty"))


def test_a_pipeline_crash_is_recorded_not_raised() -> None:
    from curbside.evaluation.common import timed_ask

    class Broken:
        def ask(self, text: str) -> None:
            raise KeyError("μg")

    timed = timed_ask(Broken(), "What dose?")  # type: ignore[arg-type]
    assert timed.article is None and timed.crashed and timed.error == "crash: KeyError: 'μg'"
