"""WPScan JSON (``wpscan --format json``): one target per report.

Findings, in this order: the vulnerabilities of each plugin, of the main theme
and other themes, of the WordPress core version, then the ``interesting_findings``
(headers, readme, xmlrpc, directory listings...). A report that says
``scan_aborted`` has none.

WPScan writes the interesting findings first, yet they come last: the report is
read twice (a stream that cannot seek is copied to a temporary file first). The
first pass keeps the header (``target_url``, ``banner``) and the plugins, themes
and core version, one site's components, small by nature; the second streams the
interesting findings one at a time, however many a scan turns up.

Severity: from the vulnerability's CVSS score when WPScan gives one (its API
does for newer entries), else medium; interesting findings are info.

Fingerprint: for a vulnerability, the target URL and WPScan's vulnerability id
(``wpvulndb``, bound to one plugin, theme or core release), or its title when
there is no id; the parser skips a vulnerability whose id the report already
listed. For an interesting finding: its type and URL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

# What the first pass keeps: the header, and the components in the order their findings come.
HEADER = ("banner", "target_url", "effective_url")
COMPONENTS = ("plugins", "main_theme", "themes", "version")


class WpscanParser(ReportParser):
    """WPScan's JSON report."""

    name = "wpscan"
    label = "WPScan JSON"
    defectdojo_scan_types = ("Wpscan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"banner"' in text and "WPScan" in text:
            return 95
        markers = ('"target_url"', '"interesting_findings"', '"effective_url"')
        return 85 if all(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            start = source.tell()
            reader = readers.JsonReader(
                source,
                [*HEADER, *COMPONENTS],
                expect={"": "object", "interesting_findings": "array"},
            )
            report = {record.prefix: record.value for record in reader}
            if "target_url" not in reader.seen:
                raise readers.not_a_report("target_url")
            banner = report.get("banner")
            version = readers.expect_mapping(banner, "banner").get("version") if banner else None
            context = _Context(
                target=str(report.get("target_url") or report.get("effective_url") or ""),
                tool_version=str(version) if version else None,
            )
            seen: set[int] = set()
            for finding in _component_findings(report, context):
                if _is_new(finding, seen):
                    yield finding
            if "interesting_findings" not in reader.seen:
                return
            with readers.rewound(source, start) as again:
                for where, item in readers.iter_json(again, "interesting_findings.item"):
                    finding = _interesting(readers.expect_mapping(item, where), context, where)
                    if _is_new(finding, seen):
                        yield finding


def _is_new(finding: NormalizedFinding, seen: set[int]) -> bool:
    """Tell whether no earlier finding had this fingerprint.

    One small entry per finding: the fingerprint's first 128 bits, as an int.
    """
    key = int(finding.fingerprint[:32], 16)
    if key in seen:
        return False
    seen.add(key)
    return True


@dataclass(frozen=True, kw_only=True)
class _Context:
    """What every finding of one report shares."""

    target: str
    tool_version: str | None


def _component_findings(report: Mapping[str, Any], context: _Context) -> Iterator[NormalizedFinding]:
    plugins = report.get("plugins")
    for slug, node in readers.expect_mapping(plugins or {}, "plugins").items():
        yield from _component(node, f"plugins[{slug}]", str(slug), context)
    main_theme = report.get("main_theme")
    if main_theme:
        theme = readers.expect_mapping(main_theme, "main_theme")
        yield from _component(theme, "main_theme", str(theme.get("slug") or "theme"), context)
    themes = report.get("themes")
    for slug, node in readers.expect_mapping(themes or {}, "themes").items():
        yield from _component(node, f"themes[{slug}]", str(slug), context)
    core = report.get("version")
    if core:
        core_node = readers.expect_mapping(core, "version")
        yield from _vulnerabilities(core_node, "version", "wordpress", core_node.get("number"), None, context)


def _component(node: object, position: str, slug: str, context: _Context) -> Iterator[NormalizedFinding]:
    component = readers.expect_mapping(node, position)
    version = component.get("version")
    number = readers.expect_mapping(version, f"{position}.version").get("number") if version else None
    location = str(component.get("location") or "") or None
    yield from _vulnerabilities(component, position, slug, number, location, context)


def _vulnerabilities(
    component: Mapping[str, Any],
    position: str,
    slug: str,
    installed: object,
    location: str | None,
    context: _Context,
) -> Iterator[NormalizedFinding]:
    vulnerabilities = readers.expect_list(component.get("vulnerabilities"), f"{position}.vulnerabilities")
    for index, item in enumerate(vulnerabilities):
        vulnerability = readers.expect_mapping(item, f"{position}.vulnerabilities[{index}]")
        yield _vulnerability(
            vulnerability,
            f"{position}.vulnerabilities[{index}]",
            slug,
            installed,
            location,
            context,
        )


def _vulnerability(
    vulnerability: Mapping[str, Any],
    position: str,
    slug: str,
    installed: object,
    location: str | None,
    context: _Context,
) -> NormalizedFinding:
    title = str(vulnerability["title"])
    references = readers.expect_mapping(vulnerability.get("references") or {}, f"{position}.references")
    ids = [
        str(value)
        for value in readers.expect_list(references.get("wpvulndb"), f"{position}.references.wpvulndb")
    ]
    wpscan_id = ids[0] if ids else None
    cves = [
        f"CVE-{value}" for value in readers.expect_list(references.get("cve"), f"{position}.references.cve")
    ]
    urls = [str(url) for url in readers.expect_list(references.get("url"), f"{position}.references.url")]
    vector, score = _cvss(vulnerability.get("cvss"))
    fixed = str(vulnerability.get("fixed_in") or "") or None
    version = str(installed) if installed else None
    description = [
        title,
        str(vulnerability.get("description") or ""),
        f"Installed version: {version}" if version else "",
        f"Introduced in: {vulnerability['introduced_in']}" if vulnerability.get("introduced_in") else "",
        f"Fixed in: {fixed}" if fixed else "",
        f"Type: {vulnerability['vuln_type']}" if vulnerability.get("vuln_type") else "",
    ]
    return NormalizedFinding(
        title=text.title(title),
        severity=values.severity_from_score(score, default=Severity.MEDIUM),
        tool="wpscan",
        tool_version=context.tool_version,
        rule_id=wpscan_id,
        tool_finding_id=wpscan_id,
        description=text.clip("\n".join(part for part in description if part)),
        advisory_ids=values.advisory_ids(cves),
        cvss_v3_vector=vector,
        cvss_v3_score=score,
        location=FindingLocation(
            url=location or context.target or None,
            package=slug,
            package_version=version,
            fixed_version=fixed,
            component=slug,
        ),
        remediation=f"Upgrade {slug} to version {fixed} or later." if fixed else "",
        references=(
            *(f"https://wpscan.com/vulnerability/{value}" for value in ids),
            *urls,
        ),
        tags=(f"vuln_type:{vulnerability['vuln_type']}",) if vulnerability.get("vuln_type") else (),
        fingerprint=grouping.fingerprint("wpscan", context.target, wpscan_id or f"{slug}:{title}"),
    )


def _cvss(cvss: object) -> tuple[str | None, float | None]:
    """Return the vector and score of WPScan's ``{"score": "6.1", "vector": "CVSS:3.1/..."}``."""
    if not isinstance(cvss, dict):
        return None, None
    vector, score = values.cvss3(str(cvss.get("vector") or "") or None)
    return vector, score if score is not None else values.score(cvss.get("score"))


def _interesting(item: Mapping[str, Any], context: _Context, position: str) -> NormalizedFinding:
    kind = str(item.get("type") or "interesting_finding")
    url = str(item.get("url") or context.target or "")
    summary = str(item.get("to_s") or url)
    entries = [
        str(entry)
        for entry in readers.expect_list(item.get("interesting_entries"), f"{position}.interesting_entries")
    ]
    references = readers.expect_mapping(item.get("references") or {}, f"{position}.references")
    urls = [str(value) for value in readers.expect_list(references.get("url"), f"{position}.references.url")]
    found_by = str(item.get("found_by") or "")
    confidence = item.get("confidence")
    description = [
        summary,
        f"Found by: {found_by}" if found_by else "",
        f"Confidence: {confidence}%" if confidence is not None else "",
        "Interesting entries:\n" + "\n".join(entries) if entries else "",
    ]
    return NormalizedFinding(
        title=text.title(f"Interesting finding: {summary}"),
        severity=Severity.INFO,
        tool="wpscan",
        tool_version=context.tool_version,
        rule_id=kind,
        description=text.clip("\n".join(part for part in description if part)),
        location=FindingLocation(url=url or None),
        evidence=text.clip("\n".join(entries)),
        references=tuple(urls),
        tags=(f"confidence:{confidence}",) if confidence is not None else (),
        fingerprint=grouping.fingerprint("wpscan", "interesting", kind, url),
    )


PARSER = WpscanParser()
