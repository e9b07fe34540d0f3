"""Scans started without a person: a forge's signed push event, and schedules run by beat."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from bastion.contracts.scans import ScanState, TargetKind
from bastion.core.advisories.services import import_osv
from bastion.core.findings.models import Finding
from bastion.core.imports.models import WebhookSecret
from bastion.core.scans import services
from bastion.core.scans.exceptions import ScanRefused
from bastion.core.scans.models import ScanJob, ScanSchedule
from bastion.core.sealed import seal
from bastion.scanner.scans.tasks import run_scan
from tests.scanner.scans.conftest import GitRepository, auth

SECRET = "forge-shared-secret-for-tests"
OSV_FIXTURES = Path(__file__).parents[2] / "core" / "advisories" / "fixtures" / "osv"


@pytest.fixture
def organisation(caller: dict[str, Any]) -> dict[str, Any]:
    WebhookSecret.objects.create(organization=caller["org"], secret=seal(SECRET))
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    return caller


def _github_push(url: str, commit: str, delivery: str = "d-1") -> tuple[bytes, dict[str, str]]:
    body = orjson.dumps(
        {"ref": "refs/heads/main", "after": commit, "repository": {"clone_url": url, "html_url": url}}
    )
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-GitHub-Event": "push", "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": signature}
    return body, headers


def test_a_signed_push_scans_the_repository_at_the_pushed_commit(
    api: TestClient, organisation: dict[str, Any], git_repository: GitRepository
) -> None:
    # given: a repository asset whose identifier is the repository's URL, with a vulnerable pin pushed
    import_osv(OSV_FIXTURES)
    asset = organisation["asset"]
    asset.kind, asset.identifier = "repository", git_repository.url
    asset.save()
    commit = git_repository.commit({"requirements.txt": "Django==3.2.0\n"}, "pin")
    git_repository.commit({"requirements.txt": "Django==3.2.14\n"}, "later, not the pushed one")

    # when: the forge delivers the push of the first commit
    body, headers = _github_push(git_repository.url + "/", commit)
    response = api.post("/scanner/v1/webhooks/push/acme", content=body, headers=headers)

    # then: a scan at that commit was queued, and it finds the pin of that commit
    assert response.status_code == 202, response.text
    [scan_id] = response.json()["scans"]
    run_scan(scan_id)
    scan = ScanJob.objects.get(pk=scan_id)
    assert (scan.trigger, scan.commit, scan.state) == ("push", commit, ScanState.COMPLETED)
    assert Finding.objects.filter(asset=asset, rule_id="GHSA-p64x-8rxx-wf6q").count() == 1

    # and the same delivery again is refused
    assert api.post("/scanner/v1/webhooks/push/acme", content=body, headers=headers).status_code == 409


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        ({}, 400, "not a forge delivery"),
        ({"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=00"}, 401, "invalid signature"),
        ({"X-GitHub-Event": "push"}, 401, "invalid signature"),
        ({"X-Gitea-Event": "push", "X-Gitea-Signature": "sha256=x"}, 401, "invalid signature"),
        ({"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "wrong"}, 401, "invalid signature"),
    ],
)
def test_an_unsigned_or_wrongly_signed_push_is_refused(
    api: TestClient, organisation: dict[str, Any], headers: dict[str, str], status: int, reason: str
) -> None:
    body = orjson.dumps({"after": "a" * 40, "repository": {"clone_url": "https://example.com/x.git"}})
    response = api.post("/scanner/v1/webhooks/push/acme", content=body, headers=headers)
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert not ScanJob.objects.exists()


def test_gitlab_and_gitea_pushes_are_read_as_those_forges_send_them(
    api: TestClient, organisation: dict[str, Any]
) -> None:
    # given: a repository asset
    asset = organisation["asset"]
    asset.kind, asset.identifier = "repository", "https://93.184.215.14/team/app.git"
    asset.save()
    commit = "b" * 40

    # when: GitLab (the token, not a signature) and Gitea (a bare hex HMAC) push
    gitlab = orjson.dumps(
        {
            "object_kind": "push",
            "after": commit,
            "project": {"git_http_url": "https://93.184.215.14/team/app/"},
        }
    )
    gitea = orjson.dumps({"after": commit, "repository": {"clone_url": "https://93.184.215.14/team/app.git"}})
    gitea_signature = hmac.new(SECRET.encode(), gitea, hashlib.sha256).hexdigest()
    responses = [
        api.post(
            "/scanner/v1/webhooks/push/acme",
            content=gitlab,
            headers={"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": SECRET, "X-Gitlab-Event-UUID": "u-1"},
        ),
        api.post(
            "/scanner/v1/webhooks/push/acme",
            content=gitea,
            headers={
                "X-Gitea-Event": "push",
                "X-Gitea-Signature": gitea_signature,
                "X-Gitea-Delivery": "g-1",
            },
        ),
    ]

    # then: each queued one scan of the asset at that commit (a public address needs no allow-listing)
    for response in responses:
        assert response.status_code == 202, response.text
        assert len(response.json()["scans"]) == 1
    scans = ScanJob.objects.filter(asset=asset)
    assert [(scan.commit, scan.trigger, scan.target) for scan in scans] == [
        (commit, "push", "https://93.184.215.14/team/app.git")
    ] * 2


def test_a_branch_deletion_or_another_event_starts_nothing(
    api: TestClient, organisation: dict[str, Any]
) -> None:
    for event, payload in (
        ("push", {"after": "0" * 40, "deleted": True, "repository": {"clone_url": "https://e.com/x.git"}}),
        ("ping", {"zen": "Keep it logically awesome."}),
    ):
        body = orjson.dumps(payload)
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": event, "X-Hub-Signature-256": signature}
        response = api.post("/scanner/v1/webhooks/push/acme", content=body, headers=headers)
        assert response.status_code == 202
        assert response.json()["scans"] == []


def test_a_due_schedule_starts_one_scan_and_moves_to_its_next_run(
    api: TestClient, organisation: dict[str, Any]
) -> None:
    # given: a daily schedule created through the API
    response = api.post(
        "/scanner/v1/scan-schedules",
        headers=auth(organisation["key"]),
        json={
            "asset": organisation["asset"].pk,
            "target": {"kind": "host", "value": "127.0.0.1"},
            "cron": "daily",
        },
    )
    assert response.status_code == 201, response.text
    schedule = ScanSchedule.objects.get(pk=response.json()["id"])
    assert schedule.cron == "0 2 * * *"
    assert schedule.next_run_at is not None
    due = schedule.next_run_at + timedelta(seconds=1)

    # when: beat looks, twice in the same minute
    first = services.run_due_schedules(now=due)
    second = services.run_due_schedules(now=due)

    # then: one scan, triggered by the schedule; the next run is a day later
    assert first == {"started": 1, "refused": 0}
    assert second == {"started": 0, "refused": 0}
    scan = ScanJob.objects.get(schedule=schedule)
    assert (scan.trigger, scan.target, scan.addresses) == ("schedule", "127.0.0.1", ["127.0.0.1"])
    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime(due.year, due.month, due.day, 2, tzinfo=UTC) + timedelta(days=1)


def test_a_schedule_whose_target_left_the_allow_list_is_skipped_and_kept(
    organisation: dict[str, Any],
) -> None:
    # given
    schedule = services.save_schedule(
        actor=organisation["analyst"],
        asset=organisation["asset"],
        kind=TargetKind.HOST,
        target="127.0.0.1",
        cron="* * * * *",
    )
    entry = organisation["org"].allowed_ranges.get()
    services.remove_allowed_range(actor=organisation["owner"], entry=entry)

    # when
    assert schedule.next_run_at is not None
    counts = services.run_due_schedules(now=schedule.next_run_at)

    # then
    assert counts == {"started": 0, "refused": 1}
    assert ScanSchedule.objects.filter(pk=schedule.pk, is_enabled=True).exists()
    assert not ScanJob.objects.exists()


@pytest.mark.parametrize("cron", ["61 * * * *", "* * *", "every day", "@reboot"])
def test_a_bad_cron_expression_is_refused(organisation: dict[str, Any], cron: str) -> None:
    with pytest.raises(ScanRefused, match="is not a cron expression"):
        services.save_schedule(
            actor=organisation["analyst"],
            asset=organisation["asset"],
            kind=TargetKind.HOST,
            target="127.0.0.1",
            cron=cron,
        )
