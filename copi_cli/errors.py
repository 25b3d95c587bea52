"""The error hierarchy: every expected failure is a CopiError carrying its exit code and a hint.

The CLI catches CopiError in one place (copi_cli.cli.app.main) and prints one line; nothing in
the core calls sys.exit or prints.
"""

from __future__ import annotations

from copi_cli.messages import Said

# The exit-code table, documented in README.md.
EXIT_OK = 0
EXIT_FINDINGS = 1  # validation errors found, a gate that does not hold, a user mistake
EXIT_USAGE = 2  # wrong options or arguments
EXIT_ENVIRONMENT = 3  # not a process, git missing, directory not usable
EXIT_INTERRUPTED = 130


class CopiError(Exception):
    """A failure the user can act on; never shown with a traceback (unless --debug)."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UserError(CopiError):
    """The user asked for something that cannot be done as asked."""


class UsageError(CopiError):
    exit_code = EXIT_USAGE


class EnvironmentProblem(CopiError):
    """The surroundings are wrong: no process here, git missing, a path that cannot be written."""

    exit_code = EXIT_ENVIRONMENT


class NotAProcessError(EnvironmentProblem):
    def __init__(self, directory: str) -> None:
        super().__init__(
            Said("process.not-found", directory=directory),
            hint=Said("process.not-found-hint"),
        )


class GitError(EnvironmentProblem):
    """git failed; the message says what git said and what to do."""
