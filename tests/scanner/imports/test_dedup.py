"""Deduplication and re-import on real reports: same report twice, changed report, full and partial."""

from __future__ import annotations

import json
from typing import Any

from bastion.core.findings.models import Finding, FindingTransition
from tests.scanner.imports.conftest import SCANS, Importer

BANDIT = SCANS / "bandit" / "dd.json"


def _counts(job: Any) -> tuple[int, ...]:
    return (job.parsed, job.new, job.updated, job.reopened, job.resolved, job.unchanged)


def test_same_report_twice_creates_nothing_new(import_report: Importer) -> None:
    first = import_report(BANDIT)
    second = import_report(BANDIT)

    assert (first.state, first.error) == ("completed", "")
    assert _counts(first) == (47, 47, 0, 0, 0, 0)
    assert _counts(second) == (47, 0, 0, 0, 0, 47)
    assert Finding.objects.count() == 47
    assert Finding.objects.filter(last_import_id=second.pk).count() == 47


def test_changed_report_updates_and_full_import_resolves_the_missing(
    import_report: Importer,
) -> None:
    # given: the first import
    import_report(BANDIT)
    report = json.loads(BANDIT.read_bytes())
    # when: a later run fixed the first 5 issues and reworded one
    report["results"] = report["results"][5:]
    report["results"][0]["issue_text"] = "Reworded by a newer Bandit"
    changed = json.dumps(report).encode()
    partial = import_report(changed)
    full = import_report(changed, full=True)
    # then
    assert _counts(partial) == (42, 0, 1, 0, 0, 41)
    assert _counts(full) == (42, 0, 0, 0, 5, 42)
    assert Finding.objects.filter(status="resolved").count() == 5
    assert FindingTransition.objects.filter(to_status="resolved").count() == 5
    assert Finding.objects.filter(title="Reworded by a newer Bandit").count() == 1


def test_resolved_finding_that_comes_back_is_reopened(import_report: Importer) -> None:
    # given: a full import resolved five findings
    import_report(BANDIT)
    report = json.loads(BANDIT.read_bytes())
    report["results"] = report["results"][5:]
    import_report(json.dumps(report).encode(), full=True)
    # when: the complete report again
    again = import_report(BANDIT)
    # then
    assert _counts(again) == (47, 0, 0, 5, 0, 42)
    assert Finding.objects.filter(status="reopened").count() == 5
    reopened = FindingTransition.objects.filter(to_status="reopened")
    assert reopened.count() == 5
    assert {t.reason for t in reopened} == {f"seen again by import {again.pk}"}


def test_partial_import_never_resolves(import_report: Importer) -> None:
    import_report(BANDIT)

    empty = import_report(SCANS / "bandit" / "no_vuln.json")

    assert _counts(empty) == (0, 0, 0, 0, 0, 0)
    assert Finding.objects.filter(status="open").count() == 47


def test_false_positives_and_accepted_risks_keep_their_status(import_report: Importer) -> None:
    # given
    import_report(BANDIT)
    first_two = list(Finding.objects.order_by("id").values_list("id", flat=True)[:2])
    Finding.objects.filter(pk=first_two[0]).update(status="false_positive")
    Finding.objects.filter(pk=first_two[1]).update(status="risk_accepted")
    # when: a full import without them, then with them
    import_report(SCANS / "bandit" / "no_vuln.json", full=True, format="bandit")
    import_report(BANDIT)
    # then
    assert list(Finding.objects.filter(pk__in=first_two).order_by("id").values_list("status", flat=True)) == [
        "false_positive",
        "risk_accepted",
    ]


def test_imported_findings_carry_ids_sla_and_tags(import_report: Importer) -> None:
    job = import_report(BANDIT, tags="ci,nightly", minimum_severity="medium")

    assert _counts(job) == (47, 36, 0, 0, 0, 0)
    finding = Finding.objects.filter(rule_id="blacklist:B303").order_by("id").first()
    assert finding is not None
    assert finding.severity == "medium"
    assert finding.sla_due_on is not None
    assert sorted(finding.tags.values_list("name", flat=True)) == ["ci", "nightly"]


def test_advisory_ids_and_cwes_are_kept(import_report: Importer) -> None:
    job = import_report(SCANS / "trivy" / "scheme_2_many_vulns.json")

    assert (job.state, job.format, job.new) == ("completed", "trivy", 5)
    finding = Finding.objects.get(advisories__identifier="CVE-2020-15999")
    assert list(finding.cwes.values_list("cwe_id", flat=True)) == [787]
    assert (finding.package, finding.package_version, finding.severity) == (
        "freetype",
        "2.9.1-r2",
        "medium",
    )
