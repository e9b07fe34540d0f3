"""Hostile input on every page of the web application: a clear 4xx (or the page with a message), never a 5xx.

Every URL of ``core/web/**/urls.py`` and allauth's sign-in and password-reset forms gets NUL bytes,
oversize values, ids of the wrong type or of another organisation, unknown choices, a tampered
cursor, a POST without its CSRF token and a POST by a role below the form's. Each test is one kind
of hostility, parametrized over the URLs; it tries every field (or id, or role) of its URL and
compares all the answers at once. Each also checks that nothing changed: every row the pages can
write, and the mail sent, compare equal before and after (``state``); the valid bodies the cases
start from are checked to change something (``test_each_valid_body_changes_something``), so that
"nothing changed" is never true by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client, override_settings
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.findings.filtersets import FindingFilter
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import Membership
from bastion.core.web.findings import listing
from bastion.core.web.findings.views import PAGE_PARAMETERS
from bastion.core.web.scope import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

NUL = "\x00"
MEBIBYTE = 2**20
#: Past Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB), the largest body the core reads.
PAST_THE_BODY_LIMIT = 3 * MEBIBYTE
LONG_QUERY = 100_000
PAST_64_BITS = "99999999999999999999"
REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "scans" / "bandit" / "one_vuln.json"
PASSWORD = "a long test password"  # factories.member's
CSRF_SECRET = "a" * 32
MESSAGES_COOKIE = "messages"  # where Django's default storage keeps the toasts
CURSOR_REFUSED = "That page link was changed or is out of date: this is the first page."
NOT_A_CHOICE = "Select a valid choice. nope is not one of the available choices."
TOO_LONG = "Ensure this value has at most {} characters (it has {})."
NOT_AVAILABLE = "Select a valid choice. That choice is not one of the available choices."
#: The apps whose rows a page may write (sessions and django-axes' sign-in log are not the pages').
WRITTEN_APPS = "accounts account mfa tenancy audit assets engagements findings imports".split()


# --- Two organisations, each with one object of every kind a URL names ---


@dataclass(frozen=True)
class Tenant:
    """An organisation, a member of each role, and the ids its URLs and forms take."""

    slug: str
    users: dict[Role, User]
    ids: dict[str, str]

    def secrets(self) -> list[str]:
        """Return the names that must never show on another organisation's pages."""
        slug = self.slug
        return [f"{slug} secret finding", f"{slug}-shop", f"{slug} audit", f"{slug}-report.json"]


def _tenant(slug: str) -> Tenant:
    organization = factories.organization(slug)
    users = {
        role: factories.member(organization, role, email=f"{role.value}@{slug}.example") for role in Role
    }
    asset = factories.asset(organization, name=f"{slug}-shop")
    finding = factories.finding(asset, title=f"{slug} secret finding")
    engagement = factories.engagement(asset, name=f"{slug} audit")
    job = factories.import_job(asset, file_name=f"{slug}-report.json")
    token = factories.api_token(users[Role.OWNER], organization, name="ci")
    view = factories.saved_view(users[Role.OWNER], organization, "Critical", "severity=critical")
    analyst = Membership.objects.get(organization=organization, user=users[Role.ANALYST])
    ids = {
        "slug": slug,
        "organization": str(organization.pk),
        "finding": str(finding.pk),
        "asset": str(asset.pk),
        "engagement": str(engagement.pk),
        "job": str(job.pk),
        "membership": str(analyst.pk),
        "token": str(token.pk),
        "view": str(view.pk),
        "owner": str(users[Role.OWNER].pk),
        "analyst": str(users[Role.ANALYST].pk),
    }
    return Tenant(slug=slug, users=users, ids=ids)


