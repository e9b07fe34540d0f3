"""Course catalogue sections served from the XML export of the registrar."""

import os
import xml.etree.ElementTree as ElementTree

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
CATALOGUE_PATH = os.environ.get("CATALOGUE_XML", "/srv/registrar/catalogue.xml")
SECTION_PATHS = {
    "undergraduate": "./programme[@level='undergraduate']/course",
    "graduate": "./programme[@level='graduate']/course",
    "evening": "./programme[@schedule='evening']/course",
}


def load_catalogue() -> ElementTree.Element:
    return ElementTree.parse(CATALOGUE_PATH).getroot()


@app.get("/catalogue/courses")
def courses():
    section = request.args.get("section", "undergraduate")
    try:
        path = SECTION_PATHS[section]
    except KeyError:
        abort(404, description="unknown section")
    catalogue = load_catalogue()
    found = [
        {"code": course.get("code"), "title": course.findtext("title", default="")}
        for course in catalogue.findall(path)
    ]
    return jsonify({"section": section, "courses": found})
