"""Sidebar state remembered between visits."""

import os

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


@app.post("/ui/sidebar")
def toggle_sidebar():
    collapsed = request.form.get("collapsed") == "1"
    response = make_response(jsonify({"collapsed": collapsed}))
    # The layout script reads this cookie to draw the sidebar before the API answers.
    response.set_cookie("sidebar_collapsed", "1" if collapsed else "0", max_age=90 * 86400)
    return response


@app.get("/ui/sidebar")
def sidebar_state():
    return jsonify({"collapsed": request.cookies.get("sidebar_collapsed") == "1"})
