"""What an import request asks for: the fields of an upload (or its query parameters), validated."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.assets.choices import AssetKind
from bastion.core.findings.choices import SEVERITY_CHOICES
from bastion.core.imports.exceptions import InvalidImportOptions
from bastion.parsers import all_parsers

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", ""})
SEVERITIES = frozenset(value for value, _ in SEVERITY_CHOICES)
MAX_TAGS = 50
MAX_TAG_LENGTH = 64


@dataclass(frozen=True)
class ImportOptions:
    """What the request asked for, validated.

    The asset is ``asset_id``, or ``asset_identifier`` and ``asset_kind`` in the organisation
    ``organization`` names (or the caller's only one); the engagement is ``engagement_id``,
    or ``engagement_name`` on that asset. ``may_create_missing`` creates an asset named by
    identifier, and an engagement named by name, when they do not exist yet.
    """

    asset_id: int | None = None
    asset_identifier: str = ""
    asset_kind: str = ""
    asset_name: str = ""
    organization: str = ""
    engagement_id: int | None = None
    engagement_name: str = ""
    may_create_missing: bool = True
    format_name: str = ""
    is_full: bool = False
    tags: tuple[str, ...] = ()
    minimum_severity: str = ""


def _flag(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidImportOptions(f"{name} must be true or false, not {value!r}")


def _integer(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise InvalidImportOptions(f"{name} must be an id (a whole number), not {value!r}")
    return int(value)


def options_from(
    fields: dict[str, str], *, engagement_name: str = "", may_create_missing: bool = True
) -> ImportOptions:
    """Validate the form fields (or query parameters) of an import request."""
    format_name = fields.get("format", "").strip()
    if format_name and format_name not in all_parsers():
        raise InvalidImportOptions(f"unknown format {format_name!r}; GET /scanner/v1/formats lists them")
    minimum = fields.get("minimum_severity", "").strip().lower()
    if minimum and minimum not in SEVERITIES:
        raise InvalidImportOptions(f"minimum_severity must be one of {', '.join(sorted(SEVERITIES))}")
    kind = fields.get("asset_kind", "").strip()
    if kind and kind not in AssetKind.values:
        raise InvalidImportOptions(f"asset_kind must be one of {', '.join(AssetKind.values)}")
    tags = tuple(dict.fromkeys(tag.strip() for tag in fields.get("tags", "").split(",") if tag.strip()))
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags) or len(tags) > MAX_TAGS:
        raise InvalidImportOptions(f"tags: at most {MAX_TAGS}, each at most {MAX_TAG_LENGTH} characters")
    return ImportOptions(
        asset_id=_integer(fields.get("asset", ""), "asset"),
        asset_identifier=fields.get("asset_identifier", "").strip()[:500],
        asset_kind=kind,
        asset_name=fields.get("asset_name", "").strip()[:200],
        organization=fields.get("organization", "").strip(),
        engagement_id=_integer(fields.get("engagement", ""), "engagement"),
        engagement_name=engagement_name.strip()[:200],
        may_create_missing=may_create_missing,
        format_name=format_name,
        is_full=_flag(fields.get("full", ""), "full"),
        tags=tags,
        minimum_severity=minimum,
    )
