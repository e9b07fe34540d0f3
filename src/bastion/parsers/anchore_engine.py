"""Anchore Engine and Anchore Enterprise image vulnerability reports (JSON).

Three layouts are read, one finding per vulnerability matched against one package:

* ``anchore-cli --json image vuln <image> all`` and the v1 API's
  ``/images/{digest}/vuln/{type}``: a ``vulnerabilities`` list of snake_case entries
  (``vuln``, ``package_name``, ``package_path``, ``feed_group``...); reports from 2.4
  add ``nvd_data``/``vendor_data`` scores and an ``extra`` object with the
  description and the CVSS vectors;
* Anchore Enterprise's v2 API (``/v2/images/{digest}/vuln/{type}``, which
  ``anchorectl image vulnerabilities <image> -o json`` prints): the same list with
  camelCase keys (``packageName``, ``packagePath``, ``feedGroup``, ``nvdData`` with
  ``cvssV3.baseScore``, ``vulnerabilityType``);
* the Enterprise UI's vulnerability report download: ``metadata`` naming the image,
  then ``securityEvaluation`` entries (``vulnerabilityId``, ``cves``, ``package``
  written as ``name-version``, ``packageType``, ``path``, ``fixAvailable``,
  ``link``, ``nvdCvssBaseScore``).

Severity: Anchore's words; ``Negligible`` and ``Unknown`` become info.

Fingerprint: the advisory id, the package name and type (lower-cased: the UI writes
``Java`` where the API writes ``java``) and the package path (for packages found
inside archives) — not the image digest, which changes with every build, nor the
package version. The UI's report names a package only as ``name-version``; its name
is that text without the version, cut at the last ``-`` followed by a digit, so the
same vulnerability keeps its fingerprint in the other layouts for most packages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "anchore_engine"
# Anchore writes the string "None" for absent values.
ABSENT = frozenset({"", "None", "none", "null", "N/A"})
# The same field under the v1 (snake_case) and v2 (camelCase) names.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "package_name": ("package_name", "packageName"),
    "package_version": ("package_version", "packageVersion"),
    "package_type": ("package_type", "packageType"),
    "package_path": ("package_path", "packagePath"),
    "package_cpe23": ("package_cpe23", "packageCpe23"),
    "package_cpe": ("package_cpe", "packageCpe"),
    "feed_group": ("feed_group", "feedGroup"),
    "nvd_data": ("nvd_data", "nvdData"),
    "vendor_data": ("vendor_data", "vendorData"),
    "cvss_v3": ("cvss_v3", "cvssV3"),
    "base_score": ("base_score", "baseScore"),
    "vector_string": ("vector_string", "vectorString"),
}
# "libgnutls30-3.5.8-5+deb9u4", "cups-libs-1:2.2.6-61.el8_10": the name ends before the version.
_NAME_VERSION = re.compile(r"^(?P<name>.+?)-(?P<version>(?:\d+:)?\d[^-]*(?:-[^-]+)?)$")
_UI_MARKER = re.compile(r'^\{\s*"metadata"\s*:|"securityEvaluation"\s*:')


class AnchoreEngineParser(ReportParser):
    """Anchore Engine's image vulnerability report."""

    name = "anchore_engine"
    label = "Anchore Engine vulnerabilities JSON"
    defectdojo_scan_types = ("Anchore Engine Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        has_image = '"imageDigest"' in text or '"image_digest"' in text
        if has_image and '"securityEvaluation"' in text and '"vulnerabilityId"' in text:
            return 90
        if has_image and '"securityEvaluation"' in text and '"metadata"' in text:
            return 80  # the UI's report of an image without vulnerabilities
        if '"vulnerabilities"' not in text or not has_image:
            return 0
        markers = ('"vulnerability_type"', '"feed_group"', '"vulnerabilityType"', '"feedGroup"')
        return 90 if any(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, 4096)
        if _UI_MARKER.search(readers.head_text(head)):
            for position, item in readers.iter_json(source, "securityEvaluation.item", required=True):
                yield _evaluation(readers.expect_mapping(item, position), position)
            return
        for position, item in readers.iter_json(source, "vulnerabilities.item", required=True):
            yield _vulnerability(_snake_case(readers.expect_mapping(item, position)), position)


def _snake_case(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a v2 (camelCase) entry under the v1 names, nested scores included."""
    if "packageName" not in entry and "nvdData" not in entry and "vendorData" not in entry:
        return entry
    renamed = dict(entry)
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in entry and name not in renamed:
                renamed[name] = entry[alias]
    for key in ("nvd_data", "vendor_data"):
        if isinstance(renamed.get(key), list):
            renamed[key] = [_scores(item) for item in renamed[key]]
    return renamed


def _scores(item: object) -> object:
    """Return a v2 ``nvdData``/``vendorData`` item with its CVSS v3 under the v1 names."""
    if not isinstance(item, dict):
        return item
    cvss = next((item[alias] for alias in ALIASES["cvss_v3"] if isinstance(item.get(alias), Mapping)), None)
    if cvss is None:
        return item
    renamed = {
        name: next((cvss[alias] for alias in ALIASES[name] if alias in cvss), None)
        for name in ("base_score", "vector_string")
    }
    return {**item, "cvss_v3": renamed}


def _evaluation(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Build the finding of one ``securityEvaluation`` entry of the Enterprise UI's report."""
    vulnerability_id = _value(entry, "vulnerabilityId")
    if vulnerability_id is None:
        raise MalformedReport("a vulnerability has no vulnerabilityId", position=position)
    written = _value(entry, "package") or ""
    split = _NAME_VERSION.match(written)
    package = split.group("name") if split else written or None
    version = split.group("version") if split else None
    package_type = (_value(entry, "packageType") or "").lower() or None
    path = _value(entry, "path")
    fix = _value(entry, "fixAvailable")
    link = _value(entry, "link")
    score = values.score(entry.get("nvdCvssBaseScore"))
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (vulnerability_id, package, version) if part)),
        severity=values.severity_from_word(entry.get("severity")),
        tool=TOOL,
        rule_id=vulnerability_id,
        description=text.clip(f"{vulnerability_id} affects {written or 'a package'}."),
        advisory_ids=values.advisory_ids([vulnerability_id, entry.get("cves")]),
        cvss_v3_score=score,
        location=FindingLocation(
            file_path=path if path not in ("pkgdb",) else None,
            package=package,
            package_version=version,
            fixed_version=fix,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fix}." if fix else "",
        references=(link,) if link else (),
        tags=tuple(filter(None, [package_type])),
        fingerprint=grouping.fingerprint(TOOL, vulnerability_id, package, package_type, path),
    )


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
    extra = extra if isinstance(extra, dict) else {}
    v3_vector, v3_score = _cvss3(extra, position)
    if v3_vector is None:
        v3_score = _nvd_score(entry, position)
    feed_group = _value(entry, "feed_group")
    references = [_value(entry, "url"), _value(extra, "link")]
    references.extend(
        str(reference.get("url")) if isinstance(reference, dict) else str(reference)
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
        fingerprint=grouping.fingerprint(
            TOOL, vuln, package, package_type and package_type.lower(), package_path
        ),
    )


