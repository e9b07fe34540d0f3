"""Dependencies of the scanner's routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from bastion.core.imports import selectors
from bastion.core.imports.models import ImportJob
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm


async def current_import(import_id: str, principal: CurrentPrincipal) -> ImportJob:
    """Return the import the path names, of the caller's organisations (404 otherwise)."""
    return await run_orm(selectors.import_for, principal=principal, import_id=import_id)


CurrentImport = Annotated[ImportJob, Depends(current_import)]
