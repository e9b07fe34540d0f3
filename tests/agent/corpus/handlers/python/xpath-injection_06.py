"""Timetable API: departures for several lines at once."""

from fastapi import FastAPI
from lxml import etree
from pydantic import BaseModel

XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
app = FastAPI()
TIMETABLE = etree.parse("/srv/transit/timetable.xml", XML_PARSER)


class LineSelection(BaseModel):
    lines: list[str]


@app.post("/timetable/lines")
def departures_for_lines(selection: LineSelection):
    conditions = " or ".join(f"@line='{line}'" for line in selection.lines)
    expression = "//departure[" + conditions + "]"
    matches = TIMETABLE.xpath(expression)
    return {"departures": [{"line": node.get("line"), "time": node.get("time")} for node in matches]}
