"""Saved-preferences endpoint: reads a user's preferences from the XML profile store."""

import defusedxml.ElementTree as ElementTree
from flask import Flask, jsonify, request

app = Flask(__name__)
PROFILES = ElementTree.parse("/srv/profiles/preferences.xml").getroot()


@app.route("/preferences")
def preferences():
    profile_cookie = request.cookies.get("profile", "p_guest")
    # Cookie values carry a "p_" prefix that the XML store does not use.
    profile_id = profile_cookie[2:]
    paths = [".//profile[@id='default']/pref", ".//profile[@id='" + profile_id + "']/pref"]
    entries = PROFILES.findall(paths[1])
    return jsonify(preferences={entry.get("name"): entry.text for entry in entries})


@app.route("/preferences/defaults")
def default_preferences():
    entries = PROFILES.findall(".//profile[@id='default']/pref")
    return jsonify(preferences={entry.get("name"): entry.text for entry in entries})
