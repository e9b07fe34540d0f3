"""Bounded reading of untrusted files: size limits, text decoding, JSON, TOML and YAML without bombs."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bastion.scanner.engines.dependencies.exceptions import ManifestError


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a tree and of each file a reader accepts."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_entries: int = 100_000
    max_yaml_depth: int = 64
    max_include_depth: int = 8
    max_tree_files: int = 200_000
    max_manifests: int = 2_000


DEFAULT_LIMITS = Limits()


def read_text(path: Path, shown: str, limits: Limits) -> str:
    """Return the file's text, refusing a file past the size limit or not UTF-8."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limits.max_file_bytes + 1)
    except OSError as error:
        raise ManifestError(shown, f"cannot be read ({error.strerror})") from error
    if len(data) > limits.max_file_bytes:
        raise ManifestError(shown, f"larger than {limits.max_file_bytes} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManifestError(shown, f"not UTF-8 text (byte {error.start})") from error


def load_json(text: str, shown: str) -> dict[str, Any]:
    """Parse a JSON object."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ManifestError(shown, f"not valid JSON ({error})") from error
    if not isinstance(document, dict):
        raise ManifestError(shown, "not a JSON object")
    return document


def load_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse a TOML document."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise ManifestError(shown, f"not valid TOML ({error})") from error


class _YamlRefused(Exception):
    """The YAML document uses an alias or nests too deep."""


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases (billion laughs) and deep nesting, and reads scalars as text.

    Lock files never need aliases, and every scalar is kept as a string so that a version such as
    ``1.10`` is not read as the number 1.1.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML's own class attribute)
    max_depth = 64
    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            raise _YamlRefused("uses YAML aliases, which lock files never need")
        self.depth += 1
        if self.depth > self.max_depth:
            raise _YamlRefused(f"nests deeper than {self.max_depth} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str, shown: str, limits: Limits) -> dict[str, Any]:
    """Parse one YAML mapping from text already bounded in size."""
    loader = _BoundedLoader(text)
    loader.max_depth = limits.max_yaml_depth
    try:
        document = loader.get_single_data()
    except _YamlRefused as error:
        raise ManifestError(shown, str(error)) from error
    except (yaml.YAMLError, RecursionError) as error:
        raise ManifestError(shown, f"not valid YAML ({error})") from error
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        raise ManifestError(shown, "not a YAML mapping")
    return document


def mapping(value: object, shown: str, what: str) -> dict[str, Any]:
    """Return the value if it is a mapping, else refuse the file naming the part that is wrong."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ManifestError(shown, f"{what} is not a mapping")
    return value


def sequence(value: object, shown: str, what: str) -> list[Any]:
    """Return the value if it is a list, else refuse the file naming the part that is wrong."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ManifestError(shown, f"{what} is not a list")
    return value


def text_field(entry: dict[str, Any], key: str) -> str | None:
    """Return a string field, or None when it is absent or not a string."""
    value = entry.get(key)
    return value if isinstance(value, str) and value else None
