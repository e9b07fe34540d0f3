"""cargo-audit JSON (``cargo audit --json``).

The report names the RustSec advisory database it used (``database``), the lock
file (``lockfile``) and, under ``vulnerabilities.list``, one entry per advisory
that matches a crate of ``Cargo.lock``: the ``advisory`` (``id``, ``title``,
``description``, ``aliases``, ``cvss``, ``references``, ``url``...), the
``versions`` that fix it (``patched``, ``unaffected``), the ``affected``
functions when the advisory names them, and the ``package`` (``name``,
``version``, ``source``). Each entry is one finding. ``warnings`` (unmaintained,
unsound, yanked crates) are informational notices, not vulnerabilities: they
are not read, as DefectDojo does not read them either. The layout has been the
same since cargo-audit 0.9 (2019); CVSS v4 vectors appear in recent databases
beside v3.1 ones. The entries are streamed one at a time.

Severity: the base score of the advisory's CVSS vector (v3 or v4); an advisory
without one is rated medium (the advisory is real, its weight unknown).

Fingerprint: the crate's name and version and the advisory id. The version stays
in because a lock file can hold several versions of one crate, each its own finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "cargo_audit"


class CargoAuditParser(ReportParser):
    """cargo-audit's JSON report."""

    name = "cargo_audit"
    label = "cargo-audit JSON"
    defectdojo_scan_types = ("CargoAudit Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"vulnerabilities"' not in text:
            return 0
        if '"advisory-count"' in text or '"dependency-count"' in text:
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "vulnerabilities.list.item", required=True):
            yield _finding(readers.expect_mapping(item, position), position)


def _finding(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    advisory = readers.expect_mapping(entry.get("advisory"), f"{position}.advisory")
    package = readers.expect_mapping(entry.get("package"), f"{position}.package")
    advisory_id = values.text(advisory.get("id"))
    if advisory_id is None:
        raise MalformedReport("a vulnerability has no advisory id", position=f"{position}.advisory")
    name = values.text(package.get("name")) or values.text(advisory.get("package"))
    if name is None:
        raise MalformedReport("a vulnerability names no crate", position=f"{position}.package")
    version = values.text(package.get("version"))
    aliases = [
        str(alias) for alias in readers.expect_list(advisory.get("aliases"), f"{position}.advisory.aliases")
    ]
    versions = readers.expect_mapping(entry.get("versions") or {}, f"{position}.versions")
    patched = [str(v) for v in readers.expect_list(versions.get("patched"), f"{position}.versions.patched")]
    v3_vector, v3_score, v4_vector, v4_score = _cvss(values.text(advisory.get("cvss")))
    score = v3_score if v3_score is not None else v4_score
    severity = values.severity_from_score(score) if score is not None else Severity.MEDIUM
    references = [
        str(url) for url in readers.expect_list(advisory.get("references"), f"{position}.references")
    ]
    url = values.text(advisory.get("url"))
    advisory_page = f"https://rustsec.org/advisories/{advisory_id}.html"
    functions = _affected_functions(entry.get("affected"))
    summary = values.text(advisory.get("title")) or ""
    label = f"{name}@{version}" if version else name
    description = str(advisory.get("description") or "").strip()
    if functions:
        description += "\n\nAffected functions:\n" + "\n".join(f"- {function}" for function in functions)
    tags = [
        f"category:{category}" for category in advisory.get("categories") or [] if isinstance(category, str)
    ]
    if advisory.get("informational"):
        tags.append(f"informational:{advisory['informational']}")
    return NormalizedFinding(
        title=text.title(f"{advisory_id} in {label}" + (f": {summary}" if summary else "")),
        severity=severity,
        tool=TOOL,
        rule_id=advisory_id,
        advisory_ids=values.advisory_ids([advisory_id, *aliases]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        description=text.clip(description),
        location=FindingLocation(
            file_path="Cargo.lock",
            package=name,
            package_version=version,
            fixed_version=", ".join(patched) or None,
        ),
        remediation=f"Upgrade {name} to a version matching {' or '.join(patched)}." if patched else "",
        references=tuple(dict.fromkeys([advisory_page, *([url] if url else []), *references])),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, name, version, advisory_id),
    )


def _cvss(vector: str | None) -> tuple[str | None, float | None, str | None, float | None]:
    """Return the v3 and v4 vectors and scores of the advisory's one ``cvss`` string."""
    if vector is None:
        return None, None, None, None
    if vector.upper().startswith("CVSS:4"):
        v4_vector, v4_score = values.cvss4(vector)
        return None, None, v4_vector, v4_score
    v3_vector, v3_score = values.cvss3(vector)
    return v3_vector, v3_score, None, None


def _affected_functions(affected: object) -> list[str]:
    """Return the paths of ``affected.functions`` (the vulnerable functions), if named."""
    if not isinstance(affected, dict):
        return []
    functions = affected.get("functions")
    return [str(path) for path in functions] if isinstance(functions, dict) else []


PARSER = CargoAuditParser()
