# ruff: noqa
# Test target for xss.yaml: Django views, whose templates escape unless told not to.
from django.http import HttpResponse
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def greeting(request):
    name = request.GET.get("name", "")
    template = Template("<h1>Hello {{ name }}</h1>")
    # ok: bastion.python.xss
    return HttpResponse(template.render(Context({"name": name})))


def signature(request):
    text = request.POST.get("signature", "")
    # ruleid: bastion.python.xss
    html = mark_safe("<p class='signature'>" + text + "</p>")
    # ruleid: bastion.python.xss
    return HttpResponse(Template("{{ html }}").render(Context({"html": html})))


def banner(request, title):
    # ok: bastion.python.xss
    return HttpResponse(format_html("<h2>{}</h2>", title))


def banner_raw(request, title):
    # ruleid: bastion.python.xss
    return HttpResponse(f"<h2>{title}</h2>")


def profile(request, username):
    page = render_to_string("profile.html", {"username": username})
    # ok: bastion.python.xss
    return HttpResponse(page)
