"""The ``bastion`` command: start the system, and script a set-up without the UI."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bastion.config import ConfigurationError, Settings, get_settings, redact_url

app = typer.Typer(help="Bastion: vulnerability management.", no_args_is_help=True, add_completion=False)
org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

DEFAULT_ADMIN_EMAIL = "admin@bastion.local"
DEMO_ORGANIZATION = "demo"


def _setup_django(*, instance: bool = True) -> None:
    """Set Django up; with ``instance``, first make sure there is a migrated database to work on.

    Commands find the instance's state as ``bastion up`` does: in ``BASTION_VAR_DIR``, else
    ``./var`` under the current directory. Only ``up`` and ``manage`` (``migrate``) start a
    new instance; the others stop with one line rather than leave an empty one behind.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    try:
        settings = get_settings()
    except ConfigurationError as error:
        _fail(str(error))
    from django.apps import apps

    if instance and not apps.ready:
        # Checked before Django starts: its settings create the state directory.
        database = settings.sqlite_path
        if database is not None and not database.is_file():
            _fail(
                f"no Bastion instance here ({_where(settings)}): run this where `bastion up` runs, "
                "or set BASTION_VAR_DIR to that instance's directory"
            )
    import django

    django.setup()
    if instance:
        _require_migrated(settings)


def _where(settings: Settings) -> str:
    if settings.database_url is not None:
        return f"BASTION_DATABASE_URL is {redact_url(settings.database_url)}"
    if "BASTION_VAR_DIR" in os.environ:
        return f"BASTION_VAR_DIR is {settings.absolute_var_dir}"
    return f"BASTION_VAR_DIR is not set, so ./var: {settings.absolute_var_dir}"


def _require_migrated(settings: Settings) -> None:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        _fail(f"the database cannot be used ({_where(settings)}): {reason}")
    if pending:
        _fail(
            f"the database is not migrated ({_where(settings)}): "
            "run `bastion manage migrate` (or `bastion up`) first"
        )


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"bastion: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Address to listen on [BASTION_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [BASTION_PORT].")] = None,
    worker_concurrency: Annotated[int, typer.Option(help="Celery worker processes.")] = 2,
    scan_concurrency: Annotated[int, typer.Option(help="Scans run at once (the scans queue's worker).")] = 1,
) -> None:
    """Migrate, make sure an admin and a demo organisation exist, and run every service."""
    from bastion.supervisor import Child, Supervisor

    _setup_django(instance=False)
    from django.core.management import call_command

    from bastion.bus.queues import SCANS_QUEUE  # after the settings are checked: the bus reads them

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    _ensure_admin_and_demo()

    var_dir = settings.resolved_var_dir
    (var_dir / "run").mkdir(exist_ok=True)
    environment = {**os.environ, "BASTION_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"}
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "bastion.core.celery"]
    children = [
        Child(
            "gateway",
            [
                python,
                "-m",
                "uvicorn",
                "--factory",
                "bastion.gateway:create_gateway",
                "--host",
                host,
                "--port",
                str(port),
                "--lifespan",
                "on",
                "--no-server-header",
                # Embedded, nothing stands in front: X-Forwarded-For is the client's to write,
                # so the connection's address is the client (sign-in throttling counts it).
                *(["--no-proxy-headers"] if settings.profile == "embedded" else []),
            ],
        ),
        Child(
            "worker",
            [
                python,
                "-m",
                "bastion.cli",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={worker_concurrency}",
                "--without-gossip",
                "--without-mingle",
            ],
        ),
        # Scans run apart from imports: a long scan never holds up an import.
        Child(
            "scans",
            [
                python,
                "-m",
                "bastion.cli",
                "worker",
                "--loglevel=INFO",
                f"--queues={SCANS_QUEUE}",
                f"--concurrency={scan_concurrency}",
                "--without-gossip",
                "--without-mingle",
            ],
        ),
        Child(
            "beat",
            [
                *celery,
                "beat",
                "--loglevel=INFO",
                f"--schedule={var_dir / 'run' / 'beat-schedule'}",
                f"--pidfile={var_dir / 'run' / 'beat.pid'}",
            ],
        ),
    ]
    display_host = f"[{host}]" if ":" in host else host
    supervisor = Supervisor(
        children, environment=environment, health_url=f"http://{display_host}:{port}/healthz"
    )
    raise typer.Exit(supervisor.run())


