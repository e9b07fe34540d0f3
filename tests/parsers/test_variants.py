"""Every report variant the docs list has a fixture, and every variant fixture is read and detected."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bastion.parsers import parse_report

FIXTURES = Path(__file__).parents[1] / "fixtures"
VARIANTS = FIXTURES / "variants"
DOCS = Path(__file__).parents[2] / "docs" / "formats"

VARIANT_REPORTS = sorted((path.parent.name, path) for path in VARIANTS.glob("*/*") if path.is_file())
VARIANT_PARAMS = [
    pytest.param(format_name, path, id=f"{format_name}-{path.stem}") for format_name, path in VARIANT_REPORTS
]

# Findings each variant report holds, as the tests that used to write it inline assert.
EXPECTED_FINDINGS = {
    ("anchore_engine", "ui_report.json"): 2,
    ("anchore_engine", "v2_camelcase.json"): 1,
    ("arachni", "variations_0_4.json"): 1,
    ("arachni", "xml_1x.xml"): 2,
    ("arachni", "xml_variations_1_0.xml"): 2,
    ("aws_prowler_v3plus", "v3.json"): 1,
    ("awssecurityhub", "asff_array.json"): 1,
    ("awssecurityhub", "eventbridge_event.json"): 1,
    ("burp", "enterprise.html"): 3,
    ("burp", "enterprise_2022.html"): 1,
    ("burp", "rest_api.json"): 1,
    ("checkmarx_one", "results_api.json"): 3,
    ("eslint", "json_with_metadata.json"): 3,
    ("fortify", "audit.fvdl"): 2,
    ("fortify", "scan_export_24_2.xml"): 1,
    ("gitlab_container_scan", "cluster_image_scanning.json"): 1,
    ("gitlab_dast", "api_fuzzing.json"): 1,
    ("gitlab_dep_scan", "schema_15.json"): 1,
    ("gitlab_secret_detection_report", "history_v15.json"): 1,
    ("hcl_appscan", "text_fields.xml"): 1,
    ("jfrog_xray_unified", "later_rows.json"): 1,
    ("kubebench", "controls.json"): 2,
    ("mend", "legacy_export.json"): 1,
    ("mend", "platform_sast.json"): 1,
    ("mobsf", "mobsfscan.json"): 2,
    ("mobsf", "static_3_5.json"): 4,
    ("ms_defender", "by_machine.json"): 1,
    ("netsparker", "current_export.json"): 1,
    ("nexpose", "simple_xml.xml"): 6,
    ("scout_suite", "plain_json.json"): 1,
    ("semgrep", "platform_export.json"): 1,
    ("semgrep", "supply_chain.json"): 1,
    ("sonarqube", "sonar_report.html"): 2,
    ("sslyze", "sslyze_2.json"): 10,
    ("sslyze", "sslyze_4.json"): 4,
    ("tenable", "nessus_csv.csv"): 2,
    ("tenable", "vm_export.csv"): 1,
    ("testssl", "flat.json"): 1,
    ("testssl", "pretty.json"): 2,
    ("tfsec", "version_1.json"): 1,
    ("veracode", "findings_api.json"): 2,
    ("veracode", "sca_agent.json"): 2,
    ("veracode", "sca_agent_csv.csv"): 3,
    ("zap", "json_report.json"): 1,
}

# For each docs/formats page, the fixtures of each variant it lists, keyed by how the variant's
# entry starts (paths under tests/fixtures). None: the variant is no report this parser reads.
DOCUMENTED_VARIANT_FIXTURES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "anchore_engine": {
        "v1 list": ("scans/anchore_engine/one_vuln.json", "scans/anchore_engine/many_vulns_2.4.1.json"),
        "v2 list": ("variants/anchore_engine/v2_camelcase.json",),
        "UI report": ("variants/anchore_engine/ui_report.json",),
    },
    "arachni": {
        "The JSON report": ("scans/arachni/arachni.afr.json",),
        "The XML report": ("variants/arachni/xml_1x.xml",),
        "Arachni 0.4 reports": (
            "variants/arachni/variations_0_4.json",
            "variants/arachni/xml_variations_1_0.xml",
        ),
        "Not read:": None,
    },
    "aws_prowler_v3plus": {
        "Prowler v3 JSON": ("variants/aws_prowler_v3plus/v3.json",),
        "Prowler v4 and v5 OCSF JSON": ("scans/aws_prowler_v3plus/one_vuln.ocsf.json",),
        "Prowler's ASFF output": ("variants/awssecurityhub/asff_array.json",),
    },
    "awssecurityhub": {
        "`aws securityhub get-findings` output": ("scans/awssecurityhub/inspector_ecr.json",),
        "Console and EventBridge exports": (
            "scans/awssecurityhub/config_one_finding_active.json",
            "variants/awssecurityhub/eventbridge_event.json",
        ),
        "A top-level array of ASFF findings": ("variants/awssecurityhub/asff_array.json",),
    },
    "burp": {
        "XML issues export": ("scans/burp/one_finding.xml",),
        "REST API scan JSON": ("variants/burp/rest_api.json",),
        "Enterprise Edition HTML report": (
            "variants/burp/enterprise.html",
            "variants/burp/enterprise_2022.html",
        ),
    },
    "checkmarx": {
        "CxSAST XML report": ("scans/checkmarx/multiple_findings.xml",),
        "Checkmarx's JSON scan report": ("scans/checkmarx/sample_report.json",),
    },
    "checkmarx_one": {
        "Results API": ("variants/checkmarx_one/results_api.json",),
        "Scan report": ("scans/checkmarx_one/vulnerabilities_from_scan_results.json",),
        "GitLab SAST export": ("scans/checkmarx_one/checkmarx_one.json",),
    },
    "coverity_api": {
        "The JSON of `GET /api/viewContents/issues/v1/<view>`": (
            "scans/coverity_api/few_findings_triaged_as_bug.json",
        ),
    },
    "eslint": {
        "`-f json` (ESLint 1–9)": ("scans/eslint/scan.json",),
        "`-f json-with-metadata`": ("variants/eslint/json_with_metadata.json",),
        "an empty array": ("scans/eslint/empty.json",),
    },
    "fortify": {
        "**FPR**": ("scans/fortify/many_findings.fpr",),
        "**audit.fvdl**": ("variants/fortify/audit.fvdl",),
        "**XML report**": ("scans/fortify/issue6082.xml",),
        "**24.2 XML export**": ("variants/fortify/scan_export_24_2.xml",),
    },
    "gitlab_container_scan": {
        "schema 2.x–14.x": ("scans/gitlab_container_scan/issue6639_v14.json",),
        "schema 15": ("scans/gitlab_container_scan/gl-container-scanning-report-5-vuln_v15.json",),
        "cluster image scanning": ("variants/gitlab_container_scan/cluster_image_scanning.json",),
    },
    "gitlab_dast": {
        "ZAP-based analyzer": ("scans/gitlab_dast/gitlab_dast_many_vul_v14.json",),
        "schema 15": ("scans/gitlab_dast/gitlab_dast_one_vul_v15.json",),
        "API fuzzing": ("variants/gitlab_dast/api_fuzzing.json",),
        "a bare": ("scans/gitlab_dast/gitlab_dast_zero_vul.json",),
    },
    "gitlab_dep_scan": {
        "schema 2.x–14.x": ("scans/gitlab_dep_scan/gl-dependency-scanning-report-1-vuln_v14.json",),
        "schema 15": ("variants/gitlab_dep_scan/schema_15.json",),
        "no vulnerabilities": ("scans/gitlab_dep_scan/gl-dependency-scanning-report-0-vuln.json",),
    },
    "gitlab_sast": {
        "legacy, schema 2.x–14.x": ("scans/gitlab_sast/gl-sast-report-many-vuln_v14.json",),
        "schema 15": ("scans/gitlab_sast/gl-sast-report-cwe_v15.json",),
        "no vulnerabilities": ("scans/gitlab_sast/gl-sast-report-0-vuln.json",),
    },
    "gitlab_secret_detection_report": {
        "schema 3.x–14.x": (
            "scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln_v14.json",
        ),
        "schema 15": ("variants/gitlab_secret_detection_report/history_v15.json",),
        "history scans": ("variants/gitlab_secret_detection_report/history_v15.json",),
    },
    "hcl_appscan": {
        "AppScan Standard and AppScan on Cloud XML": (
            "scans/hcl_appscan/issue_10074.xml",
            "variants/hcl_appscan/text_fields.xml",
        ),
    },
    "jfrog_xray_unified": {
        "Xray 3.x rows": ("scans/jfrog_xray_unified/one_vuln.json",),
        "Later rows": ("variants/jfrog_xray_unified/later_rows.json",),
        "A row naming no issue": None,
    },
    "kubebench": {
        "A top-level array of controls": ("scans/kubebench/kube-bench-report-one-vuln.json",),
        '`{"Controls"': ("variants/kubebench/controls.json",),
    },
    "kubehunter": {
        "`kube-hunter --report json`": ("scans/kubehunter/kubehunter_one_vul.json",),
    },
    "mend": {
        "Unified Agent scan report": ("scans/mend/cli_generated_many_vulns.json",),
        "legacy UI/API vulnerabilities export": ("variants/mend/legacy_export.json",),
        "Mend Platform API 3.0, dependencies": ("scans/mend/mend-sca-platform-api3-one-finding.json",),
        "Mend Platform API 3.0, SAST": ("variants/mend/platform_sast.json",),
    },
    "mobsf": {
        "MobSF's static analysis report": ("scans/mobsf/report1.json", "variants/mobsf/static_3_5.json"),
        "mobsfscan's `--json` report": ("variants/mobsf/mobsfscan.json",),
    },
    "ms_defender": {
        "A page of `GET /api/vulnerabilities/machinesVulnerabilities`": (
            "scans/ms_defender/report_many_vulns.json",
        ),
        "A page of `GET /api/machines/SoftwareVulnerabilitiesByMachine`": (
            "variants/ms_defender/by_machine.json",
        ),
        "A zip of": ("scans/ms_defender/defender_error_handling.zip",),
    },
    "netsparker": {
        'The "Vulnerabilities (JSON)" export': ("scans/netsparker/netsparker_one_finding.json",),
        "Older exports": ("scans/netsparker/issue_9816.json", "variants/netsparker/current_export.json"),
        "Acunetix 360 writes the same shape": None,
    },
    "nexpose": {
        '"XML Export 2.0"': ("scans/nexpose/dns.xml",),
        'Reports in this shape marked `version="1.0"`': ("scans/nexpose/many_vulns.xml",),
        'The "Simple XML" export': ("variants/nexpose/simple_xml.xml",),
    },
    "nikto": {
        "XML `-Format xml`": ("scans/nikto/nikto-report-one-vuln.xml",),
        "JSON `-Format json`": ("scans/nikto/juice-shop.json", "scans/nikto/issue_9274.json"),
    },
    "scout_suite": {
        "`scoutsuite-results/scoutsuite_results_*.js`": ("scans/scout_suite/new2.js",),
        "The same object as plain JSON": ("variants/scout_suite/plain_json.json",),
    },
    "semgrep": {
        "`semgrep --json` Code (SAST) results": ("scans/semgrep/one_finding.json",),
        "`semgrep ci --supply-chain --json`": ("variants/semgrep/supply_chain.json",),
        "AppSec Platform Supply Chain export": ("variants/semgrep/platform_export.json",),
    },
    "sonarqube": {
        "Web API `/api/issues/search`": ("scans/sonarqube/findings_over_api.json",),
        "Web API `/api/hotspots/search`": ("scans/sonarqube/findings_over_api_hotspots.json",),
        "`sonar-report --save-report-json`": ("scans/sonarqube/sonar-6-findings.json",),
        "`sonar-report` HTML": ("variants/sonarqube/sonar_report.html",),
    },
    "sslyze": {
        "JSON of SSLyze 5 and 6": ("scans/sslyze/two_targets_many_vuln_new.json",),
        "JSON of SSLyze 3 and 4": ("variants/sslyze/sslyze_4.json",),
        "JSON of SSLyze 1 and 2": ("variants/sslyze/sslyze_2.json",),
        "XML of SSLyze 1 and 2": ("scans/sslyze/report_one_target_one_vuln.xml",),
    },
    "tenable": {
        "`.nessus` v2 XML": ("scans/tenable/nessus_many_vuln.xml",),
        "Nessus CSV": ("variants/tenable/nessus_csv.csv",),
        "Tenable.sc CSV": ("scans/tenable/nessus_many_vuln.csv",),
        "Tenable Vulnerability Management findings export": ("variants/tenable/vm_export.csv",),
    },
    "testssl": {
        "CSV (`--csvfile`)": ("scans/testssl/demo2.csv",),
        "Flat JSON": ("variants/testssl/flat.json",),
        "Pretty JSON": ("variants/testssl/pretty.json",),
    },
    "tfsec": {
        "legacy (< 0.40)": ("scans/tfsec/one_finding_legacy.json",),
        "0.40–0.63": ("scans/tfsec/many_findings_current.json",),
        "1.x": ("variants/tfsec/version_1.json",),
        "no findings": ("scans/tfsec/no_findings.json",),
    },
    "trivy": {
        "schema 1 / legacy": ("scans/trivy/legacy_many_vulns.json",),
        "schema 2": ("scans/trivy/scheme_2_many_vulns.json",),
        "Kubernetes (`trivy k8s`)": ("scans/trivy/kubernetes.json",),
    },
    "veracode": {
        "Detailed XML report": ("scans/veracode/veracode_maven.xml",),
        "Findings API v2 JSON": ("variants/veracode/findings_api.json",),
        "SCA agent JSON": ("variants/veracode/sca_agent.json",),
        "SCA agent-based scan CSV export": ("variants/veracode/sca_agent_csv.csv",),
    },
    "wiz": {
        "Issues export": ("scans/wiz/multiple_findings.csv",),
        "Vulnerability Findings export": ("scans/wiz/sca_format.csv",),
    },
    "zap": {
        "traditional XML report": ("scans/zap/0_zap_sample.xml",),
        "traditional JSON report": ("variants/zap/json_report.json",),
    },
}


def _documented_variants(page: Path) -> list[str]:
    """Return the variants a page's "Variants read" section lists: bullets, else table rows, else its text."""
    section: list[str] = []
    inside = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = re.match(r"## Variants? read\b", line) is not None
        elif inside:
            section.append(line)
    bullets = [line[2:].strip() for line in section if line.startswith("- ")]
    if bullets:
        return bullets
    rows: list[str] = []
    for line in section:
        if not line.startswith("|"):
            if rows:
                break
            continue
        first_cell = line.strip("|").split("|")[0].strip()
        if not rows and first_cell.lower() != "variant":
            break  # the section's first table describes fields, not variants
        rows.append(first_cell)
    if rows:
        # the header row and the row of dashes under it
        return rows[2:]
    text = " ".join(line.strip() for line in section if line.strip())
    return [text] if text else []


