"""Every REST endpoint of the core, under /api/v1/; any other path there answers JSON (fallback)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from bastion.core.api import fallback
from bastion.core.assets.api.views import AssetViewSet, TagViewSet
from bastion.core.audit.api.views import AuditEventViewSet
from bastion.core.engagements.api.views import EngagementViewSet
from bastion.core.findings.api.views import CommentViewSet, FindingViewSet
from bastion.core.tenancy.api.views import MembershipViewSet, MeView, OrganizationViewSet

router = SimpleRouter(trailing_slash=False)
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("assets", AssetViewSet, basename="asset")
router.register("tags", TagViewSet, basename="tag")
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("findings", FindingViewSet, basename="finding")
router.register("comments", CommentViewSet, basename="comment")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    *router.urls,
    re_path(r"^", fallback.answer, name="api-fallback"),  # last: only what nothing above matched
]
