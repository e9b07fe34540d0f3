"""Aqua Security image scans, JSON.

Variants, told apart by the start of the report:

* scanner CLI / CI/CD (``scannercli scan --jsonfile``) and API v1 scan results: an
  object with ``image`` and a ``resources`` array, each resource (a package or a
  file) with its ``vulnerabilities`` and, when sensitive-data scanning is on, its
  ``sensitive_items``;
* Azure DevOps task: an array of ``{"image_name", "results": {...}}``, each
  ``results`` the CLI's report above;
* API v2 (``/api/v2/risks/vulnerabilities``): an object with ``count`` and a
  ``result`` array of flat records, each with its ``resource`` and image;
* legacy scan result (``/api/v1/scanner/registry/.../scan_result``): an object with
  ``image_name`` and a ``cves`` array of records naming their ``file``.

One finding per vulnerability of a resource (or record), and one per sensitive item
(info).

Severity: ``aqua_severity`` (Aqua's words; ``negligible`` is info) when given, else
the first score of ``aqua_score``, ``vendor_score``, ``nvd_score_v3`` and
``nvd_score``, rated as CVSS rates it; a legacy record's ``severity`` word, else its
``score``.

Fingerprint: the vulnerability, the resource's format, name and path (never its
version, which changes while the vulnerability stays open) and the image's
repository (registry and name, without tag or digest) where the report names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.dockle import image_repository
from bastion.parsers.exceptions import MalformedReport

TOOL = "aqua"
# Keys only Aqua writes in a vulnerability or a scan.
AQUA_MARKERS = ('"aqua_severity"', '"aqua_score"', '"heuristic_ref_id"', '"image_assurance_results"')
SECTIONS = ("resources", "result", "cves")
SCORE_KEYS = ("aqua_score", "vendor_score", "nvd_score_v3", "nvd_score")
VECTOR_KEYS = ("nvd_vectors_v3", "vendor_vectors_v3", "aqua_vectors")


class AquaParser(ReportParser):
    """Aqua's image scan JSON: CLI, Azure DevOps, API v1 and v2."""

    name = "aqua"
    label = "Aqua Security JSON"
    defectdojo_scan_types = ("Aqua Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        has_marker = any(marker in text for marker in AQUA_MARKERS)
        if ('"resources"' in text or '"result"' in text) and has_marker:
            return 90
        if '"resources"' in text and '"scan_started"' in text and '"cpe"' in text:
            return 85
        if (
            text.startswith("{")
            and '"cves"' in text
            and ('"cves_counts"' in text or '"score_version"' in text)
        ):
            return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"[":
            reader = readers.JsonReader(
                source,
                ["item.results.resources.item"],
                context=["item.image_name", "item.results.image", "item.results.registry"],
                expect={"item": "object", "item.results": "object"},
                required=[""],
            )
            for record in reader:
                image = record.context.get("results.image") or record.context.get("image_name")
                yield from _resource(
                    record.value, _image(image, record.context.get("results.registry")), record.position
                )
            return
        reader = readers.JsonReader(
            source,
            [f"{section}.item" for section in SECTIONS],
            context=["image", "image_name", "registry"],
            expect=dict.fromkeys(SECTIONS, "array"),
        )
        for record in reader:
            image = _image(
                record.context.get("image") or record.context.get("image_name"),
                record.context.get("registry"),
            )
            if record.prefix == "resources.item":
                yield from _resource(record.value, image, record.position)
            elif record.prefix == "result.item":
                entry = readers.expect_mapping(record.value, record.position)
                resource = readers.expect_mapping(entry.get("resource") or {}, f"{record.position}.resource")
                own = _image(entry.get("image_name"), entry.get("registry"))
                yield _vulnerability(entry, resource, own or image, record.position)
            else:
                yield _legacy(readers.expect_mapping(record.value, record.position), image, record.position)
        if not reader.seen & set(SECTIONS):
            raise readers.not_a_report("resources")


def _image(name: object, registry: object) -> str | None:
    """Return the image a report scanned, with its registry when the name lacks it."""
    image = values.text(name)
    place = values.text(registry)
    if image and place and not image.startswith(f"{place}/"):
        return f"{place}/{image}"
    return image


def _resource(value: Any, image: str | None, position: str) -> Iterator[NormalizedFinding]:
    node = readers.expect_mapping(value, position)
    resource = readers.expect_mapping(node.get("resource") or {}, f"{position}.resource")
    for index, entry in enumerate(
        readers.expect_list(node.get("vulnerabilities"), f"{position}.vulnerabilities")
    ):
        where = f"{position}.vulnerabilities[{index}]"
        yield _vulnerability(readers.expect_mapping(entry, where), resource, image, where)
    sensitive = readers.expect_list(resource.get("sensitive_items"), f"{position}.resource.sensitive_items")
    for item in sensitive:
        yield _sensitive(str(item), resource, image)


def _vulnerability(
    vulnerability: Mapping[str, Any], resource: Mapping[str, Any], image: str | None, position: str
) -> NormalizedFinding:
    name = values.text(vulnerability.get("name"))
    if not name:
        raise MalformedReport("a vulnerability has no name", position=position)
    package = values.text(resource.get("name"))
    version = values.text(resource.get("version"))
    path = values.text(resource.get("path"))
    kind = values.text(resource.get("format")) or values.text(resource.get("type"))
    fixed = values.text(vulnerability.get("fix_version"))
    vector = next(
        (
            str(vulnerability[key])
            for key in VECTOR_KEYS
            if str(vulnerability.get(key) or "").startswith("CVSS:3")
        ),
        None,
    )
    v3_vector, v3_score = values.cvss3(vector)
    cwe_info = vulnerability.get("cwe_info")
    # Aqua writes an empty object, not an empty array, for a vulnerability without CWEs.
    cwe_entries = (
        [cwe_info] if isinstance(cwe_info, dict) else readers.expect_list(cwe_info, f"{position}.cwe_info")
    )
    cwes = [entry.get("Id") if isinstance(entry, dict) else entry for entry in cwe_entries]
    solution = values.text(vulnerability.get("solution"))
    return NormalizedFinding(
        title=text.title(
            f"{name} - {package or path} ({version})" if version else f"{name} - {package or path}"
        ),
        severity=_severity(vulnerability),
        tool=TOOL,
        rule_id=name,
        description=text.clip(vulnerability.get("description")),
        advisory_ids=values.advisory_ids([name]),
        cwe_ids=values.cwe_ids(cwes),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=path, package=package, package_version=version, fixed_version=fixed, component=image
        ),
        remediation=text.clip(
            solution or (f"Upgrade {package or 'the package'} to {fixed}." if fixed else "")
        ),
        references=tuple(
            dict.fromkeys(
                filter(None, [values.text(vulnerability.get(key)) for key in ("nvd_url", "vendor_url")])
            )
        ),
        tags=tuple(filter(None, [kind, values.text(vulnerability.get("v_patch_status"))])),
        fingerprint=grouping.fingerprint(
            TOOL, "vulnerability", name, kind, package, path, image_repository(image)
        ),
    )


