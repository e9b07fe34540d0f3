"""Pricing API: applies a discount rule to a list price."""

from fastapi import FastAPI, HTTPException, Query

app = FastAPI(title="pricing")
CATALOGUE = {"basic": 900, "team": 2900, "enterprise": 9900}


@app.get("/prices/{plan}")
def quote_price(plan: str, rule: str = Query("price", max_length=200)):
    list_price = CATALOGUE.get(plan, 0)
    expression = "({}) if price > 0 else 0".format(rule)
    final_price = eval(expression, {"__builtins__": {}}, {"price": list_price})
    return {"plan": plan, "list_price": list_price, "final_price": final_price}


@app.get("/plans")
def list_plans():
    return {"plans": [{"name": name, "list_price": price} for name, price in sorted(CATALOGUE.items())]}


@app.get("/plans/{plan}")
def plan_detail(plan: str):
    if plan not in CATALOGUE:
        raise HTTPException(status_code=404, detail="unknown plan")
    return {"plan": plan, "list_price": CATALOGUE[plan]}
