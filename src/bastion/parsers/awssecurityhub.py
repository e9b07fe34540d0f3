"""AWS Security Finding Format (ASFF): AWS Security Hub exports and the tools that write ASFF.

Variants, told apart by where the findings stand:

* ``aws securityhub get-findings`` output: an object whose ``Findings`` array holds
  them (pages of ``NextToken`` already joined by the CLI);
* the console's and EventBridge's lower-case ``findings`` array, also under
  ``detail`` in an EventBridge event (``{"detail": {"findings": [...]}}``);
* a top-level array of ASFF findings (Prowler ``-M json-asff``, ``jq .Findings``).

Every finding of the document is a finding here, as DefectDojo reads them:
Security Hub controls (Config rules), Inspector vulnerabilities, GuardDuty,
Macie... Their state is kept as tags, never dropped: ``compliance:passed``,
``workflow:resolved``, ``record:archived`` (a control that passed, a finding
someone resolved or that AWS archived). Findings are streamed one at a time.

Severity: ``Severity.Label`` (``CRITICAL``... ``INFORMATIONAL``), else, in
reports older than the label, ``Severity.Normalized`` as AWS maps it (90 and up
critical, 70 high, 40 medium, 1 low, 0 info).

An Inspector finding's ``Vulnerabilities`` give its advisory ids (``Id`` and
``RelatedVulnerabilities``), CVSS v3 vector, packages and fixed versions; its
title names the image (``CVE-... - openssl - Image: repo/sha256:...``) or resource,
as DefectDojo's does.

Fingerprint: the product (``aws/securityhub``, ``aws/inspector``...), the
generator (control or rule), the account, the resources' ids (sorted), and the
advisory ids — not the finding's ``Id``, which Security Hub renews when a control
fails again after it was archived, nor dates or counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

TOOL = "awssecurityhub"
# Where an object document keeps its findings: the CLI's, the console's and EventBridge's.
FINDINGS_ARRAYS = ("Findings.item", "findings.item", "detail.findings.item")
# Every ASFF finding states this schema version (the only one AWS has published).
SCHEMA_VERSION = '"2018-10-08"'


class AwsSecurityHubParser(ReportParser):
    """ASFF findings: Security Hub exports, EventBridge events, ASFF arrays."""

    name = "awssecurityhub"
    label = "AWS Security Hub (ASFF) JSON"
    defectdojo_scan_types = ("AWS Security Hub Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        if '"SchemaVersion"' in text and SCHEMA_VERSION in text and '"ProductArn"' in text:
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"[":
            for position, item in readers.iter_json(source, "item", required=True):
                yield _finding(readers.expect_mapping(item, position), position)
            return
        reader = readers.JsonReader(
            source,
            FINDINGS_ARRAYS,
            expect={prefix.removesuffix(".item"): "array" for prefix in FINDINGS_ARRAYS},
        )
        for record in reader:
            yield _finding(readers.expect_mapping(record.value, record.position), record.position)
        if not any(prefix.removesuffix(".item") in reader.seen for prefix in FINDINGS_ARRAYS):
            raise readers.not_a_report("Findings")


def _finding(finding: Mapping[str, Any], position: str) -> NormalizedFinding:
    resources = [
        readers.expect_mapping(resource, f"{position}.Resources[{index}]")
        for index, resource in enumerate(
            readers.expect_list(finding.get("Resources"), f"{position}.Resources")
        )
    ]
    resource_ids = sorted(
        str(resource.get("Id")) for resource in resources if values.text(resource.get("Id"))
    )
    vulnerabilities = [
        readers.as_mapping(item)
        for item in readers.expect_list(finding.get("Vulnerabilities"), f"{position}.Vulnerabilities")
    ]
    advisories = values.advisory_ids(
        [
            identifier
            for vulnerability in vulnerabilities
            for identifier in [vulnerability.get("Id"), *_list(vulnerability.get("RelatedVulnerabilities"))]
        ]
    )
    packages = [
        readers.as_mapping(package)
        for vulnerability in vulnerabilities
        for package in _list(vulnerability.get("VulnerablePackages"))
    ]
    package = packages[0] if packages else {}
    vector, score = _cvss(vulnerabilities)
    fields = readers.as_mapping(finding.get("ProductFields"))
    compliance = readers.as_mapping(finding.get("Compliance"))
    recommendation = readers.as_mapping(readers.as_mapping(finding.get("Remediation")).get("Recommendation"))
    product = _product(finding, fields)
    rule_id = (
        values.text(compliance.get("SecurityControlId"))
        or values.text(fields.get("ControlId"))
        or values.text(fields.get("RuleId"))
        or values.text(finding.get("GeneratorId"))
    )
    references = [
        recommendation.get("Url"),
        finding.get("SourceUrl"),
        *(readers.as_mapping(vulnerability.get("Vendor")).get("Url") for vulnerability in vulnerabilities),
        *(url for vulnerability in vulnerabilities for url in _list(vulnerability.get("ReferenceUrls"))),
    ]
    return NormalizedFinding(
        title=text.title(
            f"{finding.get('Title') or rule_id or 'Security Hub finding'}{_title_suffix(resources)}"
        ),
        severity=_severity(readers.as_mapping(finding.get("Severity"))),
        tool=TOOL,
        rule_id=text.clip(rule_id, 500) if rule_id else None,
        tool_finding_id=text.clip(finding.get("Id"), 500) if finding.get("Id") else None,
        description=text.clip(finding.get("Description")),
        advisory_ids=advisories,
        cvss_v3_vector=vector,
        cvss_v3_score=score,
        location=FindingLocation(
            package=values.text(package.get("Name")),
            package_version=_package_version(package),
            fixed_version=values.text(package.get("FixedInVersion")),
            file_path=values.text(package.get("FilePath")),
            component=resources[0].get("Id") if resources and values.text(resources[0].get("Id")) else None,
        ),
        evidence=text.clip(_evidence(resources, finding)),
        remediation=text.clip(_remediation(recommendation, packages)),
        references=tuple(dict.fromkeys(str(url).strip() for url in references if values.text(url))),
        tags=tuple(tag for tag in _tags(finding, compliance, product, fields) if tag),
        fingerprint=grouping.fingerprint(
            TOOL,
            product,
            finding.get("GeneratorId"),
            finding.get("AwsAccountId"),
            ",".join(resource_ids),
            ",".join(advisories),
        ),
    )


def _severity(severity: Mapping[str, Any]) -> Severity:
    label = values.text(severity.get("Label"))
    if label:
        return values.severity_from_word(label, default=Severity.INFO)
    normalized = values.as_int(severity.get("Normalized"))
    if normalized is None:
        return values.severity_from_word(severity.get("Original"), default=Severity.INFO)
    if normalized >= 90:
        return Severity.CRITICAL
    if normalized >= 70:
        return Severity.HIGH
    if normalized >= 40:
        return Severity.MEDIUM
    return Severity.LOW if normalized >= 1 else Severity.INFO


def _product(finding: Mapping[str, Any], fields: Mapping[str, Any]) -> str:
    """Return the product of ``arn:aws:securityhub:<region>::product/aws/inspector`` (no region)."""
    arn = str(finding.get("ProductArn") or "")
    _, marker, product = arn.partition(":product/")
    if marker:
        return product
    return str(finding.get("ProductName") or fields.get("aws/securityhub/ProductName") or "")


def _title_suffix(resources: list[Mapping[str, Any]]) -> str:
    """Name the resource in the title: an ECR image by repository and digest, else the id's last part."""
    if not resources:
        return ""
    resource = resources[0]
    identifier = str(resource.get("Id") or "")
    if resource.get("Type") == "AwsEcrContainerImage" and "/" in identifier:
        return f" - Image: {identifier.split('/', 1)[1]}"
    more = f" and {len(resources) - 1} more" if len(resources) > 1 else ""
    return f" - Resource: {identifier.split(':')[-1]}{more}" if identifier else ""