@pytest.fixture(scope="module")
def tenants(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Tenant]]:
    """Make both organisations once for the module; each test's changes roll back to this point."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py's, for each test
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
        yield {"acme": _tenant("acme"), "globex": _tenant("globex")}
        transaction.set_rollback(True)


@pytest.fixture
def acme(tenants: dict[str, Tenant], db: None) -> Tenant:
    return tenants["acme"]


@pytest.fixture
def globex(tenants: dict[str, Tenant], db: None) -> Tenant:
    return tenants["globex"]


@pytest.fixture(autouse=True)
def _no_rate_limits_used() -> None:
    # allauth counts sign-in and reset attempts in the cache, which outlives a test's transaction.
    cache.clear()


def client_for(user: User | None, *, enforce_csrf_checks: bool = False) -> Client:
    """Return a client signed in as ``user`` (None: signed out), its organisation chosen in the switcher."""
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[SESSION_KEY] = user.memberships.get().organization.slug
        session.save()
    return client


def state() -> dict[str, Any]:
    """Return every row the pages could write, and the mail sent: what "nothing changed" compares."""
    rows: dict[str, Any] = {"mail": [(message.subject, message.to) for message in mail.outbox]}
    with connection.cursor() as cursor:
        for label in WRITTEN_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                table = connection.ops.quote_name(model._meta.db_table)
                # Raw SQL (a constant table name): this runs twice per test, the ORM would double the time.
                cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608
                rows[model._meta.label] = cursor.fetchall()
    return rows


def error_messages(response: Any) -> list[str]:
    """Return the error messages (toasts) the request queued."""
    return [
        message.message for message in get_messages(response.wsgi_request) if message.level_tag == "error"
    ]


def form_errors(response: Any) -> dict[str, list[str]]:
    """Return the errors of every bound form the page was rendered with, by field name."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    forms = {
        id(item): item
        for context in contexts
        if context is not None
        for item in context.flatten().values()
        if isinstance(item, BaseForm) and item.is_bound
    }
    errors: dict[str, list[str]] = {}
    for form in forms.values():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    """Post as a browser that followed no redirect: the toasts of the requests before are dropped."""
    client.cookies.pop(MESSAGES_COOKIE, None)
    return client.post(path, body)


def answer(response: Any, field_name: str | None = None) -> tuple[int, bool]:
    """Return a response's status and whether it says why: an error toast on a redirect, the field's
    (or the form's) error on a page, an error page otherwise."""
    if response.status_code == 302:
        return 302, len(error_messages(response)) == 1
    if response.status_code in (200, 400):
        errors = form_errors(response)
        return response.status_code, field_name in errors or "__all__" in errors
    return response.status_code, True


def content_of(response: Any) -> str:
    """Return the whole body, a streamed one (the CSV export) read to its end."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


# --- The URLs, their bodies, and how each answers input it refuses ---


@dataclass(frozen=True)
class Write:
    """A form the pages post: a valid body, the least role it needs, how it answers refused input."""

    path: str
    body: dict[str, str | list[str]]
    #: The least role allowed; None: any member (their own saved views) or anyone (sign-in forms).
    needs: Role | None
    #: The status of an answer that refuses the body (302: back where it came from, with a message).
    refused: int = 302
    #: Fields refused otherwise (a settings form's organisation that is not the caller's: 404).
    refused_by_field: dict[str, int] = field(default_factory=dict)
    is_signed_out: bool = False

    def __str__(self) -> str:
        return self.path

    def fields(self) -> list[str]:
        """Return the fields whose text a hostile client may change (not checkboxes or files)."""
        return [name for name in self.body if name not in UNCHECKED_FIELDS]

    def refusals(self) -> dict[str, tuple[int, bool]]:
        """Return the answer each field's refusal gets: its status, saying why."""
        return {name: (self.refused_by_field.get(name, self.refused), True) for name in self.fields()}


