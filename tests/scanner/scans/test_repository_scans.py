"""Repository scans end to end: a git repository served on loopback, the real engines, the real import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.scans import ScanState
from bastion.core.advisories.services import import_osv
from bastion.core.findings.models import Finding
from bastion.core.scans.models import ScanJob
from bastion.core.scans.services import add_allowed_range
from bastion.scanner.scans.tasks import run_scan
from tests.scanner.scans.conftest import GitRepository, auth

OSV_FIXTURES = Path(__file__).parents[2] / "core" / "advisories" / "fixtures" / "osv"
VULNERABLE = {"requirements.txt": "Django==3.2.0\nrequests>=2.31\n", "app.py": "print('hello')\n"}
DJANGO_ADVISORY = "GHSA-p64x-8rxx-wf6q"


@pytest.fixture
def allowed_loopback(caller: dict[str, Any]) -> None:
    import_osv(OSV_FIXTURES)
    add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")


def _scan(api: TestClient, caller: dict[str, Any], url: str, **extra: Any) -> ScanJob:
    body = {"target": {"kind": "repository", "value": url}, "asset": caller["asset"].pk, **extra}
    response = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body)
    assert response.status_code == 202, response.text
    scan_id = response.json()["id"]
    run_scan(scan_id)
    return ScanJob.objects.get(pk=scan_id)


def _dependency_findings(caller: dict[str, Any]) -> dict[str, str]:
    findings = Finding.objects.filter(asset=caller["asset"], tool="bastion-dependency-audit")
    return {finding.rule_id: finding.status for finding in findings}


@pytest.mark.usefixtures("allowed_loopback")
def test_a_repository_scan_finds_the_pinned_vulnerable_dependency(
    api: TestClient, caller: dict[str, Any], git_repository: GitRepository
) -> None:
    # given: a project pinning a Django release with a published advisory
    git_repository.commit(VULNERABLE, "first")

    # when
    scan = _scan(api, caller, git_repository.url, engines=["dependencies"])

    # then: the scan cloned, ran the audit and imported its report as a full import of its tool
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    assert scan.addresses == ["127.0.0.1"]
    assert _dependency_findings(caller) == {DJANGO_ADVISORY: "open"}
    assert (scan.parsed, scan.new, scan.resolved) == (1, 1, 0)
    steps = [line["step"] for line in scan.log]
    assert steps[:3] == ["queued", "started", "fetching"]
    assert steps[-3:] == ["importing", "engine-finished", "done"]
    finding = Finding.objects.get(asset=caller["asset"], rule_id=DJANGO_ADVISORY)
    assert finding.file_path == "requirements.txt"


@pytest.mark.usefixtures("allowed_loopback")
def test_a_rescan_of_the_same_commit_changes_nothing_and_an_upgrade_resolves_the_finding(
    api: TestClient, caller: dict[str, Any], git_repository: GitRepository
) -> None:
    # given: a first scan found the vulnerable pin
    git_repository.commit(VULNERABLE, "first")
    first = _scan(api, caller, git_repository.url, engines=["dependencies"])
    assert first.new == 1

    # when: the unchanged repository is scanned again
    second = _scan(api, caller, git_repository.url, engines=["dependencies"])

    # then: nothing new
    assert second.state == ScanState.COMPLETED
    assert (second.parsed, second.new, second.reopened, second.resolved) == (1, 0, 0, 0)
    assert Finding.objects.filter(asset=caller["asset"]).count() == 1

    # when: the dependency is upgraded to the fixed release in a new commit, scanned at that commit
    upgraded = git_repository.commit({"requirements.txt": "Django==3.2.14\nrequests>=2.31\n"}, "upgrade")
    third = _scan(api, caller, git_repository.url, engines=["dependencies"], commit=upgraded)

    # then: the finding is resolved
    assert third.state == ScanState.COMPLETED, third.error
    assert third.commit == upgraded
    assert (third.parsed, third.new, third.resolved) == (0, 0, 1)
    assert _dependency_findings(caller) == {DJANGO_ADVISORY: "resolved"}


@pytest.mark.usefixtures("allowed_loopback")
def test_a_failed_clone_fails_the_scan_and_resolves_nothing(
    api: TestClient, caller: dict[str, Any], git_repository: GitRepository
) -> None:
    # given: a finding from an earlier scan
    git_repository.commit(VULNERABLE, "first")
    _scan(api, caller, git_repository.url, engines=["dependencies"])

    # when: the repository's path does not exist
    scan = _scan(
        api, caller, git_repository.url.replace("project.git", "missing.git"), engines=["dependencies"]
    )

    # then: the scan failed with git's reason, and the earlier finding stays open
    assert scan.state == ScanState.FAILED
    assert "git clone exited with status" in scan.error
    assert _dependency_findings(caller) == {DJANGO_ADVISORY: "open"}
    assert scan.imports == []


PACKAGE_LOCK = """{
  "name": "storefront",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "storefront", "version": "1.0.0", "dependencies": {"lodash": "4.17.11"}},
    "node_modules/lodash": {
      "version": "4.17.11",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz"
    }
  }
}
"""
SQL_INJECTION = """from flask import Flask, request
import sqlite3

