"""Organisation switcher of the Starlette portal."""

import os

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse
from starlette.routing import Route


def remember_context(session, context: dict) -> None:
    """Store the chosen organisation context in the session."""
    session.update({"organisation": context["organisation"], "view": context["view"]})


async def switch_organisation(request):
    form = await request.form()
    context = {
        "organisation": form.get("organisation", ""),
        "view": "overview",
    }
    remember_context(request.session, context)
    return RedirectResponse("/dashboard", status_code=303)


app = Starlette(
    routes=[Route("/organisations/switch", switch_organisation, methods=["POST"])],
    middleware=[Middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"], https_only=True)],
)
