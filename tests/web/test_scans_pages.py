"""The scan pages: history and new-scan form, a scan's live log and cancel, allow-list and schedules.

Each page is read through the scan selectors and written through the scan services: the tests
check what each role sees and may do, that refusals are said next to the field with nothing
created, and that another organisation's scans, entries and schedules are a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from bastion.contracts.principal import Role
from bastion.contracts.scans import ScanState, ScanStep
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.scans import services
from bastion.core.scans.models import AllowedRange, ScanJob, ScanSchedule
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.models import Organization
from bastion.core.web.scans import views
from bastion.core.web.scope import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user: User, org: Organization | None = None) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if org is not None:
        session = client.session
        session[SESSION_KEY] = org.slug
        session.save()
    return client


def scan_of(asset: Asset, *, state: ScanState = ScanState.QUEUED, target: str = "127.0.0.1") -> ScanJob:
    """A scan as the service leaves it once accepted (the state set as a worker would)."""
    return ScanJob.objects.create(
        organization=asset.organization,
        asset=asset,
        target_kind="host",
        target=target,
        addresses=[target],
        engines=["services"],
        state=state,
        log=[services.log_line(ScanStep.QUEUED, message=f"host {target}: services")],
    )


def host_scan(**fields: Any) -> dict[str, Any]:
    """The new-scan form as a browser sends it: every engine checked (the default)."""
    return {
        "kind": "host",
        "target": "127.0.0.1",
        "asset": "",
        "organization": "acme",
        "engines": ["sast", "secrets", "dependencies", "services", "web"],
        **fields,
    }


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def other() -> Organization:
    return factories.organization("globex")


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the scans sent to the scans queue (no broker, no worker)."""
    sent: list[str] = []
    monkeypatch.setattr(services, "queue", lambda scan_id: sent.append(str(scan_id)))
    return sent


# --- every page, every role ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_scan_form", "sees_allow_form", "sees_schedule_form"),
    [
        (Role.VIEWER, False, False, False),
        (Role.ANALYST, True, False, True),
        (Role.OWNER, True, True, True),
    ],
)
def test_each_page_renders_for_each_role_with_the_forms_the_role_may_use(
    org: Organization, role: Role, sees_scan_form: bool, sees_allow_form: bool, sees_schedule_form: bool
) -> None:
    # given
    asset = factories.asset(org, name="lab", kind="host")
    scan = scan_of(asset)
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32", note="lab")
    ScanSchedule.objects.create(
        organization=org, asset=asset, target_kind="host", target="127.0.0.1", cron="0 2 * * *"
    )
    client = client_for(factories.member(org, role))

    # when
    history = client.get("/scans/")
    detail = client.get(f"/scans/{scan.pk}/")
    log = client.get(f"/scans/{scan.pk}/log")
    targets = client.get("/scans/targets/")

    # then
    assert [history.status_code, detail.status_code, log.status_code, targets.status_code] == [200] * 4
    assert ('id="scan-form"' in history.content.decode()) is sees_scan_form
    assert ('id="no-scan-form"' in history.content.decode()) is not sees_scan_form
    assert [row.pk for row in history.context["page"]] == [scan.pk]
    assert ('data-dialog-open="cancel-scan"' in detail.content.decode()) is sees_scan_form
    page = targets.content.decode()
    assert ('id="allow-form"' in page) is sees_allow_form
    assert ("Only an organisation's owner changes its allow-list." in page) is not sees_allow_form
    assert "need an entry of their own" in page
    assert "<code>127.0.0.1/32</code>" in page
    assert ('id="schedule-form"' in page) is sees_schedule_form
    assert "<code>0 2 * * *</code>" in page


def test_the_scans_link_is_in_the_main_navigation(org: Organization) -> None:
    response = client_for(factories.member(org, Role.VIEWER)).get("/scans/")

    assert '<a href="/scans/" aria-current="page">Scans</a>' in response.content.decode()


# --- starting a scan -------------------------------------------------------------------------------


