"""Sysdig Secure vulnerability reports: the UI's JSON report and the CSV exports.

Variants, told apart by the start of the report:

* JSON (the Vulnerabilities > Reports download): an object whose ``data`` array
  holds flat records (``vulnName``, ``vulnSeverity``, ``packageName``,
  ``imagePullString``, ``k8sClusterName``...);
* CSV, legacy Vulnerability Engine export: columns ``Vulnerability ID``,
  ``Severity``, ``Package name``, ``Package version``, ``Image``...;
* CSV, 2025 export: columns ``Vulnerability Name``, ``Vulnerability Severity``,
  ``Package Name``, ``Image Name``, ``Kubernetes Cluster Name``...

One finding per record or row: a vulnerability of one package in one image (and,
for runtime reports, one Kubernetes workload). The Sysdig CLI scanner's reports
(``result`` in JSON, ``CVE ID`` in CSV) are another format, not read.

Severity: Sysdig's words; ``Negligible`` and any other word (``Other``) become info.

Fingerprint: the vulnerability, the package's name and path, the image's repository
(without tag or digest, which change on every build) and the Kubernetes cluster,
namespace, workload and container when given — never the package version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.dockle import image_repository
from bastion.parsers.exceptions import MalformedReport

TOOL = "sysdig_reports"
DATA_PATTERN = re.compile(r'^\{\s*"data"\s*:\s*\[')
# Each field's columns: the legacy export's name, then the 2025 export's.
CSV_COLUMNS = {
    "vulnerability": ("vulnerability id", "vulnerability name"),
    "severity": ("severity", "vulnerability severity"),
    "package": ("package name",),
    "version": ("package version",),
    "type": ("package type",),
    "path": ("package path",),
    "image": ("image", "image name"),
    "os": ("os name",),
    "cvss_version": ("cvss version",),
    "cvss_score": ("cvss score",),
    "cvss_vector": ("cvss vector",),
    "link": ("vuln link",),
    "fix": ("fix version", "package suggested fix"),
    "exploit": ("public exploit",),
    "cluster": ("k8s cluster name", "kubernetes cluster name"),
    "namespace": ("k8s namespace name", "kubernetes namespace name"),
    "workload_type": ("k8s workload type", "kubernetes workload type"),
    "workload": ("k8s workload name", "kubernetes workload name"),
    "container": ("k8s container name", "kubernetes container name"),
    "in_use": ("in use", "package in use"),
    "registry": ("registry name",),
    "repository": ("registry image repository",),
}


class SysdigReportsParser(ReportParser):
    """Sysdig Secure's vulnerability report, JSON or CSV."""

    name = "sysdig_reports"
    label = "Sysdig vulnerability report"
    defectdojo_scan_types = ("Sysdig Vulnerability Report",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            if DATA_PATTERN.match(text) and '"vulnName"' in text and '"packageName"' in text:
                return 90
            return 0
        columns = readers.csv_header(text)
        if "cve id" in columns or "package name" not in columns:
            return 0
        legacy = {"vulnerability id", "severity", "package version"} <= columns
        current = {"vulnerability name", "vulnerability severity", "package version"} <= columns
        return 85 if legacy or current else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, 4096)
        if readers.head_text(head).startswith("{"):
            for position, item in readers.iter_json(source, "data.item", required=True):
                yield _json_record(readers.expect_mapping(item, position), position)
            return
        rows = readers.iter_csv_records(
            source,
            CSV_COLUMNS,
            required={"vulnerability": "Vulnerability ID", "severity": "Severity", "package": "Package name"},
        )
        for position, row in rows:
            yield _finding(row, position)


def _json_record(record: Mapping[str, Any], position: str) -> NormalizedFinding:
    fields = {key: values.text(record.get(key)) or "" for key in record}
    return _finding(
        {
            "vulnerability": fields.get("vulnName", ""),
            "severity": fields.get("vulnSeverity", ""),
            "package": fields.get("packageName", ""),
            "version": fields.get("packageVersion", ""),
            "type": fields.get("packageType", ""),
            "path": fields.get("packagePath", ""),
            "image": fields.get("imagePullString", ""),
            "os": fields.get("osName", ""),
            "cvss_version": fields.get("vulnCvssVersion", ""),
            "cvss_score": fields.get("vulnCvssScore", ""),
            "cvss_vector": fields.get("vulnCvssVector", ""),
            "link": fields.get("vulnLink", ""),
            "fix": fields.get("vulnFixVersion", "") or fields.get("packageSuggestedFix", ""),
            "exploit": fields.get("vulnExploitable", ""),
            "cluster": fields.get("k8sClusterName", ""),
            "namespace": fields.get("k8sNamespaceName", ""),
            "workload_type": fields.get("k8sWorkloadType", ""),
            "workload": fields.get("k8sWorkloadName", ""),
            "container": fields.get("k8sPodContainerName", ""),
            "in_use": "",
            "registry": "",
            "repository": "",
        },
        position,
    )


def _finding(row: Mapping[str, str], position: str) -> NormalizedFinding:
    identifier = row["vulnerability"]
    if not identifier:
        raise MalformedReport("a record has no vulnerability id", position=position)
    package = row["package"] or None
    image = row["image"] or None
    vector = row["cvss_vector"]
    v3_vector, v3_score = values.cvss3(vector) if vector.startswith("CVSS:3") else (None, None)
    v4_vector, v4_score = values.cvss4(vector) if vector.startswith("CVSS:4") else (None, None)
    if v3_score is None and v4_score is None and row["cvss_version"].startswith("3"):
        v3_score = values.score(row["cvss_score"])
    workload = "/".join(
        part for part in (row["cluster"], row["namespace"], row["workload"], row["container"]) if part
    )
    details = [
        f"Image: {image}" if image else "",
        f"OS: {row['os']}" if row["os"] else "",
        f"Package type: {row['type']}" if row["type"] else "",
        f"Kubernetes: {workload} ({row['workload_type']})" if workload and row["workload_type"] else "",
        f"Kubernetes: {workload}" if workload and not row["workload_type"] else "",
        f"CVSS {row['cvss_version']}: {row['cvss_score']} {vector}".strip() if row["cvss_score"] else "",
        f"Public exploit: {row['exploit']}" if row["exploit"] else "",
        f"Package in use: {row['in_use']}" if row["in_use"] else "",
    ]
    fixed = row["fix"] or None
    return NormalizedFinding(
        title=text.title(f"{identifier} - {package}" if package else identifier),
        severity=values.severity_from_word(row["severity"]),
        tool=TOOL,
        rule_id=identifier,
        description=text.clip("\n".join(filter(None, details))),
        advisory_ids=values.advisory_ids([identifier]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        location=FindingLocation(
            file_path=row["path"] or None,
            package=package,
            package_version=row["version"] or None,
            fixed_version=fixed,
            component=image,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed}." if fixed else "",
        references=tuple(filter(None, [row["link"]])),
        tags=tuple(
            filter(
                None,
                [
                    row["type"].lower(),
                    f"cluster:{row['cluster']}" if row["cluster"] else "",
                    f"namespace:{row['namespace']}" if row["namespace"] else "",
                ],
            )
        ),
        fingerprint=grouping.fingerprint(
            TOOL, identifier, package, row["path"], image_repository(image), workload
        ),
    )


PARSER = SysdigReportsParser()
