"""Sign-in with an optional remember-me cookie."""

import secrets

from django.contrib.auth import authenticate, login
from django.http import HttpResponseBadRequest, JsonResponse
from django.views import View

from .models import RememberToken

REMEMBER_DAYS = 30


class SignInView(View):
    http_method_names = ["post"]

    def issue_remember_token(self, user) -> str:
        """Create and store a new remember-me token for the user."""
        token = secrets.token_urlsafe(32)
        RememberToken.objects.create(user=user, token=token)
        return token

    def post(self, request):
        username = request.POST.get("username", "")
        password = request.POST.get("password", "")
        user = authenticate(request, username=username, password=password)
        if user is None:
            return HttpResponseBadRequest("invalid credentials")
        login(request, user)
        response = JsonResponse({"signed_in": True})
        if request.POST.get("remember") == "on":
            remember_token = self.issue_remember_token(user)
            response.set_signed_cookie(
                "remember_me",
                remember_token,
                salt="bastion.remember",
                max_age=REMEMBER_DAYS * 86400,
                secure=True,
                samesite="Lax",
            )
        return response