def test_an_analyst_starts_a_host_scan_of_an_allow_listed_address_and_it_is_queued(
    org: Organization, queued: list[str], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.ANALYST, email="ana@acme.example"))

    # when: no asset chosen, every engine checked, ports given
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/scans/", host_scan(ports="22,80,8000-8010"))

    # then
    scan = ScanJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/scans/{scan.pk}/"
    assert (scan.state, scan.target, scan.addresses, scan.engines, scan.options) == (
        "queued",
        "127.0.0.1",
        ["127.0.0.1"],
        ["services"],
        {"ports": "22,80,8000-8010"},
    )
    assert scan.created_by is not None
    assert (scan.asset.kind, scan.asset.identifier, scan.created_by.email) == (
        "host",
        "127.0.0.1",
        "ana@acme.example",
    )
    assert queued == [str(scan.pk)]
    page = client.get(response["Location"]).content.decode()
    assert "Scan of 127.0.0.1 queued." in page
    assert f'hx-get="/scans/{scan.pk}/log" hx-trigger="every 1s"' in page
    assert "<td>queued</td>" in page


def test_a_scan_of_a_chosen_asset_runs_the_engines_chosen(org: Organization, queued: list[str]) -> None:
    asset = factories.asset(org, name="shop")
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post(
        "/scans/",
        host_scan(kind="url", target="http://127.0.0.1:8080/", asset=str(asset.pk), engines=["web"]),
    )

    scan = ScanJob.objects.get()
    assert response.status_code == 302
    assert (scan.asset_id, scan.target_kind, scan.engines, scan.addresses) == (
        asset.pk,
        "url",
        ["web"],
        ["127.0.0.1"],
    )


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({}, "target", "not in the organisation&#x27;s allow-list"),
        ({"target": "169.254.169.254"}, "target", "not in the organisation&#x27;s allow-list"),
        ({"target": "2130706433"}, "target", "ambiguous numeric address"),
        ({"kind": "url", "target": "file:///etc/passwd"}, "target", "scheme &#x27;file&#x27; is not allowed"),
        ({"kind": "repository", "target": "ext::sh"}, "target", "transport helpers"),
        ({"ports": "22;rm"}, "ports", "Option &#x27;ports&#x27; must list ports"),
        ({"engines": ["sast"]}, "engines", "Choose at least one engine that scans a host."),
        ({"commit": "abc"}, "commit", "A commit applies only to repository scans."),
        ({"branch": "main"}, "branch", "Branch apply only to repository scans."),
    ],
)
def test_a_refused_scan_is_explained_next_to_its_field_and_nothing_is_created(
    org: Organization, queued: list[str], fields: dict[str, Any], field: str, reason: str
) -> None:
    # given
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    response = client.post("/scans/", host_scan(**fields))

    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert reason in response.content.decode()
    assert (ScanJob.objects.count(), Asset.objects.count(), queued) == (0, 0, [])


def test_a_viewer_may_not_start_a_scan(org: Organization, queued: list[str]) -> None:
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.post("/scans/", host_scan())

    assert response.status_code == 403
    assert (ScanJob.objects.count(), Asset.objects.count(), queued) == (0, 0, [])


def test_an_asset_of_another_organisation_cannot_be_scanned(
    org: Organization, other: Organization, queued: list[str]
) -> None:
    foreign = factories.asset(other, name="theirs")
    AllowedRange.objects.create(organization=other, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.OWNER))

    response = client.post("/scans/", host_scan(asset=str(foreign.pk), organization="globex"))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"asset", "organization"}
    assert ScanJob.objects.count() == 0


def test_the_forms_refuse_a_post_without_the_csrf_token(org: Organization) -> None:
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.member(org, Role.OWNER), backend="django.contrib.auth.backends.ModelBackend")

    responses = [
        client.post("/scans/", host_scan()),
        client.post("/scans/targets/allow-list", {"value": "10.0.0.0/8", "organization": "acme"}),
    ]

    assert [response.status_code for response in responses] == [403, 403]
    assert (ScanJob.objects.count(), AllowedRange.objects.count()) == (0, 1)


