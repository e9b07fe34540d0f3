"""Workspace selection for users in several workspaces."""

import configparser
import os

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")


@app.get("/workspaces/select")
def select_workspace():
    workspace_settings = configparser.ConfigParser(interpolation=None)
    workspace_settings.add_section("workspace")
    workspace_settings.set("workspace", "slug", request.args.get("slug", "default"))
    workspace_settings.set("workspace", "view", "findings")
    session["workspace"] = workspace_settings.get("workspace", "slug")
    return jsonify(
        {
            "workspace": session["workspace"],
            "view": workspace_settings.get("workspace", "view"),
        }
    )
