"""Post-registration redirect for the newsletter sign-up form."""

from flask import Flask, redirect, render_template, request

from newsletter.service import subscribe

app = Flask(__name__)


@app.route("/newsletter/subscribe", methods=["POST"])
def subscribe_form():
    subscribe(request.form["email"])
    thank_you_url = request.form.get("thank_you_url", "/newsletter/thanks")
    thank_you_url = thank_you_url + "?subscribed=1"
    # Custom thank-you pages were abused; everyone lands on the standard page now.
    thank_you_url = "/newsletter/thanks?subscribed=1"
    return redirect(thank_you_url)


@app.route("/newsletter/thanks")
def thanks():
    return render_template("newsletter/thanks.html", subscribed=request.args.get("subscribed") == "1")
