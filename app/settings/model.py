"""Small value types shared by the settings modules: where a value came from, what went wrong."""

from __future__ import annotations

from app.errors import EXIT_CONFIG, FlareError
from app.records import Record

# Records, not dataclasses, and typing for the type checker only: see app.settings.decl_types.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Layer = Literal["default", "recommended", "user", "managed"]
else:
    Layer = str

# Lowest first: a later layer wins over an earlier one.
LAYER_ORDER: tuple[Layer, ...] = ("default", "recommended", "user", "managed")

BUILT_IN = "built-in"


class SettingSource(Record):
    """The layer an effective value comes from and where exactly it was read."""

    layer: Layer
    location: str  # "file:line:col", a registry value path, a plist path, or "built-in"

    def __str__(self) -> str:
        return self.layer if self.location == BUILT_IN else f"{self.layer} ({self.location})"


class PolicyProblem(Record):
    """A setting (or a whole file) that was skipped, and why."""

    location: str  # "file:line:col" where possible
    key: str  # "" when the problem concerns a whole file
    message: str
    layer: Layer | Literal[""] = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class Entry(Record):
    """A validated value of one key in one layer."""

    key: str
    value: Any
    location: str


class SettingsError(FlareError):
    """A setting cannot be read or written; the message says what to do."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message, exit_code)


class UnknownSettingError(SettingsError, KeyError):
    """A key that is not declared; the message suggests the closest declared key."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class LockedSettingError(SettingsError):
    """The user tried to change a key that managed policy (or the declaration) fixes."""
