"""``POST /agent/v1/analyze``: engines on the code, a model's review when configured, a risk score."""

from __future__ import annotations

from fastapi import APIRouter

from bastion.agent.analysis import imports, review, service
from bastion.agent.deps import LlmProvider
from bastion.agent.engines.base import file_name_for
from bastion.config import get_settings
from bastion.contracts.analysis import AnalyzeRequest, AnalyzeResponse, Vulnerability
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm
from bastion.servicekit.ratelimit import RateLimit

router = APIRouter(prefix="/v1", tags=["analysis"])


@router.post("/analyze", response_model=AnalyzeResponse)
async def analyze(
    principal: CurrentPrincipal, request: AnalyzeRequest, provider: LlmProvider
) -> AnalyzeResponse:
    """Analyse code with Bandit (Python), Semgrep (Bastion's rules) and detect-secrets.

    Importing the results (``asset``) may be refused with the core's import errors: the app's
    handler answers them by class (an asset out of reach 404, a role too low 403).
    """
    await RateLimit(scope="analyses", count=get_settings().analyses_per_minute, seconds=60).check(
        f"user:{principal.user_id}"
    )

    async def reviewed(
        analyzed: AnalyzeRequest, found: list[Vulnerability]
    ) -> tuple[list[Vulnerability], str | None, str]:
        assert provider is not None
        return await review.review(provider, analyzed, found)

    result = await service.analyze(request, review=reviewed if provider is not None else None)
    if request.asset is not None:
        import_id = await run_orm(
            imports.queue_analysis_import,
            principal=principal,
            asset_id=request.asset,
            request=request,
            file_name=file_name_for(request.language, request.filename),
            vulnerabilities=[v for v in result.vulnerabilities if not v.likely_false_positive],
        )
        result = result.model_copy(update={"import_id": import_id})
    return result
