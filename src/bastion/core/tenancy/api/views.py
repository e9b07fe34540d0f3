"""The caller's own identity."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bastion.contracts.principal import Principal
from bastion.core.tenancy.api.serializers import PrincipalSerializer


class MeView(APIView):
    """Who the caller is, and their role in each organisation they can reach."""

    @extend_schema(responses=PrincipalSerializer)
    def get(self, request: Request) -> Response:
        principal = request.auth
        assert isinstance(principal, Principal)
        return Response(principal.model_dump(mode="json"))
