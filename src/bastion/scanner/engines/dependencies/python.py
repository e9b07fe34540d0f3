"""PyPI: requirements files, poetry.lock, uv.lock and Pipfile.lock."""

from __future__ import annotations

import re
from pathlib import Path

from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.engines.dependencies.limits import (
    Limits,
    load_json,
    load_toml,
    mapping,
    read_text,
    sequence,
    text_field,
)
from bastion.scanner.engines.dependencies.model import Ecosystem, ManifestReading, ReadingBuilder
from bastion.scanner.engines.dependencies.positions import JsonKeyLines, toml_package_lines

PYPI = Ecosystem.PYPI

_REQUIREMENT = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$")
_PINNED = re.compile(r"^===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$")
_EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s+|=)(\S+)$")
_COMMENT = re.compile(r"(^|\s)#.*$")
# Options of a requirement line that say nothing about the version (hashes, install options).
_TRAILING_OPTIONS = re.compile(r"\s--?[A-Za-z][\w-]*(?:[=\s]\S+)?")


def read_requirements(path: Path, shown: str, root: Path, limits: Limits) -> ManifestReading:
    """Read a pip requirements file and the files it includes with ``-r`` (inside the tree only)."""
    builder = ReadingBuilder(shown, "requirements", limits.max_entries)
    _read_requirements_file(path, shown, root.resolve(), limits, builder, seen=set(), depth=0)
    return builder.build()


def _read_requirements_file(
    path: Path, shown: str, root: Path, limits: Limits, builder: ReadingBuilder, seen: set[Path], depth: int
) -> None:
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    text = read_text(path, shown, limits)
    for number, line in _logical_lines(text):
        builder.entry()
        include = _INCLUDE.match(line)
        if include:
            _include(path, shown, include.group(1), root, limits, builder, seen, depth, number)
            continue
        editable = _EDITABLE.match(line)
        if editable:
            if "://" in editable.group(1) or editable.group(1).startswith("git+"):
                builder.add_unresolved(
                    PYPI, _url_name(editable.group(1)), line, "not a registry requirement", number, path=shown
                )
            continue
        if line.startswith("-"):
            # Other options (-c, -i, --index-url, --hash alone…) name no pinned package.
            continue
        requirement = _TRAILING_OPTIONS.sub("", " " + line).strip()
        requirement = requirement.split(";", 1)[0].strip()
        match = _REQUIREMENT.match(requirement)
        if not match or "://" in requirement:
            builder.add_unresolved(
                PYPI, _url_name(requirement), line, "not a registry requirement", number, path=shown
            )
            continue
        name, specifier = match.group(1), match.group(2).strip()
        pinned = _PINNED.match(specifier)
        if pinned and "*" not in specifier:
            builder.add(PYPI, name, pinned.group(1), number, path=shown)
        else:
            builder.add_unresolved(PYPI, name, requirement, "unpinned", number, path=shown)


def _include(
    path: Path,
    shown: str,
    target: str,
    root: Path,
    limits: Limits,
    builder: ReadingBuilder,
    seen: set[Path],
    depth: int,
    number: int,
) -> None:
    if depth >= limits.max_include_depth:
        raise ManifestError(shown, f"line {number}: includes nest deeper than {limits.max_include_depth}")
    included = (path.parent / target).resolve()
    if not included.is_relative_to(root) or "://" in target:
        raise ManifestError(shown, f"line {number}: includes {target!r}, which is outside the tree")
    if not included.is_file():
        raise ManifestError(shown, f"line {number}: includes {target!r}, which does not exist")
    included_shown = included.relative_to(root).as_posix()
    _read_requirements_file(included, included_shown, root, limits, builder, seen, depth + 1)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations and drop comments, keeping the number of each logical line's start."""
    joined: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 1
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        logical = " ".join(part.strip() for part in pending).strip()
        pending = []
        if logical:
            joined.append((start, logical))
    if pending and (logical := " ".join(part.strip() for part in pending).strip()):
        joined.append((start, logical))
    return joined


def _url_name(requirement: str) -> str:
    name = requirement.split("@", 1)[0].strip() if " @ " in requirement else ""
    if not name:
        egg = re.search(r"#egg=([A-Za-z0-9._-]+)", requirement)
        name = egg.group(1) if egg else requirement
    return name


def read_poetry_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read poetry.lock: every ``[[package]]`` from a package index."""
    text = read_text(path, shown, limits)
    document = load_toml(text, shown)
    lines = toml_package_lines(text)
    builder = ReadingBuilder(shown, "poetry.lock", limits.max_entries)
    for entry in sequence(document.get("package"), shown, "package"):
        builder.entry()
        entry = mapping(entry, shown, "a [[package]] table")
        name, version = text_field(entry, "name"), text_field(entry, "version")
        if name is None or version is None:
            raise ManifestError(shown, "a [[package]] table has no name or version")
        source = mapping(entry.get("source"), shown, f"the source of {name}")
        if text_field(source, "type") not in (None, "legacy"):
            # git, directory, file and url sources are not on an index: no advisory names them.
            continue
        builder.add(PYPI, name, version, lines.get((name, version)))
    return builder.build()


def read_uv_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read uv.lock: every ``[[package]]`` whose source is a registry."""
    text = read_text(path, shown, limits)
    document = load_toml(text, shown)
    lines = toml_package_lines(text)
    builder = ReadingBuilder(shown, "uv.lock", limits.max_entries)
    for entry in sequence(document.get("package"), shown, "package"):
        builder.entry()
        entry = mapping(entry, shown, "a [[package]] table")
        name = text_field(entry, "name")
        if name is None:
            raise ManifestError(shown, "a [[package]] table has no name")
        source = mapping(entry.get("source"), shown, f"the source of {name}")
        version = text_field(entry, "version")
        if "registry" not in source or version is None:
            # The project itself (editable, virtual), paths and git checkouts.
            continue
        builder.add(PYPI, name, version, lines.get((name, version)))
    return builder.build()


def read_pipfile_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read Pipfile.lock: the ``default`` and ``develop`` sections."""
    text = read_text(path, shown, limits)
    document = load_json(text, shown)
    lines = JsonKeyLines(text)
    builder = ReadingBuilder(shown, "Pipfile.lock", limits.max_entries)
    for key in document:
        # Skip _meta's keys in the queue of lines: the walk follows the document's order.
        if key == "_meta":
            _skip_object_keys(document[key], lines)
            continue
        section = mapping(document[key], shown, f"section {key!r}")
        for name, entry in section.items():
            builder.entry()
            line = lines.take(name)
            entry = mapping(entry, shown, f"{key}.{name}")
            version = text_field(entry, "version")
            pinned = _PINNED.match(version or "")
            if pinned:
                builder.add(PYPI, name, pinned.group(1), line)
            else:
                builder.add_unresolved(PYPI, name, version or "", "not from a package index", line)
    return builder.build()


def _skip_object_keys(value: object, lines: JsonKeyLines) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, dict):
                lines.take(key)
                _skip_object_keys(inner, lines)
