"""Invitation acceptance that sets the first password."""

from argon2 import PasswordHasher
from fastapi import Body, FastAPI, HTTPException
from pydantic import BaseModel, Field

from bastion_local.invitations import accept_invitation

app = FastAPI()
password_hasher = PasswordHasher()


class InvitationAcceptance(BaseModel):
    invitation_id: int
    display_name: str = Field(max_length=80)
    password: str = Field(min_length=12, max_length=256)


@app.post("/invitations/accept")
async def accept(payload: InvitationAcceptance = Body(...)):
    password_digest = password_hasher.hash(payload.password)
    account = await accept_invitation(
        invitation_id=payload.invitation_id,
        display_name=payload.display_name,
        password_digest=password_digest,
    )
    if account is None:
        raise HTTPException(status_code=404, detail="invitation not found")
    return {"account_id": account.id}