def _ensure_admin_and_demo() -> None:
    """Create the administrator and the demo organisation when missing; a new one of either makes
    the administrator an owner of demo, so the first sign-in lands on a dashboard with its data
    (a superuser who is no member sees no organisation's data). A later removal is respected."""
    from django.db import transaction

    from bastion.contracts.principal import Role
    from bastion.core.accounts.models import User
    from bastion.core.tenancy import services
    from bastion.core.tenancy.models import Membership, Organization

    settings = get_settings()
    email = (settings.admin_email or DEFAULT_ADMIN_EMAIL).lower()
    with transaction.atomic():
        admin = User.objects.filter(email=email).first()
        is_new_admin = admin is None
        if admin is None:
            if settings.admin_password is not None:
                password = settings.admin_password.get_secret_value()
                shown = False
            else:
                password = secrets.token_urlsafe(12)
                shown = True
            admin = User.objects.create_superuser(email, password)
            typer.echo(f"bastion: created the administrator {email}", err=True)
            if shown:
                typer.echo(f"bastion: its password, shown this once: {password}", err=True)
        demo = Organization.objects.filter(slug=DEMO_ORGANIZATION).first()
        is_new_demo = demo is None
        if demo is None:
            demo = services.create_organization(slug=DEMO_ORGANIZATION, name="Demo")
        is_member = Membership.objects.filter(organization=demo, user=admin).exists()
        if (is_new_admin or is_new_demo) and not is_member:
            services.set_membership(organization=demo, user=admin, role=Role.OWNER)


def worker_node_name(pid: int) -> str:
    """Return the Celery node name of the worker process ``pid`` (Celery expands ``%h`` to the host)."""
    return f"bastion-{pid}@%h"


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(context: typer.Context) -> NoReturn:
    """Run a Celery worker named ``bastion-<pid>@<host>``; other options are ``celery worker``'s.

    A worker holds a control queue named after its node, which one process at a time may hold
    on a broker: named by its process, any number of workers run on one host and one broker.
    """
    try:
        get_settings()
    except ConfigurationError as error:
        _fail(str(error))
    # exec keeps the process: the pid in the name is the worker's own (the one `ps` shows).
    command = [sys.executable, "-m", "celery", "-A", "bastion.scanner.worker", "worker"]
    node = f"--hostname={worker_node_name(os.getpid())}"
    os.execv(sys.executable, [*command, node, *context.args])  # noqa: S606 - no shell, the caller's own options


