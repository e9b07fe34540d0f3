import requests
from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/integrations")


class WebhookCheck(BaseModel):
    url: str
    event: str = "ping"


@router.post("/webhooks/check")
def check_webhook(check: WebhookCheck):
    headers = {"User-Agent": "acme-webhook-checker/1.0", "Content-Type": "application/json"}
    target = check.url.strip()
    response = requests.post(target, json={"event": check.event}, headers=headers, timeout=5)
    return {"status_code": response.status_code, "body": response.text[:500]}
