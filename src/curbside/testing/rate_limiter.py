"""Contract suite for rate limiters (:class:`curbside.protocols.RateLimiter`).

A backend's test class provides ``clock`` (a :class:`SteppedClock`) and ``limiter`` (an empty
limiter that reads its time from that clock)::

    class TestSqliteRateLimiter(RateLimiterContract):
        @pytest.fixture
        def limiter(self, tmp_path, clock):
            return SqlRateLimiter(SqliteArticleRepository(tmp_path / "review.sqlite3"), clock)
"""

from __future__ import annotations

import pytest

from curbside.protocols import RateLimiter


class SteppedClock:
    """Wall-clock seconds that move only when a test says so."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class RateLimiterContract:
    @pytest.fixture
    def clock(self) -> SteppedClock:
        return SteppedClock()

    def test_it_satisfies_the_protocol(self, limiter: RateLimiter) -> None:
        assert isinstance(limiter, RateLimiter)

    def test_admits_up_to_the_limit_then_names_the_wait(self, limiter: RateLimiter, clock: SteppedClock) -> None:
        for step in range(3):
            clock.now += 1
            assert limiter.admit("ask:a", 3, 60) is None, step
        clock.now += 10
        # The first admitted request (12 s ago) leaves the 60 s window in 48 s.
        assert limiter.admit("ask:a", 3, 60) == pytest.approx(48.0)

    def test_the_window_slides(self, limiter: RateLimiter, clock: SteppedClock) -> None:
        assert limiter.admit("ask:a", 2, 60) is None
        clock.now += 30
        assert limiter.admit("ask:a", 2, 60) is None
        clock.now += 29
        assert limiter.admit("ask:a", 2, 60) is not None
        clock.now += 2  # the first request is now 61 s old
        assert limiter.admit("ask:a", 2, 60) is None
        assert limiter.admit("ask:a", 2, 60) is not None

    def test_refused_requests_do_not_count(self, limiter: RateLimiter, clock: SteppedClock) -> None:
        assert limiter.admit("ask:a", 1, 10) is None
        for _ in range(5):
            clock.now += 1
            assert limiter.admit("ask:a", 1, 10) is not None
        clock.now += 5  # 10 s after the one admitted request, however often it was refused since
        assert limiter.admit("ask:a", 1, 10) is None

    def test_keys_are_counted_apart(self, limiter: RateLimiter) -> None:
        assert limiter.admit("ask:192.0.2.1", 1, 60) is None
        assert limiter.admit("ask:192.0.2.2", 1, 60) is None
        assert limiter.admit("ask:192.0.2.1", 1, 60) is not None

    @pytest.mark.parametrize(("limit", "window"), [(0, 60), (-1, 60), (5, 0)])
    def test_a_meaningless_limit_is_refused(self, limiter: RateLimiter, limit: int, window: float) -> None:
        with pytest.raises(ValueError, match="positive"):
            limiter.admit("ask:a", limit, window)
