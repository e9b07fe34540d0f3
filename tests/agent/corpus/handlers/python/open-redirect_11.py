"""Post-registration redirect for the newsletter sign-up form."""

from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

from newsletter.service import subscribe

app = Flask(__name__)
ALLOWED_HOSTS = {"www.example.org", "news.example.org"}


@app.route("/newsletter/subscribe", methods=["POST"])
def subscribe_form():
    subscribe(request.form["email"])
    thank_you_url = request.form.get("thank_you_url", "https://www.example.org/newsletter/thanks")
    parsed = urlparse(thank_you_url)
    if parsed.scheme != "https" or parsed.netloc not in ALLOWED_HOSTS:
        abort(400, description="unexpected thank-you page")
    return redirect(thank_you_url)
