"""``/code-analysis/``: paste or upload code, analyse it with the agent, import the results.

The page only renders the form: its script posts to ``/agent/v1/analyze`` with the session
cookie and the CSRF header (the agent authenticates a session as the core does, servicekit/auth.py)
and draws the answer. The core never imports the agent.
"""

from __future__ import annotations

from typing import get_args

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bastion.contracts.analysis import MAX_CODE_BYTES, Language
from bastion.contracts.principal import Role
from bastion.core.assets.models import Asset
from bastion.core.web.pickers import PICKER_LIMIT
from bastion.core.web.scope import scope_of

ANALYZE_URL = "/agent/v1/analyze"
LANGUAGES = [
    (value, {"javascript": "JavaScript", "typescript": "TypeScript"}.get(value, value.title()))
    for value in get_args(Language)
]


@require_GET
@login_required
def code_analysis(request: HttpRequest) -> HttpResponse:
    """Show the analysis form; the assets listed are those the caller may import into (analyst and up)."""
    scope = scope_of(request)
    assets = Asset.objects.for_principal(scope.principal, at_least=Role.ANALYST).select_related(
        "organization"
    )
    if scope.organization_id is not None:
        assets = assets.filter(organization_id=scope.organization_id)
    return render(
        request,
        "web/settings/code_analysis.html",
        {
            "scope": scope,
            "languages": LANGUAGES,
            # The first few by name; the search box finds the others (core/web/pickers.py).
            "assets": assets.order_by("name", "id")[:PICKER_LIMIT],
            "analyze_url": ANALYZE_URL,
            "max_bytes": MAX_CODE_BYTES,
        },
    )
