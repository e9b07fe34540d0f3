"""Sign-in by e-mail and password, password reset, TOTP and recovery codes, the MFA policy, the admin."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client

from bastion.config import Settings
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.accounts.selectors import organizations_requiring_mfa_setup
from bastion.core.audit.models import AuditEvent
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.models import Organization
from tests import factories
from tests.core.accounts.conftest import needs_sign_in

pytestmark = needs_sign_in

PASSWORD = "a long test password"
MISMATCH = "The email address and/or password you specified are not correct."


def _sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = "") -> str:
    """Post the sign-in form; return where it sends the browser ("" when it stays on the form)."""
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    response = client.post("/accounts/login/", data)
    return str(response.get("Location", ""))


def _signed_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return None if user_id is None else User.objects.get(pk=user_id).email


def _totp_code(secret: str, steps_ahead: int = 0) -> str:
    # A code is accepted once; steps_ahead picks the next window's code (within the tolerance).
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def _confirm_password(client: Client) -> None:
    # Adding an authenticator asks for the password again, even just after signing in.
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def _enrol_totp(client: Client) -> str:
    """Set up an authenticator app for the signed-in user; return its secret."""
    _confirm_password(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = str(client.session["mfa.totp.secret"])
    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    return secret


@pytest.fixture
def ana(db: None) -> User:
    return factories.member(factories.organization("acme"), Role.ANALYST, email="ana@example.com")


def test_sign_in_with_email_and_password(ana: User) -> None:
    # given
    client = Client()
    # when
    location = _sign_in(client, "Ana@Example.com")
    # then
    assert location == "/"
    assert _signed_in_as(client) == "ana@example.com"


def test_a_wrong_password_is_refused_with_a_message(ana: User) -> None:
    client = Client()

    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert _signed_in_as(client) is None


def test_the_sign_in_page_has_email_and_password_and_no_sign_up_link(db: None) -> None:
    page = Client().get("/accounts/login/").content.decode()

    assert re.findall(r'<input[^>]* name="(\w+)"', page) == [
        "csrfmiddlewaretoken",
        "login",
        "password",
        "remember",
    ]
    assert 'type="email"' in page
    assert "/accounts/signup/" not in page
    assert 'href="/accounts/password/reset/"' in page


def test_allauth_refuses_after_its_own_failure_limit(ana: User, settings: object) -> None:
    # given: allauth's per-account limit below django-axes' (whose 429 is tested in test_login_throttling)
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,2/5m/key"}  # type: ignore[attr-defined]
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"login": "ana@example.com", "password": "wrong"})
    # when
    response = client.post("/accounts/login/", {"login": "ana@example.com", "password": PASSWORD})
    # then
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert _signed_in_as(client) is None


def test_signup_is_closed(db: None) -> None:
    client = Client()

    page = client.get("/accounts/signup/")
    posted = client.post(
        "/accounts/signup/",
        {
            "email": "eve@example.com",
            "password1": "another long password",
            "password2": "another long password",
        },
    )

    assert page.status_code == 200
    assert [template.name for template in page.templates][0] == "account/signup_closed.html"
    assert posted.status_code == 200
    assert not User.objects.filter(email="eve@example.com").exists()


def test_password_reset_mails_a_link_that_sets_a_new_password(ana: User) -> None:
    # given
    client = Client()
    # when: the reset is asked for, and the mailed link followed
    asked = client.post("/accounts/password/reset/", {"email": "ana@example.com"})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    set_password = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    # then
    assert asked["Location"] == "/accounts/password/reset/done/"
    assert message.to == ["ana@example.com"]
    assert message.subject == "[Bastion] Password Reset Email"
    assert done["Location"] == "/accounts/password/reset/key/done/"
    assert _sign_in(Client(), "ana@example.com", PASSWORD) == ""
    assert _sign_in(Client(), "ana@example.com", "a brand new passphrase") == "/"


def test_password_reset_for_an_unknown_address_sends_nothing(db: None) -> None:
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password/reset/done/"
    assert mail.outbox == []


def test_totp_enrolment_then_sign_in_asks_for_a_code(ana: User) -> None:
    # given: Ana sets up an authenticator app, then signs out
    client = Client()
    _sign_in(client, "ana@example.com")
    secret = _enrol_totp(client)
    client.post("/accounts/logout/")
    # when: she signs in again with her password
    location = _sign_in(client, "ana@example.com")
    # then: a code is asked for before the session is hers
    assert location == "/accounts/2fa/authenticate/"
    assert _signed_in_as(client) is None
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    assert _signed_in_as(client) is None
    right = client.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret, steps_ahead=1)})
    assert right["Location"] == "/"
    assert _signed_in_as(client) == "ana@example.com"
    assert sorted(Authenticator.objects.filter(user=ana).values_list("type", flat=True)) == [
        "recovery_codes",
        "totp",
    ]


def test_a_recovery_code_signs_in_once(ana: User) -> None:
    # given
    client = Client()
    _sign_in(client, "ana@example.com")
    _enrol_totp(client)
    codes = Authenticator.objects.get(user=ana, type="recovery_codes").wrap().get_unused_codes()
    client.post("/accounts/logout/")
    # when: the first code is used twice
    _sign_in(client, "ana@example.com")
    first = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    client.post("/accounts/logout/")
    _sign_in(client, "ana@example.com")
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    # then
    assert first["Location"] == "/"
    assert again.status_code == 200
    assert "Incorrect code." in again.content.decode()
    assert _signed_in_as(client) is None
    assert len(codes) == 10
    assert len(Authenticator.objects.get(user=ana, type="recovery_codes").wrap().get_unused_codes()) == 9


def test_an_organisation_requiring_mfa_sends_members_to_set_it_up(ana: User) -> None:
    # given: Ana's organisation makes MFA mandatory; she has no authenticator
    acme = Organization.objects.get(slug="acme")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    client = Client()
    # when
    location = _sign_in(client, "ana@example.com")
    home = client.get("/")
    admin = client.get("/admin/")
    api = client.get("/api/v1/organizations")
    setup = client.get("/accounts/2fa/totp/activate/")
    health = client.get("/healthz")
    # then: every page sends her to MFA setup, which (and signing out) she can still reach
    assert location == "/"
    assert home.status_code == 302
    assert home["Location"] == "/accounts/2fa/"
    assert admin["Location"] == "/accounts/2fa/"
    assert api.status_code == 403
    assert api.json()["code"] == "mfa_required"
    assert setup["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    assert client.get(setup["Location"]).status_code == 200
    assert health.status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_the_mfa_requirement_lifts_once_an_authenticator_is_set_up(ana: User) -> None:
    # given
    tenancy.set_mfa_requirement(organization=Organization.objects.get(slug="acme"), is_required=True)
    client = Client()
    _sign_in(client, "ana@example.com")
    assert organizations_requiring_mfa_setup(user=ana) == ["acme"]
    # when
    _enrol_totp(client)
    # then
    assert organizations_requiring_mfa_setup(user=ana) == []
    assert client.get("/api/v1/organizations").status_code == 200


def test_htmx_requests_are_sent_to_mfa_setup_by_header(ana: User) -> None:
    tenancy.set_mfa_requirement(organization=Organization.objects.get(slug="acme"), is_required=True)
    client = Client()
    _sign_in(client, "ana@example.com")

    response = client.get("/", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/2fa/"


def test_api_tokens_are_not_held_by_the_mfa_requirement(ana: User) -> None:
    acme = Organization.objects.get(slug="acme")
    tenancy.set_mfa_requirement(organization=acme, is_required=True)
    key = factories.token_key(ana, acme)

    response = Client().get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200


def test_other_organisations_members_are_not_held(ana: User) -> None:
    # given: another organisation requires MFA; Ana is not in it
    tenancy.set_mfa_requirement(organization=factories.organization("strict"), is_required=True)
    client = Client()
    _sign_in(client, "ana@example.com")
    # when
    response = client.get("/api/v1/organizations")
    # then
    assert response.status_code == 200
    assert organizations_requiring_mfa_setup(user=ana) == []


def test_setting_the_mfa_requirement_is_audited(ana: User) -> None:
    acme = Organization.objects.get(slug="acme")

    tenancy.set_mfa_requirement(organization=acme, is_required=True, actor=ana)

    event = AuditEvent.objects.filter(organization=acme, action="update").get()
    assert event.actor_email == "ana@example.com"
    assert event.changes == {"requires_mfa": [False, True]}
    acme.refresh_from_db()
    assert acme.requires_mfa is True


def test_the_admin_signs_in_through_allauth(ana: User) -> None:
    # given: a staff member
    ana.is_staff = True
    ana.save(update_fields=["is_staff"])
    client = Client()
    # when: the admin is opened before signing in
    admin = client.get("/admin/")
    admin_login = client.get(admin["Location"])
    location = _sign_in(client, "ana@example.com", next_url="/admin/")
    # then
    assert admin["Location"] == "/admin/login/?next=/admin/"
    assert admin_login["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert location == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_form_signs_nobody_in(ana: User) -> None:
    ana.is_staff = True
    ana.save(update_fields=["is_staff"])
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ana@example.com", "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert _signed_in_as(client) is None


def test_the_admin_refuses_a_signed_in_member_who_is_not_staff(ana: User) -> None:
    client = Client()
    _sign_in(client, "ana@example.com")

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_admin_login_never_redirects_off_site(ana: User) -> None:
    response = Client().get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_the_security_key_page_renders_with_its_scripts(ana: User) -> None:
    # A real security key cannot be used here: this checks the page and its data, not a ceremony.
    client = Client()
    _sign_in(client, "ana@example.com")
    _confirm_password(client)

    page = client.get("/accounts/2fa/webauthn/add/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Add Security Key" in html
    assert '<script id="js_data" type="application/json">' in html
    assert 'src="/static/mfa/js/webauthn.js"' in html
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html) == []


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "django.core.mail.backends.console.EmailBackend"),
        ({"email_host": "smtp.example.com"}, "django.core.mail.backends.smtp.EmailBackend"),
        (
            {"profile": "production", "secret_key": "x" * 40},
            "django.core.mail.backends.smtp.EmailBackend",
        ),
    ],
)
def test_the_mail_backend_follows_the_environment(environment: dict[str, str], backend: str) -> None:
    assert Settings(**environment).email_backend == backend  # type: ignore[arg-type]
