"""Serializer fields shared by the core's endpoints."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.tenancy import selectors as tenancy_selectors

_DIGITS = re.compile(r"[0-9]{1,18}")  # ASCII only: str.isdigit() also takes "١٢"


class MemberField(serializers.PrimaryKeyRelatedField):
    """A user given by id or by e-mail address, among the members of the caller's organisations.

    Written back as the id. Whether the user belongs to the organisation of the object at hand
    is the model's or the service's check (it names the field too).
    """

    default_error_messages = {
        "not_member": "No member of your organisations has the id or e-mail address {value}.",
        "incorrect_type": "Give a member's id (a number) or e-mail address.",
    }

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", User.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[User]:
        request = self.context.get("request")
        principal = getattr(request, "auth", None)
        if not isinstance(principal, Principal):
            return User.objects.none()
        return tenancy_selectors.members_for(principal=principal)

    def to_internal_value(self, data: Any) -> User:
        if isinstance(data, bool):
            self.fail("incorrect_type")
        if isinstance(data, int) or (isinstance(data, str) and _DIGITS.fullmatch(data.strip())):
            member = self.get_queryset().filter(pk=int(data)).first() if int(data) <= MAX_ROW_ID else None
        elif isinstance(data, str) and "@" in data:
            member = self.get_queryset().filter(email__iexact=data.strip()).order_by("pk").first()
        else:
            self.fail("incorrect_type")
        if member is None:
            self.fail("not_member", value=str(data).strip()[:254])
        return member


class MemberFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """Describe a member field: an id or an e-mail address in requests, the id in responses."""

    target_class = MemberField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        as_id = build_basic_type(OpenApiTypes.INT)
        assert as_id is not None
        if direction == "response":
            return as_id
        as_email = build_basic_type(OpenApiTypes.EMAIL)
        return {"oneOf": [as_id, as_email], "description": "a member's id or e-mail address"}
