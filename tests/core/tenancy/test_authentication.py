"""One token, one principal, on all three services; bad tokens fail the same way everywhere."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.tenancy import services
from bastion.core.tenancy.models import ApiToken, Membership
from tests import factories

ME_PATHS = ["/api/v1/me", "/scanner/v1/me", "/agent/v1/me"]
INVALID = {"detail": "Invalid or expired token."}
MISSING = {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("path", ME_PATHS)
@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_valid_token_yields_the_same_principal_everywhere(
    gateway_client: TestClient, path: str, scheme: str
) -> None:
    # given
    org = factories.organization("acme")
    factories.organization("other")
    user = factories.member(org, Role.ANALYST, email="ana@example.com")
    issued = services.create_token(user=user, organization=org)
    # when
    response = gateway_client.get(path, headers={"Authorization": f"{scheme} {issued.key}"})
    # then
    assert response.status_code == 200
    assert response.json() == {
        "user_id": user.pk,
        "email": "ana@example.com",
        "is_superuser": False,
        "auth_method": "token",
        "token_id": issued.token.pk,
        "memberships": [{"organization_id": org.pk, "organization_slug": "acme", "role": "analyst"}],
    }


@pytest.mark.parametrize("path", ME_PATHS)
def test_token_reaches_only_its_own_organisation(gateway_client: TestClient, path: str) -> None:
    # given: a user in two organisations, a token for one of them
    first, second = factories.organization(), factories.organization()
    user = factories.member(first, Role.OWNER)
    services.set_membership(organization=second, user=user, role=Role.VIEWER)
    key = factories.token_key(user, second)
    # when
    response = gateway_client.get(path, headers={"Authorization": f"Token {key}"})
    # then
    assert [grant["organization_id"] for grant in response.json()["memberships"]] == [second.pk]
    assert response.json()["memberships"][0]["role"] == "viewer"


@pytest.mark.parametrize("path", ME_PATHS)
@pytest.mark.parametrize(
    "state", ["wrong", "revoked", "expired", "left_organisation", "inactive_user", "malformed"]
)
def test_unusable_token_fails_with_the_same_401_everywhere(
    gateway_client: TestClient, path: str, state: str
) -> None:
    # given
    org = factories.organization()
    user = factories.member(org)
    issued = services.create_token(user=user, organization=org)
    key = issued.key
    if state == "wrong":
        key = key[:-4] + "abcd"
    elif state == "revoked":
        services.revoke_token(token=issued.token)
    elif state == "expired":
        ApiToken.objects.filter(pk=issued.token.pk).update(
            expires_at=issued.token.created_at - timedelta(seconds=1)
        )
    elif state == "left_organisation":
        Membership.objects.filter(user=user).delete()
    elif state == "inactive_user":
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif state == "malformed":
        key = f"{key} extra"
    # when
    response = gateway_client.get(path, headers={"Authorization": f"Token {key}"})
    # then
    assert response.status_code == 401
    assert response.json() == INVALID
    assert response.headers["WWW-Authenticate"] == 'Token realm="bastion"'
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is None


@pytest.mark.parametrize("path", ME_PATHS)
def test_no_credentials_is_401_everywhere(gateway_client: TestClient, path: str) -> None:
    response = gateway_client.get(path)

    assert response.status_code == 401
    assert response.json() == MISSING


def test_token_with_future_expiry_works_and_records_use(gateway_client: TestClient) -> None:
    # given
    org = factories.organization()
    user = factories.member(org)
    issued = services.create_token(user=user, organization=org, expires_in=timedelta(days=1))
    # when
    response = gateway_client.get("/agent/v1/me", headers={"Authorization": f"Token {issued.key}"})
    # then
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_key_is_stored_only_as_a_digest(db: None) -> None:
    # given
    org = factories.organization()
    user = factories.member(org)
    # when
    issued = services.create_token(user=user, organization=org)
    # then
    stored = ApiToken.objects.values().get(pk=issued.token.pk)
    assert issued.key not in {str(value) for value in stored.values()}
    assert stored["digest"] == services.digest_key(issued.key)
    assert stored["prefix"] == issued.key[:12]


def test_key_never_appears_in_logs_or_responses(
    gateway_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    org = factories.organization()
    user = factories.member(org)
    good = factories.token_key(user, org)
    bad = good[:-4] + "wxyz"
    # when
    responses = [
        gateway_client.get(path, headers={"Authorization": f"Token {key}"})
        for path in ME_PATHS
        for key in (good, bad)
    ]
    # then
    assert [response.status_code for response in responses] == [200, 401] * 3
    for key in (good, bad):
        assert all(key not in response.text for response in responses)
        assert key not in caplog.text


def _sign_in(client: TestClient, email: str) -> None:
    """Sign in through the site's sign-in form (the admin's sends people there), as a person would."""
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={
            "login": email,
            "password": "a long test password",
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "next": "/admin/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert "sessionid" in client.cookies


def test_session_cookie_yields_every_membership(gateway_client: TestClient) -> None:
    # given
    first, second = factories.organization("alpha"), factories.organization("beta")
    user = factories.member(first, Role.ADMIN, email="sam@example.com")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    services.set_membership(organization=second, user=user, role=Role.VIEWER)
    _sign_in(gateway_client, "sam@example.com")
    # when
    responses = [gateway_client.get(path) for path in ME_PATHS]
    # then
    for response in responses:
        assert response.status_code == 200
        assert response.json()["auth_method"] == "session"
        assert [(g["organization_slug"], g["role"]) for g in response.json()["memberships"]] == [
            ("alpha", "admin"),
            ("beta", "viewer"),
        ]


def test_session_cookie_without_csrf_token_cannot_post_to_the_scanner(
    gateway_client: TestClient,
) -> None:
    # given
    org = factories.organization()
    user = factories.member(org, email="kim@example.com")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    _sign_in(gateway_client, "kim@example.com")
    # when
    response = gateway_client.post("/scanner/v1/diagnostics/worker-ping")
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF token missing or incorrect."}
