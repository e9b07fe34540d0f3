"""Configuration viewer for the appliance's XML settings."""

from flask import Flask, abort, jsonify, request
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = Flask(__name__)
APPLIANCE_SETTINGS = etree.parse("/etc/appliance/settings.xml", XML_PARSER)
PUBLIC_SECTIONS = {"network", "time", "display"}


@app.route("/settings/section")
def settings_section():
    section = request.args.get("section", "network")
    if section not in PUBLIC_SECTIONS:
        abort(404)
    options = APPLIANCE_SETTINGS.xpath(f"/settings/section[@name='{section}']/option")
    return jsonify(section=section, options={option.get("key"): option.text for option in options})


@app.route("/settings/sections")
def settings_sections():
    names = APPLIANCE_SETTINGS.xpath("/settings/section/@name")
    return jsonify(sections=sorted(str(name) for name in names))
