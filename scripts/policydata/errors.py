"""The one error type of the policy-data tools: it always names the file, the key path and, where
known, the line, and says what was expected."""

from __future__ import annotations


class DataError(Exception):
    def __init__(self, file: str, path: str, message: str, line: int | None = None):
        super().__init__(message)
        self.file = file
        self.path = path
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


class DataErrors(Exception):
    """Several DataErrors found in one pass, so a clerk sees them all at once."""

    def __init__(self, errors: list[DataError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
