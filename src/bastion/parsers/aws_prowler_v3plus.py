"""Prowler v3 and later JSON (``prowler <provider> -M json`` in v3, ``-M json-ocsf`` from v4).

Variants, told apart record by record (both are a top-level array of checks):

* Prowler v3 JSON: one object per check and resource, with ``CheckID``,
  ``Status``, ``StatusExtended``, ``Severity``, ``ResourceArn``, ``FindingUniqueId``,
  ``Remediation.Recommendation``...;
* Prowler v4 and v5 OCSF JSON: one OCSF Detection Finding per check and resource,
  with ``metadata.event_code`` (the check), ``status_code``, ``status_detail``,
  ``finding_info``, ``resources``, ``cloud``, ``remediation``, ``unmapped``; v4.5
  renamed ``event_time`` to ``time_dt`` (neither is read).

Prowler's ASFF output (``-M json-asff``) is AWS Security Hub's format, read by the
``awssecurityhub`` parser. Checks are streamed one at a time.

Only failed checks are findings: ``Status``/``status_code`` ``FAIL``; passed,
manual and informational results are not, nor are muted ones (OCSF ``status``
``Suppressed``, v3 ``Muted: true``), which their owner accepted in Prowler.

Severity: Prowler's word (``critical``... ``informational``). Title: the
result's own sentence (``StatusExtended``/``status_detail``, naming the resource),
else the check's title. Every finding carries CWE-1032 (security configuration
weaknesses), as DefectDojo gives Prowler findings.

Fingerprint: provider, account, region, check id and resource (its ARN or uid,
else its name) — the parts of Prowler's own finding uid, read from fields so that
a v3 report and an OCSF report of the same scan deduplicate together; never the
status sentence, which can carry counts and dates.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "aws_prowler_v3plus"
# CWE-1032, OWASP Top Ten 2017 A6 Security Misconfiguration: DefectDojo's CWE for every Prowler check.
SECURITY_MISCONFIGURATION = 1032


class AwsProwlerV3plusParser(ReportParser):
    """Prowler's v3 JSON and v4+ OCSF JSON reports."""

    name = "aws_prowler_v3plus"
    label = "Prowler v3+ JSON / OCSF"
    defectdojo_scan_types = ("AWS Prowler V3",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("["):
            return 0
        # OCSF is written by other tools too: the Prowler product or uid must be there.
        is_ocsf = '"finding_info"' in text and '"status_code"' in text
        if is_ocsf and ('"Prowler"' in text or '"prowler-' in text or '"product_uid": "prowler"' in text):
            return 100
        if '"FindingUniqueId"' in text and '"StatusExtended"' in text and '"CheckID"' in text:
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "item", required=True):
            check = readers.expect_mapping(item, position)
            if "status_code" in check or "finding_info" in check:
                finding = _ocsf_finding(check, position)
            elif "Status" in check or "FindingUniqueId" in check:
                finding = _v3_finding(check, position)
            else:
                raise MalformedReport(
                    "not a Prowler check: it has neither 'status_code' (OCSF) nor 'Status' (v3 JSON)",
                    position=position,
                )
            if finding is not None:
                yield finding


def _ocsf_finding(check: Mapping[str, Any], position: str) -> NormalizedFinding | None:
    """Build the finding of an OCSF Detection Finding, None when it did not fail or is muted."""
    if str(check.get("status_code") or "").upper() != "FAIL":
        return None
    if str(check.get("status") or "").lower() == "suppressed":
        return None
    metadata = readers.as_mapping(check.get("metadata"))
    info = readers.as_mapping(check.get("finding_info"))
    resources = readers.expect_list(check.get("resources"), f"{position}.resources")
    resource = readers.as_mapping(resources[0]) if resources else {}
    cloud = readers.as_mapping(check.get("cloud"))
    account = values.text(readers.as_mapping(cloud.get("account")).get("uid"))
    unmapped = readers.as_mapping(check.get("unmapped"))
    remediation = readers.as_mapping(check.get("remediation"))
    references = [
        *(str(url) for url in readers.expect_list(remediation.get("references"), f"{position}.remediation")),
        str(unmapped.get("related_url") or ""),
    ]
    return _finding(
        check_id=values.text(metadata.get("event_code")) or _check_from_uid(values.text(info.get("uid"))),
        check_title=values.text(info.get("title")),
        status=values.text(check.get("status_detail")),
        severity=check.get("severity"),
        description=values.text(info.get("desc")),
        risk=values.text(check.get("risk_details")),
        remediation=values.text(remediation.get("desc")),
        references=references,
        provider=values.text(cloud.get("provider")),
        account=account,
        region=values.text(resource.get("region")) or values.text(cloud.get("region")),
        resource_uid=values.text(resource.get("uid")),
        resource_name=values.text(resource.get("name")),
        service=values.text(readers.as_mapping(resource.get("group")).get("name")),
        resource_type=values.text(resource.get("type")),
        categories=unmapped.get("categories"),
        compliance=unmapped.get("compliance"),
        uid=values.text(info.get("uid")),
        version=values.text(readers.as_mapping(metadata.get("product")).get("version")),
    )


