"""Trivy Operator custom resources, as ``kubectl get ... -o json`` prints them.

The report may be one resource, a ``List`` (``items``), a bare array of resources,
or an object of arrays keyed by resource type
(``{"vulnerabilityreports.aquasecurity.github.io": [...], ...}``). Kinds read:

* ``VulnerabilityReport`` (and ``ClusterVulnerabilityReport``): ``report.vulnerabilities``;
* ``ConfigAuditReport``, ``RbacAssessmentReport``, ``InfraAssessmentReport`` and their
  ``Cluster`` forms: ``report.checks`` that did not succeed;
* ``ExposedSecretReport``: ``report.secrets`` (``match`` is redacted by Trivy);
* ``ClusterComplianceReport`` (CIS and other benchmarks): the failed checks of each
  control in ``status.detailReport.results``; a summary-only report has none.
  Other kinds (SBOM reports) hold no findings.

Every shape is streamed in one pass, one vulnerability, check, secret or
compliance control at a time; each resource's kind, labels and artifact are read
where they stand, before its report's lists (``kubectl`` writes keys in sorted
order). The scanner's version comes after a report's checks, so it is read by a
second pass when needed (a stream that cannot seek is copied to a temporary file
first). The findings come in the order the report lists them.

Severity: Trivy's words; ``UNKNOWN`` becomes info; a compliance check with no
severity of its own takes its control's.

Fingerprint: the scanned workload (namespace, kind, name and container, from the
report's labels) with, by kind, the advisory id, package name and path; the check
id and its messages; the secret rule, file and redacted match; or the control id,
check id and target. Never scores, timestamps or report names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport
from bastion.parsers.trivy import cvss_by_source

TOOL = "trivy_operator"
GROUP = "aquasecurity.github.io"
# The resource types of the object-of-arrays form, in the order they are read.
RESOURCE_TYPES = (
    "vulnerabilityreports",
    "clustervulnerabilityreports",
    "configauditreports",
    "clusterconfigauditreports",
    "rbacassessmentreports",
    "clusterrbacassessmentreports",
    "infraassessmentreports",
    "clusterinfraassessmentreports",
    "exposedsecretreports",
    "clustercompliancereports",
)
CHECK_KINDS = frozenset(
    {
        "ConfigAuditReport",
        "ClusterConfigAuditReport",
        "RbacAssessmentReport",
        "ClusterRbacAssessmentReport",
        "InfraAssessmentReport",
        "ClusterInfraAssessmentReport",
    }
)
API_VERSION_PATTERN = re.compile(r'"apiVersion"\s*:\s*"aquasecurity\.github\.io/')
KIND_PATTERN = re.compile(
    r'"kind"\s*:\s*"(?:Cluster)?(?:Vulnerability|ConfigAudit|ExposedSecret|RbacAssessment|'
    r'InfraAssessment|Compliance|Sbom)Report"'
)
TYPE_KEY_PATTERN = re.compile(r'"([a-z]+)\.aquasecurity\.github\.io"\s*:')
ITEMS_PATTERN = re.compile(r'"items"\s*:\s*\[')
# What a resource holds, below the resource: its findings, the fields read before
# them, the ones that may come after them, and the shapes they must have.
RECORDS = (
    "report.vulnerabilities.item",
    "report.checks.item",
    "report.secrets.item",
    "status.detailReport.results.item",
)
HEADER = (
    "kind",
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "report.artifact",
    "report.registry",
    "status.detailReport.id",
)
LATE = ("report.scanner", "status.detailReport.title")
SHAPE: Mapping[str, Literal["object", "array"]] = {
    "report": "object",
    "report.vulnerabilities": "array",
    "report.checks": "array",
    "report.secrets": "array",
    "status.detailReport.results": "array",
}


class TrivyOperatorParser(ReportParser):
    """Trivy Operator's reports, read from the Kubernetes API as JSON."""

    name = "trivy_operator"
    label = "Trivy Operator JSON"
    defectdojo_scan_types = ("Trivy Operator Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        if TYPE_KEY_PATTERN.search(text):
            return 95
        if API_VERSION_PATTERN.search(text) and KIND_PATTERN.search(text):
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        text = readers.head_text(head)
        if text.startswith("["):
            bases = ["item"]
        elif TYPE_KEY_PATTERN.search(text):
            bases = [f"{resource_type}.{GROUP}.item" for resource_type in RESOURCE_TYPES]
        elif ITEMS_PATTERN.search(text):
            bases = ["items.item"]
        else:
            bases = [""]
        with readers.seekable(source) as seekable:
            reader = readers.JsonReader(
                seekable,
                [f"{base}{'.' if base else ''}{part}" for base in bases for part in RECORDS],
                context=[f"{base}{'.' if base else ''}{part}" for base in bases for part in HEADER],
                late=[f"{base}{'.' if base else ''}{part}" for base in bases for part in LATE],
                expect={
                    **dict.fromkeys(bases, "object"),
                    **{
                        f"{base}{'.' if base else ''}{part}": shape
                        for base in bases
                        for part, shape in SHAPE.items()
                    },
                },
            )
            for record in reader:
                yield from _record(record)
            for base in bases:  # every resource names its kind
                if base in reader.seen and f"{base}{'.' if base else ''}kind" not in reader.seen:
                    raise readers.not_a_report("kind")


def _record(record: readers.JsonRecord) -> Iterator[NormalizedFinding]:
    """Turn one vulnerability, check, secret or compliance control into findings."""
    header = record.context
    kind = str(header.get("kind") or "")
    part = record.prefix.rsplit(".", 2)[-2]  # vulnerabilities, checks, secrets or results
    scanner = readers.as_mapping(header.get("report.scanner"))
    version = values.text(scanner.get("version"))
    workload = _workload(header)
    item = readers.expect_mapping(record.value, record.position)
    if part == "vulnerabilities" and kind in ("VulnerabilityReport", "ClusterVulnerabilityReport"):
        yield _vulnerability(item, workload, _image(header), version, record.position)
    elif part == "checks" and kind in CHECK_KINDS:
        if item.get("success") is not True:
            yield _check(item, workload, version, record.position)
    elif part == "secrets" and kind == "ExposedSecretReport":
        yield _secret(item, workload, _image(header), version, record.position)
    elif part == "results" and kind == "ClusterComplianceReport":
        benchmark = str(header.get("status.detailReport.id") or header.get("status.detailReport.title") or "")
        yield from _compliance(item, benchmark, record.position)


def _workload(header: Mapping[str, Any]) -> str:
    """Return ``namespace/Kind/name[/container]`` of the resource the report is about."""
    labels = readers.as_mapping(header.get("metadata.labels"))
    parts = [
        labels.get("trivy-operator.resource.namespace") or header.get("metadata.namespace"),
        labels.get("trivy-operator.resource.kind"),
        labels.get("trivy-operator.resource.name") or header.get("metadata.name"),
        labels.get("trivy-operator.container.name"),
    ]
    return "/".join(str(part) for part in parts if part)


def _image(header: Mapping[str, Any]) -> str | None:
    artifact = header.get("report.artifact")
    registry = header.get("report.registry")
    if not isinstance(artifact, dict) or not artifact.get("repository"):
        return None
    server = registry.get("server") if isinstance(registry, dict) else None
    image = f"{server}/{artifact['repository']}" if server else str(artifact["repository"])
    if artifact.get("tag"):
        image += f":{artifact['tag']}"
    elif artifact.get("digest"):
        image += f"@{artifact['digest']}"
    return image


def _vulnerability(
    vulnerability: Mapping[str, Any],
    workload: str,
    image: str | None,
    version: str | None,
    position: str,
) -> NormalizedFinding:
    vulnerability_id = str(vulnerability.get("vulnerabilityID") or "")
    if not vulnerability_id:
        raise MalformedReport("a vulnerability has no vulnerabilityID", position=position)
    package = str(vulnerability.get("resource") or "") or None
    installed = str(vulnerability.get("installedVersion") or "") or None
    fixed = str(vulnerability.get("fixedVersion") or "") or None
    package_path = str(vulnerability.get("pkgPath") or "") or None
    target = str(vulnerability.get("target") or "") or None
    links = readers.expect_list(vulnerability.get("links"), f"{position}.links")
    v3_vector, v3_score, v4_vector, v4_score = cvss_by_source(
        vulnerability.get("cvss"), vulnerability.get("cvsssource")
    )
    heading = str(vulnerability.get("title") or "")
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (vulnerability_id, package, installed) if part)),
        severity=values.severity_from_word(vulnerability.get("severity")),
        tool=TOOL,
        tool_version=version,
        rule_id=vulnerability_id,
        description=text.clip(
            "\n\n".join(part for part in (heading, str(vulnerability.get("description") or "")) if part)
        ),
        advisory_ids=values.advisory_ids([vulnerability_id]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        location=FindingLocation(
            file_path=package_path or target,
            package=package,
            package_version=installed,
            fixed_version=fixed,
            component=image or workload or None,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed}." if fixed else "",
        references=tuple(
            dict.fromkeys(str(link) for link in [vulnerability.get("primaryLink"), *links] if link)
        ),
        tags=tuple(filter(None, ["vulnerability", workload])),
        fingerprint=grouping.fingerprint(
            TOOL, "vulnerability", workload, vulnerability_id, package, package_path, target
        ),
    )


