"""Veracode: the detailed XML report and the Findings REST API's JSON.

Two variants are read, told apart by their content:

- the detailed XML report (``<detailedreport>``, report format 1.x, from the
  platform's "Download XML" or ``DetailedReport.do``): static flaws (``flaw`` in
  ``staticflaws``: source file, line, module, function), dynamic flaws (``flaw``
  in ``dynamicflaws``: URL and parameter), both under their ``category`` and
  ``cwe``, and software composition results (``component`` in
  ``vulnerable_components`` with its ``vulnerability`` elements). A flaw listed
  twice (under two CWEs) is a finding once;
- the Findings API v2 JSON (``findings``, or the raw answer's
  ``_embedded.findings``): ``scan_type`` STATIC, DYNAMIC or SCA with
  ``finding_details``; closed findings are skipped, as DefectDojo does.

Both are streamed; the XML category's recommendations, written before its flaws,
become their remediation. One XML record is not streamed below itself: a vulnerable
``component``, whose findings need the library, version and ids written on its
start tag, while the shared XML reader gives an element (and so its attributes)
only at its end, after its ``vulnerability`` children. Each component is read
whole, so memory follows the largest component (one library's CVEs, a few hundred
at most in real reports), never the report. The flaws already seen are
remembered by issue id, to skip a flaw listed again: one short string a flaw.

Severity: Veracode's 0-5 scale, 5 (Very High) critical, 4 high, 3 medium, 2 low,
1 (Very Low) and 0 info. Mitigated, fixed or policy-violating flaws keep that as
tags (``mitigation:accepted``, ``remediation:fixed``, ``policy-violation``).

Fingerprint: a flaw's issue id (the "Flaw ID" Veracode keeps for a flaw of an
application from scan to scan, the same in XML and JSON); a vulnerable component
by its component id (else library and version) and CVE.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "veracode"
_SEVERITIES = {
    "5": Severity.CRITICAL,
    "4": Severity.HIGH,
    "3": Severity.MEDIUM,
    "2": Severity.LOW,
    "1": Severity.INFO,
    "0": Severity.INFO,
}


class VeracodeParser(ReportParser):
    """Veracode's detailed XML report and its Findings API JSON."""

    name = "veracode"
    label = "Veracode XML / Findings API JSON"
    defectdojo_scan_types = ("Veracode Scan",)

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        if content.startswith("<"):
            return 100 if "<detailedreport" in content and "veracode" in content.lower() else 0
        if content.startswith("{") and '"finding_details"' in content and '"scan_type"' in content:
            return 90
        if (
            content.startswith("{")
            and '"_embedded"' in content
            and '"findings"' in content
            and '"issue_id"' in content
        ):
            return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if first == b"{":
            yield from _json_findings(stream)
        else:
            yield from _xml_report(stream)


def _severity(value: object) -> Severity:
    return _SEVERITIES.get(str(value).strip(), Severity.INFO) if value is not None else Severity.INFO


