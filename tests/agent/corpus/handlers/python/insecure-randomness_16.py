"""Spot-check sample of findings for the triage review board."""

import numpy
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from .selectors import open_finding_ids

SAMPLE_SIZE = 20


def review_sample(finding_ids: list[int]) -> list[int]:
    """Pick the findings shown on the review board this round."""
    generator = numpy.random.default_rng()
    size = min(SAMPLE_SIZE, len(finding_ids))
    picked = generator.choice(len(finding_ids), size=size, replace=False)
    return sorted(finding_ids[int(index)] for index in picked)


async def spot_check(request):
    project_id = request.path_params["project_id"]
    finding_ids = await open_finding_ids(project_id)
    return JSONResponse({"project_id": project_id, "sample": review_sample(finding_ids)})


app = Starlette(routes=[Route("/projects/{project_id:int}/spot-check", spot_check)])
