"""What a reader reports: the packages a file pins, and the dependencies it names without a version."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bastion.scanner.engines.dependencies.exceptions import ManifestError


class Ecosystem(StrEnum):
    """A package ecosystem, spelled as OSV spells it."""

    PYPI = "PyPI"
    NPM = "npm"
    GO = "Go"
    MAVEN = "Maven"
    RUBYGEMS = "RubyGems"
    CRATES_IO = "crates.io"


@dataclass(frozen=True, slots=True)
class Package:
    """One package at one version, as a lock or manifest file declares it."""

    ecosystem: Ecosystem
    name: str
    version: str
    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A dependency the file names without a version Bastion can match (unpinned, a range, a property)."""

    ecosystem: Ecosystem
    name: str
    requirement: str
    reason: str
    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ManifestReading:
    """What one file gave: its format, its packages (no duplicates) and what could not be resolved."""

    path: str
    format: str
    packages: tuple[Package, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()


@dataclass
class ReadingBuilder:
    """Collect packages in file order, keeping the first declaration of each (name, version)."""

    path: str
    format: str
    max_entries: int
    packages: dict[tuple[str, str], Package] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    entries: int = 0

    def add(
        self, ecosystem: Ecosystem, name: str, version: str, line: int | None, *, path: str | None = None
    ) -> None:
        """Record a package, unless the file already declared it; ``path`` names an included file."""
        name = normalise_name(ecosystem, name)
        key = (name, version)
        if key not in self.packages:
            self.packages[key] = Package(ecosystem, name, version, path or self.path, line)

    def add_unresolved(
        self,
        ecosystem: Ecosystem,
        name: str,
        requirement: str,
        reason: str,
        line: int | None,
        *,
        path: str | None = None,
    ) -> None:
        """Record a dependency without a matchable version."""
        self.unresolved.append(
            Unresolved(
                ecosystem, normalise_name(ecosystem, name), requirement, reason, path or self.path, line
            )
        )

    def build(self) -> ManifestReading:
        """Return the reading."""
        return ManifestReading(self.path, self.format, tuple(self.packages.values()), tuple(self.unresolved))

    def entry(self) -> None:
        """Count one entry of the file, reported or not, and refuse the file past the limit."""
        self.entries += 1
        if self.entries > self.max_entries:
            raise ManifestError(self.path, f"more entries than the limit ({self.max_entries})")


_PYPI_SEPARATORS = re.compile(r"[-_.]+")


def normalise_name(ecosystem: Ecosystem, name: str) -> str:
    """Return the name as the ecosystem compares names (PEP 503 for PyPI; the others are exact)."""
    if ecosystem is Ecosystem.PYPI:
        return _PYPI_SEPARATORS.sub("-", name).lower()
    return name
