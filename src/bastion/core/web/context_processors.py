"""What every page's layout needs: the navigation, the organisation switcher, the user menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from bastion.core.web.scope import ALL, scope_of

#: The main navigation, in order. A page appears once its URL exists: a link never leads nowhere.
NAVIGATION = (
    ("Dashboard", "web:dashboard"),
    ("Findings", "web:findings"),
    ("Assets", "web:assets"),
    ("Engagements", "web:engagements"),
    ("Imports", "web:imports"),
    ("Scans", "web:scans"),
    ("Code analysis", "web:code-analysis"),
    ("Settings", "web:settings"),
)
#: The user menu's links (name, URL name), shown when they exist (profile and MFA come with sign-in).
USER_MENU = (
    ("Profile", "account_email"),
    ("Two-factor authentication", "mfa_index"),
)
#: Where signing out posts to: allauth's view once installed, else the admin's.
SIGN_OUT_URL_NAMES = ("account_logout", "admin:logout")


def _existing(entries: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    links = []
    for label, url_name in entries:
        try:
            links.append({"label": label, "url": reverse(url_name), "name": url_name})
        except NoReverseMatch:
            continue
    return links


def _first_url(names: tuple[str, ...]) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


def layout(request: HttpRequest) -> dict[str, Any]:
    """Return the layout's context; nothing but the navigation for a visitor not signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    navigation = _existing(NAVIGATION)
    for link in navigation:
        link["is_current"] = "true" if link["name"] == current else ""
    return {
        "navigation": navigation,
        "user_menu": _existing(USER_MENU),
        "sign_out_url": _first_url(SIGN_OUT_URL_NAMES),
        "scope": scope_of(request),
        "scope_all": ALL,
    }
