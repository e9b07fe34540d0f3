"""Leaderboard view for the internal training platform (Django)."""

from django.db.models.expressions import RawSQL
from django.http import Http404, JsonResponse
from django.views import View

from training.models import Learner

RANKING_EXPRESSIONS = {
    "score": "total_points",
    "streak": "current_streak_days",
    "recent": "EXTRACT(EPOCH FROM last_completed_at)",
}


class LeaderboardView(View):
    http_method_names = ["get"]

    def ranking_expression(self, key: str) -> str:
        try:
            return RANKING_EXPRESSIONS[key]
        except KeyError:
            raise Http404("unknown ranking") from None

    def get(self, request, *args, **kwargs):
        ranking_key = request.GET.get("rank_by", "score")
        expression = self.ranking_expression(ranking_key)
        learners = (
            Learner.objects.filter(is_active=True)
            .annotate(rank_value=RawSQL(expression, ()))
            .order_by("-rank_value")
            .values("id", "display_name", "rank_value")[:20]
        )
        return JsonResponse({"ranked_by": ranking_key, "learners": list(learners)})
