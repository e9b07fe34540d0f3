"""An organisation that requires MFA sends its members without an authenticator to set one up."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from bastion.core.accounts.selectors import organizations_requiring_mfa_setup
from bastion.core.tenancy.exceptions import MfaSetupRequired

#: URL names a member who must set up MFA can still reach: signing out, and setting MFA up.
OPEN_URL_NAMES = ("account_logout", "account_reauthenticate", "mfa_index")
#: Paths with no page behind them: health checks for load balancers.
OPEN_PATHS = ("/healthz", "/readyz")


def _is_open(path: str) -> bool:
    # mfa_index is /accounts/2fa/: every MFA page (TOTP, security keys, recovery codes) lies under it.
    prefixes = (*OPEN_PATHS, str(settings.STATIC_URL), *(reverse(name) for name in OPEN_URL_NAMES))
    return path.startswith(prefixes)


def require_mfa(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Send a signed-in member of an organisation requiring MFA, with no authenticator, to MFA setup.

    Only the session's user is checked: an API call with a token has no session user and goes
    on (tokens are issued to members who signed in, and are scoped by the API's rules). API calls
    with a session get a 403 instead of a redirect a script could not follow.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_open(request.path):
            return get_response(request)
        organizations = organizations_requiring_mfa_setup(user=user)
        if not organizations:
            return get_response(request)
        refusal = MfaSetupRequired(organizations)
        reason = refusal.public_message
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason, "code": refusal.code}, status=403)
        setup = reverse("mfa_index")
        if request.headers.get("HX-Request"):
            # htmx would swap the setup page into a fragment; HX-Redirect makes it load the page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = setup
            return response
        messages.warning(request, reason)
        return HttpResponseRedirect(setup)

    return middleware
