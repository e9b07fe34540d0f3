"""npm audit JSON (``npm audit --json``), npm 6 and npm 7+ shapes.

npm 6 writes ``advisories``: a map from advisory id to one advisory (``title``,
``module_name``, ``severity``, ``cwe``, ``cves``, ``findings`` with the installed
versions and dependency paths...); each advisory is one finding. npm 7 and later
write ``auditReportVersion: 2`` and ``vulnerabilities``: a map from package name
to that package's entry, whose ``via`` array holds advisory objects (the package
itself is vulnerable) and package names (it only depends on a vulnerable
package). Each advisory object is one finding; an entry whose ``via`` holds only
names repeats another entry's finding and yields nothing of its own. A report
that is only ``{"error": {...}}`` is npm telling that the audit failed: it is
refused with npm's error code and summary, never read as "no findings".

Both shapes are streamed in one pass, one advisory (npm 6) or one package entry
(npm 7) at a time: a monorepo's audit can list thousands. A report that can seek
is first read the fast way, the entries of the map its head announces (npm 7's
``vulnerabilities`` when it starts with ``auditReportVersion``, else npm 6's
``advisories``) built in C by ijson; a report where that map has no entries (an
error, an array of advisories, no findings) is read again, checking its shape.

Severity: npm's words (info, low, moderate, high, critical); moderate is medium.

Fingerprint: the vulnerable package's name, the advisory, named by its GHSA id
when the report gives one (so npm 6 and npm 7 reports agree), else npm's
advisory id, and the advisory's vulnerable range (npm splits one GHSA into
several advisories by range). Not the installed version or the dependency
paths, which change with every lock file update.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport


class NpmAuditParser(ReportParser):
    """npm audit's JSON report: npm 6 ``advisories`` and npm 7+ ``vulnerabilities``."""

    name = "npm_audit"
    label = "npm audit JSON"
    defectdojo_scan_types = ("NPM Audit Scan", "NPM Audit v7+ Scan")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"auditReportVersion"' in text:
            return 100
        if '"advisories"' in text and ('"muted"' in text or '"actions"' in text):
            return 90
        # The audit endpoint refused: npm's error object, with npm's error code.
        if text.replace(" ", "").replace("\n", "").startswith('{"error":{"code":"ENOAUDIT"'):
            return 80
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, stream = readers.peek(stream)
        first, source = readers.first_byte(stream)
        if first == b"{" and source.seekable():
            start = source.tell()
            is_npm7 = b'"auditReportVersion"' in head
            found = 0
            for key, value, position in _map_entries(source, "vulnerabilities" if is_npm7 else "advisories"):
                found += 1
                entry = readers.expect_mapping(value, position)
                if is_npm7:
                    yield from self._npm7_findings(entry, key, position)
                else:
                    yield self._npm6_finding(entry, key, position)
            if found:
                return
            source.seek(start)
        yield from self._parse_checking(source)

    def _parse_checking(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        """Read either shape (or npm's error), checking the report's shape as it goes."""
        reader = readers.JsonReader(
            stream,
            # Some npm 6 proxies wrote the advisories as an array.
            ["error", "advisories.*", "advisories.item", "vulnerabilities.*"],
            expect={"": "object", "advisories": "object or array", "vulnerabilities": "object"},
        )
        error: Any = None
        for record in reader:
            if record.prefix == "error":
                error = record.value
            elif record.prefix == "vulnerabilities.*":
                entry = readers.expect_mapping(record.value, record.position)
                yield from self._npm7_findings(entry, str(record.key), record.position)
            else:
                advisory = readers.expect_mapping(record.value, record.position)
                key = record.key or str(record.indexes[-1])
                yield self._npm6_finding(advisory, key, record.position)
        if {"advisories", "vulnerabilities"} & reader.seen:
            return
        if "error" in reader.seen:
            details = error if isinstance(error, dict) else {"summary": error}
            code = details.get("code") or "unknown error"
            summary = " ".join(str(details.get("summary") or "").split())
            raise MalformedReport(
                f"npm audit report contains errors: {code}: {summary}".rstrip(": "),
                position="error",
            )
        raise MalformedReport(
            "neither 'advisories' (npm 6) nor 'vulnerabilities' (npm 7+) is present",
            position="top level",
        )

    def _npm6_finding(self, advisory: Mapping[str, Any], key: str, where: str) -> NormalizedFinding:
        module = str(advisory["module_name"])
        npm_id = str(advisory.get("id") or key)
        url = str(advisory.get("url") or "")
        cves = readers.expect_list(advisory.get("cves"), f"{where}.cves")
        ghsa = values.advisory_ids([advisory.get("github_advisory_id"), url])
        versions: list[str] = []
        paths: list[str] = []
        for number, item in enumerate(readers.expect_list(advisory.get("findings"), f"{where}.findings")):
            found = readers.expect_mapping(item, f"{where}.findings[{number}]")
            version = str(found.get("version") or "")
            if version and version not in versions:
                versions.append(version)
            paths.extend(
                str(path)
                for path in readers.expect_list(found.get("paths"), f"{where}.findings[{number}].paths")
            )
        cvss_vector, cvss_score = values.cvss3(_cvss_vector(advisory.get("cvss")))
        references = [url] if url else []
        references += [
            line.strip().lstrip("-* ").strip()
            for line in str(advisory.get("references") or "").splitlines()
            if line.strip().lstrip("-* ").startswith(("http://", "https://"))
        ]
        description = str(advisory.get("overview") or "")
        if paths:
            description += "\n\nDependency paths:\n" + "\n".join(f"- {path}" for path in paths[:200])
        return NormalizedFinding(
            title=text.title(advisory.get("title"), fallback=f"npm advisory {npm_id} in {module}"),
            severity=values.severity_from_word(advisory.get("severity")),
            tool="npm_audit",
            rule_id=npm_id,
            advisory_ids=values.advisory_ids([*ghsa, *cves]),
            cwe_ids=values.cwe_ids(_as_list(advisory.get("cwe"))),
            cvss_v3_vector=cvss_vector,
            cvss_v3_score=cvss_score,
            description=text.clip(description.strip()),
            location=FindingLocation(
                package=module,
                package_version=", ".join(versions) or None,
                fixed_version=str(advisory.get("patched_versions") or "") or None,
            ),
            remediation=text.clip(advisory.get("recommendation")),
            references=tuple(dict.fromkeys(references)),
            tags=("vulnerable:" + str(advisory.get("vulnerable_versions")),)
            if advisory.get("vulnerable_versions")
            else (),
            fingerprint=grouping.fingerprint(
                "npm_audit",
                module,
                ghsa[0] if ghsa else npm_id,
                advisory.get("vulnerable_versions"),
            ),
        )

    def _npm7_findings(
        self, entry: Mapping[str, Any], package_key: str, where: str
    ) -> Iterator[NormalizedFinding]:
        package = str(entry.get("name") or package_key)
        nodes = [str(node) for node in readers.expect_list(entry.get("nodes"), f"{where}.nodes")]
        effects = [str(name) for name in readers.expect_list(entry.get("effects"), f"{where}.effects")]
        remediation, fixed_version = _npm7_fix(entry.get("fixAvailable"), package)
        for number, via in enumerate(readers.expect_list(entry.get("via"), f"{where}.via")):
            if isinstance(via, str):
                continue  # a dependency's advisory, reported in that dependency's entry
            advisory = readers.expect_mapping(via, f"{where}.via[{number}]")
            source = str(advisory.get("source") or "")
            url = str(advisory.get("url") or "")
            ghsa = values.advisory_ids([url])
            cvss_vector, cvss_score = values.cvss3(_cvss_vector(advisory.get("cvss")))
            vulnerable_range = str(advisory.get("range") or entry.get("range") or "")
            lines = [str(advisory.get("title") or "")]
            if vulnerable_range:
                lines.append(f"Vulnerable versions: {vulnerable_range}")
            if nodes:
                lines.append("Installed at: " + ", ".join(nodes[:200]))
            if effects:
                lines.append("Packages depending on it: " + ", ".join(effects[:200]))
            yield NormalizedFinding(
                title=text.title(advisory.get("title"), fallback=f"npm advisory {source} in {package}"),
                severity=values.severity_from_word(advisory.get("severity") or entry.get("severity")),
                tool="npm_audit",
                rule_id=source or (ghsa[0] if ghsa else None),
                advisory_ids=ghsa,
                cwe_ids=values.cwe_ids(_as_list(advisory.get("cwe"))),
                cvss_v3_vector=cvss_vector,
                cvss_v3_score=cvss_score,
                description=text.clip("\n".join(line for line in lines if line)),
                location=FindingLocation(
                    package=package,
                    file_path=nodes[0] if nodes else None,
                    fixed_version=fixed_version,
                ),
                remediation=remediation,
                references=(url,) if url else (),
                tags=("direct",) if entry.get("isDirect") is True else ("transitive",),
                fingerprint=grouping.fingerprint(
                    "npm_audit", package, ghsa[0] if ghsa else source, advisory.get("range")
                ),
            )


def _map_entries(stream: BinaryIO, prefix: str) -> Iterator[tuple[str, Any, str]]:
    """Yield ``(key, value, position)`` for each entry of the object at ``prefix``, built in C."""
    key: str | None = None
    try:
        with readers.depth_checked(stream) as checked:
            for key, value in ijson.kvitems(checked, prefix, use_float=True):
                yield key, value, f"{prefix}[{key}]"
    except (ijson.JSONError, ValueError) as error:
        detail = str(error).strip().splitlines()
        where = f"after {prefix}[{key}]" if key is not None else "top level"
        raise MalformedReport(f"invalid JSON: {detail[0] if detail else ''}", position=where) from error


def _as_list(value: object) -> list[object]:
    """Return a CWE field (a list, one string, or a JSON-encoded list in a string) as a list."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _cvss_vector(cvss: object) -> str | None:
    """Return the vector of npm's ``cvss`` object, if it has one."""
    if isinstance(cvss, dict):
        vector = cvss.get("vectorString")
        return str(vector) if vector else None
    return None


def _npm7_fix(fix: object, package: str) -> tuple[str, str | None]:
    """Return remediation text and the fixed version of npm 7's ``fixAvailable``."""
    if fix is True:
        return "Run `npm audit fix`.", None
    if isinstance(fix, dict):
        name, version = str(fix.get("name") or ""), str(fix.get("version") or "")
        major = " (a semver-major upgrade)" if fix.get("isSemVerMajor") else ""
        text = f"Upgrade {name} to {version}{major}: `npm audit fix --force`."
        return text, (version or None) if name == package else None
    return "No fix is available.", None


PARSER = NpmAuditParser()
