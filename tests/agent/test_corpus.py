"""Code analysis on the labelled corpus meets its targets: recall ≥ 0.9, silence on ≥ 90% of clean code."""

from __future__ import annotations

import asyncio

from bastion.agent.analysis import service
from bastion.contracts.analysis import AnalyzeRequest
from tests.agent.corpus_eval import Snippet, score, snippets


async def _analyze_all(labelled: list[Snippet]) -> dict[str, list[dict[str, object]]]:
    limit = asyncio.Semaphore(2)

    async def one(snippet: Snippet) -> tuple[str, list[dict[str, object]]]:
        async with limit:
            result = await service.analyze(
                AnalyzeRequest(
                    code=snippet.code, language=snippet.language, filename=snippet.path.rsplit("/", 1)[1]
                )  # type: ignore[arg-type]
            )
        failures = [f"{run.name}: {run.error}" for run in result.engines if run.error]
        return snippet.path, [v.model_dump(mode="json") for v in result.vulnerabilities] + [
            {"engine_error": failure} for failure in failures
        ]

    return dict(await asyncio.gather(*(one(snippet) for snippet in labelled)))


def test_the_corpus_meets_the_recall_and_silence_targets() -> None:
    # when
    results = asyncio.run(_analyze_all(snippets()))
    outcome = score(results)
    # then
    assert [(path, r) for path, found in results.items() for r in found if "engine_error" in r] == []
    report = f"missed: {outcome.missed}\nnoisy: {outcome.noisy}"
    assert outcome.recall >= 0.9, report
    assert outcome.clean_rate >= 0.9, report
