"""Dependency readers: lock and manifest files in, the packages they pin out (for an OSV advisory match).

Formats: requirements*.txt, poetry.lock, uv.lock, Pipfile.lock (PyPI); package-lock.json v1-v3,
yarn.lock classic and berry, pnpm-lock.yaml v5-v9 (npm); go.sum (Go); pom.xml (Maven);
Gemfile.lock (RubyGems); Cargo.lock (crates.io). Every reader bounds what it reads
(:class:`Limits`) and refuses bad input with :class:`ManifestError`, naming the file.
"""

from bastion.scanner.engines.dependencies.detection import (
    FoundManifest,
    TreeReading,
    detect_format,
    find_manifests,
    format_for_content,
    format_for_name,
    read_manifest,
    read_tree,
)
from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.engines.dependencies.limits import DEFAULT_LIMITS, Limits
from bastion.scanner.engines.dependencies.model import (
    Ecosystem,
    ManifestReading,
    Package,
    Unresolved,
    normalise_name,
)

__all__ = [
    "DEFAULT_LIMITS",
    "Ecosystem",
    "FoundManifest",
    "Limits",
    "ManifestError",
    "ManifestReading",
    "Package",
    "TreeReading",
    "Unresolved",
    "detect_format",
    "find_manifests",
    "format_for_content",
    "format_for_name",
    "normalise_name",
    "read_manifest",
    "read_tree",
]
