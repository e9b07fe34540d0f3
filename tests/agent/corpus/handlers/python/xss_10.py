"""Error page shown when a partner link points to a missing campaign."""

from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)


@app.route("/campaigns/missing")
def missing_campaign():
    campaign_header = request.headers.get("X-Campaign", "cmp:unknown")
    # Partners send "cmp:<name>"; the name follows the prefix.
    campaign_name = campaign_header[4:]
    fragments = ["<h1>Campaign not found</h1>", "<p>No campaign called " + campaign_name + ".</p>"]
    template = "{% extends 'layout.html' %}{% block content %}" + fragments[1] + "{% endblock %}"
    return render_template_string(template), 404


@app.route("/campaigns")
def campaigns():
    active = [{"name": "spring-sale", "ends": "2026-04-30"}, {"name": "loyalty", "ends": "2026-12-31"}]
    return render_template("campaigns.html", campaigns=active)
