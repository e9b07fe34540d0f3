"""Anchore Engine image vulnerabilities JSON (``anchore-cli --json image vuln <image> all``,
or the API's ``/images/{digest}/vuln/{type}``).

One finding per entry of ``vulnerabilities``: an advisory (``vuln``) matched against
one package of the image. Reports from 2.4 add ``nvd_data``/``vendor_data`` scores and
an ``extra`` object with the description and the CVSS vectors.

Severity: Anchore's words; ``Negligible`` and ``Unknown`` become info.

Fingerprint: the advisory id, the package name and type and the package path (for
packages found inside archives) — not the image digest, which changes with every
build, nor the package version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "anchore_engine"
# Anchore writes the string "None" for absent values.
ABSENT = frozenset({"", "None", "none", "null"})


class AnchoreEngineParser(ReportParser):
    """Anchore Engine's image vulnerability report."""

    name = "anchore_engine"
    label = "Anchore Engine vulnerabilities JSON"
    defectdojo_scan_types = ("Anchore Engine Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"vulnerabilities"' not in text:
            return 0
        has_image = '"imageDigest"' in text or '"image_digest"' in text
        if has_image and ('"vulnerability_type"' in text or '"feed_group"' in text):
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "vulnerabilities.item", required=True):
            yield _vulnerability(readers.expect_mapping(item, position), position)


def _value(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    text = "" if value is None else str(value).strip()
    return None if text in ABSENT else text


def _vulnerability(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    vuln = _value(entry, "vuln")
    if vuln is None:
        raise MalformedReport("a vulnerability has no vuln id", position=position)
    package = _value(entry, "package_name")
    version = _value(entry, "package_version")
    package_type = _value(entry, "package_type")
    package_path = _value(entry, "package_path")
    fix = _value(entry, "fix")
    extra = entry.get("extra")
    extra = extra if isinstance(extra, Mapping) else {}
    v3_vector, v3_score = _cvss3(extra, position)
    if v3_vector is None:
        v3_score = _nvd_score(entry, position)
    feed_group = _value(entry, "feed_group")
    references = [_value(entry, "url"), _value(extra, "link")]
    references.extend(
        str(reference.get("url")) if isinstance(reference, Mapping) else str(reference)
        for reference in readers.expect_list(extra.get("references"), f"{position}.extra.references")
    )
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (vuln, package, version) if part)),
        severity=values.severity_from_word(entry.get("severity")),
        tool=TOOL,
        rule_id=vuln,
        description=text.clip(
            _value(extra, "description") or f"{vuln} affects {entry.get('package') or package}."
        ),
        advisory_ids=values.advisory_ids([vuln, *(_ids(entry.get("nvd_data"), position))]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=package_path if package_path not in ("pkgdb",) else None,
            package=package,
            package_version=version,
            fixed_version=fix,
            component=_value(entry, "package_cpe23") or _value(entry, "package_cpe"),
        ),
        remediation=f"Upgrade {package or 'the package'} to {fix}." if fix else "",
        references=tuple(dict.fromkeys(reference for reference in references if reference)),
        tags=tuple(filter(None, [package_type, feed_group and f"feed:{feed_group}"])),
        fingerprint=grouping.fingerprint(TOOL, vuln, package, package_type, package_path),
    )


def _ids(nvd_data: object, position: str) -> list[str]:
    return [
        str(item.get("id"))
        for item in readers.expect_list(nvd_data, f"{position}.nvd_data")
        if isinstance(item, Mapping) and item.get("id")
    ]


def _cvss3(extra: Mapping[str, Any], position: str) -> tuple[str | None, float | None]:
    """Return the CVSS v3 vector of ``extra``'s NVD data, then of its vendor data."""
    for key in ("nvd_data", "vendor_data"):
        for item in readers.expect_list(extra.get(key), f"{position}.extra.{key}"):
            cvss = item.get("cvss_v3") if isinstance(item, Mapping) else None
            if isinstance(cvss, Mapping) and cvss.get("vector_string"):
                vector, score = values.cvss3(str(cvss["vector_string"]))
                if vector is not None:
                    return vector, score
    return None, None


def _nvd_score(entry: Mapping[str, Any], position: str) -> float | None:
    """Return the CVSS v3 base score from ``nvd_data`` or ``vendor_data`` (-1 means none)."""
    for key in ("nvd_data", "vendor_data"):
        for item in readers.expect_list(entry.get(key), f"{position}.{key}"):
            cvss = item.get("cvss_v3") if isinstance(item, Mapping) else None
            score = values.score(cvss.get("base_score") if isinstance(cvss, Mapping) else None)
            if score is not None:
                return score
    return None


PARSER = AnchoreEngineParser()