def _xml_report(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    recommendation = ""
    seen: set[str] = set()
    tags = ("recommendations", "flaw", "component")
    index = 0
    for element in readers.iter_xml(stream, tags, roots=("detailedreport",)):
        tag = readers.local_name(element.tag)
        if tag == "recommendations":
            recommendation = _recommendation(element)
        elif tag == "component":
            yield from _components(element)
        else:
            position = f"flaw[{index}]"
            index += 1
            issue_id = element.get("issueid")
            if not issue_id:
                raise MalformedReport("the flaw has no issueid", position=position)
            if issue_id in seen:
                continue
            seen.add(issue_id)
            yield _flaw(element, issue_id, recommendation)


def _recommendation(element: Element) -> str:
    lines: list[str] = []
    for para in readers.children(element, "para"):
        lines.append(para.get("text") or "")
        lines.extend(f"- {item.get('text') or ''}" for item in readers.children(para, "bulletitem"))
    return "\n".join(line for line in lines if line.strip())


def _flaw(flaw: Element, issue_id: str, recommendation: str) -> NormalizedFinding:
    description = (flaw.get("description") or "").strip()
    narrative, _, references = description.partition("References:")
    url = flaw.get("url") or None
    is_dynamic = url is not None
    source_file = flaw.get("sourcefile") or ""
    directory = flaw.get("sourcefilepath") or ""
    if directory and not directory.endswith("/"):
        directory += "/"
    path = f"{directory}{source_file}" if source_file else None
    line = values.line_number(flaw.get("line"))
    tags = ["dast" if is_dynamic else "sast"]
    for name, attribute in (("mitigation", "mitigation_status"), ("remediation", "remediation_status")):
        if (value := (flaw.get(attribute) or "").strip().lower()) and value not in {"none", "open", "new"}:
            tags.append(f"{name}:{value.replace(' ', '-')}")
    if (flaw.get("affects_policy_compliance") or "").lower() == "true":
        tags.append("policy-violation")
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Module", flaw.get("module")),
            ("Type", flaw.get("type")),
            ("Function", flaw.get("functionprototype")),
            ("Scope", flaw.get("scope")),
            ("CIA impact", (flaw.get("cia_impact") or "").upper()),
        )
        if value
    ]
    host = urlsplit(url).hostname if url else None
    return NormalizedFinding(
        title=text.title(flaw.get("categoryname") or f"CWE-{flaw.get('cweid')}"),
        severity=_severity(flaw.get("severity")),
        tool=TOOL,
        rule_id=flaw.get("cweid") and f"CWE-{flaw.get('cweid')}",
        tool_finding_id=issue_id,
        description=text.clip("\n\n".join(part for part in (narrative.strip(), "\n".join(details)) if part)),
        cwe_ids=values.cwe_ids([flaw.get("cweid")]),
        location=FindingLocation(
            file_path=None if is_dynamic else path,
            line_start=None if is_dynamic else line,
            line_end=None if is_dynamic else line,
            url=url,
            host=host,
            parameter=flaw.get("vuln_parameter") or None,
            component=flaw.get("module") or None,
        ),
        remediation=text.clip(recommendation),
        references=tuple(text.urls(references)),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, "flaw", issue_id),
    )


def _components(component: Element) -> Iterator[NormalizedFinding]:
    library = component.get("library") or component.get("file_name") or ""
    library_id = component.get("library_id") or ""
    if library_id.startswith("maven:"):
        # maven:group:artifact:version: name the artifact, as a CycloneDX SBOM would.
        parts = library_id.split(":")
        library = parts[2] if len(parts) > 2 and parts[2] else library
    version = component.get("version") or None
    identity = component.get("component_id") or f"{library}@{version}"
    paths = [
        path.get("value") or ""
        for path in readers.descendants(readers.child(component, "file_paths"), "file_path")
    ]
    for vulnerability in readers.descendants(component, "vulnerability"):
        cve = vulnerability.get("cve_id") or ""
        score = values.score(vulnerability.get("cvss_score"))
        tags = ["sca"]
        if (vulnerability.get("mitigation") or "").lower() == "true":
            tags.append("mitigation:accepted")
        yield NormalizedFinding(
            title=text.title(
                f"{cve} in {library}:{version}" if cve else f"Vulnerable component: {library}:{version}"
            ),
            severity=_severity(vulnerability.get("severity")),
            tool=TOOL,
            rule_id=cve or None,
            description=text.clip(vulnerability.get("cve_summary") or ""),
            advisory_ids=values.advisory_ids([cve]),
            cwe_ids=values.cwe_ids([vulnerability.get("cwe_id")]),
            cvss_v3_score=score,
            location=FindingLocation(
                file_path=paths[0] if paths else None,
                package=library or None,
                package_version=version,
                component=component.get("file_name") or None,
            ),
            tags=tuple(tags),
            fingerprint=grouping.fingerprint(TOOL, "sca", identity, cve),
        )


