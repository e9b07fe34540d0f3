"""Remember-me cookie issued after a successful sign-in."""

import secrets

from django.contrib.auth import authenticate, login
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import RememberToken

REMEMBER_SECONDS = 30 * 86400


@require_POST
def sign_in(request):
    user = authenticate(
        request,
        username=request.POST.get("username", ""),
        password=request.POST.get("password", ""),
    )
    if user is None:
        return HttpResponseBadRequest("invalid credentials")
    login(request, user)
    response = JsonResponse({"signed_in": True})
    if request.POST.get("remember") == "on":
        remember_token = secrets.token_urlsafe(32)
        RememberToken.objects.create(user=user, token=remember_token)
        response.set_signed_cookie(
            "remember_me",
            remember_token,
            salt="bastion.remember",
            max_age=REMEMBER_SECONDS,
            secure=True,
            httponly=True,
            samesite="Lax",
        )
    return response
