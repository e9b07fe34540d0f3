"""Trivy JSON (``trivy image|fs|repo|config -f json`` and ``trivy k8s -f json``).

Variants, told apart by the start of the document:

* legacy (before schema 2): a top-level array of results;
* schema 2: an object whose ``Results`` array holds the results;
* Kubernetes: an object with ``ClusterName`` whose ``Resources`` (current) or
  ``Vulnerabilities`` and ``Misconfigurations`` (older) arrays hold resources, each
  with its own ``Results``.

Each result may carry ``Vulnerabilities``, ``Misconfigurations`` (checks with
``Status`` ``PASS`` are not findings and are skipped) and ``Secrets`` (whose
``Match`` is already redacted by Trivy; the secret itself is never in the report).
Results are streamed one at a time, in one pass; a Kubernetes resource's name,
kind and namespace are read where they stand, before its results.

Severity: Trivy's words; ``UNKNOWN`` becomes info.

Fingerprint, by kind — never line numbers or descriptions:

* vulnerability: the Kubernetes resource (if any), the result's type (``debian``,
  ``pip``), its target when it is a file (``lang-pkgs``; an OS target names the
  distribution release, which changes on upgrade), package name and path, and the
  advisory id — the same in legacy and schema 2 reports;
* misconfiguration: resource, target, check id, the cause's resource and the message;
* secret: resource, target, rule id and the redacted match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "trivy"
# A Kubernetes report opens with the cluster's name (first in Go's field order and in sorted order).
CLUSTER_PATTERN = re.compile(r'^\{\s*"ClusterName"\s*:')
# The CVSS sources to prefer when the vulnerability does not name its own.
PREFERRED_CVSS_SOURCES = ("nvd", "ghsa", "redhat")
# Where a Kubernetes report lists its resources (current, then older reports), and
# the fields that name a resource.
K8S_SECTIONS = ("Resources", "Vulnerabilities", "Misconfigurations")
NAME_KEYS = ("Namespace", "Kind", "Name")


class TrivyParser(ReportParser):
    """Trivy's JSON report, legacy, schema 2 and Kubernetes."""

    name = "trivy"
    label = "Trivy JSON"
    defectdojo_scan_types = ("Trivy Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("["):
            # Legacy: an array of {"Target", "Type", "Vulnerabilities"} results.
            has_result = '"Target"' in text and ('"Vulnerabilities"' in text or '"Misconfigurations"' in text)
            return 80 if has_result and ('"VulnerabilityID"' in text or '"Type"' in text) else 0
        if not text.startswith("{"):
            return 0
        if '"SchemaVersion"' in text and '"ArtifactName"' in text and '"ArtifactType"' in text:
            return 95
        if CLUSTER_PATTERN.match(text) and any(
            marker in text for marker in ('"Resources"', '"Vulnerabilities"', '"Misconfigurations"')
        ):
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, 4096)
        text = readers.head_text(head)
        if text.startswith("["):
            for where, item in readers.iter_json(source, "item", required=True):
                yield from _result(item, where, None)
        elif not CLUSTER_PATTERN.match(text):
            with readers.seekable(source) as seekable:
                start = seekable.tell()
                count = 0
                for where, item in readers.iter_json(seekable, "Results.item"):
                    yield from _result(item, where, None)
                    count += 1
                # Trivy leaves "Results" out when there are none: its schema version says
                # what the report is.
                if not count and not readers.read_values(seekable, ["SchemaVersion"], start=start):
                    raise readers.not_a_report("SchemaVersion")
        else:
            reader = readers.JsonReader(
                source,
                [f"{section}.item.Results.item" for section in K8S_SECTIONS],
                context=[f"{section}.item.{key}" for section in K8S_SECTIONS for key in NAME_KEYS],
            )
            for record in reader:
                name = "/".join(str(record.context[key]) for key in NAME_KEYS if record.context.get(key))
                yield from _result(record.value, record.position, name or None)


def _result(item: Any, where: str, resource: str | None) -> Iterator[NormalizedFinding]:
    result = readers.expect_mapping(item, where)
    if "Target" not in result:
        raise MalformedReport("a result has no Target", position=where)
    target = str(result.get("Target") or "")
    for number, entry in enumerate(
        readers.expect_list(result.get("Vulnerabilities"), f"{where}.Vulnerabilities")
    ):
        vulnerability = readers.expect_mapping(entry, f"{where}.Vulnerabilities[{number}]")
        yield _vulnerability(vulnerability, result, target, resource, f"{where}.Vulnerabilities[{number}]")
    for number, entry in enumerate(
        readers.expect_list(result.get("Misconfigurations"), f"{where}.Misconfigurations")
    ):
        check = readers.expect_mapping(entry, f"{where}.Misconfigurations[{number}]")
        if str(check.get("Status") or "FAIL").upper() == "PASS":
            continue
        yield _misconfiguration(check, target, resource, f"{where}.Misconfigurations[{number}]")
    for number, entry in enumerate(readers.expect_list(result.get("Secrets"), f"{where}.Secrets")):
        secret = readers.expect_mapping(entry, f"{where}.Secrets[{number}]")
        yield _secret(secret, target, resource, f"{where}.Secrets[{number}]")


def _vulnerability(
    vulnerability: Mapping[str, Any],
    result: Mapping[str, Any],
    target: str,
    resource: str | None,
    position: str,
) -> NormalizedFinding:
    vulnerability_id = str(vulnerability.get("VulnerabilityID") or "")
    if not vulnerability_id:
        raise MalformedReport("a vulnerability has no VulnerabilityID", position=position)
    package = str(vulnerability.get("PkgName") or "") or None
    installed = str(vulnerability.get("InstalledVersion") or "") or None
    fixed = str(vulnerability.get("FixedVersion") or "") or None
    package_path = str(vulnerability.get("PkgPath") or "") or None
    result_class = str(result.get("Class") or "")
    result_type = str(result.get("Type") or "")
    is_os = result_class == "os-pkgs" or (not result_class and "(" in target)
    v3_vector, v3_score, v4_vector, v4_score = cvss_by_source(
        vulnerability.get("CVSS"), vulnerability.get("SeveritySource")
    )
    vendor_ids = [
        str(value) for value in readers.expect_list(vulnerability.get("VendorIDs"), f"{position}.VendorIDs")
    ]
    references = [
        vulnerability.get("PrimaryURL"),
        *readers.expect_list(vulnerability.get("References"), f"{position}.References"),
    ]
    heading = str(vulnerability.get("Title") or "")
    details = str(vulnerability.get("Description") or "")
    status = str(vulnerability.get("Status") or "")
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (vulnerability_id, package, installed) if part)),
        severity=values.severity_from_word(vulnerability.get("Severity")),
        tool=TOOL,
        rule_id=vulnerability_id,
        description=text.clip("\n\n".join(part for part in (heading, details) if part)),
        advisory_ids=values.advisory_ids([vulnerability_id, *vendor_ids]),
        cwe_ids=values.cwe_ids(readers.expect_list(vulnerability.get("CweIDs"), f"{position}.CweIDs")),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        location=FindingLocation(
            file_path=package_path or (None if is_os else target or None),
            package=package,
            package_version=installed,
            fixed_version=fixed,
            component=resource or target or None,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed}." if fixed else "",
        references=_unique(references),
        tags=tuple(filter(None, [result_class, result_type, f"status:{status}" if status else ""])),
        fingerprint=grouping.fingerprint(
            TOOL,
            "vulnerability",
            resource,
            result_type,
            None if is_os else target,
            package,
            package_path,
            vulnerability_id,
        ),
    )


