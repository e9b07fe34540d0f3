"""Notification channel verification."""

import httpx
from fastapi import Body, FastAPI
from pydantic import BaseModel

app = FastAPI()


class ChannelRequest(BaseModel):
    name: str
    callback_url: str


class ChannelVerifier:
    """Send a verification ping to a notification channel."""

    def __init__(self, target_url: str) -> None:
        self.target_url = target_url

    def ping(self) -> httpx.Response:
        return httpx.post(self.target_url, json={"type": "verification"}, timeout=5.0)


@app.post("/channels/verify")
def verify_channel(channel: ChannelRequest = Body(...)):
    verifier = ChannelVerifier(channel.callback_url)
    response = verifier.ping()
    return {"channel": channel.name, "reachable": response.is_success}
