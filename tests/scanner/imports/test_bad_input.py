"""Bad input: every kind is refused with a clear reason, and nothing of it is kept."""

from __future__ import annotations

import gzip
import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob
from bastion.core.imports.tasks import run_import
from tests import factories
from tests.scanner.imports.conftest import SCANS, Importer

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<OWASPZAPReport version="2.9.0"><site name="http://x"><alerts><alertitem><pluginid>1</pluginid>
<alert>&lol3;</alert><riskcode>1</riskcode></alertitem></alerts></site></OWASPZAPReport>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<OWASPZAPReport version="2.9.0"><site name="http://x"><alerts><alertitem><pluginid>1</pluginid>
<alert>&xxe;</alert><riskcode>1</riskcode></alertitem></alerts></site></OWASPZAPReport>"""


def _failed(job: ImportJob, reason: str) -> None:
    assert job.state == "failed"
    assert reason in job.error
    assert Finding.objects.count() == 0


def test_malformed_json_fails_naming_the_problem(import_report: Importer) -> None:
    job = import_report(
        b'{"errors": [], "generated_at": "x", '
        b'"metrics": {"_totals": {"CONFIDENCE.HIGH": 1, "SEVERITY.LOW": 1}}, "results": [{"filename": ',
        format="bandit",
    )

    _failed(job, "invalid JSON")


def test_truncated_report_fails(import_report: Importer) -> None:
    data = (SCANS / "bandit" / "dd.json").read_bytes()

    job = import_report(data[: len(data) // 2])

    _failed(job, "invalid JSON")


def test_malformed_record_midway_fails_whole_naming_its_position(import_report: Importer) -> None:
    report = json.loads((SCANS / "bandit" / "dd.json").read_bytes())
    report["results"][30]["filename"] = None
    del report["results"][30]["filename"]

    job = import_report(json.dumps(report).encode())

    _failed(job, "finding[30]")
    assert job.parsed == 0


def test_report_of_another_format_than_claimed_fails(import_report: Importer) -> None:
    job = import_report(SCANS / "trivy" / "scheme_2_many_vulns.json", format="bandit")

    assert job.state == "failed"
    assert job.error != ""
    assert Finding.objects.count() == 0


def _refused_at_intake(client: TestClient, caller: dict[str, Any], content: bytes) -> Any:
    response = client.post(
        "/scanner/v1/imports",
        headers={"Authorization": f"Token {caller['key']}"},
        files={"file": ("report", content)},
        data={"asset": str(caller["asset"].pk)},
    )
    assert ImportJob.objects.count() == 0
    return response


def test_unknown_format_is_refused_at_intake(gateway_client: TestClient, caller: dict[str, Any]) -> None:
    response = _refused_at_intake(gateway_client, caller, b"just some text, not a report")

    assert response.status_code == 400
    assert "format was not recognised" in response.json()["detail"]


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_xml_with_doctype_or_entities_is_refused(import_report: Importer, content: bytes) -> None:
    job = import_report(content, format="zap")

    _failed(job, "not allowed")


def test_compressed_report_is_not_unpacked(gateway_client: TestClient, caller: dict[str, Any]) -> None:
    bomb = gzip.compress(b"{" * 10_000_000)

    response = _refused_at_intake(gateway_client, caller, bomb)

    assert response.status_code == 400
    assert "format was not recognised" in response.json()["detail"]


def test_absurd_field_size_fails_clearly(import_report: Importer) -> None:
    document = {
        "bastion_generic_version": 1,
        "tool": "ci",
        "findings": [{"title": "x" * 2_000_000, "severity": "low"}],
    }

    job = import_report(json.dumps(document).encode(), format="generic")

    assert job.state == "failed", job.error
    assert "a field of 2,000,000 characters is longer than the limit of 1,000,000" in job.error
    assert Finding.objects.count() == 0


def test_oversize_body_is_refused_before_anything_is_kept(
    gateway_client: TestClient, caller: dict[str, Any], fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.setenv("BASTION_MAX_UPLOAD_BYTES", "4096")

    response = gateway_client.post(
        "/scanner/v1/imports",
        headers={"Authorization": f"Token {caller['key']}"},
        files={"file": ("big.json", b"x" * 5000)},
        data={"asset": str(caller["asset"].pk)},
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "the report is larger than the limit of 4096 bytes"}
    assert ImportJob.objects.count() == 0


def test_compressed_request_body_is_refused(gateway_client: TestClient, caller: dict[str, Any]) -> None:
    response = gateway_client.post(
        f"/scanner/v1/imports?asset={caller['asset'].pk}",
        headers={"Authorization": f"Token {caller['key']}", "Content-Encoding": "gzip"},
        content=gzip.compress(b"{}"),
    )

    assert response.status_code == 415
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"format": "nonsense"}, 400, "unknown format 'nonsense'"),
        ({"full": "maybe"}, 400, "full must be true or false"),
        ({"minimum_severity": "urgent"}, 400, "minimum_severity must be one of"),
        ({"asset": "999999"}, 404, "no asset 999999"),
        ({"asset": ""}, 400, "name the asset"),
    ],
)
def test_bad_fields_are_refused(
    gateway_client: TestClient, caller: dict[str, Any], fields: dict[str, str], status: int, message: str
) -> None:
    data = {"asset": str(caller["asset"].pk), **fields}

    response = gateway_client.post(
        "/scanner/v1/imports",
        headers={"Authorization": f"Token {caller['key']}"},
        files={"file": ("r.json", (SCANS / "bandit" / "one_vuln.json").read_bytes())},
        data=data,
    )

    assert response.status_code == status
    assert message in response.json()["detail"]
    assert ImportJob.objects.count() == 0


def test_raw_body_with_query_parameters_works(gateway_client: TestClient, caller: dict[str, Any]) -> None:
    response = gateway_client.post(
        f"/scanner/v1/imports?asset={caller['asset'].pk}&tags=raw",
        headers={
            "Authorization": f"Token {caller['key']}",
            "Content-Type": "application/octet-stream",
        },
        content=(SCANS / "bandit" / "one_vuln.json").read_bytes(),
    )
    run_import(response.json()["id"])

    assert response.status_code == 202
    status = gateway_client.get(
        response.json()["status_url"], headers={"Authorization": f"Token {caller['key']}"}
    ).json()
    assert (status["state"], status["new"], status["format"]) == ("completed", 1, "bandit")


def test_events_stream_ends_with_the_final_state(
    import_report: Importer, gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    job = import_report(SCANS / "bandit" / "one_vuln.json")

    with gateway_client.stream(
        "GET",
        f"/scanner/v1/imports/{job.pk}/events",
        headers={"Authorization": f"Token {caller['key']}"},
    ) as response:
        body = b"".join(response.iter_bytes()).decode()

    assert response.headers["content-type"].startswith("text/event-stream")
    assert body.startswith("event: completed\ndata: ")
    assert json.loads(body.split("data: ", 1)[1])["new"] == 1


def test_another_organisations_import_is_404(import_report: Importer, gateway_client: TestClient) -> None:
    job = import_report(SCANS / "bandit" / "one_vuln.json")
    stranger_org = factories.organization("stranger")
    key = factories.token_key(factories.member(stranger_org, Role.OWNER), stranger_org)

    for path in [f"/scanner/v1/imports/{job.pk}", f"/scanner/v1/imports/{job.pk}/events"]:
        response = gateway_client.get(path, headers={"Authorization": f"Token {key}"})
        assert response.status_code == 404


def test_too_many_imports_in_a_minute_answer_429(
    gateway_client: TestClient, caller: dict[str, Any], fresh_settings: pytest.MonkeyPatch
) -> None:
    # given: a limit of two imports a minute, and not at the end of the minute's window
    fresh_settings.setenv("BASTION_IMPORTS_PER_MINUTE", "2")
    while int(time.time()) % 60 > 50:
        time.sleep(1)
    report = (SCANS / "bandit" / "one_vuln.json").read_bytes()
    # when
    statuses = [
        gateway_client.post(
            "/scanner/v1/imports",
            headers={"Authorization": f"Token {caller['key']}"},
            files={"file": ("r.json", report)},
            data={"asset": str(caller["asset"].pk)},
        )
        for _ in range(3)
    ]
    # then
    assert [response.status_code for response in statuses] == [202, 202, 429]
    assert statuses[2].json()["detail"].startswith("rate limit: at most 2 imports per 60 s; retry in ")
    assert 1 <= int(statuses[2].headers["Retry-After"]) <= 60
    assert ImportJob.objects.count() == 2
