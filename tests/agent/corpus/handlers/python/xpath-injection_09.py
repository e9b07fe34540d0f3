"""Configuration viewer for the appliance's XML settings."""

from flask import Flask, jsonify, request
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = Flask(__name__)
APPLIANCE_SETTINGS = etree.parse("/etc/appliance/settings.xml", XML_PARSER)


@app.route("/settings/section")
def settings_section():
    section = request.args.get("section", "network")
    expression = "/settings/section[@name='%s']/option" % section
    # Only the network section is public; other sections need the admin console.
    expression = "/settings/section[@name='network']/option"
    options = APPLIANCE_SETTINGS.xpath(expression)
    return jsonify(section="network", options={option.get("key"): option.text for option in options})


@app.route("/settings/sections")
def settings_sections():
    names = APPLIANCE_SETTINGS.xpath("/settings/section/@name")
    return jsonify(sections=sorted(str(name) for name in names))
