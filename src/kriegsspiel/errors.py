"""Errors a user can cause and fix: the CLI prints them as one line and exits with status 2."""

from __future__ import annotations


class KriegsspielError(Exception):
    """A mistake in the user's input (a file, a flag, a value), explained in one line."""


class InputError(KriegsspielError, ValueError):
    """A value that is out of range, of the wrong type or missing."""

    def __init__(self, field: str, expected: str, got: object = None) -> None:
        self.field = field
        self.expected = expected
        detail = f" (got {got!r})" if got is not None else ""
        super().__init__(f"{field}: {expected}{detail}")