def _severity(vulnerability: Mapping[str, Any]) -> Severity:
    """Return Aqua's own severity, else the first score it gives, as CVSS rates it."""
    word = values.text(vulnerability.get("aqua_severity"))
    if word:
        return values.severity_from_word(
            word, Severity.CRITICAL if word.lower() not in ("none", "unknown") else Severity.INFO
        )
    score = next(
        (
            values.score(vulnerability[key])
            for key in SCORE_KEYS
            if values.score(vulnerability.get(key)) is not None
        ),
        None,
    )
    return values.severity_from_score(score)


def _sensitive(item: str, resource: Mapping[str, Any], image: str | None) -> NormalizedFinding:
    path = values.text(resource.get("path"))
    layer = values.text(resource.get("layer"))
    return NormalizedFinding(
        title=text.title(f"Sensitive data in {path or resource.get('name') or 'the image'}"),
        severity=Severity.INFO,
        tool=TOOL,
        rule_id="sensitive_data",
        description=text.clip(f"Aqua found sensitive data ({item}) in {path or 'a file of the image'}."),
        location=FindingLocation(file_path=path, component=image),
        evidence=text.clip(
            "\n".join(filter(None, [f"Sensitive item: {item}", f"Layer: {layer}" if layer else ""]))
        ),
        remediation="Remove the sensitive data from the image and rotate any secret it holds.",
        tags=("sensitive-data",),
        fingerprint=grouping.fingerprint(TOOL, "sensitive", item, path, image_repository(image)),
    )


def _legacy(record: Mapping[str, Any], image: str | None, position: str) -> NormalizedFinding:
    name = values.text(record.get("name"))
    if not name:
        raise MalformedReport("a CVE record has no name", position=position)
    file_path = values.text(record.get("file"))
    fixed = values.text(record.get("fix_version"))
    solution = values.text(record.get("solution"))
    word = values.text(record.get("severity")) or values.text(record.get("vendor_severity"))
    severity = (
        values.severity_from_word(word)
        if word
        else values.severity_from_score(values.score(record.get("score")))
    )
    return NormalizedFinding(
        title=text.title(f"{name}: {file_path}" if file_path else name),
        severity=severity,
        tool=TOOL,
        rule_id=name,
        description=text.clip(record.get("description")),
        advisory_ids=values.advisory_ids([name]),
        location=FindingLocation(file_path=file_path, fixed_version=fixed, component=image),
        remediation=text.clip(solution or (f"Upgrade to {fixed}." if fixed else "")),
        references=tuple(filter(None, [values.text(record.get("url"))])),
        tags=tuple(filter(None, [values.text(record.get("type"))])),
        fingerprint=grouping.fingerprint(
            TOOL, "vulnerability", name, None, None, file_path, image_repository(image)
        ),
    )


PARSER = AquaParser()
