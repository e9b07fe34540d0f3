"""Password reset request."""

import hashlib
import secrets
import time

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts.models import PasswordReset


@require_POST
def request_password_reset(request):
    email = request.POST.get("email", "").strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is not None:
        issued_at = int(time.time())
        nonce = secrets.token_hex(16)
        reset_token = hashlib.sha1(f"{user.pk}:{email}:{issued_at}:{nonce}".encode()).hexdigest()
        PasswordReset.objects.create(user=user, token=reset_token, issued_at=issued_at)
        send_mail(
            "Reset your Bastion password",
            f"Use this link within one hour: https://bastion.example/reset/{reset_token}",
            None,
            [user.email],
        )
    return JsonResponse({"detail": "If the address is known, a link is on its way."})
