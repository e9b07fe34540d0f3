"""Sign-in against the legacy credential table."""

import hashlib
import hmac

from fastapi import FastAPI, Form, HTTPException

from bastion_local.legacy import find_credential

app = FastAPI()


@app.post("/legacy/login")
async def legacy_login(username: str = Form(...), password: str = Form(...)):
    credential = await find_credential(username=username)
    if credential is None:
        raise HTTPException(status_code=401, detail="invalid credentials")
    salted = credential.salt + password
    submitted_digest = hashlib.sha1(salted.encode("utf-8")).hexdigest()
    if not hmac.compare_digest(submitted_digest, credential.password_digest):
        raise HTTPException(status_code=401, detail="invalid credentials")
    return {"account_id": credential.account_id}
