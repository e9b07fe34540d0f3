"""What the dependency tests share: where the fixtures are, and a reading as comparable rows."""

from __future__ import annotations

from pathlib import Path

from bastion.scanner.engines.dependencies import ManifestReading, read_manifest

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(directory: str, name: str) -> ManifestReading:
    """Read a fixture with its directory as the tree's root."""
    return read_manifest(FIXTURES / directory / name, root=FIXTURES / directory)


def package_rows(reading: ManifestReading) -> list[tuple[str, str, str, str, int | None]]:
    """Return (ecosystem, name, version, path, line) for each package, in the reading's order."""
    return [
        (str(package.ecosystem), package.name, package.version, package.path, package.line)
        for package in reading.packages
    ]


def unresolved_rows(reading: ManifestReading) -> list[tuple[str, str, str, int | None]]:
    """Return (name, requirement, reason, line) for each unresolved dependency."""
    return [(item.name, item.requirement, item.reason, item.line) for item in reading.unresolved]
