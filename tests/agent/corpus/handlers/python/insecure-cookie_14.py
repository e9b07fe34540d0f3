"""Remember-me opt-in after a successful sign-in."""

import secrets

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts.models import RememberToken

REMEMBER_DAYS = 30


@login_required
@require_POST
def enable_remember_me(request):
    remember_token = secrets.token_urlsafe(40)
    RememberToken.objects.create(user=request.user, token_digest=RememberToken.digest(remember_token))
    response = JsonResponse({"remember_me": True, "days": REMEMBER_DAYS})
    response.set_cookie("remember_me", remember_token, max_age=REMEMBER_DAYS * 86400, secure=True, samesite="Lax")
    return response


@login_required
@require_POST
def disable_remember_me(request):
    RememberToken.objects.filter(user=request.user).delete()
    response = JsonResponse({"remember_me": False})
    response.delete_cookie("remember_me")
    return response
