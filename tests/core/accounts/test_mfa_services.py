"""An organisation's MFA requirement holds for the scanner and the agent as for the core's pages.

Both FastAPI services accept the core's session cookie: a member who must still set up an
authenticator gets the same 403 there, while an API token goes on (tokens are not sessions).
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.models import Organization
from tests import factories

SESSION_PATHS = ["/agent/v1/conversations", "/scanner/v1/imports/1", "/api/v1/organizations"]
REFUSAL = (
    "acme requires two-factor authentication: set up an authenticator app or a security key to continue."
)


def _session_key(user: User) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def acme(transactional_db: None) -> Organization:
    return factories.organization("acme")


@pytest.mark.parametrize("path", SESSION_PATHS)
def test_a_session_without_an_authenticator_is_refused_by_every_service(
    gateway_client: TestClient, acme: Organization, path: str
) -> None:
    # given: acme requires MFA; Ana has signed in but set up no authenticator
    ana = factories.member(acme, Role.ANALYST, email="ana@example.com")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    gateway_client.cookies.set(settings.SESSION_COOKIE_NAME, _session_key(ana))
    # when
    response = gateway_client.get(path)
    # then
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSAL


def test_a_posted_chat_message_is_refused_before_any_work(
    gateway_client: TestClient, acme: Organization
) -> None:
    ana = factories.member(acme, Role.ANALYST, email="ana@example.com")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    gateway_client.cookies.set(settings.SESSION_COOKIE_NAME, _session_key(ana))

    response = gateway_client.post("/agent/v1/chat/stream", json={"message": "summarise my findings"})

    assert response.status_code == 403
    assert response.json()["detail"] == REFUSAL
    assert gateway_client.get("/agent/v1/conversations").status_code == 403


def test_the_session_is_accepted_once_an_authenticator_is_set_up(
    gateway_client: TestClient, acme: Organization
) -> None:
    ana = factories.member(acme, Role.ANALYST, email="ana@example.com")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    Authenticator.objects.create(user=ana, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    gateway_client.cookies.set(settings.SESSION_COOKIE_NAME, _session_key(ana))

    response = gateway_client.get("/agent/v1/conversations")

    assert response.status_code == 200
    assert response.json() == []


def test_a_token_is_not_held_by_the_requirement(gateway_client: TestClient, acme: Organization) -> None:
    ana = factories.member(acme, Role.ANALYST, email="ana@example.com")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    key = factories.token_key(ana, acme)

    response = gateway_client.get("/agent/v1/conversations", headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200
