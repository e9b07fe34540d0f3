"""Seed PostgreSQL with a million findings and time the reads analysts make most.

    .venv/bin/python bench/seed_query.py [--findings 1000000] [--assets 10000]
        [--organizations 20] [--runs 40] [--reuse]

Creates (or, with --reuse, keeps) the database ``bastion_bench`` on 127.0.0.1, loads it
with COPY, then reports the median and p95 of
  * the showcase query (first page of 50, tags and comments prefetched), and
  * a filtered ``GET /api/v1/findings`` through the whole Django/DRF stack (token
    authentication, filters, cursor pagination, serialization), in process.
Targets: showcase < 50 ms, API call < 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: bench.instance

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "bastion_bench"
SEVERITIES = [
    ("critical", 5, 0.05),
    ("high", 4, 0.15),
    ("medium", 3, 0.40),
    ("low", 2, 0.30),
    ("info", 1, 0.10),
]
STATUSES = [
    ("open", 0.55),
    ("triaged", 0.15),
    ("in_progress", 0.1),
    ("resolved", 0.15),
    ("false_positive", 0.05),
]
CLOSED = {"resolved", "false_positive"}
TOOLS = ["bandit", "semgrep", "trivy", "grype", "zap", "nuclei", "gitleaks", "snyk"]
WORDS = [
    "injection",
    "traversal",
    "deserialization",
    "overflow",
    "exposure",
    "secret",
    "weak cipher",
    "redirect",
    "xss",
    "csrf",
    "ssrf",
]


def prepare_database(reuse: bool, database: str = DATABASE) -> bool:
    """Create the bench database; return True when it already holds seeded data to reuse."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and reuse:
            return True
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    return False


def setup_django(var_dir: Path, database: str = DATABASE) -> None:
    os.environ["BASTION_DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["BASTION_VAR_DIR"] = str(var_dir)
    os.environ["BASTION_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    import django

    django.setup()


def weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in table], [weight for _, weight in table])[0]


