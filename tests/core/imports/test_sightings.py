"""Every import that reports a finding leaves a sighting: the finding's import history."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.findings.models import Finding
from bastion.core.imports import selectors, services
from bastion.core.imports.models import ImportJob, Sighting
from bastion.core.tenancy.selectors import principal_for_session
from tests import factories

# The commit's staging tables live until the transaction ends (ON COMMIT DROP on PostgreSQL):
# each import here must commit for real, as a worker's does.
pytestmark = pytest.mark.django_db(transaction=True)

BACKFILL = importlib.import_module("bastion.core.imports.migrations.0005_backfill_sightings").BACKFILL

Importer = Callable[..., ImportJob]


def reported(fingerprint: str, title: str = "") -> NormalizedFinding:
    return NormalizedFinding(
        title=title or f"Issue {fingerprint}", severity=Severity.HIGH, tool="bandit", fingerprint=fingerprint
    )


@pytest.fixture
def web_asset() -> Asset:
    return factories.asset(factories.organization("acme"), name="web")


@pytest.fixture
def import_findings(web_asset: Asset) -> Importer:
    """Commit findings to the asset as a worker does: a job, then the set-based commit."""

    def run(
        findings: Iterable[NormalizedFinding],
        *,
        is_full: bool = False,
        actor: User | None = None,
        asset: Asset = web_asset,
    ) -> ImportJob:
        job = services.create_job(
            actor=actor, asset=asset, storage_key="none", size_bytes=1, sha256="", is_full=is_full
        )
        services.commit(job=job, format_name="bandit", findings=findings)
        job.refresh_from_db()
        return job

    return run


def counts(job: ImportJob) -> tuple[int, ...]:
    return (job.parsed, job.new, job.updated, job.reopened, job.resolved, job.unchanged)


def sightings_by_fingerprint() -> dict[str, int]:
    """Return how many sightings each finding has, by fingerprint."""
    return {
        finding.fingerprint: Sighting.objects.filter(finding=finding).count()
        for finding in Finding.objects.all()
    }


def test_a_new_import_records_one_sighting_per_finding(import_findings: Importer) -> None:
    # when: a report of three findings, one of them twice
    job = import_findings([reported("a"), reported("b"), reported("c"), reported("a", "Issue a again")])

    # then
    assert counts(job) == (4, 3, 0, 0, 0, 0)
    assert Sighting.objects.count() == 3
    assert set(Sighting.objects.values_list("finding__fingerprint", "import_job_id")) == {
        ("a", job.pk),
        ("b", job.pk),
        ("c", job.pk),
    }


def test_a_reimport_records_a_second_sighting_for_each_finding(import_findings: Importer) -> None:
    # given
    report = [reported("a"), reported("b"), reported("c")]
    first = import_findings(report)

    # when
    second = import_findings(report)

    # then
    assert counts(second) == (3, 0, 0, 0, 0, 3)
    assert sightings_by_fingerprint() == {"a": 2, "b": 2, "c": 2}
    assert Sighting.objects.filter(import_job=first).count() == 3
    assert Sighting.objects.filter(import_job=second).count() == 3


def test_updated_unchanged_and_reopened_findings_are_seen_and_resolved_missing_ones_are_not(
    import_findings: Importer,
) -> None:
    # given: a, b, c, d imported; then a full import of a (reworded) and b resolves c and d
    import_findings([reported("a"), reported("b"), reported("c"), reported("d")], is_full=True)
    resolving = import_findings([reported("a", "Reworded"), reported("b")], is_full=True)

    # when: c comes back, e is new
    reopening = import_findings([reported("a", "Reworded"), reported("b"), reported("c"), reported("e")])

    # then
    assert counts(resolving) == (2, 0, 1, 0, 2, 1)
    assert counts(reopening) == (4, 1, 0, 1, 0, 2)
    assert Sighting.objects.filter(import_job=resolving).count() == 2
    assert set(
        Sighting.objects.filter(import_job=resolving).values_list("finding__fingerprint", flat=True)
    ) == {"a", "b"}
    assert sightings_by_fingerprint() == {"a": 3, "b": 3, "c": 2, "d": 1, "e": 1}
    assert Finding.objects.get(fingerprint="d").status == "resolved"


def test_a_full_import_of_an_empty_report_records_no_sighting(import_findings: Importer) -> None:
    # given
    import_findings([reported("a")])

    # when
    empty = import_findings([], is_full=True)

    # then
    assert counts(empty) == (0, 0, 0, 0, 1, 0)
    assert Sighting.objects.filter(import_job=empty).exists() is False
    assert Sighting.objects.count() == 1


def test_imports_that_saw_lists_the_callers_imports_of_the_finding_newest_first(
    import_findings: Importer, web_asset: Asset
) -> None:
    # given: two imports by an analyst that saw "a", and a third that did not
    uploader = factories.member(web_asset.organization, Role.ANALYST, email="ci@acme.test")
    first = import_findings([reported("a")], actor=uploader)
    second = import_findings([reported("a"), reported("b")], actor=uploader)
    import_findings([reported("b")], actor=uploader)
    reader = principal_for_session(user=factories.member(web_asset.organization, Role.VIEWER))
    finding = Finding.objects.get(fingerprint="a")

    # when
    with CaptureQueriesContext(connection) as queries:
        jobs = [
            (job.pk, job.created_by.email if job.created_by else None)
            for job in selectors.imports_that_saw(principal=reader, finding=finding)
        ]

    # then: one query, the uploader selected with the job
    assert jobs == [(second.pk, "ci@acme.test"), (first.pk, "ci@acme.test")]
    assert len(queries) == 1


def test_imports_that_saw_never_lists_another_organisations_import(
    import_findings: Importer, web_asset: Asset
) -> None:
    # given: a finding imported into acme, and an owner of globex
    import_findings([reported("a")])
    finding = Finding.objects.get(fingerprint="a")
    globex = factories.organization("globex")
    stranger = principal_for_session(user=factories.member(globex, Role.OWNER))

    # when
    jobs = selectors.imports_that_saw(principal=stranger, finding=finding)

    # then
    assert list(jobs) == []
    assert Sighting.objects.filter(finding=finding).count() == 1


def test_imports_that_saw_keeps_to_the_finding_it_is_given(
    import_findings: Importer, web_asset: Asset
) -> None:
    # given: the same fingerprint on an asset of globex, imported there
    globex_asset = factories.asset(factories.organization("globex"), name="globex-web")
    import_findings([reported("a")])
    theirs = import_findings([reported("a")], asset=globex_asset)
    owner = principal_for_session(user=factories.member(globex_asset.organization, Role.OWNER))
    acme_finding = Finding.objects.get(fingerprint="a", asset=web_asset)
    globex_finding = Finding.objects.get(fingerprint="a", asset=globex_asset)

    # when / then: globex's owner sees their own import of their finding, none of acme's
    assert list(selectors.imports_that_saw(principal=owner, finding=globex_finding)) == [theirs]
    assert list(selectors.imports_that_saw(principal=owner, finding=acme_finding)) == []


def test_deleting_an_import_deletes_its_sightings(import_findings: Importer) -> None:
    # given
    first = import_findings([reported("a"), reported("b")])
    second = import_findings([reported("a")])

    # when
    first.delete()

    # then
    assert list(Sighting.objects.values_list("finding__fingerprint", "import_job_id")) == [("a", second.pk)]
    assert Finding.objects.count() == 2


def test_the_backfill_records_each_findings_last_import_once(
    import_findings: Importer, web_asset: Asset
) -> None:
    # given: findings imported before sightings existed, one whose last import is gone, one never imported
    import_findings([reported("a"), reported("b")])
    gone = import_findings([reported("c")])
    manual = factories.finding(web_asset)
    last_imports = dict(Finding.objects.values_list("fingerprint", "last_import_id"))
    Sighting.objects.all().delete()  # the table as migration 0004 leaves it
    ImportJob.objects.filter(pk=gone.pk).delete()

    # when
    with connection.cursor() as cursor:
        cursor.execute(BACKFILL)

    # then
    assert set(Sighting.objects.values_list("finding__fingerprint", "import_job_id")) == {
        ("a", last_imports["a"]),
        ("b", last_imports["b"]),
    }
    assert Sighting.objects.filter(finding=manual).exists() is False
