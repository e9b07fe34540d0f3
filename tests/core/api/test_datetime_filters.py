"""Every date and date-time filter of the core API answers a hostile value with 400, never 500."""

from __future__ import annotations

from datetime import UTC, timedelta

import django_filters
import pytest
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.api.urls import router
from bastion.core.audit.models import AuditEvent
from tests import factories


def _date_filters() -> list[tuple[str, str]]:
    """Return (endpoint, parameter) for every date or date-time filter of every list endpoint."""
    found = []
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None:
            continue
        for name, declared in filterset.base_filters.items():
            if isinstance(declared, django_filters.DateTimeFilter | django_filters.DateFilter):
                found.append((f"/api/v1/{prefix}", name))
    return sorted(found)


DATE_FILTERS = _date_filters()
HOSTILE = [
    "4460-02-25T16:55:45.649-19:45",  # the offset PostgreSQL refused, as a 500
    "0000-01-01T00:00:00",
    "10000-01-01T00:00:00",
    "2024-01-01T00:00:00+24:00",
    "2024-01-01T00:00:00-24:00",
    "2024-01-01T00:00:00+16:00",
    "0001-01-01T00:00:00+01:00",  # before year 1 once in UTC
    "9999-12-31T23:59:59-01:00",  # after year 9999 once in UTC
]


@pytest.fixture
def admin_client(db: None) -> APIClient:
    org = factories.organization()
    admin = factories.member(org, Role.ADMIN)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(admin, org)}")
    return client


def test_item_12_every_date_filter_is_found() -> None:
    assert DATE_FILTERS == [
        ("/api/v1/audit-events", "after"),
        ("/api/v1/audit-events", "before"),
        ("/api/v1/engagements", "starts_after"),
        ("/api/v1/engagements", "starts_before"),
        ("/api/v1/findings", "first_seen_after"),
        ("/api/v1/findings", "first_seen_before"),
        ("/api/v1/findings", "last_seen_after"),
        ("/api/v1/findings", "last_seen_before"),
        ("/api/v1/findings", "resolved_after"),
        ("/api/v1/findings", "resolved_before"),
        ("/api/v1/findings", "sla_due_after"),
        ("/api/v1/findings", "sla_due_before"),
    ]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("endpoint", "parameter"), DATE_FILTERS)
def test_item_12_hostile_datetime_filter_is_a_400(
    admin_client: APIClient, endpoint: str, parameter: str, value: str
) -> None:
    response = admin_client.get(endpoint, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert len(response.json()[parameter]) == 1


@pytest.mark.parametrize("value", ["2024-01-01\x00", "2024-01-01T00:00:00\x00"])
@pytest.mark.parametrize(("endpoint", "parameter"), DATE_FILTERS)
def test_item_12_a_nul_in_a_datetime_filter_is_a_400_naming_it(
    admin_client: APIClient, endpoint: str, parameter: str, value: str
) -> None:
    response = admin_client.get(endpoint, {parameter: value})

    assert response.status_code == 400
    assert response.json() == {"detail": f"query parameters must not contain NUL bytes: {parameter!r}"}


def test_item_12_out_of_range_offset_names_the_range(admin_client: APIClient) -> None:
    response = admin_client.get("/api/v1/audit-events", {"after": "4460-02-25T16:55:45.649-19:45"})

    assert response.status_code == 400
    assert response.json() == {"after": ["Enter a UTC offset between -12:00 and +14:00."]}


def test_item_12_instant_outside_the_years_names_the_range(admin_client: APIClient) -> None:
    response = admin_client.get("/api/v1/findings", {"first_seen_after": "9999-12-31T23:59:59-01:00"})

    assert response.status_code == 400
    assert response.json() == {
        "first_seen_after": ["Enter a date/time between 0001-01-01 and 9999-12-31 in UTC."]
    }


def test_item_12_an_offset_still_means_the_same_instant(db: None) -> None:
    # given: one audit event (the organisation's creation), and its time in another zone
    org = factories.organization()
    admin = factories.member(org, Role.ADMIN)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(admin, org)}")
    at = AuditEvent.objects.filter(organization=org).order_by("at").values_list("at", flat=True)[0]
    just_after = (at + timedelta(seconds=1)).astimezone(UTC).replace(tzinfo=None)
    in_tokyo = (just_after + timedelta(hours=9)).isoformat() + "+09:00"
    # when
    before = client.get("/api/v1/audit-events", {"before": in_tokyo, "object_type": "tenancy.organization"})
    after = client.get("/api/v1/audit-events", {"after": in_tokyo, "object_type": "tenancy.organization"})
    # then
    assert before.status_code == after.status_code == 200
    assert [event["object_id"] for event in before.json()["results"]] == [str(org.pk)]
    assert after.json()["results"] == []
