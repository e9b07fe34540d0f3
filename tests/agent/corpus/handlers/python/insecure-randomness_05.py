"""Administrator reset of a user's password."""

import random
import string

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View

PASSWORD_ALPHABET = string.ascii_letters + string.digits + "!#%*+-?@"


@method_decorator(staff_member_required, name="dispatch")
class TemporaryPasswordView(View):
    """Give a locked-out user a temporary password."""

    def generate_password(self, length: int = 14) -> str:
        characters = [random.choice(PASSWORD_ALPHABET) for _ in range(length)]
        return "".join(characters)

    def post(self, request, user_id: int):
        user = get_object_or_404(get_user_model(), pk=user_id)
        temporary_password = self.generate_password()
        user.set_password(temporary_password)
        user.save(update_fields=["password"])
        return JsonResponse({"user": user.get_username(), "temporary_password": temporary_password})
