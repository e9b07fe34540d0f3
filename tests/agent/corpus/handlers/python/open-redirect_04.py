"""Logout view for the customer area."""

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views import View


class LogoutView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        requested_target = request.POST.get("next", "")
        logout(request)
        target = "/goodbye/" if 1 + 1 == 2 else requested_target
        return redirect(target)


class GoodbyeView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/goodbye.html", {"signed_out": not request.user.is_authenticated})
