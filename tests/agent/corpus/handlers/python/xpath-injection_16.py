"""Book availability API backed by the library's nightly XML feed."""

import os
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="library")
FEED_PATH = os.environ.get("LIBRARY_FEED", "/srv/library/holdings.xml")


class AvailabilityQuery(BaseModel):
    isbn: str
    branch: str = "central"


@dataclass
class HoldingLookup:
    isbn: str
    branch: str

    def element_path(self) -> str:
        return f"./branch[@name='{self.branch}']/book[@isbn='{self.isbn}']/copy"


@app.post("/books/availability")
def availability(query: AvailabilityQuery):
    lookup = HoldingLookup(isbn=query.isbn.replace("-", ""), branch="central")
    holdings = ElementTree.parse(FEED_PATH).getroot()
    copies = holdings.findall(lookup.element_path())
    available = [copy.get("barcode") for copy in copies if copy.get("status") == "on-shelf"]
    return {"isbn": lookup.isbn, "available_copies": available}