# --- the history -----------------------------------------------------------------------------------


def test_the_history_lists_the_organisations_scans_newest_first_filtered_by_asset_and_state(
    org: Organization, other: Organization
) -> None:
    # given
    lab, shop = factories.asset(org, name="lab"), factories.asset(org, name="shop")
    first = scan_of(lab, state=ScanState.COMPLETED)
    second = scan_of(shop, state=ScanState.FAILED)
    third = scan_of(lab, state=ScanState.QUEUED)
    scan_of(factories.asset(other, name="theirs"))
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    everything = client.get("/scans/")
    of_lab = client.get(f"/scans/?asset={lab.pk}")
    completed = client.get("/scans/?state=completed")

    # then
    assert [scan.pk for scan in everything.context["page"]] == [third.pk, second.pk, first.pk]
    assert [scan.pk for scan in of_lab.context["page"]] == [third.pk, first.pk]
    assert [scan.pk for scan in completed.context["page"]] == [first.pk]
    assert 'class="badge badge--completed">Completed</span>' in completed.content.decode()


def test_the_history_pages_keep_the_filters(org: Organization, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    lab = factories.asset(org, name="lab")
    for _ in range(3):
        scan_of(lab, state=ScanState.CANCELLED)
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/scans/?state=cancelled")

    assert '<a href="?state=cancelled&amp;page=2">Next</a>' in response.content.decode()
    assert len(client.get("/scans/?state=cancelled&page=2").context["page"].object_list) == 1


def test_the_switcher_narrows_the_history_to_one_organisation(org: Organization, other: Organization) -> None:
    user = factories.member(org, Role.VIEWER)
    ours = scan_of(factories.asset(org))
    tenancy.set_membership(organization=other, user=user, role=Role.VIEWER)
    theirs = scan_of(factories.asset(other))

    every = client_for(user).get("/scans/")
    narrowed = client_for(user, org).get("/scans/")

    assert {scan.pk for scan in every.context["page"]} == {ours.pk, theirs.pk}
    assert [scan.pk for scan in narrowed.context["page"]] == [ours.pk]


# --- one scan: log and cancel ----------------------------------------------------------------------


def test_the_log_shows_every_line_and_stops_polling_once_finished(org: Organization) -> None:
    # given
    scan = scan_of(factories.asset(org), state=ScanState.RUNNING)
    scan.log.append(
        services.log_line(ScanStep.ENGINE_FINISHED, engine="services", message="nmap done", parsed=3)
    )
    scan.save()
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    running = client.get(f"/scans/{scan.pk}/log")
    services.finish(scan_id=scan.pk, state=ScanState.COMPLETED)
    finished = client.get(f"/scans/{scan.pk}/log")

    # then
    assert [line["step"] for line in running.context["lines"]] == ["queued", "engine-finished"]
    assert "<td>services</td><td>nmap done</td><td>parsed 3</td>" in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "hx-trigger" not in finished.content.decode()
    assert 'data-state="completed"' in finished.content.decode()
    assert [line["step"] for line in finished.context["lines"]] == ["queued", "engine-finished", "done"]


def test_another_organisations_scan_is_not_found(org: Organization, other: Organization) -> None:
    theirs = scan_of(factories.asset(other))
    client = client_for(factories.member(org, Role.OWNER))

    responses = [
        client.get(f"/scans/{theirs.pk}/"),
        client.get(f"/scans/{theirs.pk}/log"),
        client.post(f"/scans/{theirs.pk}/cancel"),
        client.get("/scans/00000000-0000-0000-0000-000000000000/"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert ScanJob.objects.get(pk=theirs.pk).state == "queued"


def test_an_analyst_cancels_a_queued_scan_at_once(org: Organization) -> None:
    scan = scan_of(factories.asset(org))
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post(f"/scans/{scan.pk}/cancel")

    scan.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/scans/{scan.pk}/"
    assert (scan.state, scan.log[-1]["message"]) == ("cancelled", "cancelled: cancelled before it started")
    page = client.get(response["Location"]).content.decode()
    assert "Scan cancelled." in page
    assert 'data-dialog-open="cancel-scan"' not in page  # finished: nothing to cancel


def test_cancelling_a_running_scan_asks_its_worker_to_stop(org: Organization) -> None:
    scan = scan_of(factories.asset(org), state=ScanState.RUNNING)
    client = client_for(factories.member(org, Role.ANALYST, email="ana@acme.example"))

    response = client.post(f"/scans/{scan.pk}/cancel", follow=True)

    scan.refresh_from_db()
    assert (scan.state, scan.log[-1]["message"]) == ("cancelling", "cancelled by ana@acme.example")
    assert "Cancelling: the worker stops the scan" in response.content.decode()


def test_a_viewer_may_not_cancel_a_scan(org: Organization) -> None:
    scan = scan_of(factories.asset(org))
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.post(f"/scans/{scan.pk}/cancel")

    assert response.status_code == 403
    scan.refresh_from_db()
    assert (scan.state, len(scan.log)) == ("queued", 1)


# --- the allow-list --------------------------------------------------------------------------------


def test_an_owner_adds_and_removes_an_allow_list_entry(org: Organization) -> None:
    client = client_for(factories.member(org, Role.OWNER))

    added = client.post(
        "/scans/targets/allow-list", {"value": " 127.0.0.1/32", "note": "lab", "organization": "acme"}
    )
    entry = AllowedRange.objects.get()
    removed = client.post(f"/scans/targets/allow-list/{entry.pk}/remove", follow=True)

    assert added.status_code == 302
    assert added["Location"] == "/scans/targets/#allow-list"
    assert (entry.organization_id, entry.value, entry.note) == (org.pk, "127.0.0.1/32", "lab")
    assert removed.status_code == 200
    assert "Scans of 127.0.0.1/32 are no longer allowed." in removed.content.decode()
    assert AllowedRange.objects.count() == 0


def test_a_malformed_allow_list_entry_is_refused_next_to_its_field(org: Organization) -> None:
    client = client_for(factories.member(org, Role.OWNER))

    response = client.post("/scans/targets/allow-list", {"value": "10.0.0.1/8", "organization": "acme"})

    assert response.status_code == 400
    assert list(response.context["allow_form"].errors) == ["value"]
    assert "host bits set?" in response.content.decode()
    assert AllowedRange.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.ADMIN])
def test_only_an_owner_changes_the_allow_list(org: Organization, role: Role) -> None:
    entry = AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = client_for(factories.member(org, role))

    added = client.post("/scans/targets/allow-list", {"value": "10.0.0.0/8", "organization": "acme"})
    removed = client.post(f"/scans/targets/allow-list/{entry.pk}/remove")

    assert (added.status_code, removed.status_code) == (403, 403)
    assert list(AllowedRange.objects.values_list("value", flat=True)) == ["127.0.0.1/32"]


def test_an_owner_cannot_touch_another_organisations_allow_list(
    org: Organization, other: Organization
) -> None:
    theirs = AllowedRange.objects.create(organization=other, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.OWNER))

    added = client.post("/scans/targets/allow-list", {"value": "10.0.0.0/8", "organization": "globex"})
    removed = client.post(f"/scans/targets/allow-list/{theirs.pk}/remove")
    page = client.get("/scans/targets/").content.decode()

    assert (added.status_code, removed.status_code) == (400, 404)
    assert list(AllowedRange.objects.values_list("organization_id", "value")) == [(other.pk, "127.0.0.1/32")]
    assert "<code>127.0.0.1/32</code>" not in page


