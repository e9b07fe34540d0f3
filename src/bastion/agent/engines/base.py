"""What every engine shares: the workspace it scans and the shape of its answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bastion.contracts.analysis import Language

# The first suffix is the default; the others are kept when the caller's file name has them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "python": (".py",),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".tsx"),
    "java": (".java",),
    "go": (".go",),
}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Workspace:
    """A temporary directory holding the one file under analysis."""

    directory: Path
    file_name: str
    language: Language

    @property
    def path(self) -> Path:
        """Return the analysed file's path."""
        return self.directory / self.file_name


def file_name_for(language: Language, filename: str | None) -> str:
    """Name the file so that engines recognise its language, keeping the caller's name when it fits."""
    extensions = EXTENSIONS[language]
    if filename:
        cleaned = SAFE_NAME.sub("_", filename)[:100].lstrip(".") or "snippet"
        return cleaned if cleaned.endswith(extensions) else cleaned + extensions[0]
    return "snippet" + extensions[0]
