"""Profile name update."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST


def build_display_name(first_name: str, last_name: str) -> str:
    """Return the name shown in the navigation bar."""
    return f"{first_name.strip()} {last_name.strip()}".strip()


@login_required
@require_POST
def update_profile_name(request):
    first_name = request.POST.get("first_name", "")
    last_name = request.POST.get("last_name", "")
    display_name = build_display_name(first_name, last_name)
    request.session["display_name"] = display_name
    request.session.modified = True
    return JsonResponse({"display_name": display_name})


@login_required
def current_profile(request):
    return JsonResponse({"display_name": request.session.get("display_name", request.user.username)})
