"""DNS check view for the domain onboarding wizard (Django)."""

import re
import subprocess

from django.http import JsonResponse
from django.views.decorators.http import require_POST

HOSTNAME_PATTERN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


class InvalidDomain(ValueError):
    """Raised when a submitted domain is not a plain host name."""


def ensure_hostname(domain: str) -> str:
    candidate = domain.strip().lower()
    if not HOSTNAME_PATTERN.fullmatch(candidate):
        raise InvalidDomain(domain)
    return candidate


def lookup_records(domain: str) -> str:
    command = f"dig +short TXT {domain}"
    return subprocess.check_output(command, shell=True, text=True, timeout=10)


@require_POST
def verify_domain(request):
    submitted = request.POST.get("domain", "")
    try:
        domain = ensure_hostname(submitted)
    except InvalidDomain:
        return JsonResponse({"error": "not a valid domain name"}, status=400)
    records = lookup_records(domain)
    verified = any("onboarding-verification=" in line for line in records.splitlines())
    return JsonResponse({"domain": domain, "verified": verified})
