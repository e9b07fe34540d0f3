"""pip-audit JSON (``pip-audit -f json``).

Two shapes: pip-audit before 2.0 wrote a bare array of dependencies; since then
the array sits under ``"dependencies"`` beside a ``"fixes"`` array. Each
dependency carries ``name``, ``version`` and a ``vulns`` array (``id``,
``fix_versions``, ``aliases`` since 2.1, ``description``); a dependency pip-audit
could not check has ``skip_reason`` instead and yields nothing. The dependencies
are streamed one at a time.

Severity: pip-audit states none; every finding is rated medium (the advisory is
real, its weight unknown). Every finding carries CWE-1395 (dependency on a
vulnerable third-party component), the only weakness the report implies.

Fingerprint: the normalized package name (PEP 503) and the advisory id. Not the
version: an environment holds one version of a package, and an upgrade that is
still vulnerable is the same open finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# CWE-1395: Dependency on Vulnerable Third-Party Component.
VULNERABLE_COMPONENT_CWE = 1395

_NEW_SHAPE = re.compile(r'^\{\s*"dependencies"\s*:\s*\[')
_OLD_SHAPE = re.compile(r'^\[\s*\{\s*"name"\s*:')
_EMPTY_ARRAY = re.compile(r"^\[\s*\]\s*$")
_NAME_SEPARATORS = re.compile(r"[-_.]+")  # PEP 503 normalization


class PipAuditParser(ReportParser):
    """pip-audit's JSON report, old (bare array) and current (``dependencies``) shapes."""

    name = "pip_audit"
    label = "pip-audit JSON"
    defectdojo_scan_types = ("pip-audit Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if '"bomFormat"' in text:
            return 0
        if _NEW_SHAPE.match(text):
            has_vulns = '"vulns"' in text or '"skip_reason"' in text or '"fixes"' in text
            return 85 if has_vulns else 60
        if _OLD_SHAPE.match(text) and ('"vulns"' in text or '"skip_reason"' in text):
            return 80
        # An empty bare array is what pip-audit < 2.0 writes for no dependencies.
        return 10 if _EMPTY_ARRAY.match(text) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        # A bare array before 2.0; an object with "dependencies" (required) since.
        prefix = "item" if first == b"[" else "dependencies.item"
        for position, item in readers.iter_json(source, prefix, required=True):
            dependency = readers.expect_mapping(item, position)
            if dependency.get("skip_reason") and not dependency.get("vulns"):
                continue
            yield from self._dependency_findings(dependency, position)

    def _dependency_findings(
        self, dependency: Mapping[str, Any], position: str
    ) -> Iterator[NormalizedFinding]:
        package = str(dependency["name"])
        version = str(dependency.get("version") or "") or None
        normalized_name = _NAME_SEPARATORS.sub("-", package).lower()
        label = f"{package}:{version}" if version else package
        for number, item in enumerate(readers.expect_list(dependency.get("vulns"), f"{position}.vulns")):
            where = f"{position}.vulns[{number}]"
            vuln = readers.expect_mapping(item, where)
            vuln_id = str(vuln["id"]).strip()
            if not vuln_id:
                raise MalformedReport("a vulnerability has an empty id", position=where)
            aliases = [str(a) for a in _list(vuln.get("aliases"), where, "aliases")]
            fixes = [str(f) for f in _list(vuln.get("fix_versions"), where, "fix_versions")]
            yield NormalizedFinding(
                title=text.title(f"{vuln_id} in {label}"),
                severity=Severity.MEDIUM,
                tool="pip_audit",
                rule_id=vuln_id,
                advisory_ids=values.advisory_ids([vuln_id, *aliases]),
                cwe_ids=(VULNERABLE_COMPONENT_CWE,),
                description=text.clip(vuln.get("description")),
                location=FindingLocation(
                    package=package,
                    package_version=version,
                    fixed_version=", ".join(fixes) or None,
                ),
                remediation=f"Upgrade {package} to {' or '.join(fixes)}." if fixes else "",
                references=(f"https://osv.dev/vulnerability/{vuln_id}",),
                tags=tuple(f"alias:{alias}" for alias in aliases),
                fingerprint=grouping.fingerprint("pip_audit", normalized_name, vuln_id),
            )


def _list(value: object, where: str, key: str) -> list[Any]:
    """Return a JSON array (None counts as empty), else refuse the report at ``where.key``."""
    if type(value) is list:  # the usual case: no position to build
        return value
    return readers.expect_list(value, f"{where}.{key}")


PARSER = PipAuditParser()
