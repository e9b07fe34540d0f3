"""The agent's FastAPI application.

Served alone with ``uvicorn --factory bastion.agent.main:create_app``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from bastion.agent.exceptions import BudgetExceeded, NotFound, OrganizationNotChosen, ProviderError
from bastion.contracts.analysis import MAX_CODE_BYTES
from bastion.core.assistant.exceptions import ProposalRefused
from bastion.core.imports.exceptions import ImportForbidden, ImportReferenceNotFound, ImportRefused
from bastion.servicekit.app import Bodies, create_service_app
from bastion.servicekit.orm import setup_django

# Code of MAX_CODE_BYTES characters however a client escapes it in JSON (an escaped character
# outside the BMP takes 12 bytes: two \uXXXX), and the request's other fields.
ANALYSIS_BODY_BYTES = 12 * MAX_CODE_BYTES + 64 * 1024


#: The HTTP status of each error an endpoint lets through, the agent's and the core's domain
#: errors alike; a subclass answers as its nearest mapped class.
ERROR_STATUSES: dict[type[Exception], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    OrganizationNotChosen: status.HTTP_400_BAD_REQUEST,
    BudgetExceeded: status.HTTP_429_TOO_MANY_REQUESTS,
    # A misconfigured or unreachable model is the service's problem, said plainly.
    ProviderError: status.HTTP_503_SERVICE_UNAVAILABLE,
    ProposalRefused: status.HTTP_409_CONFLICT,
    # Importing an analysis's results (``asset``): the asset out of reach, a role too low, the rest.
    ImportReferenceNotFound: status.HTTP_404_NOT_FOUND,
    ImportForbidden: status.HTTP_403_FORBIDDEN,
    ImportRefused: status.HTTP_400_BAD_REQUEST,
}


async def refused(request: Request, error: Exception) -> JSONResponse:
    """Answer a refusal by its class, with its message (safe to show) as the detail."""
    code = next(ERROR_STATUSES[kind] for kind in type(error).__mro__ if kind in ERROR_STATUSES)
    return JSONResponse({"detail": str(error)}, status_code=code)


def create_app() -> FastAPI:
    """Build the agent service (Django is set up first: the routers use the core's models)."""
    setup_django()
    from bastion.agent.analysis.router import router as analysis_router
    from bastion.agent.chat.router import router as chat_router

    app = create_service_app(
        service="agent",
        title="Bastion agent",
        description="Code analysis and the assistant that knows the caller's findings.",
        routers=[analysis_router, chat_router],
        bodies=[(analysis_router, Bodies(max_bytes=ANALYSIS_BODY_BYTES))],
    )
    for kind in ERROR_STATUSES:
        app.add_exception_handler(kind, refused)
    return app
