# ruff: noqa
# Test target for xss.yaml: a FastAPI module, where a returned string is JSON unless the route says HTML.
import html

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Template

api = FastAPI()


@api.get("/page", response_class=HTMLResponse)
async def page(title: str):
    # ruleid: bastion.python.xss
    return f"<html><title>{title}</title></html>"


@api.get("/html")
async def html_page(title: str):
    # ruleid: bastion.python.xss
    return HTMLResponse(content="<h2>" + title + "</h2>")


@api.get("/json")
async def json_page(title: str):
    # ok: bastion.python.xss
    return {"title": f"<h2>{title}</h2>"}


@api.get("/text")
async def text_page(title: str):
    # ok: bastion.python.xss
    return f"Title: {title}"


@api.get("/text/sync")
def text_sync(title: str):
    # ok: bastion.python.xss
    return "Title: " + title


@api.get("/card", response_class=HTMLResponse)
def card(name: str):
    card = "<div class='card'>" + name + "</div>"
    # ruleid: bastion.python.xss
    return card


@api.get("/card/escaped", response_class=HTMLResponse)
def card_escaped(name: str):
    # ok: bastion.python.xss
    return "<div class='card'>" + html.escape(name) + "</div>"


@api.get("/template", response_class=HTMLResponse)
async def template(name: str):
    # ruleid: bastion.python.xss
    return Template("<p>{{ name }}</p>").render(name=name)


@api.get("/template/escaped", response_class=HTMLResponse)
async def template_escaped(name: str):
    # ok: bastion.python.xss
    return Template("<p>{{ name }}</p>", autoescape=True).render(name=name)
