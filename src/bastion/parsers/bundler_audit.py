"""bundler-audit reports: the text of ``bundle-audit check`` and its JSON (``--format json``).

The text output lists one block per advisory and gem, blank-line separated:
``Name``, ``Version``, the advisory's ids (``CVE`` and ``GHSA`` since 0.7,
``Advisory`` before, ``OSVDB`` in old databases), ``Criticality``, ``URL``,
``Title``, ``Solution``, and with ``--verbose`` an indented ``Description``.
``Insecure Source URI found: <uri>`` lines name a gem source fetched over a plain
(http, git) protocol. The report ends with ``Vulnerabilities found!`` or ``No
vulnerabilities found``; colour codes (``--no-color`` not given) are dropped.
Each block is one finding; so is each insecure source. The text is read line by
line, one block held at a time.

The JSON output (bundler-audit 0.8+) is ``{"version", "created_at", "results"}``;
a result of ``type`` ``unpatched_gem`` has the ``gem`` (``name``, ``version``)
and the ``advisory`` (``id``, ``cve``, ``ghsa``, ``osvdb``, ``title``,
``description``, ``criticality``, ``cvss_v2``, ``cvss_v3``, ``url``,
``patched_versions``...); one of ``type`` ``insecure_source`` has the
``source``. Each result is one finding; the results are streamed.

Severity: the advisory's criticality (low, medium, high, critical; derived by
bundler-audit from its CVSS score); ``Unknown`` (an advisory without a score) is
rated medium, as DefectDojo does: the advisory is real, its weight unknown. An
insecure source is rated medium.

Fingerprint: the gem's name and the advisory's first id (CVE, else GHSA, else
OSVDB or bundler-audit's own); an insecure source by its URI. Not the gem's
version, which changes while the same advisory stays open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "bundler_audit"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FIELD = re.compile(r"^([A-Za-z][A-Za-z ]*?):\s?(.*)$")
INSECURE_SOURCE = re.compile(r"^Insecure Source URI found:\s*(\S+)")
TEXT_START = re.compile(r"^(?:\x1b\[[0-9;]*m)*(?:Name: \S|Insecure Source URI found: )")
END_MARKERS = ("Vulnerabilities found!", "No vulnerabilities found", "No unpatched versions found")
# Longer than this, a line is not bundler-audit's text.
MAX_LINE = 1024 * 1024
# Fields a block carries, lower-cased: what the text parser keeps.
KNOWN_FIELDS = frozenset(
    {
        "name",
        "version",
        "cve",
        "ghsa",
        "osvdb",
        "advisory",
        "criticality",
        "url",
        "title",
        "solution",
        "description",
    }
)


class BundlerAuditParser(ReportParser):
    """bundler-audit's text and JSON reports."""

    name = "bundler_audit"
    label = "bundler-audit text or JSON"
    defectdojo_scan_types = ("Bundler-Audit Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            if '"results"' in text and ('"unpatched_gem"' in text or '"insecure_source"' in text):
                return 95
            return 0
        if TEXT_START.match(text) and ("\nVersion: " in text or "Insecure Source URI" in text):
            markers = ("\nCriticality: ", "\nSolution: ", "\nAdvisory: ", "\nCVE: ", "\nGHSA: ")
            return 90 if any(marker in text for marker in markers) or text.startswith("Insecure") else 0
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if not first:
            raise MalformedReport(readers.EMPTY_REPORT)
        if first == b"{":
            yield from self._parse_json(stream)
        else:
            yield from self._parse_text(stream)

    def _parse_json(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "results.item", required=True):
            result = readers.expect_mapping(item, position)
            kind = result.get("type")
            if kind == "insecure_source":
                yield _insecure_source(str(result.get("source") or ""), position)
            elif kind == "unpatched_gem":
                gem = readers.expect_mapping(result.get("gem"), f"{position}.gem")
                advisory = readers.expect_mapping(result.get("advisory"), f"{position}.advisory")
                yield _gem_finding(gem, advisory, position)
            else:
                raise MalformedReport(f"a result of unknown type {kind!r}", position=position)

    def _parse_text(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        block: dict[str, str] = {}
        block_line = 0
        last_key = ""
        is_report = False
        number = 0
        while raw := stream.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE:
                raise MalformedReport(f"a line is longer than {MAX_LINE:,} bytes", position=f"line {number}")
            line = ANSI.sub("", raw.decode("utf-8", "replace")).rstrip("\r\n").lstrip("\ufeff")
            if not line.strip():
                if block:
                    yield _text_finding(block, f"line {block_line}")
                    block = {}
                continue
            insecure = INSECURE_SOURCE.match(line)
            if insecure:
                is_report = True
                yield _insecure_source(insecure.group(1), f"line {number}")
                continue
            if line.strip() in END_MARKERS:
                is_report = True
                continue
            field = FIELD.match(line)
            key = field.group(1).strip().lower() if field else ""
            if field and key in KNOWN_FIELDS and not line.startswith((" ", "\t")):
                if key == "name" and block:
                    yield _text_finding(block, f"line {block_line}")
                    block = {}
                if not block:
                    block_line = number
                block[key] = field.group(2).strip()
                last_key = key
                is_report = is_report or key == "name"
            elif block and last_key == "description":
                block["description"] = f"{block['description']}\n{line.strip()}".strip()
            elif block:
                raise MalformedReport(
                    f"unexpected text in an advisory: {text.title(line)}", position=f"line {number}"
                )
            # Lines outside a block (bundler's own messages: "Updating ruby-advisory-db") are skipped.
        if block:
            yield _text_finding(block, f"line {block_line}")
        if not is_report:
            raise MalformedReport(
                "no advisory block (Name: ...) or bundler-audit verdict; it may be another tool's report"
            )


def _text_finding(block: Mapping[str, str], position: str) -> NormalizedFinding:
    if not block.get("name"):
        raise MalformedReport("an advisory block has no Name", position=position)
    gem = {"name": block["name"], "version": block.get("version")}
    advisory: dict[str, Any] = {
        "cve": block.get("cve"),
        "ghsa": block.get("ghsa"),
        "osvdb": block.get("osvdb"),
        "id": block.get("advisory"),
        "criticality": block.get("criticality"),
        "url": block.get("url"),
        "title": block.get("title"),
        "description": block.get("description"),
        "solution": block.get("solution"),
    }
    return _gem_finding(gem, advisory, position)


def _gem_finding(gem: Mapping[str, Any], advisory: Mapping[str, Any], position: str) -> NormalizedFinding:
    name = values.text(gem.get("name"))
    if name is None:
        raise MalformedReport("an advisory names no gem", position=position)
    version = values.text(gem.get("version"))
    ids = _advisory_ids(advisory)
    title = values.text(advisory.get("title")) or (ids[0] if ids else "Vulnerable gem")
    patched = [str(v) for v in advisory.get("patched_versions") or [] if isinstance(v, str)]
    solution = values.text(advisory.get("solution"))
    if solution is None and patched:
        solution = "upgrade to " + ", ".join(patched)
    elif solution is None:
        solution = "remove or disable this gem until a patch is available!"
    v3_vector, v3_score = values.cvss3(values.text(advisory.get("cvss_v3")))
    if v3_score is None:
        v3_score = values.score(advisory.get("cvss_v3"))
    url = values.text(advisory.get("url"))
    return NormalizedFinding(
        title=text.title(f"Gem {name}: {title}" + (f" [{ids[0]}]" if ids else "")),
        severity=_severity(advisory.get("criticality")),
        tool=TOOL,
        rule_id=ids[0] if ids else None,
        advisory_ids=values.advisory_ids(ids),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        description=text.clip(
            "\n\n".join(part for part in (title, values.text(advisory.get("description"))) if part)
        ),
        location=FindingLocation(
            file_path="Gemfile.lock",
            package=name,
            package_version=version,
            fixed_version=", ".join(patched) or _solution_versions(solution),
        ),
        remediation=text.clip(solution[:1].upper() + solution[1:]),
        references=(url,) if url else (),
        tags=tuple(f"alias:{advisory_id}" for advisory_id in ids[1:]),
        fingerprint=grouping.fingerprint(TOOL, name, ids[0] if ids else title),
    )


def _insecure_source(source: str, position: str) -> NormalizedFinding:
    if not source:
        raise MalformedReport("an insecure source names no URI", position=position)
    return NormalizedFinding(
        title=text.title(f"Insecure gem source: {source}"),
        severity=Severity.MEDIUM,
        tool=TOOL,
        rule_id="insecure_source",
        cwe_ids=(319,),  # Cleartext Transmission of Sensitive Information
        description=text.clip(
            f"Gems are fetched from {source} over a protocol that is neither encrypted nor authenticated."
        ),
        location=FindingLocation(file_path="Gemfile.lock", url=source),
        remediation="Fetch gems over HTTPS.",
        tags=("insecure-source",),
        fingerprint=grouping.fingerprint(TOOL, "insecure_source", source),
    )


def _advisory_ids(advisory: Mapping[str, Any]) -> list[str]:
    """Return the advisory's ids, CVE first: JSON writes ``cve`` without its prefix."""
    found: list[str] = []
    for key, prefix in (("cve", "CVE-"), ("ghsa", "GHSA-"), ("osvdb", "OSVDB-"), ("id", "")):
        value = values.text(advisory.get(key))
        if value is None:
            continue
        advisory_id = value if not prefix or value.upper().startswith(prefix) else prefix + value
        if advisory_id not in found:
            found.append(advisory_id)
    return found


def _severity(criticality: object) -> Severity:
    word = str(criticality or "").strip().lower()
    if word in ("", "unknown"):
        return Severity.MEDIUM
    return values.severity_from_word(word, default=Severity.MEDIUM)


def _solution_versions(solution: str) -> str | None:
    """Return the version requirements of "upgrade to ~> 2.1.3, >= 2.2.0", if it names any."""
    if not solution.lower().startswith("upgrade to "):
        return None
    return solution[len("upgrade to ") :].replace("'", "").strip() or None


PARSER = BundlerAuditParser()
