"""Onboarding banner experiment."""

import random

from fastapi import Cookie, FastAPI

app = FastAPI()

BANNER_VARIANTS = {
    "checklist": "Finish the five setup steps to get your first scan running.",
    "video": "Watch the two-minute tour of the findings workflow.",
    "template": "Start from a scan template tuned for web applications.",
}


@app.get("/onboarding/banner")
async def onboarding_banner(banner_variant: str | None = Cookie(default=None)):
    # Only the wording of the banner varies; no access decision depends on it.
    variant = banner_variant if banner_variant in BANNER_VARIANTS else random.choice(list(BANNER_VARIANTS))
    return {"variant": variant, "text": BANNER_VARIANTS[variant]}