def _parse(data: bytes, format_name: str | None) -> tuple[str, int]:
    parser, findings = parse_report(io.BytesIO(data), format_name=format_name)
    return parser.name, sum(1 for _finding in findings)


@pytest.mark.parametrize(
    ("format_name", "path"),
    VARIANT_PARAMS,
)
def test_variant_report_is_read_by_its_format_and_detected_as_it(format_name: str, path: Path) -> None:
    # given
    data = path.read_bytes()
    # when
    named = _parse(data, format_name)
    detected = _parse(data, None)
    # then
    assert len(data) < 64 * 1024
    assert named == (format_name, EXPECTED_FINDINGS[(format_name, path.name)])
    assert detected == named


def test_every_expected_count_has_its_variant_report() -> None:
    assert sorted(EXPECTED_FINDINGS) == [(format_name, path.name) for format_name, path in VARIANT_REPORTS]


def test_every_documented_variant_has_a_fixture() -> None:
    # given
    pages = {page.stem: _documented_variants(page) for page in DOCS.glob("*.md") if page.stem != "README"}
    listing = {name: variants for name, variants in pages.items() if variants}
    # when
    unmatched = []
    unused = []
    for name, variants in sorted(listing.items()):
        fixtures = DOCUMENTED_VARIANT_FIXTURES.get(name, {})
        for variant in variants:
            if len([start for start in fixtures if variant.startswith(start)]) != 1:
                unmatched.append(f"{name}: {variant[:80]}")
        for start in fixtures:
            if not any(variant.startswith(start) for variant in variants):
                unused.append(f"{name}: {start}")
    # then
    assert unmatched == [], "documented variants with no entry (or two) in DOCUMENTED_VARIANT_FIXTURES"
    assert unused == [], "DOCUMENTED_VARIANT_FIXTURES names variants the docs no longer list"
    assert sorted(DOCUMENTED_VARIANT_FIXTURES) == sorted(listing)


@pytest.mark.parametrize("format_name", sorted(DOCUMENTED_VARIANT_FIXTURES))
def test_documented_variant_fixtures_exist(format_name: str) -> None:
    missing = [
        fixture
        for fixtures in DOCUMENTED_VARIANT_FIXTURES[format_name].values()
        for fixture in fixtures or ()
        if not (FIXTURES / fixture).is_file()
    ]
    assert missing == []
