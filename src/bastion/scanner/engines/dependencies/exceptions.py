"""The one error a dependency reader raises: which file, and what is wrong with it."""

from __future__ import annotations


class ManifestError(Exception):
    """A lock or manifest file is unreadable, malformed or past a limit; nothing of it was reported."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