@app.command(
    context_settings={
        "allow_extra_args": True,
        "ignore_unknown_options": True,
        "help_option_names": [],
    }
)
def manage(context: typer.Context) -> None:
    """Run a Django management command: ``bastion manage migrate``, ``bastion manage shell``…"""
    _setup_django(instance=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bastion manage", *context.args])


@org_app.command("create")
def org_create(
    slug: str,
    name: Annotated[str, typer.Option(help="Display name (default: the slug).")] = "",
) -> None:
    """Create an organisation."""
    _setup_django()
    from django.core.exceptions import ValidationError

    from bastion.core.tenancy import services
    from bastion.core.tenancy.exceptions import TenancyConflict

    try:
        organization = services.create_organization(slug=slug, name=name)
    except (TenancyConflict, ValidationError) as error:
        _fail(_message(error))
    typer.echo(f"bastion: created organisation {organization.slug}", err=True)


@user_app.command("create")
def user_create(
    email: str,
    org: Annotated[str, typer.Option(help="The organisation's slug.")],
    role: Annotated[str, typer.Option(help="owner, admin, analyst or viewer.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Create a user (or find an existing one) and give them a role in an organisation."""
    _setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from bastion.contracts.principal import Role
    from bastion.core.accounts.models import User
    from bastion.core.tenancy import services
    from bastion.core.tenancy.exceptions import TenancyConflict
    from bastion.core.tenancy.models import Organization

    try:
        chosen_role = Role(role)
    except ValueError:
        _fail(f"unknown role {role!r}: choose owner, admin, analyst or viewer")
    organization = Organization.objects.filter(slug=org).first()
    if organization is None:
        _fail(f"no organisation {org!r}")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with transaction.atomic():
            user = User.objects.filter(email=email.lower()).first()
            if user is None:
                if password is not None:
                    validate_password(password, User(email=email))
                user = User.objects.create_user(email, password)
                created = True
            else:
                created = False
                if password is not None:
                    validate_password(password, user)
                    user.set_password(password)
                    user.save(update_fields=["password"])
            services.set_membership(organization=organization, user=user, role=chosen_role)
    except (ValidationError, TenancyConflict) as error:
        _fail(_message(error))
    verb = "created" if created else "updated"
    typer.echo(f"bastion: {verb} {user.email} as {chosen_role.value} in {organization.slug}", err=True)


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option(help="The user's e-mail address.")],
    org: Annotated[str, typer.Option(help="The organisation's slug.")],
    expires: Annotated[
        int | None, typer.Option(min=1, help="Days until it expires (default: never).")
    ] = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Issue an API token; the key is printed alone on standard output, this once."""
    _setup_django()
    from bastion.core.accounts.models import User
    from bastion.core.tenancy import services
    from bastion.core.tenancy.exceptions import TenancyConflict
    from bastion.core.tenancy.models import Organization

    account = User.objects.filter(email=user.lower()).first()
    if account is None:
        _fail(f"no user {user!r}")
    organization = Organization.objects.filter(slug=org).first()
    if organization is None:
        _fail(f"no organisation {org!r}")
    try:
        issued = services.create_token(
            user=account,
            organization=organization,
            name=name,
            expires_in=timedelta(days=expires) if expires is not None else None,
        )
    except TenancyConflict as error:
        _fail(str(error))
    typer.echo(issued.key)


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format_name: Annotated[
        str | None, typer.Option("--format", help="Force a format (see `bastion formats`).")
    ] = None,
) -> None:
    """Print a report's normalized findings as JSON Lines, in report order."""
    from bastion.parsers import ParserError, parse_report

    out = sys.stdout.buffer
    try:
        with path.open("rb") as stream:
            _parser, findings = parse_report(stream, format_name=format_name)
            for finding in findings:
                out.write(finding.model_dump_json().encode() + b"\n")
    except ParserError as error:
        out.flush()
        _fail(str(error).replace("\n", " "))
    out.flush()


@app.command()
def formats() -> None:
    """List the report formats Bastion reads: name, description, DefectDojo's scan_type names for it."""
    from bastion.parsers import all_parsers

    for parser in all_parsers().values():
        typer.echo(f"{parser.name}\t{parser.label}\t{', '.join(parser.defectdojo_scan_types)}")


webhook_app = typer.Typer(help="Webhook secrets.", no_args_is_help=True)
app.add_typer(webhook_app, name="webhook-secret")


@webhook_app.command("create")
def webhook_secret_create(
    org: Annotated[str, typer.Option(help="The organisation's slug.")],
) -> None:
    """Make (or replace) an organisation's webhook secret; it is printed alone, this once."""
    _setup_django()
    from bastion.core.imports import services
    from bastion.core.tenancy.models import Organization

    organization = Organization.objects.filter(slug=org).first()
    if organization is None:
        _fail(f"no organisation {org!r}")
    typer.echo(services.rotate_webhook_secret(actor=None, organization=organization))


advisories_app = typer.Typer(help="The OSV advisory database.", no_args_is_help=True)
app.add_typer(advisories_app, name="advisories")


@advisories_app.command("import")
def advisories_import(
    path: Annotated[
        Path, typer.Argument(exists=True, help="An OSV all.zip, a directory of OSV JSON or one file.")
    ],
) -> None:
    """Load an OSV export into the advisory database and print what it did."""
    _setup_django()
    import time

    from bastion.core.advisories import services

    started = time.perf_counter()
    try:
        counts = services.import_osv(path)
    except services.UnsafeArchive as error:
        _fail(f"refused: {error}")
    elapsed = max(time.perf_counter() - started, 1e-9)
    for refusal in counts.refusals:
        typer.echo(f"bastion: refused {refusal}", err=True)
    typer.echo(
        f"read {counts.read}, new {counts.new}, updated {counts.updated}, unchanged {counts.unchanged}, "
        f"refused {counts.refused} in {elapsed:.1f} s ({counts.read / elapsed:.0f} records/s)"
    )


@advisories_app.command("sync")
def advisories_sync(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option(help="An OSV ecosystem to sync (repeatable) [BASTION_ADVISORIES_ECOSYSTEMS]."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(help="Where the exports are, BASE/ECOSYSTEM/all.zip [BASTION_ADVISORIES_URL]."),
    ] = None,
) -> None:
    """Download the OSV exports that changed since the last sync and import them, now.

    Runs whether or not the daily sync is on (BASTION_ADVISORIES_SYNC): asking is the permission.
    """
    _setup_django()
    from bastion.core.advisories import sync

    try:
        results = sync.sync(ecosystems=ecosystem or None, base_url=url)
    except sync.SyncRefused as error:
        _fail(f"refused: {error}")
    for name, result in results.items():
        if result.status == "failed":
            typer.echo(f"bastion: {name}: failed: {result.reason}", err=True)
        elif result.counts is None:
            typer.echo(f"{name}: not modified")
        else:
            counts = result.counts
            for refusal in counts.refusals:
                typer.echo(f"bastion: {name}: refused {refusal}", err=True)
            typer.echo(
                f"{name}: downloaded {result.downloaded_bytes} bytes; read {counts.read}, new {counts.new}, "
                f"updated {counts.updated}, unchanged {counts.unchanged}, refused {counts.refused}"
            )
    if any(result.status == "failed" for result in results.values()):
        raise typer.Exit(1)


def _message(error: Exception) -> str:
    messages = getattr(error, "messages", None)
    return "; ".join(messages) if messages else str(error)


def main() -> None:
    """Entry point of the ``bastion`` command."""
    app()


if __name__ == "__main__":
    main()
