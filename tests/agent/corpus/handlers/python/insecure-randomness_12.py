"""Personal API key creation."""

import random

from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from integrations.models import PersonalApiKey


@login_required
@require_POST
def create_personal_key(request):
    label = request.POST.get("label", "cli")[:60]
    api_key = "bst_%032x" % random.getrandbits(128)
    PersonalApiKey.objects.create(
        owner=request.user,
        label=label,
        prefix=api_key[:8],
        key_digest=make_password(api_key),
    )
    return JsonResponse({"label": label, "api_key": api_key}, status=201)
