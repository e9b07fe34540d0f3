"""The organisation's settings: members, API tokens, SLA, webhook secret, MFA policy, audit log.

Every page and form works on the organisation chosen in the switcher; each form also names it
(a hidden field), so a form sent from an older tab never changes another organisation. Reads go
through ``for_principal``; writes through the domain services, with the API's rules: admins and
owners write, only an owner touches the owner role or the MFA policy, the last owner stays.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bastion.contracts.principal import MembershipGrant, Principal, Role
from bastion.core.accounts.models import User
from bastion.core.audit.models import AuditEvent
from bastion.core.findings import selectors as finding_selectors
from bastion.core.findings import services as finding_services
from bastion.core.imports import services as import_services
from bastion.core.imports.models import WebhookSecret
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.exceptions import LastOwnerRequired, TenancyConflict
from bastion.core.tenancy.models import ApiToken, Membership, Organization
from bastion.core.web.scope import principal_of, scope_of
from bastion.core.web.settings import invitations
from bastion.core.web.settings.forms import (
    AuditFilterForm,
    InviteForm,
    MfaForm,
    RoleForm,
    SlaForm,
    TokenForm,
)

AUDIT_PAGE_SIZE = 50
OWNER_RULE = "Only an owner may grant, change or remove the owner role."


def _grant(principal: Principal, slug: str) -> MembershipGrant:
    """Return the caller's membership in the organisation named ``slug``; 404 outside theirs."""
    grant = next((g for g in principal.memberships if g.organization_slug == slug), None)
    if grant is None:
        raise Http404("No such organisation.")
    return grant


def _require(grant: MembershipGrant, role: Role) -> None:
    if not grant.role.allows(role):
        raise PermissionDenied(f"This needs the {role.value} role in {grant.organization_slug}.")


def _organization(principal: Principal, grant: MembershipGrant) -> Organization:
    return get_object_or_404(Organization.objects.for_principal(principal), pk=grant.organization_id)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _back(request: HttpRequest, section: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("web:settings") + (f"#{section}" if section else ""))


@require_GET
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Show the chosen organisation's settings (or ask which organisation)."""
    return _page(request)


def _page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    scope = scope_of(request)
    context: dict[str, Any] = {"scope": scope, "grant": scope.organization}
    if scope.organization is not None:
        context.update(_settings_context(request, scope.principal, scope.organization))
    context.update(extra)
    return render(request, "web/settings/settings.html", context, status=status)


def _settings_context(request: HttpRequest, principal: Principal, grant: MembershipGrant) -> dict[str, Any]:
    organization = _organization(principal, grant)
    is_admin = grant.role.allows(Role.ADMIN)
    is_owner = grant.role == Role.OWNER
    members = (
        Membership.objects.for_principal(principal)
        .in_organization(grant.organization_id)
        .select_related("user")
        .order_by("user__email")
    )
    policy = finding_selectors.sla_policy_for(organization_id=grant.organization_id)
    context: dict[str, Any] = {
        "organization": organization,
        "is_admin": is_admin,
        "is_owner": is_owner,
        "role_choices": [r for r in Role if is_owner or r != Role.OWNER],
        "members": [
            {
                "membership": m,
                "is_owner_row": m.role == Role.OWNER.value,
                "can_change": is_owner or m.role != Role.OWNER.value,
            }
            for m in members
        ],
        "invite_form": InviteForm(initial={"role": Role.VIEWER.value}),
        "token_form": TokenForm(initial={"expires_in_days": "90"}),
        "sla_form": SlaForm(initial={name: getattr(policy, name) for name in SlaForm.base_fields}),
        "sla": policy,
        "mfa_form": MfaForm(initial={"requires_mfa": organization.requires_mfa}),
    }
    if is_admin:
        context["tokens"] = (
            ApiToken.objects.for_principal(principal, at_least=Role.ADMIN)
            .filter(organization_id=grant.organization_id)
            .select_related("user")
            .order_by("revoked_at", "-created_at")
        )
        context["webhook_secret"] = (
            WebhookSecret.objects.for_principal(principal, at_least=Role.ADMIN)
            .filter(organization_id=grant.organization_id)
            .first()
        )
        context.update(_audit_context(request, principal, grant))
    return context


