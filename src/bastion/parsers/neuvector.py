"""NeuVector scan report JSON (the REST API's ``/v1/scan/...`` answers).

One finding per entry of ``report.vulnerabilities``: a vulnerability of one package
of a scanned image, workload, host or platform. Variants read: the report of the
registry, workload and image scans (``GET /v1/scan/registry/{name}/image/{id}``,
``/v1/scan/workload/{id}``, ``/v1/scan/image/{id}``), older ones with only CVSS v2
fields and newer ones with ``score_v3``/``vectors_v3``, ``file_name`` and
``feed_rating``. The report's compliance ``checks``, ``secrets`` and
``setid_perms`` are not read: DefectDojo imports them as another scan type
("NeuVector (compliance)").

Severity: NeuVector's words (``Critical``, ``High``, ``Medium``, ``Low``); an empty
one is info.

Fingerprint: the vulnerability name, the package's name and the file it was found in
(``file_name``, when given) — not the package's version, which changes while the
vulnerability stays open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "neuvector"
REPORT_PATTERN = re.compile(r'^\{\s*"report"\s*:\s*\{')
# Keys of a NeuVector report besides its vulnerabilities, in NeuVector's field order.
REPORT_MARKERS = ('"modules"', '"checks"', '"setid_perms"', '"envs"', '"cmds"')


class NeuVectorParser(ReportParser):
    """NeuVector's scan report JSON."""

    name = "neuvector"
    label = "NeuVector scan report JSON"
    defectdojo_scan_types = ("NeuVector (REST)",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not REPORT_PATTERN.match(text) or '"vulnerabilities"' not in text:
            return 0
        if '"package_name"' in text and '"package_version"' in text:
            return 90
        return 80 if sum(marker in text for marker in REPORT_MARKERS) >= 2 else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        items = readers.iter_json(stream, "report.vulnerabilities.item", required=True)
        for position, item in items:
            yield _vulnerability(readers.expect_mapping(item, position), position)


def _vulnerability(vulnerability: Mapping[str, Any], position: str) -> NormalizedFinding:
    name = values.text(vulnerability.get("name"))
    if not name:
        raise MalformedReport("a vulnerability has no name", position=position)
    package = values.text(vulnerability.get("package_name"))
    version = values.text(vulnerability.get("package_version"))
    fixed = values.text(vulnerability.get("fixed_version"))
    file_name = values.text(vulnerability.get("file_name"))
    v3_vector, v3_score = values.cvss3(values.text(vulnerability.get("vectors_v3")))
    if v3_score is None:
        v3_score = values.score(vulnerability.get("score_v3"))
    severity = values.severity_from_word(vulnerability.get("severity"))
    cves = readers.expect_list(vulnerability.get("cves"), f"{position}.cves")
    tags = readers.expect_list(vulnerability.get("tags"), f"{position}.tags")
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (name, package, version) if part)),
        severity=severity,
        tool=TOOL,
        rule_id=name,
        description=text.clip(vulnerability.get("description")),
        advisory_ids=values.advisory_ids([name, *cves]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=file_name, package=package, package_version=version, fixed_version=fixed
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed}." if fixed else "",
        references=tuple(filter(None, [values.text(vulnerability.get("link"))])),
        tags=tuple(
            filter(
                None,
                [
                    "base-image" if vulnerability.get("in_base_image") is True else "",
                    *(str(tag) for tag in tags if tag),
                ],
            )
        ),
        fingerprint=grouping.fingerprint(TOOL, name, package, file_name),
    )


PARSER = NeuVectorParser()
