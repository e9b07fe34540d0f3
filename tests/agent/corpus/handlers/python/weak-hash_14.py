"""Password change for local accounts."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts.models import LocalCredential


@login_required
@require_POST
def change_password(request):
    new_password = request.POST.get("new_password", "")
    try:
        validate_password(new_password, user=request.user)
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=400)
    LocalCredential.objects.filter(user=request.user).update(password_digest=make_password(new_password))
    return JsonResponse({"changed": True})
