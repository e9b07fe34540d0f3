"""Advisories for the services nmap identified, where a CPE maps to an ecosystem package."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding
from bastion.core.advisories.services import import_osv
from bastion.parsers import parse_report
from bastion.scanner.engines.network import sarif_from_nmap
from bastion.scanner.engines.service_advisories import add_advisories, packages_of

# An OSV record written for this test (Gunicorn 22.0.0 fixed request smuggling: CVE-2024-1135).
GUNICORN_ADVISORY = {
    "id": "GHSA-w3h3-4rj7-4ph4",
    "modified": "2024-06-10T00:00:00Z",
    "published": "2024-04-16T00:15:00Z",
    "aliases": ["CVE-2024-1135"],
    "summary": "Request smuggling leading to endpoint restriction bypass in Gunicorn",
    "database_specific": {"cwe_ids": ["CWE-444"], "severity": "HIGH"},
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "gunicorn"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "22.0.0"}]}],
        }
    ],
}
NMAP_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap" start="1765000000" version="7.93" xmloutputversion="1.05">
<host starttime="1765000000" endtime="1765000001"><status state="up" reason="user-set"/>
<address addr="192.0.2.10" addrtype="ipv4"/>
<ports>
<port protocol="tcp" portid="8000"><state state="open" reason="syn-ack"/>
<service name="http" product="Gunicorn" version="{version}" method="probed" conf="10">
<cpe>cpe:/a:gunicorn:gunicorn:{version}</cpe></service></port>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/>
<service name="ssh" product="OpenSSH" version="8.2p1" method="probed" conf="10">
<cpe>cpe:/a:openbsd:openssh:8.2p1</cpe></service></port>
</ports></host>
<runstats><finished time="1765000001" exit="success"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>
"""


@pytest.fixture
def advisory(db: None, tmp_path: Path) -> None:
    (tmp_path / "gunicorn.json").write_text(json.dumps(GUNICORN_ADVISORY))
    import_osv(tmp_path)


def _scan(version: str) -> bytes:
    return add_advisories(sarif_from_nmap(NMAP_XML.format(version=version).encode(), target="192.0.2.10"))


def _findings(version: str) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(_scan(version)))
    return list(findings)


def test_only_mapped_cpes_with_a_version_are_looked_up() -> None:
    assert packages_of(["cpe:/a:gunicorn:gunicorn:20.0.4"]) == [("PyPI", "gunicorn", "20.0.4")]
    assert packages_of(["cpe:/a:golang:go:1.20.1"]) == [("Go", "stdlib", "go1.20.1")]
    assert (
        packages_of(["cpe:/a:openbsd:openssh:8.2p1", "cpe:/a:gunicorn:gunicorn", "cpe:/o:linux:linux_kernel"])
        == []
    )


@pytest.mark.usefixtures("advisory")
def test_an_affected_service_version_is_a_finding_and_a_fixed_one_is_not() -> None:
    # when
    affected = {finding.rule_id: finding for finding in _findings("20.0.4")}

    # then: the advisory at the service's location, rated as its source rates it, with its CWE
    finding = affected["vulnerable-service/GHSA-w3h3-4rj7-4ph4"]
    assert finding.severity == "high"
    assert finding.location.file_path == "tcp://192.0.2.10:8000"
    assert finding.cwe_ids == (444,)
    assert "Upgrade gunicorn to 22.0.0 or later." in finding.remediation
    assert "CVE-2024-1135" in finding.advisory_ids
    # and OpenSSH, which maps to no package, stays inventory only
    assert sorted(rule for rule in affected if rule.startswith("vulnerable-service/")) == [
        "vulnerable-service/GHSA-w3h3-4rj7-4ph4"
    ]

    # when the service is upgraded past the fix
    fixed = [finding.rule_id for finding in _findings("22.0.0")]

    # then
    assert not any(rule.startswith("vulnerable-service/") for rule in fixed)


@pytest.mark.usefixtures("advisory")
def test_the_finding_keeps_its_fingerprint_across_an_upgrade_that_is_still_affected() -> None:
    def key(version: str) -> str:
        [finding] = [
            f
            for f in _findings(version)
            if f.rule_id.startswith("vulnerable-service/")  # type: ignore[arg-type]
        ]
        return finding.fingerprint

    assert key("20.0.4") == key("21.2.0")
