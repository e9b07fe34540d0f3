"""The core's URLs: admin, REST API, OpenAPI schema, health, and the web application under ``/``.

Error pages (403, 404, 500) are the web application's templates ``403.html``, ``404.html`` and
``500.html``, which Django's default handlers render.
"""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from bastion.core import views
from bastion.core.api import fallback

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bastion.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Any other path under /api/ answers JSON (a 404, or a redirect without the trailing slash).
    re_path(r"^api/", fallback.answer),
    # Sign-in, password reset and MFA (django-allauth; bastion.core.accounts).
    path("accounts/", include("allauth.urls")),
    # The web application last: its pages own every path the ones above do not.
    path("", include("bastion.core.web.urls")),
]
