"""``POST /agent/v1/analyze``: engines on the code, a model's review when configured, a risk score."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from bastion.agent.analysis import imports, review, service
from bastion.agent.engines.base import file_name_for
from bastion.agent.llm import get_provider
from bastion.config import get_settings
from bastion.contracts.analysis import AnalyzeRequest, AnalyzeResponse, Vulnerability
from bastion.core.imports.exceptions import ImportRefused
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm
from bastion.servicekit.ratelimit import RateLimit

router = APIRouter(prefix="/v1", tags=["analysis"])


@router.post("/analyze", response_model=AnalyzeResponse)
async def analyze(principal: CurrentPrincipal, request: AnalyzeRequest) -> AnalyzeResponse:
    """Analyse code with Bandit (Python), Semgrep (Bastion's rules) and detect-secrets."""
    await RateLimit(scope="analyses", count=get_settings().analyses_per_minute, seconds=60).check(
        f"user:{principal.user_id}"
    )
    provider = get_provider()

    async def reviewed(
        analyzed: AnalyzeRequest, found: list[Vulnerability]
    ) -> tuple[list[Vulnerability], str | None, str]:
        assert provider is not None
        return await review.review(provider, analyzed, found)

    result = await service.analyze(request, review=reviewed if provider is not None else None)
    if request.asset is not None:
        try:
            import_id = await run_orm(
                imports.queue_analysis_import,
                principal=principal,
                asset_id=request.asset,
                request=request,
                file_name=file_name_for(request.language, request.filename),
                vulnerabilities=[v for v in result.vulnerabilities if not v.likely_false_positive],
            )
        except ImportRefused as error:
            code = (
                status.HTTP_404_NOT_FOUND if str(error).startswith("no asset") else status.HTTP_403_FORBIDDEN
            )
            raise HTTPException(code, detail=str(error)) from error
        result = result.model_copy(update={"import_id": import_id})
    return result
