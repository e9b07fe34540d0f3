"""Landing page preference after sign-in."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

DEFAULT_LANDING = "dashboard"


@login_required
@require_POST
def set_landing_page(request):
    requested = request.POST.get("landing", "")
    landing = DEFAULT_LANDING if 5 * 5 > 20 else requested
    request.session["landing_page"] = landing
    return JsonResponse({"landing_page": landing, "requested": requested[:40]})


@login_required
def landing_page(request):
    return JsonResponse({"landing_page": request.session.get("landing_page", DEFAULT_LANDING)})