def seed(findings: int, assets: int, organizations: int) -> None:
    """Load organisations, members, assets and findings with COPY."""
    from django.core.management import call_command
    from django.db import connection

    from bastion.contracts.principal import Role
    from bastion.core.accounts.models import User
    from bastion.core.tenancy import services

    call_command("migrate", verbosity=0)
    rng = random.Random(20261130)  # noqa: S311 - reproducible data, not security
    now = datetime.now(UTC)
    orgs = [services.create_organization(slug=f"org-{n:02d}") for n in range(organizations)]
    for org in orgs:
        user = User.objects.create_user(f"analyst@{org.slug}.test", None)
        services.set_membership(organization=org, user=user, role=Role.ANALYST)
    started = time.perf_counter()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY assets_asset (organization_id, kind, name, identifier, criticality, environment,"
            " is_internet_facing, created_at, updated_at) FROM STDIN"
        ) as copy:
            for n in range(assets):
                org = orgs[n % organizations]
                copy.write_row(
                    (
                        org.pk,
                        "repository",
                        f"repo-{n}",
                        f"https://git.test/{org.slug}/repo-{n}",
                        rng.randint(1, 5),
                        "production",
                        n % 3 == 0,
                        now,
                        now,
                    )
                )
        asset_rows = cursor.execute("SELECT id, organization_id FROM assets_asset ORDER BY id").fetchall()
        with cursor.copy(
            "COPY findings_finding (organization_id, asset_id, title, description, severity,"
            " severity_rank, cvss_v3_vector, cvss_v4_vector, tool, rule_id, file_path, line_start,"
            " url, parameter, host, protocol, package, package_version, fixed_version, component,"
            ' evidence, remediation, "references", fingerprint, content_hash, status, first_seen, last_seen,'
            " sla_due_on, resolved_at, risk_justification, created_at, updated_at) FROM STDIN"
        ) as copy:
            for n in range(findings):
                # An import writes one asset's findings together: an asset's rows lie side by side in
                # the table, the assets (and so the organisations) one after another.
                asset_id, org_id = asset_rows[n * len(asset_rows) // findings]
                severity, rank, _ = rng.choices(SEVERITIES, [w for *_, w in SEVERITIES])[0]
                # An import stamps every finding it sees with one instant: findings come in ties (a
                # day's imports here; every finding was last seen, and updated, by the same one).
                first_seen = now - timedelta(days=rng.randint(0, 2 * 365))
                status = weighted(rng, STATUSES)
                # Closed findings were closed some days after they were found, never in the future.
                resolved_at = (
                    min(now, first_seen + timedelta(minutes=rng.randint(60, 120 * 24 * 60)))
                    if status in CLOSED
                    else None
                )
                word = rng.choice(WORDS)
                copy.write_row(
                    (
                        org_id,
                        asset_id,
                        f"Possible {word} in module {n % 997}",
                        f"The {word} flaw lets an attacker reach data {n}.",
                        severity,
                        rank,
                        "",
                        "",
                        rng.choice(TOOLS),
                        f"rule-{n % 311}",
                        f"src/app/module_{n % 997}.py",
                        n % 500 + 1,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "[]",
                        uuid.uuid4().hex,
                        uuid.uuid4().hex,
                        status,
                        first_seen,
                        now,
                        (first_seen + timedelta(days=30)).date(),
                        resolved_at,
                        "",
                        first_seen,
                        now,
                    )
                )
        with cursor.copy("COPY findings_findingadvisory (finding_id, identifier) FROM STDIN") as copy:
            for finding_id in range(1, findings + 1, 3):
                copy.write_row((finding_id, f"CVE-{2015 + finding_id % 10}-{finding_id % 50000:05d}"))
        with cursor.copy("COPY findings_findingcwe (finding_id, cwe_id) FROM STDIN") as copy:
            for finding_id in range(1, findings + 1, 2):
                copy.write_row((finding_id, rng.choice([79, 89, 22, 502, 327, 798, 918, 611])))
        cursor.execute("ANALYZE")
    raw.commit()
    print(
        f"seeded {findings:,} findings over {assets:,} assets in {organizations} organisations "
        f"in {time.perf_counter() - started:.0f} s"
    )


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(runs: int) -> None:
    from rest_framework.test import APIClient

    from bastion.core.findings import selectors
    from bastion.core.tenancy import services
    from bastion.core.tenancy.models import Membership
    from bastion.core.tenancy.selectors import principal_for_session

    memberships = list(Membership.objects.select_related("user", "organization").order_by("organization_id"))
    showcase, api = [], []
    returned = 0
    for run in range(runs + 3):
        membership = memberships[run % len(memberships)]
        principal = principal_for_session(user=membership.user)
        started = time.perf_counter()
        rows = list(selectors.showcase(principal=principal, organization_id=membership.organization_id)[:50])
        for row in rows:
            list(row.tags.all()), list(row.comments.all())
        elapsed = time.perf_counter() - started
        assert len(rows) == 50
        key = services.create_token(user=membership.user, organization=membership.organization).key
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        started = time.perf_counter()
        response = client.get(
            "/api/v1/findings",
            {"severity": ["critical", "high"], "status": "open", "tool": "semgrep", "cwe": "79"},
        )
        api_elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        returned = len(response.json()["results"])
        if run >= 3:  # the first runs warm caches and connections
            showcase.append(elapsed * 1000)
            api.append(api_elapsed * 1000)
    report("showcase query (first 50)", showcase, target=50)
    report(f"GET /api/v1/findings filtered ({returned} rows)", api, target=150)


# Every findings list call of docs/api.md's filters, each alone, as one organisation's analyst makes it.
CALLS: list[tuple[str, dict[str, str]]] = [
    ("no filter", {}),
    ("severity=critical", {"severity": "critical"}),
    ("status=open", {"status": "open"}),
    ("asset_kind=repository", {"asset_kind": "repository"}),
    ("cwe=79", {"cwe": "79"}),
    ("cve=<an advisory of its own>", {"cve": "{advisory}"}),
    ("tool=semgrep", {"tool": "semgrep"}),
    ("rule_id=rule-7", {"rule_id": "rule-7"}),
    ("sla_breached=true", {"sla_breached": "true"}),
    ("sla_breached=false", {"sla_breached": "false"}),
    ("first_seen_after (30 days)", {"first_seen_after": "{30_days_ago}"}),
    ("last_seen_before (30 days)", {"last_seen_before": "{30_days_ago}"}),
    ("resolved_after (30 days)", {"resolved_after": "{30_days_ago}"}),
    ("sla_due_before (today)", {"sla_due_before": "{today}"}),
    ("organization=<own>", {"organization": "{organization}"}),
    ("q=injection", {"q": "injection"}),
    ("q=inject data", {"q": "inject data"}),
    ("q=<an advisory of its own>", {"q": "{advisory}"}),
    ("q=injection, ordering=relevance", {"q": "injection", "ordering": "relevance"}),
    *[
        (f"ordering={field}", {"ordering": field})
        for name in ("severity", "first_seen", "last_seen", "sla_due_on", "updated_at", "id")
        for field in (name, f"-{name}")
    ],
    ("status=open, ordering=-severity", {"status": "open", "ordering": "-severity"}),
]


def measure_calls(runs: int) -> None:
    """Time each list call of CALLS, and page 100 by cursor; print a table of median and p95."""
    from rest_framework.test import APIClient

    from bastion.core.findings.models import Finding, FindingAdvisory
    from bastion.core.tenancy import services
    from bastion.core.tenancy.models import Membership

    membership = Membership.objects.select_related("user", "organization").order_by("organization_id").first()
    assert membership is not None
    key = services.create_token(user=membership.user, organization=membership.organization).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    today = datetime.now(UTC).date()
    values = {
        "{30_days_ago}": (today - timedelta(days=30)).isoformat(),
        "{today}": today.isoformat(),
        "{organization}": membership.organization.slug,
        "{advisory}": FindingAdvisory.objects.filter(finding__organization=membership.organization)
        .values_list("identifier", flat=True)
        .first()
        or "CVE-0000-0000",
    }
    # Page 100 by cursor: the cursor of page 100, walked to once, then asked for like any call
    # (pages of 50; fewer in a data set too small for 100 of them).
    size = max(1, min(50, Finding.objects.filter(organization=membership.organization).count() // 100))
    url = f"/api/v1/findings?page_size={size}"
    for _ in range(99):
        url = client.get(url).json()["next"]
        assert url, "fewer than 100 pages"
    calls: list[tuple[str, str | dict[str, str]]] = [
        (label, {name: values.get(value, value) for name, value in params.items()}) for label, params in CALLS
    ]
    calls.append((f"page 100 by cursor ({size} a page)", url))
    print("| call | rows | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    worst = 0.0
    for label, request in calls:
        samples = []
        rows = 0
        for run in range(runs + 3):
            started = time.perf_counter()
            response = (
                client.get(request) if isinstance(request, str) else client.get("/api/v1/findings", request)
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (label, response.content[:300])
            rows = len(response.json()["results"])
            if run >= 3:
                samples.append(elapsed)
        p95 = percentile(samples, 0.95)
        worst = max(worst, p95)
        print(f"| {label} | {rows} | {statistics.median(samples):.1f} | {p95:.1f} |")
    print(f"slowest list call p95: {worst:.1f} ms (target < 100 ms)")


def measure_concurrency(seconds: float, workers: int) -> None:
    """Serve the core alone with ``uvicorn bastion.core.asgi:application --workers N`` (the production
    command line of docs/operations.md) and compare the filtered list's throughput for 1 and 8 clients."""
    import socket
    import subprocess
    import threading

    import httpx

    from bastion.core.tenancy import services
    from bastion.core.tenancy.models import Membership
    from bench.instance import wait_ready

    memberships = list(Membership.objects.select_related("user", "organization").order_by("organization_id"))
    keys = [services.create_token(user=m.user, organization=m.organization).key for m in memberships]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    server = subprocess.Popen(  # noqa: S603 - our interpreter, an argument list
        [sys.executable, "-m", "uvicorn", "bastion.core.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
        env=environment,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/healthz", server, 180, "the core did not start")
        params = {"severity": ["critical", "high"], "status": "open", "tool": "semgrep"}

        def throughput(clients: int) -> float:
            done = [0] * clients
            stop_at = time.monotonic() + seconds

            def client(number: int) -> None:
                headers = {"Authorization": f"Token {keys[number % len(keys)]}"}
                with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
                    http.get("/api/v1/findings", params=params)  # a connection and warm caches
                    while time.monotonic() < stop_at:
                        assert http.get("/api/v1/findings", params=params).status_code == 200
                        done[number] += 1

            threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return sum(done) / seconds

        single, eight = throughput(1), throughput(8)
        print(
            f"findings list through `uvicorn bastion.core.asgi:application --workers {workers}`: "
            f"1 client {single:.1f} requests/s, 8 clients {eight:.1f} requests/s, "
            f"{eight / single:.2f}x (target >= 1.8x)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(name: str, samples: list[float], *, target: float) -> None:
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms (target < {target:.0f} ms)")


def prepared(description: str | None) -> argparse.Namespace:
    """Parse the data set's arguments; seed `bastion_bench` (or keep it: --reuse); set up Django."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=20)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bastion_bench")
    parser.add_argument("--seconds", type=float, default=20, help="each throughput measure's length")
    parser.add_argument("--workers", type=int, default=2, help="the core's processes (one a core)")
    parser.add_argument("--database", default=DATABASE, help="the database to seed (make test: its own)")
    args = parser.parse_args()
    reused = prepare_database(args.reuse, args.database)
    var_dir = Path("var") / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    setup_django(var_dir, args.database)
    if reused:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a database seeded by an older checkout
    else:
        seed(args.findings, args.assets, args.organizations)
    # As the core's process does once it has started (bastion/core/asgi.py): every view imported,
    # the heap settled.
    from django.urls import get_resolver

    from bastion.core import heap

    get_resolver().url_patterns  # noqa: B018
    heap.settle()
    return args


def main() -> int:
    args = prepared(__doc__)
    measure(args.runs)
    measure_calls(args.runs)
    measure_concurrency(args.seconds, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
