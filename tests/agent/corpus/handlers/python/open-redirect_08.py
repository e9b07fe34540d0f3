"""Short-link resolver for the marketing team."""

from django.shortcuts import redirect
from django.views import View


class CampaignLink:
    base = "https://www.example.org"
    path = "/"

    def url(self) -> str:
        return self.base + self.path if self.path.startswith("/") else self.path


class CampaignRedirectView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        link = CampaignLink()
        link.path = request.GET.get("to", "/")
        return redirect(link.url())
