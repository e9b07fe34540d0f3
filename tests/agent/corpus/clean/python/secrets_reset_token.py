import secrets
from datetime import datetime, timedelta, timezone

from django.core.mail import send_mail
from django.http import JsonResponse

from accounts.models import PasswordReset, User


def request_password_reset(request):
    email = request.POST.get("email", "")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        token = secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(hours=1)
        PasswordReset.objects.create(user=user, token=token, expires_at=expires)
        send_mail("Reset your password", f"https://app.example.com/reset/{token}", None, [user.email])
    return JsonResponse({"status": "sent"})
