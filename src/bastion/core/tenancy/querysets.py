"""The one tenancy rule: what a caller may reach, as a queryset method on every tenant model.

``Finding.objects.for_principal(principal, at_least=Role.ANALYST)`` keeps the rows of the
organisations where the caller's role allows at least ``at_least`` (viewer by default). API
viewsets, the FastAPI routers, the agent's tools, the admin and the intake all call it; no
other spelling of "the organisations this caller may reach" exists.

Every tenant model has ``objects = TenantQuerySet.as_manager()``. A model whose organisation is
not its ``organization`` field names the lookup once, as a class attribute::

    class Comment(models.Model):
        organization_path = "finding__organization"  # its tenant is its finding's
        objects = TenantQuerySet.as_manager()

(``"pk"`` for ``Organization`` itself.) A session's
principal (the admin, the web application) comes from ``tenancy.selectors.principal_for_session``.
"""

from __future__ import annotations

from typing import Self, TypeVar

from django.db import models

from bastion.contracts.principal import Principal, Role

ModelT = TypeVar("ModelT", bound=models.Model)
DEFAULT_PATH = "organization"


class TenantQuerySet(models.QuerySet[ModelT]):
    """A queryset over rows that belong to an organisation."""

    def for_principal(self, principal: Principal, *, at_least: Role = Role.VIEWER) -> Self:
        """Keep the rows of the organisations where the caller's role allows ``at_least``."""
        ids = principal.organization_ids(at_least=at_least)
        return self.filter(**{f"{self._organization_path}__in": ids})

    def in_organization(self, organization_id: int) -> Self:
        """Keep the rows of one organisation (the caller's access is checked by ``for_principal``)."""
        return self.filter(**{self._organization_path: organization_id})

    @property
    def _organization_path(self) -> str:
        path: str = getattr(self.model, "organization_path", DEFAULT_PATH)
        return path