def _check(check: Mapping[str, Any], workload: str, version: str | None, position: str) -> NormalizedFinding:
    check_id = str(check.get("checkID") or check.get("ID") or "")
    if not check_id:
        raise MalformedReport("a check has no checkID", position=position)
    messages = [
        str(message) for message in readers.expect_list(check.get("messages"), f"{position}.messages")
    ]
    return NormalizedFinding(
        title=text.title(check.get("title") or check_id),
        severity=values.severity_from_word(check.get("severity")),
        tool=TOOL,
        tool_version=version,
        rule_id=check_id,
        description=text.clip(check.get("description")),
        location=FindingLocation(component=workload or None),
        evidence=text.clip("\n".join(messages)),
        remediation=text.clip(check.get("remediation")),
        tags=tuple(filter(None, ["misconfiguration", str(check.get("category") or "")])),
        fingerprint=grouping.fingerprint(TOOL, "check", workload, check_id, "\n".join(messages)),
    )


def _secret(
    secret: Mapping[str, Any], workload: str, image: str | None, version: str | None, position: str
) -> NormalizedFinding:
    rule_id = str(secret.get("ruleID") or "")
    if not rule_id:
        raise MalformedReport("a secret has no ruleID", position=position)
    target = str(secret.get("target") or "") or None
    match = str(secret.get("match") or "")
    category = str(secret.get("category") or "")
    return NormalizedFinding(
        title=text.title(f"Secret: {secret.get('title') or rule_id}"),
        severity=values.severity_from_word(secret.get("severity")),
        tool=TOOL,
        tool_version=version,
        rule_id=rule_id,
        description=text.clip(
            f"{category or 'A'} secret found in {target or 'the image'} of {image or workload}."
        ),
        location=FindingLocation(file_path=target, component=image or workload or None),
        evidence=text.clip(match),
        remediation="Remove the secret from the image, revoke it and issue a new one.",
        tags=tuple(filter(None, ["secret", category, workload])),
        fingerprint=grouping.fingerprint(TOOL, "secret", workload, target, rule_id, match),
    )


