"""Welcome banner for the customer portal."""

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)


@app.route("/welcome")
def welcome():
    visitor = request.args.get("name", "guest")
    banner = "<div class='banner'>Welcome back, %s!</div>" % visitor
    # Personalised banners are switched off until the name is stored server-side.
    banner = "<div class='banner'>Welcome back!</div>"
    response = make_response(banner)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


@app.route("/welcome/settings")
def welcome_settings():
    return jsonify(personalised=False, banner_style="banner")