#: A checkbox is on for any value (a NUL byte too), and a file is not text.
UNCHECKED_FIELDS = {"requires_mfa", "file"}
IN_A_MONTH = (timezone.now().date() + timedelta(days=30)).isoformat()
SETTINGS_ORGANIZATION = {"organization": 404}
ASSET = {"kind": "host", "name": "db", "identifier": "db.test", "criticality": "4", "environment": "test"}
ENGAGEMENT = {"asset": "{asset}", "kind": "pentest", "name": "Q4", "status": "planned"}
DATES = {"starts_on": "2025-10-01", "ends_on": "2025-10-31"}
BULK = {"ids": ["{finding}"], "action": "transition", "status": "triaged", "reason": "seen"}
SLA = {"critical_days": "5", "high_days": "20", "medium_days": "60", "low_days": "120", "info_days": "365"}
ACCEPT = {"to_status": "risk_accepted", "reason": "WAF", "justification": "A WAF rule blocks it."}
# Each form: its path, a valid body, the least role it needs, the status refusing its body.
WRITES = [
    Write("/findings/bulk", BULK, Role.ANALYST),
    Write("/findings/views/save", {"name": "High", "query": "severity=high"}, None),
    Write("/findings/views/{view}/delete", {}, None),
    Write("/findings/{finding}/comments", {"body": "Asked the shop team."}, Role.ANALYST, 400),
    Write(
        "/findings/{finding}/status",
        {**ACCEPT, "approver": "{owner}", "expires_on": IN_A_MONTH},
        Role.ANALYST,
        400,
    ),
    Write("/findings/{finding}/assignee", {"assignee": "{analyst}"}, Role.ANALYST, 400),
    Write("/assets/new", {"organization": "{organization}", **ASSET}, Role.ADMIN, 200),
    Write("/assets/{asset}/edit", {**ASSET, "name": "renamed"}, Role.ADMIN, 200),
    Write("/engagements/new", {**ENGAGEMENT, **DATES}, Role.ADMIN, 200),
    Write("/engagements/{engagement}/edit", {**ENGAGEMENT, **DATES, "status": "completed"}, Role.ADMIN, 200),
    Write("/imports/", {"file": "REPORT", "asset": "{asset}", "format": "bandit"}, Role.ANALYST, 400),
    Write(
        "/settings/members/invite",
        {"organization": "{slug}", "email": "new@example.com", "role": "viewer"},
        Role.ADMIN,
        refused_by_field=SETTINGS_ORGANIZATION,
    ),
    Write("/settings/members/{membership}/role", {"role": "admin"}, Role.ADMIN),
    Write("/settings/members/{membership}/remove", {}, Role.ADMIN),
    Write(
        "/settings/tokens",
        {"organization": "{slug}", "name": "deploy", "expires_in_days": "30"},
        Role.ADMIN,
        refused_by_field=SETTINGS_ORGANIZATION,
    ),
    Write("/settings/tokens/{token}/revoke", {}, Role.ADMIN),
    Write("/settings/webhook-secret", {"organization": "{slug}"}, Role.ADMIN, 404),
    Write(
        "/settings/sla",
        {"organization": "{slug}", **SLA, "critical_asset_percent": "50"},
        Role.ADMIN,
        400,
        refused_by_field=SETTINGS_ORGANIZATION,
    ),
    Write("/settings/mfa", {"organization": "{slug}", "requires_mfa": "on"}, Role.OWNER, 404),
    Write(
        "/accounts/login/",
        {"login": "owner@acme.example", "password": PASSWORD},
        None,
        200,
        is_signed_out=True,
    ),
    Write("/accounts/password/reset/", {"email": "owner@acme.example"}, None, 200, is_signed_out=True),
]
WRITES_BY_PATH = {write.path: write for write in WRITES}
#: The forms that have fields (the rest post nothing but their URL).
FORMS = [write for write in WRITES if write.fields()]
#: The pages that show a write form: a role below the form's is refused them too.
FORM_PAGES = {
    "/assets/new": Role.ADMIN,
    "/assets/{asset}/edit": Role.ADMIN,
    "/engagements/new": Role.ADMIN,
    "/engagements/{engagement}/edit": Role.ADMIN,
}
FINDINGS_PARAMETERS = (*FindingFilter.base_filters, *PAGE_PARAMETERS)
#: Every page a GET reaches, and the query parameters it reads (`next`: one it does not read).
PAGES = {
    "/": ("next",),
    "/findings/": FINDINGS_PARAMETERS,
    "/findings/export.csv": FINDINGS_PARAMETERS,
    "/findings/{finding}/": ("next",),
    "/findings/views/{view}/": ("next",),
    "/assets/": ("page",),
    "/assets/new": ("next",),
    "/assets/{asset}/": ("next",),
    "/assets/{asset}/edit": ("next",),
    "/engagements/": ("page",),
    "/engagements/new": ("next",),
    "/engagements/{engagement}/edit": ("next",),
    "/imports/": ("page", "asset"),
    "/imports/{job}/": ("next",),
    "/imports/{job}/progress": ("next",),
    "/settings/": ("action", "object_type", "actor", "after", "before", "page"),
    "/code-analysis/": ("next",),
    "/pick/assets": ("q", "at_least", "label"),
    "/pick/engagements": ("q", "at_least", "label"),
    "/accounts/login/": ("next",),
    "/accounts/password/reset/": ("next",),
}
SIGNED_OUT_PAGES = {"/accounts/login/", "/accounts/password/reset/"}
#: Every URL with an id in its path, with its method (a form page's GET and its POST both).
ID_PATHS = [
    *(("get", path) for path in PAGES if "{" in path),
    *(("post", write.path) for write in WRITES if "{" in write.path),
]
#: The roles below each role.
LESSER_ROLES = {needed: [role for role in Role if not role.allows(needed)] for needed in Role}
#: Each write a role is refused: every form a role below it posts, and every form page it opens.
GUARDED = [
    *(("post", write.path, write.needs) for write in WRITES if write.needs),
    *(("get", path, needs) for path, needs in FORM_PAGES.items()),
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    """Put a tenant's ids into a path or body (a fresh report file for ``REPORT``)."""
    if value == "REPORT":
        return SimpleUploadedFile(REPORT.name, REPORT.read_bytes(), content_type="application/json")
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value.format(**ids) if isinstance(value, str) else value


def body_of(write: Write, ids: dict[str, str], /, **changes: Any) -> dict[str, Any]:
    return {name: fill(value, ids) for name, value in {**write.body, **changes}.items()}


def both(tenant: Tenant, other: Tenant) -> dict[str, str]:
    """Return a tenant's ids, and the other's as ``other_<name>``."""
    return {**tenant.ids, **{f"other_{name}": value for name, value in other.ids.items()}}


def writer_for(write: Write, tenant: Tenant) -> User | None:
    """Return who sends a write's body: nobody signed in for the sign-in forms, else the owner."""
    return None if write.is_signed_out else tenant.users[Role.OWNER]


def client_of_page(path: str, tenant: Tenant) -> Client:
    return client_for(None if path in SIGNED_OUT_PAGES else tenant.users[Role.OWNER])


# --- The valid bodies change something (so that "nothing changed" below means something) ---


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_each_valid_body_changes_something(acme: Tenant, write: Write) -> None:
    # given
    client = client_for(writer_for(write, acme))
    before = state()
    # when
    response = client.post(fill(write.path, acme.ids), body_of(write, acme.ids))
    # then
    assert response.status_code in (200, 302)
    assert error_messages(response) == []
    assert form_errors(response) == {}
    assert state() != before


# --- NUL bytes ---


@pytest.mark.parametrize("path", PAGES)
def test_a_nul_byte_in_any_query_parameter_is_refused(acme: Tenant, path: str) -> None:
    client = client_of_page(path, acme)

    answers = {name: client.get(fill(path, acme.ids), {name: f"a{NUL}b"}) for name in PAGES[path]}

    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(
        PAGES[path], 400
    )
    assert {name: response.json()["detail"] for name, response in answers.items()} == {
        name: f"query parameters must not contain NUL bytes: '{name}'" for name in PAGES[path]
    }


@pytest.mark.parametrize("write", FORMS, ids=str)
def test_a_nul_byte_in_any_form_field_changes_nothing(acme: Tenant, write: Write) -> None:
    # given
    client = client_for(writer_for(write, acme))
    before = state()
    # when: each field in turn gets a NUL byte after its first character
    answers = {}
    for name in write.fields():
        value = fill(write.body[name], acme.ids)
        hostile = (
            [f"{item}{NUL}" for item in value] if isinstance(value, list) else f"{value[:1]}{NUL}{value[1:]}"
        )
        answers[name] = answer(
            post(client, fill(write.path, acme.ids), body_of(write, acme.ids, **{name: hostile})), name
        )
    # then
    assert answers == write.refusals()
    assert state() == before


def test_a_nul_byte_in_an_uploaded_file_name_is_dropped(acme: Tenant) -> None:
    # given
    client = client_for(acme.users[Role.ANALYST])
    report = SimpleUploadedFile(f"one{NUL}vuln.json", REPORT.read_bytes(), content_type="application/json")
    # when
    response = client.post("/imports/", {"file": report, "asset": acme.ids["asset"], "format": "bandit"})
    # then: Django's upload parser removes it; the import keeps the name without it
    job = ImportJob.objects.exclude(pk=acme.ids["job"]).get(organization__slug="acme")
    assert (response.status_code, response["Location"]) == (302, f"/imports/{job.pk}/")
    assert job.file_name == "onevuln.json"


# --- Oversize values ---


@pytest.mark.parametrize("write", FORMS, ids=str)
def test_a_mebibyte_in_any_form_field_changes_nothing(acme: Tenant, write: Write) -> None:
    # given
    client = client_for(writer_for(write, acme))
    before = state()
    # when: each field in turn gets its valid value after a mebibyte of digits (too long, too large)
    answers = {}
    for name in write.fields():
        value = fill(write.body[name], acme.ids)
        padding = "9" * MEBIBYTE
        hostile = [padding + item for item in value] if isinstance(value, list) else padding + value
        answers[name] = answer(
            post(client, fill(write.path, acme.ids), body_of(write, acme.ids, **{name: hostile})), name
        )
    # then
    assert answers == write.refusals()
    assert state() == before


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_body_past_the_cores_limit_is_refused_before_it_is_read(acme: Tenant, write: Write) -> None:
    # given: a client that sends its CSRF token as a browser does (the CSRF check reads the body first)
    client = client_for(writer_for(write, acme), enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    before = state()
    # when
    response = client.post(
        fill(write.path, acme.ids),
        body_of(write, acme.ids, csrfmiddlewaretoken=CSRF_SECRET, padding="x" * PAST_THE_BODY_LIMIT),
    )
    # then
    assert response.status_code == 400
    assert state() == before


#: The parameter each page reads that gets 100,000 characters (`next` where it reads none), and the answer.
LONG_QUERIES = {
    "/findings/": ("q", 200),
    "/findings/export.csv": ("q", 400),
    "/findings/views/{view}/": ("next", 302),
    "/settings/": ("actor", 200),
    "/imports/": ("asset", 200),
    "/assets/": ("page", 200),
    "/engagements/": ("page", 200),
    "/pick/assets": ("q", 400),
    "/pick/engagements": ("q", 400),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_a_100000_character_query_string_is_answered(acme: Tenant, path: str) -> None:
    # given
    parameter, status = LONG_QUERIES.get(path, ("next", 200))
    client = client_of_page(path, acme)
    before = state()
    # when
    response = client.get(fill(path, acme.ids), {parameter: "a" * LONG_QUERY})
    # then
    assert response.status_code == status
    content_of(response)
    assert state() == before


# --- Ids of the wrong type, or past 64 bits, in the path ---

BAD_IDS = ["abc", "-1", "1.5", "0", "%00", PAST_64_BITS, str(2**63), "00000000-0000-0000-0000-000000000000"]


@pytest.mark.parametrize(("method", "path"), ID_PATHS)
def test_a_path_id_of_the_wrong_type_or_past_64_bits_is_not_found(
    acme: Tenant, method: str, path: str
) -> None:
    # given
    client = client_for(acme.users[Role.OWNER])
    before = state()
    # when: every id of the path replaced by each bad one
    answers = {
        bad: getattr(client, method)(path.format(**dict.fromkeys(acme.ids, bad))).status_code
        for bad in BAD_IDS
    }
    # then
    assert answers == dict.fromkeys(BAD_IDS, 404)
    assert state() == before


# --- Another organisation's objects ---


@pytest.mark.parametrize(("method", "path"), ID_PATHS)
def test_another_organisations_object_is_not_found_and_nothing_changes(
    acme: Tenant, globex: Tenant, method: str, path: str
) -> None:
    # given: acme's owner, globex's ids in the path (and in the body, as a page of globex's would post)
    client = client_for(acme.users[Role.OWNER])
    write = WRITES_BY_PATH.get(path)
    body = body_of(write, globex.ids) if write and method == "post" else {}
    before = state()
    # when
    response = getattr(client, method)(fill(path, globex.ids), body)
    # then
    assert response.status_code == 404
    assert [name for name in globex.secrets() if name in content_of(response)] == []
    assert state() == before


def test_choosing_another_organisation_in_the_switcher_is_refused(acme: Tenant, globex: Tenant) -> None:
    client = client_for(acme.users[Role.OWNER])

    response = client.post("/organization", {"organization": "globex", "next": "/findings/"})

    assert (response.status_code, response["Location"]) == (302, "/findings/")
    assert client.session[SESSION_KEY] == "acme"


# --- Unknown, wrong-typed or another organisation's values in queries and forms ---


@pytest.mark.parametrize(
    ("path", "query", "status", "errors"),
    [
        ("/findings/", {"severity": "nope"}, 200, {"severity": [NOT_A_CHOICE]}),
        ("/findings/", {"status": "nope"}, 200, {"status": [NOT_A_CHOICE]}),
        ("/findings/", {"asset_kind": "nope"}, 200, {"asset_kind": [NOT_A_CHOICE]}),
        ("/findings/", {"sla_breached": "nope"}, 200, {}),
        ("/findings/", {"first_seen_after": "nope"}, 200, {"first_seen_after": ["Enter a valid date/time."]}),
        ("/findings/", {"sla_due_before": "nope"}, 200, {"sla_due_before": ["Enter a valid date."]}),
        ("/findings/", {"asset": "abc"}, 200, {"asset": [NOT_AVAILABLE]}),
        ("/findings/", {"asset": PAST_64_BITS}, 200, {"asset": [NOT_AVAILABLE]}),
        ("/findings/", {"ordering": "nope"}, 200, {}),
        ("/findings/", {"ordering": "--severity"}, 200, {}),
        ("/findings/", {"columns": "nope"}, 200, {}),
        pytest.param("/findings/", {"cwe": "CWE-²"}, 200, {}),
        ("/findings/", {"cwe": f"CWE-{PAST_64_BITS}"}, 200, {}),
        pytest.param("/findings/", {"q": "CWE-²"}, 200, {}),
        ("/findings/", {"q": f"CWE-{PAST_64_BITS}"}, 200, {}),
        ("/findings/export.csv", {"severity": "nope"}, 400, {}),
        ("/findings/export.csv", {"first_seen_after": "nope"}, 400, {}),
        ("/settings/", {"action": "nope"}, 200, {"action": [NOT_A_CHOICE]}),
        ("/settings/", {"after": "nope"}, 200, {"after": ["Enter a valid date."]}),
        ("/settings/", {"actor": "a" * LONG_QUERY}, 200, {"actor": [TOO_LONG.format(254, LONG_QUERY)]}),
        ("/settings/", {"page": "nope"}, 200, {}),
        ("/settings/", {"page": PAST_64_BITS}, 200, {}),
        ("/assets/", {"page": "nope"}, 200, {}),
        ("/assets/", {"page": PAST_64_BITS}, 200, {}),
        ("/engagements/", {"page": "-1"}, 200, {}),
        ("/imports/", {"page": PAST_64_BITS}, 200, {}),
        ("/imports/", {"asset": "nope"}, 200, {}),
        ("/pick/nope", {}, 404, {}),
        ("/pick/assets", {"at_least": "nope"}, 404, {}),
        # Another organisation's ids: refused as choices, or matching nothing.
        ("/findings/", {"asset": "{other_asset}"}, 200, {"asset": [NOT_AVAILABLE]}),
        ("/findings/", {"engagement": "{other_engagement}"}, 200, {"engagement": [NOT_AVAILABLE]}),
        ("/findings/", {"assignee": "{other_owner}"}, 200, {"assignee": [NOT_AVAILABLE]}),
        ("/findings/", {"organization": "globex"}, 200, {}),
        ("/findings/export.csv", {"organization": "globex"}, 200, {}),
        ("/imports/", {"asset": "{other_asset}"}, 200, {}),
        ("/settings/", {"actor": "owner@globex.example"}, 200, {}),
        ("/pick/assets", {"q": "globex", "label": "organization"}, 200, {}),
        ("/pick/engagements", {"q": "globex"}, 200, {}),
    ],
)
def test_an_unknown_or_foreign_query_value_shows_the_page_with_a_message_or_is_refused(
    acme: Tenant, globex: Tenant, path: str, query: dict[str, str], status: int, errors: dict[str, list[str]]
) -> None:
    client = client_for(acme.users[Role.OWNER])

    response = client.get(path, {name: fill(value, both(acme, globex)) for name, value in query.items()})

    assert response.status_code == status
    assert form_errors(response) == errors
    assert [name for name in globex.secrets() if name in content_of(response)] == []


@pytest.mark.parametrize(
    ("path", "changes", "status"),
    [
        ("/findings/bulk", {"action": "nope"}, 302),
        ("/findings/bulk", {"status": "nope"}, 302),
        ("/findings/bulk", {"status": "risk_accepted"}, 302),
        ("/findings/bulk", {"ids": ["abc"]}, 302),
        pytest.param("/findings/bulk", {"ids": [PAST_64_BITS]}, 302),
        ("/findings/bulk", {"ids": ["²"]}, 302),
        ("/findings/{finding}/status", {"to_status": "nope"}, 400),
        ("/findings/{finding}/status", {"approver": "abc"}, 400),
        ("/findings/{finding}/status", {"approver": PAST_64_BITS}, 400),
        ("/findings/{finding}/status", {"expires_on": "nope"}, 400),
        ("/findings/{finding}/assignee", {"assignee": "abc"}, 400),
        ("/findings/{finding}/assignee", {"assignee": PAST_64_BITS}, 400),
        ("/assets/new", {"kind": "nope"}, 200),
        ("/assets/new", {"environment": "nope"}, 200),
        ("/assets/new", {"criticality": "nope"}, 200),
        ("/assets/new", {"organization": PAST_64_BITS}, 200),
        ("/engagements/new", {"status": "nope"}, 200),
        ("/engagements/new", {"kind": "nope"}, 200),
        ("/engagements/new", {"asset": PAST_64_BITS}, 200),
        ("/imports/", {"format": "nope"}, 400),
        ("/imports/", {"asset": PAST_64_BITS}, 400),
        ("/settings/members/invite", {"role": "nope"}, 302),
        ("/settings/members/{membership}/role", {"role": "nope"}, 302),
        ("/settings/tokens", {"expires_in_days": "nope"}, 302),
        ("/settings/sla", {"critical_days": "nope"}, 400),
        # Another organisation's ids (and slug): not offered, not found.
        ("/findings/bulk", {"ids": ["{other_finding}"]}, 302),
        ("/findings/bulk", {"ids": ["{finding}", "{other_finding}"]}, 302),
        ("/findings/bulk", {"action": "assign", "assignee": "owner@globex.example"}, 302),
        ("/findings/{finding}/status", {"approver": "{other_owner}"}, 400),
        ("/findings/{finding}/assignee", {"assignee": "{other_analyst}"}, 400),
        ("/assets/new", {"organization": "{other_organization}"}, 200),
        ("/engagements/new", {"asset": "{other_asset}"}, 200),
        ("/engagements/{engagement}/edit", {"asset": "{other_asset}"}, 200),
        ("/imports/", {"asset": "{other_asset}"}, 400),
        (
            "/imports/",
            {"organization": "globex", "asset": "", "asset_identifier": "x.test", "asset_kind": "host"},
            400,
        ),
        ("/settings/members/invite", {"organization": "globex"}, 404),
        ("/settings/tokens", {"organization": "globex"}, 404),
        ("/settings/webhook-secret", {"organization": "globex"}, 404),
        ("/settings/sla", {"organization": "globex"}, 404),
        ("/settings/mfa", {"organization": "globex"}, 404),
    ],
)
def test_an_unknown_or_foreign_choice_in_a_form_is_refused_with_a_message(
    acme: Tenant, globex: Tenant, path: str, changes: dict[str, Any], status: int
) -> None:
    # given
    client = client_for(acme.users[Role.OWNER])
    before = state()
    # when
    response = client.post(fill(path, acme.ids), body_of(WRITES_BY_PATH[path], both(acme, globex), **changes))
    # then
    assert answer(response, next(iter(changes))) == (status, True)
    assert [name for name in globex.secrets() if name in content_of(response)] == []
    assert state() == before


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
@pytest.mark.parametrize(
    ("path", "body", "landing"),
    [
        ("/organization", {"organization": "acme"}, "/"),
        ("/findings/bulk", BULK, "/findings/"),
        ("/findings/views/save", {"name": ""}, "/findings/"),
        ("/accounts/login/", {"login": "owner@acme.example", "password": PASSWORD}, "/"),
    ],
)
def test_a_next_address_off_the_site_leads_back_to_it(
    acme: Tenant, path: str, body: dict[str, Any], landing: str, next_url: str
) -> None:
    client = client_for(None if path in SIGNED_OUT_PAGES else acme.users[Role.OWNER])

    response = client.post(path, {**body_of(Write(path, body, None), acme.ids), "next": next_url})

    assert (response.status_code, response["Location"]) == (302, landing)


# --- A tampered cursor ---


def _signed(payload: Any) -> str:
    return signing.dumps(payload, salt=listing.CURSOR_SALT)


@pytest.mark.parametrize(
    ("cursor", "ordering"),
    [
        ("not-a-cursor", "-id"),
        (_signed(["-id", "next", "1", 1])[:-1] + "x", "-id"),
        (_signed(["severity", "next", "1", 1]), "-id"),
        (_signed(["-id", "sideways", "1", 1]), "-id"),
        (_signed(["-id", "next", None, 2**64]), "-id"),
        (_signed(["-id", "next", None, "1 OR 1=1"]), "-id"),
        (_signed(["-severity", "next", "nope", 1]), "-severity"),
        (_signed(["-sla_due_on", "next", "not a date", 1]), "-sla_due_on"),
        (_signed({"sort": "-id"}), "-id"),
    ],
    ids="garbage tampered another-sort direction past-64-bits text-id text-rank bad-date dict".split(),
)
def test_a_tampered_cursor_shows_the_first_page_with_a_warning(
    acme: Tenant, cursor: str, ordering: str
) -> None:
    client = client_for(acme.users[Role.OWNER])

    response = client.get("/findings/", {"cursor": cursor, "ordering": ordering})

    assert response.status_code == 200
    assert [message.message for message in get_messages(response.wsgi_request)] == [CURSOR_REFUSED]
    assert response.context["page"].is_first is True
    assert [row["finding"].title for row in response.context["rows"]] == ["acme secret finding"]


# --- CSRF and roles ---


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_a_post_without_its_csrf_token_is_forbidden(acme: Tenant, write: Write) -> None:
    client = client_for(writer_for(write, acme), enforce_csrf_checks=True)
    before = state()

    response = client.post(fill(write.path, acme.ids), body_of(write, acme.ids))

    assert response.status_code == 403
    assert state() == before


def test_switching_organisation_without_a_csrf_token_is_forbidden(acme: Tenant) -> None:
    client = client_for(acme.users[Role.OWNER], enforce_csrf_checks=True)

    response = client.post("/organization", {"organization": "all"})

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == "acme"


@pytest.mark.parametrize(("method", "path", "needs"), GUARDED)
def test_every_role_below_the_forms_is_forbidden_and_nothing_changes(
    acme: Tenant, method: str, path: str, needs: Role
) -> None:
    # given
    write = WRITES_BY_PATH.get(path)
    clients = {role: client_for(acme.users[role]) for role in LESSER_ROLES[needs]}
    before = state()
    # when: each role below the form's sends it (or opens its page)
    answers = {
        role: getattr(client, method)(
            fill(path, acme.ids), body_of(write, acme.ids) if write and method == "post" else {}
        ).status_code
        for role, client in clients.items()
    }
    # then
    assert answers == dict.fromkeys(LESSER_ROLES[needs], 403)
    assert state() == before
