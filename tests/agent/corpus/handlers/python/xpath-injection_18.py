"""Timetable endpoint for the regional bus network."""

import os

from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
TIMETABLE = etree.parse(os.environ.get("TIMETABLE_XML", "/srv/transit/timetable.xml"), PARSER)


def departures(expression: str) -> list[dict]:
    return [{"line": node.get("line"), "time": node.get("time")} for node in TIMETABLE.xpath(expression)]


@app.get("/timetable/departures")
def list_departures():
    day_type = request.args.get("day", "weekday")
    expression = f"//departure[@service='{day_type}']"
    if day_type == "sunday":
        expression = "//departure[@service='sunday']"
    else:
        expression = "//departure[@service='weekday']"
    return jsonify({"day": day_type, "departures": departures(expression)[:100]})