def _ids(nvd_data: object, position: str) -> list[str]:
    return [
        str(item.get("id"))
        for item in readers.expect_list(nvd_data, f"{position}.nvd_data")
        if isinstance(item, dict) and item.get("id")
    ]


def _cvss3(extra: Mapping[str, Any], position: str) -> tuple[str | None, float | None]:
    """Return the CVSS v3 vector of ``extra``'s NVD data, then of its vendor data."""
    for key in ("nvd_data", "vendor_data"):
        for item in readers.expect_list(extra.get(key), f"{position}.extra.{key}"):
            cvss = item.get("cvss_v3") if isinstance(item, dict) else None
            if isinstance(cvss, dict) and cvss.get("vector_string"):
                vector, score = values.cvss3(str(cvss["vector_string"]))
                if vector is not None:
                    return vector, score
    return None, None


def _nvd_score(entry: Mapping[str, Any], position: str) -> float | None:
    """Return the CVSS v3 base score from ``nvd_data`` or ``vendor_data`` (-1 means none)."""
    for key in ("nvd_data", "vendor_data"):
        for item in readers.expect_list(entry.get(key), f"{position}.{key}"):
            cvss = item.get("cvss_v3") if isinstance(item, dict) else None
            score = values.score(cvss.get("base_score") if isinstance(cvss, dict) else None)
            if score is not None:
                return score
    return None


PARSER = AnchoreEngineParser()