def _json_findings(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    reader = readers.JsonReader(
        stream,
        ["findings.item", "_embedded.findings.item"],
        expect={"": "object", "findings": "array", "_embedded": "object", "_embedded.findings": "array"},
    )
    for record in reader:
        finding = readers.expect_mapping(record.value, record.position)
        status = readers.as_mapping(finding.get("finding_status"))
        if str(status.get("status") or "").upper() == "CLOSED":
            continue
        built = _json_finding(finding, status, record.position)
        if built is not None:
            yield built
    if not {"findings", "_embedded.findings"} & reader.seen:
        raise readers.not_a_report("findings")


def _json_finding(
    finding: Mapping[str, Any], status: Mapping[str, Any], position: str
) -> NormalizedFinding | None:
    scan_type = str(finding.get("scan_type") or "").upper()
    details = readers.as_mapping(finding.get("finding_details"))
    issue_id = values.text(finding.get("issue_id"))
    cwe = readers.as_mapping(details.get("cwe"))
    category = values.text(readers.as_mapping(details.get("finding_category")).get("name"))
    tags = [scan_type.lower()] if scan_type else []
    if finding.get("violates_policy") is True:
        tags.append("policy-violation")
    for name, key in (("resolution", "resolution"), ("mitigation", "mitigation_review_status")):
        if (value := values.text(status.get(key))) and value.upper() not in {"NONE", "UNRESOLVED"}:
            tags.append(f"{name}:{value.lower().replace('_', '-')}")
    description = text.html_text(str(finding.get("description") or ""))
    common: dict[str, Any] = {
        "severity": _severity(details.get("severity")),
        "tool": TOOL,
        "tool_finding_id": issue_id,
        "cwe_ids": values.cwe_ids([cwe.get("id")]),
        "tags": tuple(tags),
    }
    if scan_type == "SCA":
        return _json_sca(details, description, common)
    if scan_type not in {"STATIC", "DYNAMIC", "MANUAL"}:
        return None
    if issue_id is None:
        raise MalformedReport("the finding has no issue_id", position=position)
    heading = category or values.text(cwe.get("name")) or f"{scan_type.title()} finding"
    line = values.line_number(details.get("file_line_number"))
    url = values.text(details.get("url"))
    if url is None and (host := values.text(details.get("hostname"))):
        url = f"https://{host}{values.text(details.get('path')) or ''}"
    return NormalizedFinding(
        title=text.title(heading),
        rule_id=f"CWE-{cwe.get('id')}" if cwe.get("id") else None,
        description=text.clip(description),
        location=FindingLocation(
            file_path=values.text(details.get("file_path")),
            line_start=line,
            line_end=line,
            url=url,
            host=values.text(details.get("hostname")),
            port=_port(details.get("port")),
            parameter=values.text(details.get("vulnerable_parameter")),
            component=values.text(details.get("module")),
        ),
        references=tuple(text.urls(str(finding.get("description") or ""))),
        fingerprint=grouping.fingerprint(TOOL, "flaw", issue_id),
        **common,
    )


def _json_sca(details: Mapping[str, Any], description: str, common: dict[str, Any]) -> NormalizedFinding:
    cve = readers.as_mapping(details.get("cve"))
    advisory = values.text(cve.get("name")) or ""
    version = values.text(details.get("version"))
    file_name = values.text(details.get("component_filename")) or ""
    package = file_name
    if version and version in package:
        package = package.replace(version, "").replace("-.", ".").replace("_.", ".").rstrip("-_")
    vector, score = values.cvss3(_cvss3_vector(readers.as_mapping(cve.get("cvss3")).get("vector")))
    paths = [
        path
        for entry in readers.expect_list(details.get("component_path"), "finding_details.component_path")
        if (path := values.text(readers.as_mapping(entry).get("path")))
    ]
    identity = values.text(details.get("component_id")) or f"{package}@{version}"
    return NormalizedFinding(
        title=text.title(
            f"{advisory} in {package}:{version}" if advisory else f"Vulnerable component: {file_name}"
        ),
        rule_id=advisory or None,
        description=text.clip(description),
        advisory_ids=values.advisory_ids([advisory]),
        cvss_v3_vector=vector,
        cvss_v3_score=score if score is not None else values.score(cve.get("cvss")),
        location=FindingLocation(
            file_path=paths[0] if paths else None,
            package=package or None,
            package_version=version,
            component=file_name or None,
        ),
        fingerprint=grouping.fingerprint(TOOL, "sca", identity, advisory),
        **common,
    )


def _cvss3_vector(vector: object) -> str | None:
    if not isinstance(vector, str) or not vector:
        return None
    return vector if vector.startswith("CVSS:") else f"CVSS:3.1/{vector}"


def _port(value: object) -> int | None:
    number = values.as_int(value)
    return number if number is not None and 0 <= number <= 65535 else None


PARSER = VeracodeParser()
