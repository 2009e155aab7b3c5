"""Errors raised by capture, each one line a user can act on."""

from __future__ import annotations

from app.errors import EXIT_ENVIRONMENT, FlareError


class CaptureError(FlareError):
    """The screen could not be captured; the message says why and what to do."""

    def __init__(self, message: str, exit_code: int = EXIT_ENVIRONMENT) -> None:
        super().__init__(message, exit_code)


class BlankCaptureError(CaptureError):
    """The grab came back as a single colour: almost always a permission or protocol issue."""


class PortalUnavailableError(CaptureError):
    """Wayland session without a usable xdg-desktop-portal Screenshot interface."""


class StepLimitReachedError(CaptureError):
    """The step recorder already holds as many steps as policy allows."""
