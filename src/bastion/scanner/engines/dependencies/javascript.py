"""npm: package-lock.json (lockfileVersion 1, 2, 3), yarn.lock (classic v1 and berry) and pnpm-lock.yaml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.engines.dependencies.limits import (
    Limits,
    load_json,
    load_yaml,
    mapping,
    read_text,
    text_field,
)
from bastion.scanner.engines.dependencies.model import Ecosystem, ManifestReading, ReadingBuilder
from bastion.scanner.engines.dependencies.positions import JsonKeyLines, first_lines

NPM = Ecosystem.NPM
_NODE_MODULES = "node_modules/"
# A registry version: semver, perhaps with a prerelease or build; anything else (a URL, a path) is not.
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]*)?$")


def read_package_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read package-lock.json or npm-shrinkwrap.json, from ``packages`` (v2, v3) or ``dependencies`` (v1)."""
    text = read_text(path, shown, limits)
    document = load_json(text, shown)
    version = document.get("lockfileVersion")
    if version not in (1, 2, 3):
        raise ManifestError(shown, f"lockfileVersion {version!r} is not 1, 2 or 3")
    lines = JsonKeyLines(text)
    builder = ReadingBuilder(shown, f"package-lock v{version}", limits.max_entries)
    if "packages" in document:
        _read_lock_packages(mapping(document["packages"], shown, "packages"), shown, lines, builder)
    else:
        _read_lock_dependencies(
            mapping(document.get("dependencies"), shown, "dependencies"), shown, lines, builder
        )
    return builder.build()


def _read_lock_packages(
    packages: dict[str, Any], shown: str, lines: JsonKeyLines, builder: ReadingBuilder
) -> None:
    for location, entry in packages.items():
        builder.entry()
        line = lines.take(location)
        entry = mapping(entry, shown, f"packages[{location!r}]")
        if _NODE_MODULES not in location or entry.get("link") is True:
            # The root project, workspaces and links to them are not from the registry.
            continue
        name = text_field(entry, "name") or location.rsplit(_NODE_MODULES, 1)[1]
        version = text_field(entry, "version")
        if version is not None and _VERSION.match(version):
            builder.add(NPM, name, version, line)


def _read_lock_dependencies(
    dependencies: dict[str, Any], shown: str, lines: JsonKeyLines, builder: ReadingBuilder, depth: int = 0
) -> None:
    if depth > 256:
        raise ManifestError(shown, "dependencies nest deeper than 256 levels")
    for name, entry in dependencies.items():
        builder.entry()
        line = lines.take(name)
        entry = mapping(entry, shown, f"dependencies[{name!r}]")
        version = text_field(entry, "version")
        if version is not None and _VERSION.match(version):
            builder.add(NPM, name, version, line)
        elif version is not None and version.startswith("npm:"):
            # An alias: "npm:real-name@1.2.3".
            real_name, _, real_version = version[4:].rpartition("@")
            if real_name and _VERSION.match(real_version):
                builder.add(NPM, real_name, real_version, line)
        nested = entry.get("dependencies")
        if nested is not None:
            _read_lock_dependencies(
                mapping(nested, shown, f"{name}.dependencies"), shown, lines, builder, depth + 1
            )


_YARN_HEADER = re.compile(r"^(\S.*):\s*$")
_YARN_VERSION = re.compile(r'^\s+version:?\s+"?([^"\s]+)"?\s*$')


