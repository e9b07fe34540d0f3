"""OWASP Dependency-Check XML (``--format XML``), schemas 1.x to 4.x.

The report lists ``dependencies`` (files: jars, DLLs, lock file entries...), each
with its identifiers and ``vulnerabilities``: ``vulnerability`` elements and,
since schema 1.x, ``suppressedVulnerability`` elements for the ones a
suppression file silenced. Every one of both is a finding; the suppressed ones
carry the tag ``suppressed``. Related dependencies (the same file found again)
yield nothing of their own. Dependencies are streamed one at a time; their
evidence, and the dependencies without a vulnerability, are cut out of the bytes
before parsing (``readers.iter_xml``'s ``skip``), a vulnerability inside the
evidence with them.

Package: the first ``package`` identifier (a purl, schema 2.x+), else the first
``identifier`` of type maven/npm/... (schema 1.x, ``group:artifact:version``),
else the file name.

Severity, first that the vulnerability gives: its ``severity`` (Dependency-Check's
own rating; "moderate" is medium), ``cvssV3/baseSeverity``, ``cvssV2/severity``,
then the v3 or v2 score on the CVSS v3 scale; none of them is medium.

Fingerprint: the vulnerability name (CVE id, advisory id...) and the dependency's
identity: its purl without qualifiers, else its file name. Not the file path,
which carries build directories that change from run to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

_VULNERABILITY_TAGS = frozenset({"vulnerability", "suppressedVulnerability"})
# The ends of every tag whose local name is in _VULNERABILITY_TAGS (and of a few others).
_VULNERABILITY_ENDINGS = ("ulnerability",)
# Cut from the bytes before parsing: the evidence (some 70% of a report) is never
# read, and a dependency without a vulnerability (most of them) yields nothing.
_UNREAD = ("evidenceCollected",)
_READ_ONLY_WITH = {"dependency": tuple(_VULNERABILITY_TAGS)}
# cvssV3 element names and their vector metric, in vector order.
_CVSS3_METRICS = (
    ("attackVector", "AV"),
    ("attackComplexity", "AC"),
    ("privilegesRequired", "PR"),
    ("userInteraction", "UI"),
    ("scope", "S"),
    ("confidentialityImpact", "C"),
    ("integrityImpact", "I"),
    ("availabilityImpact", "A"),
)


class DependencyCheckParser(ReportParser):
    """OWASP Dependency-Check's XML report."""

    name = "dependency_check"
    label = "OWASP Dependency-Check XML"
    defectdojo_scan_types = ("Dependency Check Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if "<analysis" not in text:
            return 0
        if "jeremylong.github.io/DependencyCheck/dependency-check" in text:
            return 100
        return 70 if "<dependencies" in text and "<projectInfo" in text else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        engine_version: str | None = None
        for element in readers.iter_xml(
            stream,
            ("engineVersion", "dependency"),
            roots=("analysis",),
            skip=_UNREAD,
            skip_unless=_READ_ONLY_WITH,
        ):
            if readers.local_name(element.tag) == "engineVersion":
                engine_version = (element.text or "").strip() or None
                continue
            yield from self._dependency_findings(element, engine_version)

    def _dependency_findings(
        self, dependency: Element, engine_version: str | None
    ) -> Iterator[NormalizedFinding]:
        file_name = readers.child_text(dependency, "fileName")
        file_path = readers.child_text(dependency, "filePath") or None
        purl, package, version = _package(dependency)
        identity = purl.split("?", 1)[0].split("#", 1)[0] if purl else file_name
        if not package:
            package = file_name or None
        for vulnerability in dependency.iter():
            if not vulnerability.tag.endswith(_VULNERABILITY_ENDINGS):  # a first, quick look
                continue
            kind = readers.local_name(vulnerability.tag)
            if kind not in _VULNERABILITY_TAGS:
                continue
            fields = readers.children_by_name(vulnerability)
            name = readers.named_text(fields, "name")
            if not name:
                continue
            cvss3 = fields.get("cvssV3")
            cvss2 = fields.get("cvssV2")
            v3_vector, v3_score = _cvss3(cvss3)
            v4_vector, v4_score = values.cvss4(_cvss4_vector(fields.get("cvssV4")))
            references, cwe_texts, fixed = _descendant_fields(vulnerability)
            description = readers.named_text(fields, "description")
            notes = readers.named_text(fields, "notes")
            source = vulnerability.get("source") or ""
            tags = [f"source:{source.lower()}"] if source else []
            if kind == "suppressedVulnerability":
                tags.append("suppressed")
            label = f"{package}:{version}" if package and version else package or file_name
            yield NormalizedFinding(
                title=text.title(f"{name} in {label}"),
                severity=_severity(fields, cvss3, cvss2, v3_score),
                tool="dependency_check",
                tool_version=engine_version,
                rule_id=name,
                advisory_ids=values.advisory_ids([name]),
                cwe_ids=values.cwe_ids(cwe_texts),
                cvss_v3_vector=v3_vector,
                cvss_v3_score=v3_score,
                cvss_v4_vector=v4_vector,
                cvss_v4_score=v4_score,
                description=text.clip("\n\n".join(part for part in (description, notes) if part)),
                location=FindingLocation(
                    file_path=file_path,
                    package=package,
                    package_version=version,
                    fixed_version=fixed,
                ),
                remediation=f"Upgrade {package} to {fixed} or later." if fixed and package else "",
                references=tuple(dict.fromkeys(references)),
                tags=tuple(tags),
                fingerprint=grouping.fingerprint("dependency_check", name, identity),
            )


def _package(dependency: Element) -> tuple[str | None, str | None, str | None]:
    """Return the dependency's purl, package name and version from its identifiers."""
    identifiers = readers.child(dependency, "identifiers")
    if identifiers is None:
        return None, None, None
    for identifier in identifiers:
        tag = readers.local_name(identifier.tag)
        if tag == "package":
            purl = readers.child_text(identifier, "id")
            if purl.startswith("pkg:"):
                name, version = values.purl_name_version(purl)
                return purl, name, version
        elif tag == "identifier" and identifier.get("type") not in (None, "cpe"):
            # Schema 1.x: "group:artifact:version" for maven, "name:version" otherwise.
            parts = readers.child_text(identifier, "name").split(":")
            if len(parts) >= 2:
                return None, parts[-2], parts[-1] or None
    return None, None, None


def _cvss3(element: Element | None) -> tuple[str | None, float | None]:
    """Return the v3 vector rebuilt from the cvssV3 metrics, and the base score."""
    if element is None:
        return None, None
    fields = readers.children_by_name(element)
    score = values.score(readers.named_text(fields, "baseScore"))
    version = readers.named_text(fields, "version") or "3.1"
    metrics = []
    for field, metric in _CVSS3_METRICS:
        value = readers.named_text(fields, field).upper()
        if not value:
            return None, score
        metrics.append(f"{metric}:{value[0]}")
    vector, computed = values.cvss3(f"CVSS:{version}/" + "/".join(metrics))
    return vector, score if score is not None else computed


def _cvss4_vector(element: Element | None) -> str | None:
    if element is None:
        return None
    return readers.child_text(element, "vectorString") or readers.child_text(element, "vector") or None


def _descendant_fields(vulnerability: Element) -> tuple[list[str], list[str | None], str | None]:
    """Return the reference urls, the cwe texts and the fixed version, in one pass over the descendants.

    The fixed version is the upper bound of the matched vulnerable range (the first
    ``software`` matched with a ``versionEndExcluding``), when the report gives one.
    """
    references: list[str] = []
    cwe_texts: list[str | None] = []
    fixed: str | None = None
    for element in vulnerability.iter():
        tag = readers.local_name(element.tag)
        if tag == "url":
            url = (element.text or "").strip()
            if url:
                references.append(url)
        elif tag == "cwe":
            cwe_texts.append(element.text)
        elif tag == "software" and fixed is None and element.get("vulnerabilityIdMatched") == "true":
            fixed = element.get("versionEndExcluding") or None
    return references, cwe_texts, fixed


def _severity(
    fields: dict[str, Element], cvss3: Element | None, cvss2: Element | None, v3_score: float | None
) -> Severity:
    """Rate the vulnerability whose children (by local name) are ``fields``."""
    words = [readers.named_text(fields, "severity")]
    if cvss3 is not None:
        words.append(readers.child_text(cvss3, "baseSeverity"))
    if cvss2 is not None:
        words.append(readers.child_text(cvss2, "severity"))
    for word in words:
        if word and word.strip().lower() in values.SEVERITY_WORDS and word.lower() != "unknown":
            return values.severity_from_word(word)
    v2_score = values.score(readers.child_text(cvss2, "score")) if cvss2 is not None else None
    old_score = values.score(readers.named_text(fields, "cvssScore"))
    for score in (v3_score, v2_score, old_score):
        if score is not None:
            return values.severity_from_score(score)
    return Severity.MEDIUM


PARSER = DependencyCheckParser()