def _package_version(package: Mapping[str, Any]) -> str | None:
    """Return a package's full version: ``epoch:version-release`` as the distribution writes it."""
    version = values.text(package.get("Version"))
    if not version:
        return None
    release = values.text(package.get("Release"))
    epoch = values.text(package.get("Epoch"))
    full = f"{version}-{release}" if release else version
    return f"{epoch}:{full}" if epoch and epoch != "0" else full


def _cvss(vulnerabilities: list[Mapping[str, Any]]) -> tuple[str | None, float | None]:
    """Return the first valid CVSS v3 vector of the vulnerabilities and its score."""
    for vulnerability in vulnerabilities:
        for entry in _list(vulnerability.get("Cvss")):
            vector = values.text(readers.as_mapping(entry).get("BaseVector"))
            if vector and vector.startswith("CVSS:3"):
                cleaned, score = values.cvss3(vector)
                if cleaned:
                    return cleaned, score
    return None, None


def _evidence(resources: list[Mapping[str, Any]], finding: Mapping[str, Any]) -> str:
    lines = [
        " ".join(
            str(part) for part in (resource.get("Type"), resource.get("Id"), resource.get("Region")) if part
        )
        for resource in resources
    ]
    if finding.get("AwsAccountId"):
        lines.append(f"Account: {finding['AwsAccountId']}")
    return "\n".join(line for line in lines if line)


def _remediation(recommendation: Mapping[str, Any], packages: list[Mapping[str, Any]]) -> str:
    lines = [str(recommendation.get("Text") or "")]
    for package in packages:
        fixed = values.text(package.get("FixedInVersion"))
        if fixed and package.get("Name"):
            lines.append(f"Upgrade {package['Name']} to {fixed} or later.")
        if values.text(package.get("Remediation")):
            lines.append(str(package["Remediation"]))
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _tags(
    finding: Mapping[str, Any], compliance: Mapping[str, Any], product: str, fields: Mapping[str, Any]
) -> list[str]:
    workflow = readers.as_mapping(finding.get("Workflow")).get("Status") or finding.get("WorkflowState")
    name = finding.get("ProductName") or fields.get("aws/securityhub/ProductName") or product
    return [
        f"product:{name}" if name else "",
        f"compliance:{str(compliance['Status']).lower()}" if compliance.get("Status") else "",
        f"workflow:{str(workflow).lower()}" if workflow else "",
        f"record:{str(finding['RecordState']).lower()}" if finding.get("RecordState") else "",
    ]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


PARSER = AwsSecurityHubParser()