app = Flask(__name__)


@app.route("/orders")
def orders():
    customer = request.args.get("customer")
    connection = sqlite3.connect("shop.db")
    rows = connection.execute("SELECT * FROM orders WHERE customer = '%s'" % customer).fetchall()
    return {"orders": rows}


@app.route("/order")
def order():
    number = request.args.get("number")
    connection = sqlite3.connect("shop.db")
    rows = connection.execute("SELECT * FROM orders WHERE number = ?", (number,)).fetchall()
    return {"orders": rows}
"""
PLANTED_KEY = "AKIAZ7QW3ERT5YUI8OPL"
PROJECT = {
    "backend/requirements.txt": "Django==3.2.0\nflask==3.0.0\n",
    "backend/app.py": SQL_INJECTION,
    "backend/settings.py": f'AWS_ACCESS_KEY_ID = "{PLANTED_KEY}"\n',
    "web/package-lock.json": PACKAGE_LOCK,
    "web/index.js": "export const total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n",
}


@pytest.mark.usefixtures("allowed_loopback")
def test_every_repository_engine_finds_exactly_what_was_planted(
    api: TestClient, caller: dict[str, Any], git_repository: GitRepository
) -> None:
    # given: a Python and an npm project with a vulnerable pin each, a planted key and a SQL injection
    git_repository.commit(PROJECT, "shop")

    # when: every engine a repository has (the default)
    scan = _scan(api, caller, git_repository.url)

    # then
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    assert scan.engines == ["sast", "secrets", "dependencies"]
    findings = Finding.objects.filter(asset=caller["asset"])
    found = sorted(
        (finding.tool, finding.rule_id or "", finding.file_path, finding.line_start) for finding in findings
    )
    dependency = [row for row in found if row[0] == "bastion-dependency-audit"]
    assert [(rule, path) for _tool, rule, path, _line in dependency] == [
        ("GHSA-jf85-cpcp-j695", "web/package-lock.json"),
        (DJANGO_ADVISORY, "backend/requirements.txt"),
    ]
    secrets = [row for row in found if row[0] == "bastion-secrets"]
    assert [(path, line) for _tool, _rule, path, line in secrets] == [("backend/settings.py", 1)]
    sast = [row for row in found if row[0] == "bastion-sast"]
    assert [(path, line) for _tool, _rule, path, line in sast] == [("backend/app.py", 11)]
    assert "sql" in sast[0][1].lower()
    # the key's value is nowhere in Bastion's database
    for finding in findings:
        assert PLANTED_KEY not in f"{finding.title} {finding.description} {finding.evidence}"
    assert scan.new == len(found) == 4
