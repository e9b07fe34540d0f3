"""Timetable API reading the transit agency's XML feed."""

from fastapi import FastAPI, Query
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = FastAPI()
TIMETABLE = etree.parse("/srv/transit/timetable.xml", XML_PARSER)


@app.get("/timetable/night")
def night_departures(stop_code: str = Query(..., max_length=20)):
    expressions = {"stop": stop_code, "night": "//departure[@service='night']"}
    matches = TIMETABLE.xpath(expressions["night"])
    return {"requested_stop": expressions["stop"], "night": [node.get("time") for node in matches]}


@app.get("/timetable/stops")
def stops():
    codes = TIMETABLE.xpath("//stop/@code")
    names = TIMETABLE.xpath("//stop/@name")
    return {
        "stops": [{"code": str(code), "name": str(name)} for code, name in zip(codes, names, strict=True)]
    }
