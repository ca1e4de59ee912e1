"""Anonymous asking is rate-limited per client address, counted in the shared review database.

Every route that makes Curbside compose an answer (questions, linked questions, follow-ups,
"Understood as" corrections) depends on :func:`limit_anonymous_asks`. Logged-in board accounts
are not limited: they are few, known, and re-ask while reviewing. The client is the address
the server sees (behind a proxy, run uvicorn with ``--forwarded-allow-ips`` so it is the
reader's, not the proxy's).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Depends, Request

from curbside.web.auth import current_login

RATE_LIMITED_RESPONSE: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Too many questions from this client recently; Retry-After says how many seconds to wait",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}},
    }
}


class AskRateLimitedError(Exception):
    """This client asked too often; ``retry_after_s`` is the whole seconds to wait (≥ 1)."""

    def __init__(self, retry_after_s: int, limit: int, window_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(
            f"Too many questions from this address: at most {limit} every {window_s} seconds without an "
            f"advisory-board login. Try again in {retry_after_s} seconds."
        )


def limit_anonymous_asks(request: Request) -> None:
    """Count this request against its client's allowance; raise when it is used up.

    Raises:
        AskRateLimitedError: the allowance for the window is used up (the handler answers 429).
    """
    services = request.app.state.services
    settings = services.settings
    if settings.ask_rate_limit == 0 or current_login(request) is not None:
        return
    client = request.client.host if request.client else "unknown"
    wait = services.rate_limiter.admit(f"ask:{client}", settings.ask_rate_limit, settings.ask_rate_window_s)
    if wait is not None:
        raise AskRateLimitedError(max(1, math.ceil(wait)), settings.ask_rate_limit, settings.ask_rate_window_s)


AskAllowance = Depends(limit_anonymous_asks)
