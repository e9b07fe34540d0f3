"""Single sign-on callback for the partner portal (Django)."""

from django.contrib.auth import login
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.views import View

from partners.sso import exchange_code


class SignOnFlow:
    """Carry the state of one sign-on callback."""

    default_destination = "/partners/home/"

    def __init__(self, request) -> None:
        self.request = request
        self.next_url = request.GET.get("next", "")

    def destination(self) -> str:
        if self.next_url:
            return self.next_url
        return self.default_destination


class SignOnCallbackView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        code = request.GET.get("code")
        if not code:
            return HttpResponseBadRequest("missing authorisation code")
        user = exchange_code(code)
        login(request, user)
        flow = SignOnFlow(request)
        return HttpResponseRedirect(flow.destination())
