"""The one retry policy: transient failures only, bounded attempts and total delay.

Transient: connection/read errors, timeouts, resets, truncated bodies and the statuses
below. Every other 4xx is an answer, not a hiccup, and is never retried.
"""

from __future__ import annotations

import random

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
)

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class TransientError(Exception):
    """One failed attempt worth repeating; `status` is 0 for network failures."""

    def __init__(self, message: str, status: int = 0, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _Backoff:
    """Exponential backoff with full jitter; a server's Retry-After wins (capped)."""

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.cap)
        ceiling = min(self.cap, self.base * 2 ** (state.attempt_number - 1))
        return random.uniform(self.base / 2, ceiling)


def retrying(max_attempts: int, max_delay: float, base: float = 1.0) -> AsyncRetrying:
    """A fresh tenacity controller: gives up before a sleep would pass `max_delay`."""
    return AsyncRetrying(
        retry=retry_if_exception_type(TransientError),
        wait=_Backoff(base, max_delay),
        stop=stop_after_attempt(max_attempts) | stop_before_delay(max_delay),
        reraise=True,
    )
