"""The settings page: members, tokens, SLA, MFA and the audit log, with the API's rules."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.audit.models import AuditEvent
from bastion.core.findings.models import SlaPolicy
from bastion.core.imports import selectors as imports_selectors
from bastion.core.sealed import unseal
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.models import ApiToken, Membership, Organization
from bastion.core.web.scope import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user: User, org: Organization | None) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if org is not None:
        session = client.session
        session[SESSION_KEY] = org.slug
        session.save()
    return client


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


def _membership(org: Organization, user: User) -> Membership:
    return Membership.objects.get(organization=org, user=user)


def test_without_a_chosen_organisation_the_page_asks_for_one(org: Organization) -> None:
    user = factories.member(org, Role.OWNER)

    response = client_for(user, None).get("/settings/")

    assert response.status_code == 200
    assert "Choose an organisation" in response.content.decode()
    assert 'value="acme"' in response.content.decode()


def test_an_owner_sees_every_section(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER, email="owner@acme.example")
    factories.member(org, Role.VIEWER, email="viewer@acme.example")

    response = client_for(owner, org).get("/settings/")

    page = response.content.decode()
    assert response.status_code == 200
    for anchor in ('id="members"', 'id="tokens"', 'id="sla"', 'id="webhook"', 'id="mfa-form"', 'id="audit"'):
        assert anchor in page
    assert "viewer@acme.example" in page
    assert 'id="invite-form"' in page


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST])
def test_a_viewer_or_analyst_sees_no_write_control(org: Organization, role: Role) -> None:
    user = factories.member(org, role)
    factories.member(org, Role.OWNER, email="owner@acme.example")

    page = client_for(user, org).get("/settings/").content.decode()

    assert "owner@acme.example" in page  # the members are readable, as in the API
    assert 'method="post" action="/settings/' not in page
    assert 'id="tokens"' not in page
    assert 'id="audit"' not in page
    assert 'id="sla-table"' in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/settings/members/invite", {"email": "new@acme.example", "role": "viewer"}),
        ("/settings/tokens", {"name": "ci", "expires_in_days": "30"}),
        (
            "/settings/sla",
            {
                "critical_days": "1",
                "high_days": "2",
                "medium_days": "3",
                "low_days": "4",
                "critical_asset_percent": "50",
            },
        ),
        ("/settings/mfa", {"requires_mfa": "on"}),
    ],
)
def test_a_viewers_forged_post_is_refused(org: Organization, path: str, data: dict[str, str]) -> None:
    viewer = factories.member(org, Role.VIEWER)

    response = client_for(viewer, org).post(path, {"organization": "acme", **data})

    assert response.status_code == 403
    assert not User.objects.filter(email="new@acme.example").exists()
    assert not ApiToken.objects.exists()
    assert not SlaPolicy.objects.exists()
    org.refresh_from_db()
    assert org.requires_mfa is False


def test_a_viewer_cannot_change_a_role_or_remove_or_revoke(org: Organization) -> None:
    viewer = factories.member(org, Role.VIEWER)
    other = factories.member(org, Role.ANALYST)
    membership = _membership(org, other)
    token = tenancy.create_token(user=other, organization=org).token
    client = client_for(viewer, org)

    assert client.post(f"/settings/members/{membership.pk}/role", {"role": "admin"}).status_code == 403
    assert client.post(f"/settings/members/{membership.pk}/remove").status_code == 403
    assert client.post(f"/settings/tokens/{token.pk}/revoke").status_code == 403
    assert _membership(org, other).role == "analyst"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_organisations_objects_are_404(org: Organization) -> None:
    admin = factories.member(org, Role.OWNER)
    globex = factories.organization("globex")
    stranger = factories.member(globex, Role.OWNER)
    token = tenancy.create_token(user=stranger, organization=globex).token
    client = client_for(admin, org)

    assert (
        client.post(
            f"/settings/members/{_membership(globex, stranger).pk}/role", {"role": "viewer"}
        ).status_code
        == 404
    )
    assert client.post(f"/settings/members/{_membership(globex, stranger).pk}/remove").status_code == 404
    assert client.post(f"/settings/tokens/{token.pk}/revoke").status_code == 404
    assert client.post("/settings/sla", {"organization": "globex"}).status_code == 404
    assert (
        client.post(
            "/settings/members/invite", {"organization": "globex", "email": "x@y.example", "role": "viewer"}
        ).status_code
        == 404
    )


def test_an_admin_adds_an_existing_user(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    existing = User.objects.create_user("existing@example.com", "a long test password")

    response = client_for(admin, org).post(
        "/settings/members/invite",
        {"organization": "acme", "email": "Existing@example.com", "role": "analyst"},
        follow=True,
    )

    assert _membership(org, existing).role == "analyst"
    assert "existing@example.com was added as analyst." in response.content.decode()
    assert mail.outbox == []


def test_inviting_a_new_address_creates_an_account_and_emails_a_password_link(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)

    response = client_for(admin, org).post(
        "/settings/members/invite",
        {"organization": "acme", "email": "new@acme.example", "role": "viewer"},
        follow=True,
    )

    user = User.objects.get(email="new@acme.example")
    assert not user.has_usable_password()
    assert _membership(org, user).role == "viewer"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@acme.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "invited as viewer" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="tenancy.membership", action="create").exists()


def test_inviting_a_member_again_says_so(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    factories.member(org, Role.VIEWER, email="v@acme.example")

    response = client_for(admin, org).post(
        "/settings/members/invite",
        {"organization": "acme", "email": "v@acme.example", "role": "admin"},
        follow=True,
    )

    assert "already a member" in response.content.decode()
    assert Membership.objects.get(user__email="v@acme.example").role == "viewer"


def test_an_admin_may_not_grant_or_touch_the_owner_role(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    owner = factories.member(org, Role.OWNER)
    viewer = factories.member(org, Role.VIEWER)
    client = client_for(admin, org)

    assert (
        client.post(f"/settings/members/{_membership(org, viewer).pk}/role", {"role": "owner"}).status_code
        == 403
    )
    assert client.post(f"/settings/members/{_membership(org, owner).pk}/remove").status_code == 403
    assert (
        client.post(f"/settings/members/{_membership(org, viewer).pk}/role", {"role": "analyst"}).status_code
        == 302
    )
    assert _membership(org, viewer).role == "analyst"


def test_the_last_owner_can_be_neither_demoted_nor_removed(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER, email="only@acme.example")
    client = client_for(owner, org)
    pk = _membership(org, owner).pk

    demoted = client.post(f"/settings/members/{pk}/role", {"role": "admin"}, follow=True)
    removed = client.post(f"/settings/members/{pk}/remove", follow=True)

    assert "only@acme.example is the only owner" in demoted.content.decode()
    assert "cannot be removed" in removed.content.decode()
    assert _membership(org, owner).role == "owner"


def test_an_owner_removes_a_member(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER)
    leaving = factories.member(org, Role.ANALYST, email="leaving@acme.example")

    response = client_for(owner, org).post(
        f"/settings/members/{_membership(org, leaving).pk}/remove", follow=True
    )

    assert "leaving@acme.example was removed from acme." in response.content.decode()
    assert not Membership.objects.filter(user=leaving).exists()


def test_a_token_is_shown_once_and_revoked(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    client = client_for(admin, org)

    created = client.post("/settings/tokens", {"organization": "acme", "name": "ci", "expires_in_days": "30"})

    token = ApiToken.objects.get()
    page = created.content.decode()
    assert created.status_code == 200
    assert f"{token.prefix}" in page
    assert 'id="new-key-value"' in page
    assert token.expires_at is not None
    assert token.user == admin
    assert token.name == "ci"
    assert 'id="new-key-value"' not in client.get("/settings/").content.decode()

    revoked = client.post(f"/settings/tokens/{token.pk}/revoke", follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "is revoked" in revoked.content.decode()


def test_the_sla_policy_is_saved_through_the_service_and_audited(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    data = {
        "organization": "acme",
        "critical_days": "3",
        "high_days": "14",
        "medium_days": "60",
        "low_days": "120",
        "info_days": "",
        "critical_asset_percent": "40",
    }

    client_for(admin, org).post("/settings/sla", data)

    policy = SlaPolicy.objects.get(organization=org)
    assert (policy.critical_days, policy.high_days, policy.info_days, policy.critical_asset_percent) == (
        3,
        14,
        None,
        40,
    )
    assert AuditEvent.objects.filter(object_type="findings.slapolicy").exists()


def test_an_invalid_sla_is_shown_with_its_errors(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)

    response = client_for(admin, org).post("/settings/sla", {"organization": "acme", "critical_days": "0"})

    assert response.status_code == 400
    assert "field__error" in response.content.decode()
    assert not SlaPolicy.objects.exists()


def test_only_an_owner_sets_the_mfa_policy(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER)
    admin = factories.member(org, Role.ADMIN)

    assert (
        client_for(admin, org)
        .post("/settings/mfa", {"organization": "acme", "requires_mfa": "on"})
        .status_code
        == 403
    )
    assert 'id="mfa-form"' not in client_for(admin, org).get("/settings/").content.decode()
    client_for(owner, org).post("/settings/mfa", {"organization": "acme", "requires_mfa": "on"})

    org.refresh_from_db()
    assert org.requires_mfa is True


def test_the_audit_log_is_filtered(org: Organization) -> None:
    owner = factories.member(org, Role.OWNER, email="owner@acme.example")
    factories.member(org, Role.VIEWER, email="viewer@acme.example")
    tenancy.update_organization(organization=org, actor=owner, name="Acme Corp")
    client = client_for(owner, org)

    everything = client.get("/settings/").content.decode()
    updates = client.get("/settings/", {"action": "update"}).content.decode()
    nothing = client.get("/settings/", {"actor": "nobody@acme.example"}).content.decode()

    assert everything.count("<td>tenancy.membership ") == 2
    assert "Acme Corp" in updates
    assert "<td>tenancy.membership " not in updates
    assert "No event matches these filters" in nothing


def test_the_pages_scripts_and_styles_are_found_as_static_files() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("web/settings/code-analysis.js")
    assert finders.find("web/settings/pages.css")


def test_an_invitation_records_the_new_account_in_the_audit_log(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)

    client_for(admin, org).post(
        "/settings/members/invite", {"organization": "acme", "email": "new@acme.example", "role": "analyst"}
    )

    created = AuditEvent.objects.get(object_type="accounts.user", action="create")
    assert created.actor_email == admin.email
    assert created.changes["email"] == [None, "new@acme.example"]
    assert "password" not in created.changes


def test_an_admin_creates_the_webhook_secret_and_sees_it_once(org: Organization) -> None:
    # given
    admin = factories.member(org, Role.ADMIN)
    client = client_for(admin, org)
    # when
    response = client.post("/settings/webhook-secret", {"organization": "acme"})
    # then: the answer shows the stored secret; the next page does not
    secret = imports_selectors.webhook_secret_for(slug="acme")
    assert secret is not None
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<code id="new-webhook-secret-value">{unseal(secret.secret)}</code>' in page
    assert unseal(secret.secret) not in client.get("/settings/").content.decode()
    assert unseal(secret.secret) not in secret.secret  # stored sealed, never in clear
    event = AuditEvent.objects.get(object_type="imports.webhooksecret")
    assert event.action == "create"
    assert event.changes == {"secret": [None, "(hidden)"]}


def test_rotating_the_webhook_secret_replaces_it(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    client = client_for(admin, org)
    client.post("/settings/webhook-secret", {"organization": "acme"})
    first = imports_selectors.webhook_secret_for(slug="acme")
    assert first is not None

    response = client.post("/settings/webhook-secret", {"organization": "acme"})

    second = imports_selectors.webhook_secret_for(slug="acme")
    assert second is not None
    assert second.pk == first.pk
    assert unseal(second.secret) != unseal(first.secret)
    assert unseal(second.secret) in response.content.decode()
    assert unseal(first.secret) not in response.content.decode()
    assert list(
        AuditEvent.objects.filter(object_type="imports.webhooksecret")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["create", "update"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST])
def test_below_admin_the_webhook_secret_cannot_be_made(org: Organization, role: Role) -> None:
    user = factories.member(org, role)

    response = client_for(user, org).post("/settings/webhook-secret", {"organization": "acme"})

    assert response.status_code == 403
    assert imports_selectors.webhook_secret_for(slug="acme") is None


def test_another_organisations_webhook_secret_is_not_found(org: Organization) -> None:
    admin = factories.member(org, Role.ADMIN)
    factories.organization("globex")

    response = client_for(admin, org).post("/settings/webhook-secret", {"organization": "globex"})

    assert response.status_code == 404
    assert imports_selectors.webhook_secret_for(slug="globex") is None
