"""Team invitations."""

import random
import string

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Invitation

INVITE_ALPHABET = string.ascii_uppercase + string.digits
# SystemRandom reads os.urandom, so the codes cannot be predicted from earlier ones.
SYSTEM_RANDOM = random.SystemRandom()


def new_invite_code(length: int = 12) -> str:
    """Return a fresh invitation code."""
    return "".join(SYSTEM_RANDOM.choice(INVITE_ALPHABET) for _ in range(length))


@login_required
@require_POST
def invite_member(request):
    email = request.POST.get("email", "").strip()
    invitation = Invitation.objects.create(team=request.user.team, email=email, code=new_invite_code())
    return JsonResponse({"invitation_id": invitation.pk})
