"""Go (go.sum), RubyGems (Gemfile.lock) and crates.io (Cargo.lock): one small reader each."""

from __future__ import annotations

import re
from pathlib import Path

from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.engines.dependencies.limits import (
    Limits,
    load_toml,
    mapping,
    read_text,
    sequence,
    text_field,
)
from bastion.scanner.engines.dependencies.model import Ecosystem, ManifestReading, ReadingBuilder
from bastion.scanner.engines.dependencies.positions import toml_package_lines

_GO_SUM_LINE = re.compile(r"^(\S+) (v[^\s/]+)(/go\.mod)? (h1:\S+)$")


def read_go_sum(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read go.sum: one package per module version, its ``/go.mod`` line counted once.

    Versions are given without the leading ``v``, as OSV writes the Go ecosystem's versions.
    """
    text = read_text(path, shown, limits)
    builder = ReadingBuilder(shown, "go.sum", limits.max_entries)
    for number, line in enumerate(text.splitlines(), start=1):
        builder.entry()
        if not line.strip():
            continue
        match = _GO_SUM_LINE.match(line.strip())
        if not match:
            raise ManifestError(shown, f"line {number}: expected 'module version hash'")
        builder.add(Ecosystem.GO, match.group(1), match.group(2)[1:], number)
    return builder.build()


_GEM_SECTION = re.compile(r"^[A-Z][A-Z ]*$")
_GEM_SPEC = re.compile(r"^    ([A-Za-z0-9_.-]+) \(([^)\s]+)\)$")


def read_gemfile_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read Gemfile.lock: the ``specs`` of each ``GEM`` section (GIT and PATH gems are not published)."""
    text = read_text(path, shown, limits)
    builder = ReadingBuilder(shown, "Gemfile.lock", limits.max_entries)
    section = ""
    in_specs = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _GEM_SECTION.match(line):
            section, in_specs = line.strip(), False
            continue
        if section != "GEM":
            continue
        if line == "  specs:":
            in_specs = True
            continue
        if not in_specs or not line.startswith("    ") or line.startswith("     "):
            continue
        match = _GEM_SPEC.match(line)
        if not match:
            raise ManifestError(shown, f"line {number}: expected a spec 'name (version)'")
        builder.entry()
        # A platform gem's version carries its platform: "1.15.4-x86_64-linux".
        version = match.group(2).split("-", 1)[0]
        builder.add(Ecosystem.RUBYGEMS, match.group(1), version, number)
    if not builder.packages and "GEM" not in text.split():
        raise ManifestError(shown, "no GEM section")
    return builder.build()


def read_cargo_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read Cargo.lock: every ``[[package]]`` from a registry (the workspace's own crates have no source)."""
    text = read_text(path, shown, limits)
    document = load_toml(text, shown)
    lines = toml_package_lines(text)
    builder = ReadingBuilder(shown, "Cargo.lock", limits.max_entries)
    for entry in sequence(document.get("package"), shown, "package"):
        builder.entry()
        entry = mapping(entry, shown, "a [[package]] table")
        name, version = text_field(entry, "name"), text_field(entry, "version")
        if name is None or version is None:
            raise ManifestError(shown, "a [[package]] table has no name or version")
        source = text_field(entry, "source") or ""
        if source.startswith(("registry+", "sparse+")):
            builder.add(Ecosystem.CRATES_IO, name, version, lines.get((name, version)))
    return builder.build()
