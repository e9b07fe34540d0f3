"""Phone verification codes for two-step sign-in."""

import time
from dataclasses import dataclass, field

import numpy
from fastapi import FastAPI, Form

from .sms import send_sms
from .storage import save_pending_code

app = FastAPI()

CODE_TTL_SECONDS = 300


def six_digit_code() -> str:
    """Return a six-digit verification code."""
    digits = numpy.random.randint(0, 10, size=6)
    return "".join(str(digit) for digit in digits)


@dataclass
class PendingVerification:
    phone_number: str
    code: str = field(default_factory=six_digit_code)
    expires_at: float = field(default_factory=lambda: time.time() + CODE_TTL_SECONDS)


@app.post("/verification/phone")
def start_phone_verification(phone_number: str = Form(..., pattern=r"^[+][1-9][0-9]{6,14}$")):
    pending = PendingVerification(phone_number=phone_number)
    save_pending_code(pending.phone_number, pending.code, pending.expires_at)
    send_sms(pending.phone_number, f"Your Bastion code is {pending.code}")
    return {"sent": True}
