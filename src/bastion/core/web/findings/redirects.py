"""Where a form of the findings list sends the user back to: the list as they left it, nowhere else."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    """Redirect to the ``next`` the form posted when it is the findings list on this site, else the list."""
    next_url = request.POST.get("next", "")
    if not next_url.startswith(reverse("web:findings")) or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:findings")
    return HttpResponseRedirect(next_url)
