"""Signing in in real Chromium: password, then an authenticator app's code; the MFA policy; the pages' look.

A security key (WebAuthn) needs a real authenticator or a virtual one over the DevTools protocol;
here its page is only checked to render without errors (tests/core/accounts/test_sign_in.py).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services as tenancy
from tests import factories
from tests.core.accounts.conftest import needs_sign_in
from tests.web.conftest import assert_accessible, screenshot

pytestmark = [needs_sign_in, pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "a long test password"


def _code(secret: str, steps_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def _sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def ana() -> User:
    return factories.member(factories.organization("acme"), Role.OWNER, email="ana@example.com")


def test_sign_in_then_set_up_and_use_an_authenticator_app(page_for: Any, ana: User) -> None:
    # given: the sign-in page
    page = page_for(None)
    page.goto("/accounts/login/")
    assert_accessible(page)
    screenshot(page, "sign-in")
    # when: Ana signs in, sets up an authenticator app (confirming her password), and signs out
    _sign_in(page, "ana@example.com")
    page.wait_for_url("**/")
    page.goto("/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    screenshot(page, "mfa-totp-setup")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    page.goto("/accounts/2fa/")
    screenshot(page, "mfa-overview")
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    # then: signing in again asks for a code, and the code signs her in
    _sign_in(page, "ana@example.com")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    screenshot(page, "mfa-authenticate")
    page.get_by_label("Code").fill(_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.locator("details.user-menu summary").inner_text() == "ana@example.com"
    assert page.console_errors == []


def test_a_wrong_password_says_so(page_for: Any, ana: User) -> None:
    page = page_for(None)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").inner_text() == (
        "The email address and/or password you specified are not correct."
    )
    assert page.url.endswith("/accounts/login/")


def test_an_organisation_requiring_mfa_sends_its_member_to_set_it_up(page_for: Any, ana: User) -> None:
    # given
    tenancy.set_mfa_requirement(organization=ana.memberships.get().organization, is_required=True)
    page = page_for(None)
    # when
    _sign_in(page, "ana@example.com")
    # then
    page.wait_for_url("**/accounts/2fa/")
    assert page.locator(".toast").all_inner_texts() == [
        "Successfully signed in as ana@example.com.",
        "acme requires two-factor authentication: set up an authenticator app or a security key to continue.",
    ]
    assert_accessible(page)
    screenshot(page, "mfa-required")
    page.goto("/")
    assert page.url.endswith("/accounts/2fa/")


def test_the_security_key_page_renders(page_for: Any, ana: User) -> None:
    page = page_for(None)
    _sign_in(page, "ana@example.com")
    page.wait_for_url("**/")

    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/")

    assert page.get_by_role("button", name="Add").is_visible()
    assert page.console_errors == []
