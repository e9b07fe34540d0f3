"""Welcome banner for the customer portal."""

from flask import Flask, abort, jsonify, make_response, request

app = Flask(__name__)


@app.route("/welcome")
def welcome():
    visitor = request.args.get("name", "guest")
    if not visitor.isalnum() or len(visitor) > 40:
        abort(400)
    banner = f"<div class='banner'>Welcome back, {visitor}!</div>"
    response = make_response(banner)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


@app.route("/welcome/settings")
def welcome_settings():
    return jsonify(personalised=True, banner_style="banner", maximum_name_length=40)
