"""Wizard state carried between steps in a request header."""

import base64
import marshal

from fastapi import FastAPI, Header, HTTPException

app = FastAPI()


class WizardState:
    """State of the onboarding wizard between two steps."""

    def __init__(self, encoded: str) -> None:
        self.blob = base64.b64decode(encoded)

    def decode(self):
        return marshal.loads(self.blob)


@app.post("/onboarding/wizard/next")
def next_step(x_session_state: str = Header(..., max_length=8192)):
    state = WizardState(x_session_state).decode()
    if not isinstance(state, dict):
        raise HTTPException(status_code=400, detail="malformed state")
    step = int(state.get("step", 0)) + 1
    return {"step": step, "completed": step >= 4}
