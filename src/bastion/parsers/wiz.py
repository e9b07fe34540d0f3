"""Wiz CSV exports: Issues, and Vulnerability Findings.

Variants, told apart by the header row:

* Issues (``Issues > Export to CSV``): ``Created At, Title, Severity, Status,
  Description, Resource Type, Resource external ID, ... Control ID, Resource Name,
  ... Issue ID, ... Remediation Recommendation, ... Wiz URL...`` — one row per issue,
  a control failing on one resource;
* Vulnerability Findings (``Vulnerability Findings > Export``): ``ID, WizURL, Name,
  CVSSSeverity, ..., VendorSeverity, ..., Remediation, LocationPath, DetailedName,
  Version, FixedVersion, ..., AssetID, AssetName...`` — one row per vulnerable
  package (``DetailedName``) on one asset.

Every row is a finding, resolved and ignored ones too (DefectDojo keeps them as
mitigated): the row's status is the tag ``status:<status>`` (``status:resolved``,
``status:ignored``). Rows are streamed one at a time.

Severity: an issue's ``Severity`` (``CRITICAL``... ``INFORMATIONAL``); a
vulnerability's ``VendorSeverity``, else ``CVSSSeverity``; a word Bastion does not
know is info.

Fingerprint: an issue's control (``Control ID``) and resource (``Resource
external ID``, else the resource's Wiz id); a vulnerability's asset, advisory
(``Name``), package and path — not the installed version, which changes as the
package is upgraded, nor the issue or finding id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "wiz"
ISSUE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "title": ("title",),
    "severity": ("severity",),
    "status": ("status",),
    "description": ("description",),
    "resource_type": ("resource type",),
    "resource_external_id": ("resource external id",),
    "resource_name": ("resource name",),
    "resource_region": ("resource region",),
    "resource_platform": ("resource platform",),
    "resource_vertex_id": ("resource vertex id",),
    "subscription": ("subscription name",),
    "subscription_id": ("subscription id",),
    "control_id": ("control id",),
    "issue_id": ("issue id",),
    "remediation": ("remediation recommendation",),
    "wiz_url": ("wiz url",),
    "cloud_url": ("cloud provider url",),
    "cluster": ("kubernetes cluster",),
    "namespace": ("kubernetes namespace",),
}
VULNERABILITY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "id": ("id",),
    "wiz_url": ("wizurl",),
    "name": ("name",),
    "cvss_severity": ("cvssseverity",),
    "vendor_severity": ("vendorseverity",),
    "has_exploit": ("hasexploit",),
    "has_kev": ("hascisakevexploit",),
    "status": ("findingstatus",),
    "remediation": ("remediation",),
    "location_path": ("locationpath",),
    "package": ("detailedname",),
    "version": ("version",),
    "fixed_version": ("fixedversion",),
    "detection": ("detectionmethod",),
    "link": ("link",),
    "asset_id": ("assetid",),
    "asset_name": ("assetname",),
    "asset_region": ("assetregion",),
    "provider_id": ("provideruniqueid",),
    "platform": ("cloudplatform",),
    "subscription": ("subscriptionname",),
    "ip_addresses": ("ipaddresses",),
}
ISSUE_MARKERS = frozenset({"title", "severity", "control id", "issue id"})
VULNERABILITY_MARKERS = frozenset({"wizurl", "name", "detailedname", "vendorseverity"})


class WizParser(ReportParser):
    """Wiz's Issues and Vulnerability Findings CSV exports."""

    name = "wiz"
    label = "Wiz CSV"
    defectdojo_scan_types = ("Wiz Scan",)

    def detect(self, head: bytes) -> int:
        columns = readers.csv_header(readers.head_text(head))
        if ISSUE_MARKERS <= columns and ("wiz url" in columns or "resource vertex id" in columns):
            return 90
        if VULNERABILITY_MARKERS <= columns:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        columns = readers.csv_header(readers.head_text(head))
        if {"title", "severity"} <= columns:
            rows = readers.iter_csv_records(
                source, ISSUE_COLUMNS, required={"title": "Title", "severity": "Severity"}
            )
            for position, row in rows:
                yield _issue(row, position)
            return
        rows = readers.iter_csv_records(
            source, VULNERABILITY_COLUMNS, required={"name": "Name", "package": "DetailedName"}
        )
        for position, row in rows:
            yield _vulnerability(row, position)


