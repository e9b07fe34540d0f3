"""GitLab secret detection report (``gl-secret-detection-report.json``), schema 3.x to 15.x.

The shared shape, detection and refusals are in :mod:`bastion.parsers._gitlab`.
Variants read: schema 14 and before (``category``, ``message``, ``cve``: the file,
a hash of the secret and the rule) and schema 15 (without them; ``tracking``
signatures instead). A history scan locates a secret in a ``commit`` too.

A finding is a leaked secret, located at its file and lines. The secret never
leaves the parser: ``raw_source_code_extract`` (the matched text) is kept only as
its first few characters and as the SHA-256 in the fingerprint. Every finding
carries CWE-798 (hard-coded credentials).

Severity: GitLab's word (the analyzer rates most secrets ``Critical``);
``Unknown`` is info, tagged ``severity:unrated``.

Fingerprint: the rule (primary identifier), the file and the secret: the SHA-256
of the extract, else GitLab's comparison key ``cve`` (which holds a hash of the
secret), else its tracking signature, else the place numbered among those of the
rule in the file — never the commit or the line.

Grouping: a history scan reports the same secret in the same file once per
commit that carries it; the records of one fingerprint are one finding, located
at the first, the other commits listed in its evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import _gitlab, grouping, readers, text, values

TOOL = "gitlab_secret_detection_report"
KINDS = frozenset({"secret_detection"})


class GitlabSecretDetectionParser(_gitlab.GitlabReportParser):
    """GitLab's secret detection report."""

    name = "gitlab_secret_detection_report"
    label = "GitLab secret detection report"
    defectdojo_scan_types = ("GitLab Secret Detection Report",)

    kinds = KINDS

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        repeats = grouping.RepeatCounter()
        for vulnerability in self.vulnerabilities(stream):
            finding, commit = _finding(vulnerability, repeats)
            groups.add(finding.fingerprint, finding, f"commit {commit}" if commit else vulnerability.position)
        yield from groups.findings()


def _finding(
    vulnerability: _gitlab.Vulnerability, repeats: grouping.RepeatCounter
) -> tuple[NormalizedFinding, str | None]:
    location = vulnerability.location
    path = values.text(location.get("file"))
    start = values.line_number(location.get("start_line"))
    end = values.line_number(location.get("end_line"))
    commit = readers.as_mapping(location.get("commit"))
    sha = values.text(commit.get("sha"))
    sha = None if sha is None or not sha.strip("0") else sha  # "0000000": not a history scan
    secret = vulnerability.text("raw_source_code_extract")
    shown = text.redacted(secret)
    anchor = (
        hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
        if secret
        else vulnerability.text("cve") or vulnerability.tracking_signature
    )
    number = 0 if anchor else repeats.number(grouping.fingerprint(vulnerability.rule_key, path), start)
    rule_name = vulnerability.text("name") or vulnerability.rule_id
    where = f"{path}:{start}" if path and start is not None else path or "the repository"
    details = [
        f"Secret: {shown}" if shown else "",
        f"Commit: {sha}" if sha else "",
        f"Author: {values.text(commit.get('author'))}" if values.text(commit.get("author")) else "",
        f"Date: {values.text(commit.get('date'))}" if sha and values.text(commit.get("date")) else "",
    ]
    finding = NormalizedFinding(
        title=text.title(f"Hard-coded secret: {rule_name}"),
        severity=vulnerability.severity,
        tool=TOOL,
        tool_version=vulnerability.scanner_version,
        rule_id=text.clip(vulnerability.rule_id, 500) or None,
        tool_finding_id=text.clip(vulnerability.text("id"), 500) or None,
        description=text.clip(
            vulnerability.description(
                f"GitLab secret detection matched {rule_name!r} in {where}.",
                "\n".join(part for part in details if part),
            )
        ),
        cwe_ids=values.cwe_ids([values.HARD_CODED_CREDENTIALS, *vulnerability.cwe_ids]),
        location=FindingLocation(
            file_path=path,
            line_start=start,
            line_end=end if end is not None and start is not None and end >= start else start,
        ),
        evidence=f"Secret: {shown}" if shown else "",
        remediation=text.clip(vulnerability.text("solution") or values.HARD_CODED_CREDENTIALS_FIX),
        references=vulnerability.references,
        tags=("secret", *vulnerability.tags),
        fingerprint=grouping.fingerprint(
            TOOL, vulnerability.rule_key, path, anchor, *((number,) if number else ())
        ),
    )
    return finding, sha


PARSER = GitlabSecretDetectionParser()
