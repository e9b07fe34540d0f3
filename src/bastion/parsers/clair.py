"""Clair JSON, as its two command-line clients write it.

Variants, told apart by the start of the document:

* clair-scanner (``clair-scanner --report``): an object with ``image``,
  ``unapproved`` and a ``vulnerabilities`` array of flat records
  (``featurename``, ``featureversion``, ``vulnerability``, ``namespace``,
  ``severity``, ``fixedby``, ``link``);
* klar (``FORMAT_OUTPUT=json klar <image>``): an object with ``LayerCount`` whose
  ``Vulnerabilities`` object holds one array per severity (``High``: [...]), each
  record in Clair v2's API shape (``Name``, ``FeatureName``, ``FeatureVersion``,
  ``FixedBy``, ``Link``, ``NamespaceName``, ``Metadata``).

One finding per record: a vulnerability of one feature (an OS package). Clair v4's
``clairctl report`` JSON (``package_vulnerabilities``) is another format, not read.

Severity: Clair's words; ``Negligible`` and ``Unknown`` become info, ``Defcon1``
critical. A klar record without its own severity takes its array's.

Fingerprint: the vulnerability id, the feature's name and its namespace (the
distribution release) — not the feature's version, which changes while the
vulnerability stays open, nor the image (clair-scanner's ``image``, the finding's
component), whose tag changes on every build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "clair"
KLAR_PATTERN = re.compile(r'^\{\s*"LayerCount"\s*:')
CLAIR_WORDS = {"defcon1": Severity.CRITICAL}


class ClairParser(ReportParser):
    """Clair's JSON report from clair-scanner or klar."""

    name = "clair"
    label = "Clair JSON"
    defectdojo_scan_types = ("Clair Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if KLAR_PATTERN.match(text) and '"Vulnerabilities"' in text:
            return 90
        if '"vulnerabilities"' in text and ('"featurename"' in text or '"unapproved"' in text):
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, 4096)
        if KLAR_PATTERN.match(readers.head_text(head)):
            reader = readers.JsonReader(
                source, ["Vulnerabilities.*"], expect={"Vulnerabilities": "object"}, required=()
            )
            for record in reader:
                group = str(record.key or "")
                for index, entry in enumerate(readers.expect_list(record.value, record.position)):
                    where = f"{record.position}[{index}]"
                    yield _klar(readers.expect_mapping(entry, where), group, where)
            if "Vulnerabilities" not in reader.seen:
                raise readers.not_a_report("Vulnerabilities")
            return
        reader = readers.JsonReader(
            source, ["vulnerabilities.item"], context=["image"], required=["vulnerabilities"]
        )
        for record in reader:
            image = values.text(record.context.get("image"))
            yield _scanner(readers.expect_mapping(record.value, record.position), image, record.position)


def _scanner(record: Mapping[str, Any], image: str | None, position: str) -> NormalizedFinding:
    """Build a finding from a clair-scanner record."""
    return _finding(
        image=image,
        vulnerability_id=record.get("vulnerability"),
        feature=record.get("featurename"),
        version=record.get("featureversion"),
        fixed=record.get("fixedby"),
        namespace=record.get("namespace"),
        severity=record.get("severity"),
        description=record.get("description"),
        link=record.get("link"),
        metadata=None,
        position=position,
    )


def _klar(record: Mapping[str, Any], group: str, position: str) -> NormalizedFinding:
    """Build a finding from a klar record (Clair v2's API shape)."""
    return _finding(
        image=None,
        vulnerability_id=record.get("Name"),
        feature=record.get("FeatureName"),
        version=record.get("FeatureVersion"),
        fixed=record.get("FixedBy"),
        namespace=record.get("NamespaceName"),
        severity=record.get("Severity") or group,
        description=record.get("Description"),
        link=record.get("Link"),
        metadata=readers.as_mapping(record.get("Metadata")),
        position=position,
    )


def _finding(
    *,
    image: str | None,
    vulnerability_id: object,
    feature: object,
    version: object,
    fixed: object,
    namespace: object,
    severity: object,
    description: object,
    link: object,
    metadata: Mapping[str, Any] | None,
    position: str,
) -> NormalizedFinding:
    identifier = values.text(vulnerability_id)
    if not identifier:
        raise MalformedReport("a vulnerability has no id", position=position)
    package = values.text(feature)
    installed = values.text(version)
    fixed_version = values.text(fixed)
    release = values.text(namespace)
    v3_vector, v3_score = _metadata_cvss(metadata or {})
    word = str(severity or "").strip().lower()
    return NormalizedFinding(
        title=text.title(f"{identifier} - ({package}, {installed})" if package else identifier),
        severity=CLAIR_WORDS.get(word) or values.severity_from_word(word),
        tool=TOOL,
        rule_id=identifier,
        description=text.clip(description),
        advisory_ids=values.advisory_ids([identifier]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            package=package,
            package_version=installed,
            fixed_version=fixed_version,
            component=image or release,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed_version}." if fixed_version else "",
        references=tuple(filter(None, [values.text(link)])),
        tags=tuple(filter(None, [f"namespace:{release}" if release else ""])),
        fingerprint=grouping.fingerprint(TOOL, identifier, package, release),
    )


def _metadata_cvss(metadata: Mapping[str, Any]) -> tuple[str | None, float | None]:
    """Return the CVSS v3 vector and score Clair's NVD metadata gives, if any."""
    nvd = readers.as_mapping(metadata.get("NVD"))
    cvss = readers.as_mapping(nvd.get("CVSSv3"))
    vector = values.text(cvss.get("Vectors"))
    if vector and not vector.startswith("CVSS:"):
        vector = f"CVSS:3.0/{vector}"
    return values.cvss3(vector)


PARSER = ClairParser()
