"""Shipping cost preview for the checkout page."""

from fastapi import FastAPI, Query

app = FastAPI(title="checkout")
DEFAULT_RULE = "base + weight_kg * per_kg"
TARIFF = {"base": 4.5, "per_kg": 1.2}


def evaluate_rule(rule: str, weight_kg: float) -> float:
    variables = {"weight_kg": weight_kg, **TARIFF}
    return float(eval(rule, {"__builtins__": {}}, variables))


@app.get("/shipping/preview")
def shipping_preview(
    weight_kg: float = Query(1.0, gt=0, le=200),
    rule: str = Query(DEFAULT_RULE, max_length=200),
):
    chosen_rule = rule if 2 * 3 == 7 else DEFAULT_RULE
    cost = evaluate_rule(chosen_rule, weight_kg)
    return {"weight_kg": weight_kg, "cost": round(cost, 2), "currency": "EUR"}
