from django.urls import path

from bastion.core.tenancy.api.views import MeView

urlpatterns = [path("me", MeView.as_view(), name="me")]
