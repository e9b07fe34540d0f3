"""Time the web application's pages over a million findings on PostgreSQL.

    .venv/bin/python -m bench.ui [--runs 40] [--reuse] [--findings 1000000] ...

Seeds (or, with --reuse, keeps) the database ``bastion_bench`` of ``bench/seed_query.py``
(1,000,000 findings over 10,000 assets in 20 organisations), then requests each page through
the whole Django stack in process (session, middleware, views, templates) and reports the
server time's median and p95:

  * the dashboard of one organisation (50,000 findings), and across all 20 (1,000,000), as a
    member of every organisation sees it, and across all 20 just after a triage in one of them
    (whose figures are then computed afresh: each run triages one open finding);
  * the findings list: the first page, a filtered page, and the list across all organisations;
  * a finding's page.

Targets (issue 11): dashboard and findings list p95 < 300 ms, finding page p95 < 150 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import seed_query

LEAD = "lead@bench.test"
WARM_UP = 3


def lead_of_every_organization() -> Any:
    """Return a user who is an analyst in every organisation (made once)."""
    from bastion.contracts.principal import Role
    from bastion.core.accounts.models import User
    from bastion.core.tenancy import services
    from bastion.core.tenancy.models import Organization

    user = User.objects.filter(email=LEAD).first() or User.objects.create_user(LEAD, None)
    for organization in Organization.objects.all():
        services.set_membership(organization=organization, user=user, role=Role.ANALYST)
    return user


def client_for(user: Any, organization: str) -> Any:
    """Return a signed-in client whose switcher shows ``organization`` (or ``all``)."""
    from django.test import Client

    from bastion.core.web.scope import SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_KEY] = organization
    session.save()
    return client


def timed(runs: int, request: Callable[[int], Any]) -> list[float]:
    """Return the milliseconds of ``runs`` requests after a few warm-up ones; each must answer 200."""
    samples = []
    for run in range(runs + WARM_UP):
        started = time.perf_counter()
        response = request(run)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (response.status_code, response.content[:300])
        if run >= WARM_UP:
            samples.append(elapsed)
    return samples


def changed_then(client: Any, organization: Any) -> Any:
    """Change one finding of ``organization`` through the services (its figures go stale), then load."""
    from bastion.core.findings import services
    from bastion.core.findings.choices import Status
    from bastion.core.findings.models import Finding

    finding = Finding.objects.filter(organization=organization, status=Status.OPEN).first()
    if finding is not None:
        services.transition(actor=None, finding=finding, to_status=Status.TRIAGED, reason="bench")
    return client.get("/")


def report(name: str, samples: list[float], *, target: float) -> bool:
    """Print one line of figures; return whether the p95 meets the target."""
    median, p95 = statistics.median(samples), seed_query.percentile(samples, 0.95)
    verdict = "ok" if p95 < target else "MISSED"
    print(f"{name}: median {median:.0f} ms, p95 {p95:.0f} ms (target p95 < {target:.0f} ms: {verdict})")
    return p95 < target


def measure(runs: int) -> bool:
    """Request each page ``runs`` times; return whether every target is met."""
    from django.db.models import Count

    from bastion.core.findings.models import Finding
    from bastion.core.tenancy.models import Organization

    lead = lead_of_every_organization()
    counted = Organization.objects.annotate(finding_count=Count("findings"))
    busiest = counted.order_by("-finding_count", "slug").first()
    assert busiest is not None
    one = client_for(lead, busiest.slug)
    every = client_for(lead, "all")
    in_busiest = Finding.objects.filter(organization=busiest)
    finding_ids = list(in_busiest.order_by("?").values_list("pk", flat=True)[: runs + WARM_UP])
    total = Finding.objects.count()
    print(
        f"{total:,} findings; {busiest.slug} holds {in_busiest.count():,}; "
        f"{runs} runs each after {WARM_UP} warm-up"
    )
    organizations = list(Organization.objects.order_by("pk"))
    filters = [
        {"severity": ["critical", "high"], "status": "open"},
        {"tool": "semgrep", "cwe": "79"},
        {"q": "traversal", "sort": "-first_seen"},
        {"sla_breached": "true", "sort": "sla_due_on"},
    ]
    results = [
        report("dashboard, one organisation", timed(runs, lambda _run: one.get("/")), target=300),
        report("dashboard, all 20 organisations", timed(runs, lambda _run: every.get("/")), target=300),
        report(
            "dashboard, all 20 organisations, just after a change in one",
            timed(runs, lambda run: changed_then(every, organizations[run % len(organizations)])),
            target=300,
        ),
        report("findings list, first page", timed(runs, lambda _run: one.get("/findings/")), target=300),
        report(
            "findings list, filtered",
            timed(runs, lambda run: one.get("/findings/", filters[run % len(filters)])),
            target=300,
        ),
        report(
            "findings list, all 20 organisations",
            timed(runs, lambda _run: every.get("/findings/")),
            target=300,
        ),
        report(
            "finding page",
            timed(runs, lambda run: one.get(f"/findings/{finding_ids[run % len(finding_ids)]}/")),
            target=150,
        ),
    ]
    return all(results)


def main() -> int:
    return 0 if measure(seed_query.prepared(__doc__).runs) else 1


if __name__ == "__main__":
    sys.exit(main())
