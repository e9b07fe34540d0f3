"""The import domain's reads answer only within the caller's organisations."""

from __future__ import annotations

import pytest

from bastion.contracts.principal import Role
from bastion.core.imports import selectors, services
from bastion.core.imports.exceptions import (
    ImportForbidden,
    ImportNotFound,
    OrganizationNotChosen,
    OrganizationNotFound,
)
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy import services as tenancy_services
from bastion.core.tenancy.selectors import principal_for_session
from tests import factories

pytestmark = pytest.mark.django_db


def _job_of(slug: str) -> ImportJob:
    asset = factories.asset(factories.organization(slug))
    return services.create_job(actor=None, asset=asset, storage_key="none", size_bytes=1, sha256="")


def test_import_for_returns_a_job_of_the_callers_organisation() -> None:
    # given
    job = _job_of("acme")
    reader = principal_for_session(user=factories.member(job.organization, Role.VIEWER))
    # when
    found = selectors.import_for(principal=reader, import_id=str(job.pk))
    # then
    assert (found.pk, found.organization.slug) == (job.pk, "acme")


def test_import_for_refuses_another_organisations_job() -> None:
    # given: a job of acme, and an owner of globex
    job = _job_of("acme")
    globex = factories.organization("globex")
    stranger = principal_for_session(user=factories.member(globex, Role.OWNER))
    # when / then
    with pytest.raises(ImportNotFound, match=r"^Not found\.$"):
        selectors.import_for(principal=stranger, import_id=str(job.pk))
    assert ImportJob.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize("import_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_import_for_refuses_an_id_that_names_no_job(import_id: str) -> None:
    job = _job_of("acme")
    owner = principal_for_session(user=factories.member(job.organization, Role.OWNER))

    with pytest.raises(ImportNotFound):
        selectors.import_for(principal=owner, import_id=import_id)


def test_organization_to_import_into_is_the_callers_only_one_or_the_one_named() -> None:
    # given: an analyst of acme and of globex, a viewer of initech
    acme, globex, initech = (factories.organization(slug) for slug in ("acme", "globex", "initech"))
    user = factories.member(acme, Role.ANALYST)
    tenancy_services.set_membership(organization=globex, user=user, role=Role.ANALYST)
    tenancy_services.set_membership(organization=initech, user=user, role=Role.VIEWER)
    caller = principal_for_session(user=user)
    # when / then
    assert selectors.organization_to_import_into(principal=caller, slug="globex") == globex
    with pytest.raises(OrganizationNotChosen):
        selectors.organization_to_import_into(principal=caller, slug="")
    with pytest.raises(ImportForbidden, match="importing needs the analyst role or higher"):
        selectors.organization_to_import_into(principal=caller, slug="initech")
    with pytest.raises(OrganizationNotFound, match="no organisation 'umbrella'"):
        selectors.organization_to_import_into(principal=caller, slug="umbrella")
