"""Delivery errors, classified so the outbox knows whether to try again.

Every error keeps the helpdesk's own message (``helpdesk_message``): the user sees it and the
log records it, because "HTTP 422" alone tells nobody what to fix.
"""

from __future__ import annotations

from typing import Literal

from app.errors import EXIT_CONFIG, EXIT_DELIVERY, FlareError

ErrorKind = Literal["network", "server", "rate_limit", "auth", "validation", "config"]
RETRYABLE_KINDS: frozenset[str] = frozenset({"network", "server", "rate_limit"})


class DeliveryError(FlareError):
    """A submission or a read that failed; ``retryable`` says whether trying later can help."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        helpdesk_message: str = "",
        http_status: int | None = None,
        retry_after_s: float | None = None,
        uncertain: bool = False,
    ) -> None:
        super().__init__(message, EXIT_CONFIG if kind == "config" else EXIT_DELIVERY)
        self.kind: ErrorKind = kind
        self.helpdesk_message = helpdesk_message
        self.http_status = http_status
        self.retry_after_s = retry_after_s
        # True when the request may have reached the helpdesk (timeout after sending): the
        # outbox then looks for the ticket before sending again.
        self.uncertain = uncertain

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS


class SpecError(FlareError):
    """A connector specification that cannot be used; the message names the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_CONFIG)