def _v3_finding(check: Mapping[str, Any], position: str) -> NormalizedFinding | None:
    """Build the finding of a Prowler v3 JSON check, None when it did not fail or is muted."""
    if str(check.get("Status") or "").upper() != "FAIL" or check.get("Muted") is True:
        return None
    remediation = readers.as_mapping(check.get("Remediation"))
    recommendation = readers.as_mapping(remediation.get("Recommendation"))
    code = readers.as_mapping(remediation.get("Code"))
    fixes = [str(recommendation.get("Text") or "")]
    fixes += [
        f"{kind}: {code[kind]}" for kind in ("CLI", "NativeIaC", "Terraform", "Other") if code.get(kind)
    ]
    check_id = values.text(check.get("CheckID")) or _check_from_uid(values.text(check.get("FindingUniqueId")))
    return _finding(
        check_id=check_id,
        check_title=values.text(check.get("CheckTitle")),
        status=values.text(check.get("StatusExtended")),
        severity=check.get("Severity"),
        description=values.text(check.get("Description")),
        risk=values.text(check.get("Risk")),
        remediation="\n".join(fix for fix in fixes if fix),
        references=[str(recommendation.get("Url") or ""), str(check.get("RelatedUrl") or "")],
        provider=values.text(check.get("Provider")),
        account=values.text(check.get("AccountId")),
        region=values.text(check.get("Region")),
        resource_uid=values.text(check.get("ResourceArn")),
        resource_name=values.text(check.get("ResourceId")),
        service=values.text(check.get("ServiceName")),
        resource_type=values.text(check.get("ResourceType")),
        categories=check.get("Categories"),
        compliance=check.get("Compliance"),
        uid=values.text(check.get("FindingUniqueId")),
        version=None,
    )


def _finding(
    *,
    check_id: str | None,
    check_title: str | None,
    status: str | None,
    severity: object,
    description: str | None,
    risk: str | None,
    remediation: str | None,
    references: list[str],
    provider: str | None,
    account: str | None,
    region: str | None,
    resource_uid: str | None,
    resource_name: str | None,
    service: str | None,
    resource_type: str | None,
    categories: object,
    compliance: object,
    uid: str | None,
    version: str | None,
) -> NormalizedFinding:
    component = resource_uid or "-".join(part or "" for part in (provider, account, region, resource_name))
    details = [
        description or "",
        f"Risk: {risk}" if risk else "",
        _facts(
            ("Account", account),
            ("Region", region),
            ("Service", service),
            ("Resource type", resource_type),
            ("Compliance", _compliance(compliance)),
        ),
    ]
    return NormalizedFinding(
        title=text.title(status or check_title, fallback=check_id or "Prowler check failed"),
        severity=values.severity_from_word(severity, default=Severity.INFO),
        tool=TOOL,
        tool_version=version,
        rule_id=check_id,
        tool_finding_id=text.clip(uid, 500) if uid else None,
        description=text.clip("\n\n".join(part for part in details if part)),
        cwe_ids=(SECURITY_MISCONFIGURATION,),
        location=FindingLocation(component=component or None),
        evidence=text.clip(status),
        remediation=text.clip(remediation),
        references=tuple(dict.fromkeys(url.strip() for url in references if url.strip())),
        tags=tuple(
            tag
            for tag in (
                f"provider:{provider}" if provider else "",
                f"service:{service}" if service else "",
                *(f"category:{category}" for category in _categories(categories)),
            )
            if tag
        ),
        fingerprint=grouping.fingerprint(
            TOOL, provider, account, region, check_id, resource_uid or resource_name
        ),
    )


def _check_from_uid(uid: str | None) -> str | None:
    """Return the check id of a uid ``prowler-<provider>-<check>-<account>-...`` (checks use ``_``)."""
    parts = (uid or "").split("-")
    return parts[2] if len(parts) > 3 and parts[0] == "prowler" else None


def _categories(value: object) -> list[str]:
    """Return Prowler's categories: a list (v3) or a comma-separated string (OCSF ``unmapped``)."""
    if isinstance(value, list):
        return [str(item).strip() for item in value if values.text(item)]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _compliance(value: object) -> str:
    """Return the frameworks and requirements a check maps to, one ``framework: ids`` per line."""
    if not isinstance(value, dict):
        return ""
    lines = []
    for framework, requirements in value.items():
        listed = requirements if isinstance(requirements, list) else [requirements]
        lines.append(f"{framework}: {', '.join(str(item) for item in listed)}")
    return "; ".join(lines)


def _facts(*pairs: tuple[str, str | None]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value)


PARSER = AwsProwlerV3plusParser()
