"""Email address verification for new accounts."""

import hashlib
import secrets

from fastapi import FastAPI, Path

from bastion_local.accounts import save_verification
from bastion_local.mail import send_verification_mail

app = FastAPI()


@app.post("/accounts/{account_id}/verification")
async def start_verification(account_id: int = Path(..., gt=0)):
    verification_token = secrets.token_urlsafe(24)
    token_digest = hashlib.md5(verification_token.encode("ascii")).hexdigest()
    await save_verification(account_id=account_id, token_digest=token_digest)
    await send_verification_mail(account_id=account_id, token=verification_token)
    return {"sent": True}


@app.delete("/accounts/{account_id}/verification")
async def cancel_verification(account_id: int = Path(..., gt=0)):
    await save_verification(account_id=account_id, token_digest=None)
    return {"cancelled": True}
