"""Errors a user can hit, each with the exit code the CLI uses for it."""

from __future__ import annotations

# Documented exit codes of the `flare` command (README, "CLI reference").
EXIT_OK = 0
EXIT_PROBLEMS = 1  # the command ran and found problems (validation, doctor, check)
EXIT_USAGE = 2  # wrong arguments
EXIT_CONFIG = 3  # bad configuration or input file
EXIT_ENVIRONMENT = 4  # something on this machine is missing (display, permission, disk)
EXIT_DELIVERY = 5  # the helpdesk refused or could not be reached; the report is kept


class FlareError(Exception):
    """An error with a message that says what happened and what to do next."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class BundleError(FlareError):
    """A report bundle that cannot be read or written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_CONFIG)
