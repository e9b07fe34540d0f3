"""Sign-in (allauth's form, which the admin uses too) is throttled by account and by address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.accounts.lockout import proxied_client_address, remote_address, username_of
from tests import factories
from tests.core.accounts.conftest import needs_sign_in

PASSWORD = "a long test password"
LIMIT = 5
LOCKED = (
    "Too many failed sign-ins for this account or from this address: signing in is refused for "
    "15 minutes after the last attempt. An administrator can lift the lock sooner "
    "(bastion manage axes_reset_username EMAIL)."
)


def _staff(email: str) -> None:
    user = factories.member(factories.organization(), Role.ADMIN, email=email)
    user.is_staff = True
    user.save(update_fields=["is_staff"])


def _sign_in(client: Client, email: str, password: str, **meta: str) -> int:
    response = client.post("/accounts/login/?next=/admin/", {"login": email, "password": password}, **meta)
    return int(response.status_code)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def two_staff(db: None) -> None:
    _staff("ana@example.com")
    _staff("bob@example.com")


@needs_sign_in
def test_item_4_five_wrong_passwords_lock_the_account(two_staff: None) -> None:
    # given
    client = Client()
    # when
    wrong = [_sign_in(client, "ana@example.com", "wrong password") for _ in range(LIMIT)]
    right = client.post("/accounts/login/?next=/admin/", {"login": "ana@example.com", "password": PASSWORD})
    # then
    assert wrong == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert right.content.decode() == LOCKED
    assert right["Retry-After"] == "900"
    assert not _signed_in(client)


@needs_sign_in
def test_item_4_the_account_stays_locked_from_another_address(two_staff: None) -> None:
    client = Client()
    for _ in range(LIMIT):
        _sign_in(client, "ana@example.com", "wrong password")

    elsewhere = _sign_in(client, "ana@example.com", PASSWORD, REMOTE_ADDR="192.0.2.7")

    assert elsewhere == 429
    assert not _signed_in(client)


@needs_sign_in
def test_item_4_the_address_is_locked_for_every_account(two_staff: None) -> None:
    # given: five failures for one account from 127.0.0.1
    for _ in range(LIMIT):
        _sign_in(Client(), "ana@example.com", "wrong password")
    same_address, other_address = Client(), Client()
    # when: another account signs in with its right password, from the same and from another address
    locked = _sign_in(same_address, "bob@example.com", PASSWORD)
    allowed = _sign_in(other_address, "bob@example.com", PASSWORD, REMOTE_ADDR="192.0.2.7")
    # then
    assert (locked, allowed) == (429, 302)
    assert not _signed_in(same_address)
    assert _signed_in(other_address)


@needs_sign_in
def test_item_4_sign_in_works_again_after_the_cool_off(two_staff: None) -> None:
    # given: a locked account whose last failure is older than the lockout window
    client = Client()
    for _ in range(LIMIT):
        _sign_in(client, "ana@example.com", "wrong password")
    assert _sign_in(client, "ana@example.com", PASSWORD) == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    # when
    status = _sign_in(client, "ana@example.com", PASSWORD)
    # then
    assert status == 302
    assert _signed_in(client)


@needs_sign_in
def test_item_4_fewer_failures_than_the_limit_do_not_lock(two_staff: None) -> None:
    client = Client()
    for _ in range(LIMIT - 1):
        _sign_in(client, "ana@example.com", "wrong password")

    assert _sign_in(client, "ana@example.com", PASSWORD) == 302
    assert _signed_in(client)


@needs_sign_in
def test_item_4_embedded_profile_counts_the_connection_not_x_forwarded_for(two_staff: None) -> None:
    # given: failures for made-up accounts, each claiming another address in X-Forwarded-For
    for number in range(LIMIT):
        _sign_in(
            Client(),
            f"nobody{number}@example.com",
            "wrong password",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    # when
    status = _sign_in(Client(), "bob@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    # then
    assert status == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@needs_sign_in
def test_item_4_production_counts_the_address_the_proxy_appended(two_staff: None, settings: object) -> None:
    # given: the production client address; five failures seen by nginx from 203.0.113.5
    settings.AXES_CLIENT_IP_CALLABLE = "bastion.core.accounts.lockout.proxied_client_address"  # type: ignore[attr-defined]
    for number in range(LIMIT):
        _sign_in(
            Client(),
            f"nobody{number}@example.com",
            "wrong password",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{number}, 203.0.113.5",
        )
    # when: the same client writes another address first; another client comes through the proxy
    spoofing = _sign_in(
        Client(), "bob@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5"
    )
    other = _sign_in(Client(), "bob@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    # then
    assert (spoofing, other) == (429, 302)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


@pytest.mark.parametrize(
    ("forwarded", "remote", "expected"),
    [
        ("203.0.113.5", "127.0.0.1", "203.0.113.5"),
        ("10.0.0.1, 203.0.113.5", "127.0.0.1", "203.0.113.5"),
        (" 10.0.0.1 ,2001:db8::1 ", "127.0.0.1", "2001:db8::1"),
        ("", "127.0.0.1", "127.0.0.1"),
        ("not-an-address", "127.0.0.1", "127.0.0.1"),
        ("not-an-address", "testclient", None),
    ],
)
def test_item_4_client_address_functions(forwarded: str, remote: str, expected: str | None) -> None:
    request = HttpRequest()
    request.META = {"HTTP_X_FORWARDED_FOR": forwarded, "REMOTE_ADDR": remote}

    assert proxied_client_address(request) == expected
    assert remote_address(request) == (remote if remote != "testclient" else None)


@needs_sign_in
def test_item_4_lockout_through_the_gateway(gateway_client: TestClient) -> None:
    # given: the ASGI path a browser takes under `bastion up`
    _staff("ana@example.com")
    gateway_client.get("/accounts/login/")
    form = {"login": "ana@example.com", "csrfmiddlewaretoken": gateway_client.cookies["csrftoken"]}
    # when
    wrong = [
        gateway_client.post("/accounts/login/", data={**form, "password": "wrong"}, follow_redirects=False)
        for _ in range(LIMIT)
    ]
    right = gateway_client.post(
        "/accounts/login/", data={**form, "password": PASSWORD}, follow_redirects=False
    )
    # then
    assert [response.status_code for response in wrong] == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert right.text == LOCKED
    assert right.headers["Retry-After"] == "900"
    assert "sessionid" not in gateway_client.cookies


@pytest.mark.parametrize(
    ("credentials", "form", "expected"),
    [
        ({"email": " Ana@Example.com"}, {}, "ana@example.com"),
        ({"username": "BOB@example.com"}, {}, "bob@example.com"),
        (None, {"login": "Cy@example.com"}, "cy@example.com"),
        (None, {"username": "dan@example.com"}, "dan@example.com"),
        (None, {}, None),
    ],
)
def test_item_4_the_account_named_by_either_form(
    credentials: dict[str, str] | None, form: dict[str, str], expected: str | None
) -> None:
    # given: allauth's form names the account "login" (credentials "email"); the admin's "username"
    request = HttpRequest()
    request.POST.update(form)  # type: ignore[attr-defined]
    # then: both count against the same, lower-cased, account
    assert username_of(request, credentials) == expected