def _misconfiguration(
    check: Mapping[str, Any], target: str, resource: str | None, position: str
) -> NormalizedFinding:
    check_id = str(check.get("AVDID") or check.get("ID") or "")
    if not check_id:
        raise MalformedReport("a misconfiguration has no ID", position=position)
    cause = check.get("CauseMetadata") or {}
    cause = readers.expect_mapping(cause, f"{position}.CauseMetadata")
    message = str(check.get("Message") or "")
    code = cause.get("Code") or {}
    lines = code.get("Lines") if isinstance(code, dict) else None
    snippet = "\n".join(
        f"{line.get('Number')}: {line.get('Content')}"
        for line in readers.expect_list(lines, f"{position}.CauseMetadata.Code.Lines")
        if isinstance(line, dict) and line.get("IsCause")
    )
    references = [
        check.get("PrimaryURL"),
        *readers.expect_list(check.get("References"), f"{position}.References"),
    ]
    return NormalizedFinding(
        title=text.title(check.get("Title") or check_id),
        severity=values.severity_from_word(check.get("Severity")),
        tool=TOOL,
        rule_id=check_id,
        description=text.clip("\n\n".join(str(part) for part in (check.get("Description"), message) if part)),
        location=FindingLocation(
            file_path=target or None,
            line_start=values.as_int(cause.get("StartLine")),
            line_end=values.as_int(cause.get("EndLine")),
            component=resource or (str(cause.get("Resource") or "") or None),
        ),
        evidence=text.clip(snippet or message),
        remediation=text.clip(check.get("Resolution")),
        references=_unique(references),
        tags=tuple(filter(None, ["misconfiguration", str(check.get("Type") or "")])),
        fingerprint=grouping.fingerprint(
            TOOL, "misconfiguration", resource, target, check_id, cause.get("Resource"), message
        ),
    )


