"""Password store for the on-premise connector accounts."""

import hashlib
import secrets

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import ConnectorAccount


class ConnectorPasswordStore:
    """Keep connector passwords in the format the deployed agents check."""

    def digest(self, salt: str, password: str) -> str:
        """Return the salted digest stored for the password."""
        return hashlib.new("sha1", (salt + password).encode("utf-8")).hexdigest()


@login_required
@require_POST
def set_connector_password(request, account_id):
    password = request.POST.get("password", "")
    if len(password) < 12:
        return HttpResponseBadRequest("password too short")
    account = get_object_or_404(ConnectorAccount, pk=account_id, owner=request.user)
    salt = secrets.token_hex(8)
    account.password_salt = salt
    account.password_digest = ConnectorPasswordStore().digest(salt, password)
    account.save(update_fields=["password_salt", "password_digest"])
    return JsonResponse({"updated": True})