def _issue(row: Mapping[str, str], position: str) -> NormalizedFinding:
    if not row["title"]:
        raise MalformedReport("row has no Title", position=position)
    resource = row["resource_external_id"] or row["resource_vertex_id"] or row["resource_name"]
    facts = [
        ("Resource", row["resource_name"]),
        ("Resource type", row["resource_type"]),
        ("Resource id", row["resource_external_id"]),
        ("Region", row["resource_region"]),
        ("Platform", row["resource_platform"]),
        ("Subscription", row["subscription"] or row["subscription_id"]),
        ("Kubernetes cluster", row["cluster"]),
        ("Kubernetes namespace", row["namespace"]),
    ]
    description = [row["description"], "\n".join(f"{label}: {value}" for label, value in facts if value)]
    return NormalizedFinding(
        title=text.title(row["title"]),
        severity=values.severity_from_word(row["severity"], default=Severity.INFO),
        tool=TOOL,
        rule_id=row["control_id"] or None,
        tool_finding_id=row["issue_id"] or None,
        description=text.clip("\n\n".join(part for part in description if part)),
        location=FindingLocation(component=resource or None),
        remediation=text.clip(row["remediation"]),
        references=tuple(url for url in (row["wiz_url"], row["cloud_url"]) if url.startswith("https://")),
        tags=_tags(row["status"], row["resource_platform"] and f"platform:{row['resource_platform']}"),
        fingerprint=grouping.fingerprint(TOOL, "issue", row["control_id"] or row["title"], resource),
    )


def _vulnerability(row: Mapping[str, str], position: str) -> NormalizedFinding:
    if not row["name"]:
        raise MalformedReport("row has no Name (the vulnerability)", position=position)
    severity = row["vendor_severity"] or row["cvss_severity"]
    facts = [
        ("Asset", row["asset_name"]),
        ("Asset id", row["provider_id"] or row["asset_id"]),
        ("Region", row["asset_region"]),
        ("Cloud", row["platform"]),
        ("Subscription", row["subscription"]),
        ("IP addresses", row["ip_addresses"]),
        ("Detection method", row["detection"]),
        ("CVSS severity", row["cvss_severity"]),
    ]
    remediation = [row["remediation"]]
    if row["fixed_version"] and row["package"]:
        remediation.append(f"Upgrade {row['package']} to {row['fixed_version']} or later.")
    return NormalizedFinding(
        title=text.title(": ".join(part for part in (row["package"], row["name"]) if part)),
        severity=values.severity_from_word(severity, default=Severity.INFO),
        tool=TOOL,
        rule_id=row["name"],
        tool_finding_id=row["id"] or None,
        description=text.clip("\n".join(f"{label}: {value}" for label, value in facts if value)),
        advisory_ids=values.advisory_ids([row["name"]]),
        location=FindingLocation(
            file_path=row["location_path"] or None,
            package=row["package"] or None,
            package_version=row["version"] or None,
            fixed_version=row["fixed_version"] or None,
            component=row["asset_name"] or row["asset_id"] or None,
        ),
        remediation=text.clip("\n".join(part for part in remediation if part)),
        references=tuple(url for url in (row["link"], row["wiz_url"]) if url.startswith("https://")),
        tags=_tags(
            row["status"],
            "exploit" if row["has_exploit"].lower() == "true" else "",
            "cisa-kev" if row["has_kev"].lower() == "true" else "",
            row["platform"] and f"platform:{row['platform']}",
        ),
        fingerprint=grouping.fingerprint(
            TOOL,
            "vulnerability",
            row["asset_id"] or row["asset_name"],
            row["name"],
            row["package"],
            row["location_path"],
        ),
    )


def _tags(status: str, *others: str) -> tuple[str, ...]:
    status_tag = f"status:{status.lower().replace(' ', '_')}" if status else ""
    return tuple(tag for tag in (status_tag, *others) if tag)


PARSER = WizParser()
