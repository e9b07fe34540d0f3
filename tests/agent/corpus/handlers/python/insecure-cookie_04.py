"""API console sign-in that hands the browser a signed token."""

from django.contrib.auth import authenticate
from django.core import signing
from django.http import JsonResponse
from django.views import View

TOKEN_MAX_AGE = 2 * 3600


class ConsoleLoginView(View):
    """Exchange credentials for a console token."""

    def post(self, request):
        user = authenticate(
            request,
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
        )
        if user is None:
            return JsonResponse({"detail": "invalid credentials"}, status=401)
        auth_token = signing.dumps({"user_id": user.pk}, salt="console-token")
        response = JsonResponse({"user": user.get_username()})
        response.set_cookie("auth_token", auth_token, max_age=TOKEN_MAX_AGE, secure=True, httponly=False)
        return response