# --- schedules -------------------------------------------------------------------------------------


def _schedule(asset: Asset, **fields: Any) -> dict[str, Any]:
    return {
        "asset": str(asset.pk),
        "kind": "host",
        "target": "127.0.0.1",
        "cron": "daily",
        "engines": ["sast", "services", "web"],
        "is_enabled": "on",
        **fields,
    }


def test_an_analyst_schedules_edits_and_deletes_a_scan(org: Organization) -> None:
    # given
    asset = factories.asset(org, name="lab", kind="host")
    AllowedRange.objects.create(organization=org, value="127.0.0.0/24")
    client = client_for(factories.member(org, Role.ANALYST))

    # when: created
    created = client.post("/scans/schedules", _schedule(asset, ports="22"))
    schedule = ScanSchedule.objects.get()

    # then
    assert created.status_code == 302
    assert created["Location"] == "/scans/targets/#schedules"
    assert (schedule.asset_id, schedule.target, schedule.cron, schedule.engines, schedule.options) == (
        asset.pk,
        "127.0.0.1",
        "0 2 * * *",
        ["services"],
        {"ports": "22"},
    )
    assert schedule.is_enabled
    assert schedule.next_run_at is not None

    # when: edited (the form shows its values), then disabled
    form = client.get(f"/scans/schedules/{schedule.pk}/")
    assert form.status_code == 200
    assert form.context["form"].initial["cron"] == "0 2 * * *"
    edited = client.post(
        f"/scans/schedules/{schedule.pk}/",
        {"kind": "host", "target": "127.0.0.2", "cron": "*/30 * * * *", "engines": ["services"]},
    )
    changed = ScanSchedule.objects.get(pk=schedule.pk)
    assert edited.status_code == 302
    assert (changed.target, changed.cron, changed.is_enabled, changed.next_run_at) == (
        "127.0.0.2",
        "*/30 * * * *",
        False,
        None,
    )

    # when: deleted
    deleted = client.post(f"/scans/schedules/{schedule.pk}/delete")
    assert deleted.status_code == 302
    assert ScanSchedule.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"cron": "every tuesday"}, "cron", "is not a cron expression"),
        ({"target": "192.0.2.1"}, "target", "not in the organisation&#x27;s allow-list"),
        ({"engines": ["web"]}, "engines", "Choose at least one engine that scans a host."),
    ],
)
def test_a_refused_schedule_is_explained_next_to_its_field(
    org: Organization, fields: dict[str, Any], field: str, reason: str
) -> None:
    asset = factories.asset(org, kind="host")
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post("/scans/schedules", _schedule(asset, **fields))

    assert response.status_code == 400
    assert list(response.context["schedule_form"].errors) == [field]
    assert reason in response.content.decode()
    assert ScanSchedule.objects.count() == 0


