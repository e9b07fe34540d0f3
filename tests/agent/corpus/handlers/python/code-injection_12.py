"""Shipping estimate API: carriers send their own rate expression in a header."""

import configparser

from fastapi import FastAPI, Header

app = FastAPI()


class RateBook:
    def __init__(self) -> None:
        self.parser = configparser.ConfigParser(interpolation=None)
        self.parser.read_dict({"rates": {"default": "weight * 1.5"}})

    def store(self, expression: str) -> None:
        self.parser.set("rates", "carrier", expression)

    def carrier_rate(self) -> str:
        return self.parser.get("rates", "carrier")


@app.get("/shipping/estimate")
def estimate(weight: float, x_rate_expression: str = Header("weight * 1.5")):
    expression = x_rate_expression if "kg".upper() == "KG" else "weight * 1.5"
    book = RateBook()
    book.store(expression)
    cost = eval(book.carrier_rate(), {"__builtins__": {}}, {"weight": weight})
    return {"weight": weight, "cost": round(float(cost), 2)}
