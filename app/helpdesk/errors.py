"""Delivery errors, in three classes that decide what the outbox does next.

- **transient** (network, 5xx, 408, 429 with Retry-After): tried again with backoff;
- **credentials** (401/403, and a throttling answer right after failed sign-ins, the way
  Roundup answers a locked account): the outbox stops sending to that helpdesk for a while,
  the person is told in plain words and the administrator by ``flare doctor`` and the log;
  trying again would only keep the account locked;
- **refused** (a file type, a size, a validation error): that item stops with the helpdesk's
  own reason; trying the same request again cannot succeed, so it is never retried by itself.

``config`` errors (a spec or setting that cannot work) stop the item like a refusal.

Every error keeps the helpdesk's own message (``helpdesk_message``): the user sees it and the
log records it, because "HTTP 422" alone tells nobody what to fix.
"""

from __future__ import annotations

from typing import Literal

from app.errors import EXIT_CONFIG, EXIT_DELIVERY, FlareError

ErrorKind = Literal["network", "server", "rate_limit", "auth", "validation", "config"]
ErrorClass = Literal["transient", "credentials", "refused", "config"]
ERROR_CLASSES: tuple[ErrorClass, ...] = ("transient", "credentials", "refused", "config")
RETRYABLE_KINDS: frozenset[str] = frozenset({"network", "server", "rate_limit"})

_CLASS_OF_KIND: dict[str, ErrorClass] = {
    "network": "transient", "server": "transient", "rate_limit": "transient",
    "auth": "credentials", "validation": "refused", "config": "config",
}


def error_class(kind: str) -> ErrorClass:
    """The class of an error kind (as stored with an outbox item)."""
    return _CLASS_OF_KIND.get(kind, "config")


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

    @property
    def error_class(self) -> ErrorClass:
        return error_class(self.kind)


class SpecError(FlareError):
    """A connector specification that cannot be used; the message names the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_CONFIG)
