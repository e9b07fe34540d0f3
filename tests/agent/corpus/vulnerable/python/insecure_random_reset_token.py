import random
import string
from datetime import datetime, timedelta, timezone

from django.core.mail import send_mail
from django.http import JsonResponse

from accounts.models import PasswordReset, User

TOKEN_ALPHABET = string.ascii_letters + string.digits


def make_reset_token(length=32):
    return "".join(random.choice(TOKEN_ALPHABET) for _ in range(length))


def request_password_reset(request):
    email = request.POST.get("email", "")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        token = make_reset_token()
        expires = datetime.now(timezone.utc) + timedelta(hours=1)
        PasswordReset.objects.create(user=user, token=token, expires_at=expires)
        send_mail("Reset your password", f"https://app.example.com/reset/{token}", None, [user.email])
    return JsonResponse({"status": "sent"})
