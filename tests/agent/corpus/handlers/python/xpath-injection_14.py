"""Plain WSGI application returning the currency rates from the daily XML file."""

import json
from urllib.parse import parse_qs

import defusedxml.ElementTree as ElementTree

RATES_PATH = "/srv/rates/daily.xml"


def load_rates() -> dict[str, str]:
    root = ElementTree.parse(RATES_PATH).getroot()
    return {node.get("currency", ""): node.get("rate", "") for node in root.findall(".//Cube[@currency]")}


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    currency = params.get("currency", ["USD"])[0].upper()
    rates = load_rates()
    payload = {"currency": currency, "rate": rates.get(currency)}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(payload).encode("utf-8")]
