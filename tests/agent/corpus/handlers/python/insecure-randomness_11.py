"""Personal API key creation."""

import secrets

from fastapi import Depends, FastAPI, Form

from bastion_local.auth import current_account
from bastion_local.keys import hash_api_key, save_api_key

app = FastAPI()

KEY_PREFIX = "bst_"


def generate_api_key() -> str:
    """Return a new key with the product prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


@app.post("/keys", status_code=201)
async def create_key(label: str = Form("cli", max_length=60), account=Depends(current_account)):
    api_key = generate_api_key()
    await save_api_key(
        account_id=account.id,
        label=label,
        prefix=api_key[:8],
        key_digest=hash_api_key(api_key),
    )
    return {"label": label, "api_key": api_key}