def _compliance(control: Mapping[str, Any], benchmark: str, where: str) -> Iterator[NormalizedFinding]:
    """Yield the failed checks of one control of a compliance report."""
    control_id = str(control.get("id") or "")
    control_name = str(control.get("name") or "")
    control_severity = values.severity_from_word(control.get("severity"))
    for number, item in enumerate(readers.expect_list(control.get("checks"), f"{where}.checks")):
        check = readers.expect_mapping(item, f"{where}.checks[{number}]")
        if check.get("success") is not False:
            continue
        yield _compliance_check(
            check, benchmark, control_id, control_name, control_severity, f"{where}.checks"
        )


def _compliance_check(
    check: Mapping[str, Any],
    benchmark: str,
    control_id: str,
    control_name: str,
    control_severity: Severity,
    position: str,
) -> NormalizedFinding:
    check_id = str(check.get("checkID") or "") or control_id
    target = str(check.get("target") or "") or None
    messages = [
        str(message) for message in readers.expect_list(check.get("messages"), f"{position}.messages")
    ]
    check_title = str(check.get("title") or "")
    heading = f"{control_id} {control_name}".strip()
    return NormalizedFinding(
        title=text.title(
            " ".join(part for part in (f"{heading}:" if check_title else heading, check_title) if part)
            + (f" ({target})" if target else "")
        ),
        severity=values.severity_from_word(check.get("severity"), default=control_severity),
        tool=TOOL,
        rule_id=check_id,
        description=text.clip(check.get("description") or control_name),
        location=FindingLocation(component=target),
        evidence=text.clip("\n".join(messages)),
        remediation=text.clip(check.get("remediation")),
        tags=tuple(filter(None, ["compliance", benchmark, f"control:{control_id}" if control_id else ""])),
        fingerprint=grouping.fingerprint(TOOL, "compliance", benchmark, control_id, check_id, target),
    )


PARSER = TrivyOperatorParser()