def _audit_context(request: HttpRequest, principal: Principal, grant: MembershipGrant) -> dict[str, Any]:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_principal(principal, at_least=Role.ADMIN).filter(
        organization_id=grant.organization_id
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"].strip())
        if data["actor"]:
            events = events.filter(actor_email__iexact=data["actor"].strip())
        if data["after"]:
            events = events.filter(at__gte=datetime.combine(data["after"], time.min, tzinfo=UTC))
        if data["before"]:
            until = datetime.combine(data["before"], time.min, tzinfo=UTC) + timedelta(days=1)
            events = events.filter(at__lt=until)
    page = Paginator(events.order_by("-at", "-id"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "audit_form": form if request.GET else AuditFilterForm(),
        "audit_page": page,
        "audit_query": query.urlencode(),
        "audit_filtered": any(v for k, v in request.GET.items() if k != "page"),
    }


# --- Members ---


@require_POST
@login_required
def invite_member(request: HttpRequest) -> HttpResponse:
    """Add a user to the organisation, inviting by e-mail whoever has no account yet."""
    principal = principal_of(request)
    grant = _grant(principal, request.POST.get("organization", ""))
    _require(grant, Role.ADMIN)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give an e-mail address and a role.")
        return _back(request, "members")
    role = Role(form.cleaned_data["role"])
    if role == Role.OWNER and grant.role != Role.OWNER:
        raise PermissionDenied(OWNER_RULE)
    organization = _organization(principal, grant)
    result = invitations.invite(
        request, organization=organization, email=form.cleaned_data["email"], role=role
    )
    level = messages.ERROR if result.already_member else messages.SUCCESS
    messages.add_message(request, level, result.message)
    return _back(request, "members")


def _membership(request: HttpRequest, membership_id: int) -> tuple[Membership, MembershipGrant]:
    principal = principal_of(request)
    membership = get_object_or_404(
        Membership.objects.for_principal(principal).select_related("user", "organization"), pk=membership_id
    )
    grant = _grant(principal, membership.organization.slug)
    _require(grant, Role.ADMIN)
    return membership, grant


@require_POST
@login_required
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Change a member's role; the organisation keeps an owner."""
    membership, grant = _membership(request, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return _back(request, "members")
    role = Role(form.cleaned_data["role"])
    if Role.OWNER.value in (role.value, membership.role) and grant.role != Role.OWNER:
        raise PermissionDenied(OWNER_RULE)
    try:
        tenancy.set_membership(
            organization=membership.organization, user=membership.user, role=role, actor=_actor(request)
        )
    except LastOwnerRequired:
        messages.error(request, f"{membership.user.email} is the only owner: make someone else owner first.")
    else:
        messages.success(request, f"{membership.user.email} is now {role.value}.")
    return _back(request, "members")


@require_POST
@login_required
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Take a member out of the organisation; the last owner stays."""
    membership, grant = _membership(request, membership_id)
    if membership.role == Role.OWNER.value and grant.role != Role.OWNER:
        raise PermissionDenied(OWNER_RULE)
    email = membership.user.email
    try:
        tenancy.remove_membership(membership=membership, actor=_actor(request))
    except LastOwnerRequired:
        messages.error(
            request, f"{email} is the only owner and cannot be removed: make someone else owner first."
        )
    else:
        messages.success(request, f"{email} was removed from {membership.organization.slug}.")
    return _back(request, "members")


# --- API tokens ---


@require_POST
@login_required
def create_token(request: HttpRequest) -> HttpResponse:
    """Issue the signed-in user a token for the organisation; its key is shown on this answer only."""
    principal = principal_of(request)
    grant = _grant(principal, request.POST.get("organization", ""))
    _require(grant, Role.ADMIN)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The token's name is too long or its expiry unknown.")
        return _back(request, "tokens")
    days = form.cleaned_data["expires_in_days"]
    try:
        issued = tenancy.create_token(
            user=_actor(request),
            organization=_organization(principal, grant),
            name=form.cleaned_data["name"],
            expires_in=timedelta(days=int(days)) if days else None,
            actor=_actor(request),
        )
    except TenancyConflict as error:
        messages.error(request, str(error))
        return _back(request, "tokens")
    # Rendered, not redirected: the key must not be stored anywhere, not even in the session.
    return _page(request, new_key=issued.key, new_token=issued.token)


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke a token of the organisation at once."""
    principal = principal_of(request)
    token = get_object_or_404(
        ApiToken.objects.for_principal(principal).select_related("organization"), pk=token_id
    )
    _require(_grant(principal, token.organization.slug), Role.ADMIN)
    tenancy.revoke_token(token=token, actor=_actor(request))
    messages.success(request, f"Token {token.prefix}… is revoked.")
    return _back(request, "tokens")


# --- Webhook secret ---


@require_POST
@login_required
def rotate_webhook_secret(request: HttpRequest) -> HttpResponse:
    """Make or replace the organisation's webhook secret; it is shown on this answer only."""
    principal = principal_of(request)
    grant = _grant(principal, request.POST.get("organization", ""))
    _require(grant, Role.ADMIN)
    secret = import_services.rotate_webhook_secret(
        actor=_actor(request), organization=_organization(principal, grant)
    )
    # Rendered, not redirected: like a token's key, the secret is kept nowhere on the way.
    return _page(request, new_webhook_secret=secret)


# --- SLA and MFA ---


@require_POST
@login_required
def set_sla(request: HttpRequest) -> HttpResponse:
    """Replace the organisation's SLA policy."""
    principal = principal_of(request)
    grant = _grant(principal, request.POST.get("organization", ""))
    _require(grant, Role.ADMIN)
    form = SlaForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, sla_form=form)
    finding_services.set_sla_policy(
        actor=_actor(request),
        organization=_organization(principal, grant),
        **form.cleaned_data,
    )
    messages.success(request, "The SLA policy is saved; findings get new due dates from now on.")
    return _back(request, "sla")


@require_POST
@login_required
def set_mfa(request: HttpRequest) -> HttpResponse:
    """Require (or stop requiring) two-factor authentication; owners only."""
    principal = principal_of(request)
    grant = _grant(principal, request.POST.get("organization", ""))
    _require(grant, Role.OWNER)
    form = MfaForm(request.POST)
    form.is_valid()
    required = bool(form.cleaned_data.get("requires_mfa"))
    tenancy.set_mfa_requirement(
        organization=_organization(principal, grant),
        is_required=required,
        actor=_actor(request),
    )
    messages.success(
        request,
        "Two-factor authentication is now required for every member."
        if required
        else "Two-factor authentication is now optional.",
    )
    return _back(request, "mfa")
