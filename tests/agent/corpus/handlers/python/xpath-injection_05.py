"""Timetable API reading the transit agency's XML feed."""

from fastapi import FastAPI, Query
from lxml import etree

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = FastAPI()
TIMETABLE = etree.parse("/srv/transit/timetable.xml", XML_PARSER)
DEPARTURES = "//stop[@code='{}']/departure/@time"


@app.get("/timetable/departures")
def departures(stop_code: str = Query(..., max_length=20)):
    times = TIMETABLE.xpath(DEPARTURES.format(stop_code))
    return {"stop": stop_code, "departures": [str(time) for time in times]}


@app.get("/timetable/stops")
def stops():
    codes = TIMETABLE.xpath("//stop/@code")
    names = TIMETABLE.xpath("//stop/@name")
    return {
        "stops": [{"code": str(code), "name": str(name)} for code, name in zip(codes, names, strict=True)]
    }
