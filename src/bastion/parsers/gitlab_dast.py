"""GitLab DAST report (``gl-dast-report.json``), schema 2.x to 15.x.

The shared shape, detection and refusals are in :mod:`bastion.parsers._gitlab`.
Variants read: the reports of the ZAP-based analyzer, which wrote ZAP's own JSON
(``@generated``, ``site``, ``spider``) beside ``vulnerabilities`` (ZAP's part is not
read: it holds the same alerts), schema 14 and before (``category``, ``message``,
``cve`` holding the ZAP plugin id) and schema 15 (without them; the browser-based
analyzer's check ids as primary identifiers). API fuzzing reports (``api_fuzzing``,
the same shape) are read too.

A finding is a vulnerability at one URL: ``location.hostname`` and ``path`` make
the URL, ``param`` the parameter; the request line, the response status and
GitLab's evidence summary are the evidence (GitLab masks credentials in the
headers, which are not kept). As in DefectDojo, each vulnerability is its own
finding: GitLab already gives one per URL and method.

Severity: GitLab's word; ``Unknown`` is info, tagged ``severity:unrated``.

Fingerprint: the primary identifier (ZAP plugin or check id), the vulnerability's
name, the URL, the method and the parameter — not GitLab's ``id``, a new UUID on
every scan, nor the evidence. A report that repeats a record repeats its
fingerprint: the repeat is dropped.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import _gitlab, grouping, readers, text, values

TOOL = "gitlab_dast"
KINDS = frozenset({"dast", "api_fuzzing"})


class GitlabDastParser(_gitlab.DistinctFindingsParser):
    """GitLab's DAST report (and API fuzzing)."""

    name = "gitlab_dast"
    label = "GitLab DAST report"
    defectdojo_scan_types = ("GitLab DAST Report",)

    kinds = KINDS

    def finding(self, vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
        return _finding(vulnerability)


def _finding(vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
    location = vulnerability.location
    origin = values.text(location.get("hostname")) or ""
    path = values.text(location.get("path")) or ""
    url = f"{origin}{path}" or None
    method = (values.text(location.get("method")) or "").upper()
    parameter = values.text(location.get("param"))
    name = (
        vulnerability.text("name")
        or vulnerability.text("message")
        or vulnerability.rule_name
        or vulnerability.text("description")
        or vulnerability.rule_id
    )
    return NormalizedFinding(
        title=text.title(name),
        severity=vulnerability.severity,
        tool=TOOL,
        tool_version=vulnerability.scanner_version,
        rule_id=text.clip(vulnerability.rule_id, 500) or None,
        tool_finding_id=text.clip(vulnerability.text("id"), 500) or None,
        description=text.clip(vulnerability.description()),
        cwe_ids=vulnerability.cwe_ids,
        advisory_ids=vulnerability.advisory_ids,
        location=FindingLocation(url=url, parameter=parameter, host=_host(origin or url)),
        evidence=text.clip(_evidence(vulnerability, method, url)),
        remediation=text.clip(vulnerability.text("solution")),
        references=vulnerability.references,
        tags=(*vulnerability.tags, *((f"method:{method}",) if method else ())),
        fingerprint=grouping.fingerprint(TOOL, vulnerability.rule_key, name, url, method, parameter),
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _evidence(vulnerability: _gitlab.Vulnerability, method: str, url: str | None) -> str:
    """Return the request line, the response status and GitLab's summary of what was found."""
    evidence = readers.as_mapping(vulnerability.data.get("evidence"))
    request = readers.as_mapping(evidence.get("request"))
    response = readers.as_mapping(evidence.get("response"))
    request_line = " ".join(
        part
        for part in (
            (values.text(request.get("method")) or method).upper(),
            values.text(request.get("url")) or url or "",
        )
        if part
    )
    status = " ".join(
        part
        for part in (values.text(response.get("status_code")), values.text(response.get("reason_phrase")))
        if part
    )
    lines = [
        f"Request: {request_line}" if request_line else "",
        f"Response: {status}" if status else "",
        values.text(evidence.get("summary")) or "",
    ]
    return "\n".join(line for line in lines if line)


PARSER = GitlabDastParser()