def _secret(secret: Mapping[str, Any], target: str, resource: str | None, position: str) -> NormalizedFinding:
    rule_id = str(secret.get("RuleID") or "")
    if not rule_id:
        raise MalformedReport("a secret has no RuleID", position=position)
    match = str(secret.get("Match") or "")
    category = str(secret.get("Category") or "")
    return NormalizedFinding(
        title=text.title(f"Secret: {secret.get('Title') or rule_id}"),
        severity=values.severity_from_word(secret.get("Severity")),
        tool=TOOL,
        rule_id=rule_id,
        description=text.clip(
            f"{category} secret found in {target}." if category else f"Secret found in {target}."
        ),
        location=FindingLocation(
            file_path=target or None,
            line_start=values.as_int(secret.get("StartLine")),
            line_end=values.as_int(secret.get("EndLine")),
            component=resource,
        ),
        evidence=text.clip(match),
        remediation="Remove the secret from the source, revoke it and issue a new one.",
        tags=tuple(filter(None, ["secret", category])),
        fingerprint=grouping.fingerprint(TOOL, "secret", resource, target, rule_id, match),
    )


def cvss_by_source(
    sources: object, source: object
) -> tuple[str | None, float | None, str | None, float | None]:
    """Return the CVSS v3 and v4 vectors and scores of Trivy's map of them by source.

    The severity's own source comes first, then NVD, GHSA and Red Hat, then the
    others. Trivy Operator's reports embed the same map (trivy_operator uses this).
    """
    if not isinstance(sources, dict):
        return None, None, None, None
    order = [str(source or ""), *PREFERRED_CVSS_SOURCES, *sources]
    entries = [sources[name] for name in dict.fromkeys(order) if isinstance(sources.get(name), Mapping)]
    v3 = next(
        (values.cvss3(str(entry["V3Vector"])) for entry in entries if entry.get("V3Vector")),
        (None, None),
    )
    v4 = next(
        (values.cvss4(str(entry["V40Vector"])) for entry in entries if entry.get("V40Vector")),
        (None, None),
    )
    return v3[0], v3[1], v4[0], v4[1]


def _unique(values: list[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(value) for value in values if value))


PARSER = TrivyParser()