def read_yarn_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read yarn.lock: classic (v1, its own format) or berry (v2 and later, YAML with ``__metadata``)."""
    text = read_text(path, shown, limits)
    if re.search(r"^__metadata:\s*$", text, re.MULTILINE):
        return _read_yarn_berry(text, shown, limits)
    return _read_yarn_classic(text, shown, limits)


def _read_yarn_classic(text: str, shown: str, limits: Limits) -> ManifestReading:
    builder = ReadingBuilder(shown, "yarn.lock v1", limits.max_entries)
    header: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            match = _YARN_HEADER.match(line)
            if not match:
                raise ManifestError(shown, f"line {number}: expected an entry such as 'name@range:'")
            header = (match.group(1), number)
            builder.entry()
            continue
        version = _YARN_VERSION.match(line)
        if version and header is not None and line.startswith("  ") and not line.startswith("   "):
            name = _yarn_classic_name(header[0], shown, header[1])
            if name is not None and _VERSION.match(version.group(1)):
                builder.add(NPM, name, version.group(1), header[1])
            header = None
    return builder.build()


def _yarn_classic_name(header: str, shown: str, number: int) -> str | None:
    """Return the registry package an entry resolves, or None for a git, file or URL dependency."""
    first = header.split(",", 1)[0].strip().strip('"')
    name, separator, specifier = first[1:].partition("@") if first.startswith("@") else first.partition("@")
    if first.startswith("@"):
        name = "@" + name
    if not separator or not name:
        raise ManifestError(shown, f"line {number}: {first!r} is not 'name@range'")
    if specifier.startswith("npm:"):
        # An alias: the advisory is about the package the alias resolves to.
        real = specifier[4:]
        real_name = "@" + real[1:].partition("@")[0] if real.startswith("@") else real.partition("@")[0]
        if real_name and real_name != "@":
            return real_name
    if ":" in specifier:
        # A range never holds a colon: "git+https://…", "file:…", "github:…" are not from the registry.
        return None
    return name


def _read_yarn_berry(text: str, shown: str, limits: Limits) -> ManifestReading:
    document = load_yaml(text, shown, limits)
    lines = first_lines(text, re.compile(r'^"?([^\s"][^"]*?)"?:\s*$'))
    builder = ReadingBuilder(shown, "yarn.lock berry", limits.max_entries)
    for key, entry in document.items():
        builder.entry()
        if key == "__metadata":
            continue
        entry = mapping(entry, shown, f"entry {key!r}")
        resolution = text_field(entry, "resolution")
        if resolution is None:
            raise ManifestError(shown, f"entry {key!r} has no resolution")
        name, version = _split_descriptor(resolution)
        if not version.startswith("npm:"):
            # workspace:, patch:, git, file: and link: resolutions are not registry packages.
            continue
        version = version[4:]
        if _VERSION.match(version):
            builder.add(NPM, name, version, lines.get(str(key)))
    return builder.build()


def _split_descriptor(descriptor: str) -> tuple[str, str]:
    """Split ``@scope/name@range`` or ``name@range`` at the ``@`` after the name."""
    at = descriptor.find("@", 1)
    if at == -1:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1 :]


def read_pnpm_lock(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read pnpm-lock.yaml's ``packages``: v5 ``/name/1.0.0``, v6 ``/name@1.0.0``, v9 ``name@1.0.0``."""
    text = read_text(path, shown, limits)
    document = load_yaml(text, shown, limits)
    raw_version = str(document.get("lockfileVersion", ""))
    try:
        major = int(raw_version.split(".", 1)[0])
    except ValueError:
        raise ManifestError(shown, f"lockfileVersion {raw_version!r} is not a number") from None
    if major < 5 or major > 9:
        raise ManifestError(shown, f"lockfileVersion {raw_version!r} is not one Bastion reads (5 to 9)")
    lines = first_lines(text, re.compile(r"""^  ['"]?([^\s'"][^'"]*?)['"]?:\s*$"""))
    builder = ReadingBuilder(shown, f"pnpm-lock v{major}", limits.max_entries)
    for key in mapping(document.get("packages"), shown, "packages"):
        builder.entry()
        parsed = _pnpm_key(str(key), major)
        if parsed is not None and _VERSION.match(parsed[1]):
            builder.add(NPM, parsed[0], parsed[1], lines.get(str(key)))
    return builder.build()


def _pnpm_key(key: str, major: int) -> tuple[str, str] | None:
    if major == 5:
        if not key.startswith("/"):
            return None
        parts = key[1:].split("/")
        size = 2 if key.startswith("/@") else 1
        if len(parts) != size + 1:
            return None
        return "/".join(parts[:size]), parts[size].split("_", 1)[0]
    if major < 9:
        if not key.startswith("/"):
            return None
        key = key[1:]
    # Peer-dependency suffixes: "(react@18.2.0)" since v6.
    key = key.split("(", 1)[0]
    name, version = _split_descriptor(key)
    return (name, version) if name and version else None