def test_a_viewer_may_not_schedule_change_or_delete(org: Organization) -> None:
    asset = factories.asset(org, kind="host")
    AllowedRange.objects.create(organization=org, value="127.0.0.1/32")
    schedule = ScanSchedule.objects.create(
        organization=org, asset=asset, target_kind="host", target="127.0.0.1", cron="0 2 * * *"
    )
    client = client_for(factories.member(org, Role.VIEWER))

    responses = [
        client.post("/scans/schedules", _schedule(asset)),
        client.get(f"/scans/schedules/{schedule.pk}/"),
        client.post(f"/scans/schedules/{schedule.pk}/", _schedule(asset, cron="hourly")),
        client.post(f"/scans/schedules/{schedule.pk}/delete"),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert list(ScanSchedule.objects.values_list("cron", flat=True)) == ["0 2 * * *"]


def test_another_organisations_schedule_is_not_found(org: Organization, other: Organization) -> None:
    theirs = ScanSchedule.objects.create(
        organization=other,
        asset=factories.asset(other),
        target_kind="host",
        target="127.0.0.1",
        cron="0 2 * * *",
    )
    client = client_for(factories.member(org, Role.OWNER))

    responses = [
        client.get(f"/scans/schedules/{theirs.pk}/"),
        client.post(f"/scans/schedules/{theirs.pk}/delete"),
        client.post("/scans/schedules", _schedule(theirs.asset)),
    ]

    assert [response.status_code for response in responses] == [404, 404, 400]
    assert ScanSchedule.objects.count() == 1
