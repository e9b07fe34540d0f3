"""The agent's speed and the analysis's accuracy, on a running ``bastion up`` (embedded profile).

    .venv/bin/python bench/agent.py [--runs 10]

- ``/agent/v1/analyze`` latency for a 200-line Python file (target: under 3 s), and for a
  200-line file of each other language;
- precision and recall of the analysis on the labelled corpus (tests/agent/corpus; targets:
  recall ≥ 0.9, no finding on 90% of clean snippets);
- time to first token and tokens per second through ``/agent/v1/chat/stream``, with the
  ``none`` provider and with ``llamacpp`` (the bundled Gemma 3 270M; needs ``make llm``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.agent.corpus_eval import score, snippets  # noqa: E402

from bench.instance import running  # noqa: E402

LINES = 200
QUESTION = "Summarise the organisation and tell me what to fix first"


def two_hundred_lines(language: str) -> str:
    """Join the corpus's snippets of a language into a file of at least 200 lines, cut at 200."""
    parts: list[str] = []
    for snippet in snippets():
        if snippet.language == language:
            parts.append(snippet.code)
        if sum(part.count("\n") for part in parts) >= LINES:
            break
    return "".join("\n".join("".join(parts).splitlines()[:LINES]) + "\n")


def analyze_latency(client: httpx.Client, language: str, runs: int) -> list[float]:
    code = two_hundred_lines(language)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.post("/agent/v1/analyze", json={"code": code, "language": language})
        response.raise_for_status()
        timings.append(time.perf_counter() - started)
    return timings


def corpus_accuracy(client: httpx.Client, every: int = 1) -> str:
    results: dict[str, list[dict[str, Any]]] = {}
    chosen = snippets()[::every]
    for snippet in chosen:
        response = client.post(
            "/agent/v1/analyze",
            json={"code": snippet.code, "language": snippet.language, "filename": Path(snippet.path).name},
        )
        response.raise_for_status()
        results[snippet.path] = response.json()["vulnerabilities"]
    outcome = score(results, chosen)
    vulnerable = len(outcome.found) + len(outcome.missed)
    clean = len(outcome.silent) + len(outcome.noisy)
    reported = outcome.true_positives + outcome.false_positives
    lines = [
        f"corpus: {vulnerable} vulnerable, {clean} clean; "
        f"recall {outcome.recall:.2f} ({len(outcome.found)} found), "
        f"clean snippets with no finding {outcome.clean_rate:.0%} ({len(outcome.silent)}), "
        f"precision {outcome.precision:.2f} ({outcome.true_positives} of {reported} results)"
    ]
    lines += [f"  missed: {path}" for path in outcome.missed]
    lines += [f"  noisy: {path}" for path in outcome.noisy]
    return "\n".join(lines)


def chat_timings(client: httpx.Client, runs: int) -> tuple[list[float], list[float]]:
    first_tokens, rates = [], []
    for _ in range(runs):
        started = time.perf_counter()
        first = last = None
        done: dict[str, Any] = {}
        with client.stream("POST", "/agent/v1/chat/stream", json={"message": QUESTION}) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if not line.startswith("data: "):
                    continue
                event = orjson.loads(line[6:])
                if event["type"] == "text":
                    last = time.perf_counter()
                    first = first or last
                elif event["type"] == "done":
                    done = event
        if first is None or last is None:
            raise RuntimeError("no text was streamed")
        first_tokens.append(first - started)
        tokens = done["usage"]["completion_tokens"]
        if tokens > 1 and last > first:
            rates.append((tokens - 1) / (last - first))
    return first_tokens, rates


def median_p95(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument(
        "--every", type=int, default=1, help="every N-th snippet of the corpus only (default: all)"
    )
    parser.add_argument(
        "--llm-tokens", type=int, default=128, help="the longest answer of the local model (16 at least)"
    )
    args = parser.parse_args()
    with running(args.port, analyses_per_minute="1000") as (base, token, _):
        with httpx.Client(base_url=base, headers={"Authorization": f"Token {token}"}, timeout=120) as client:
            for language in ("python", "javascript", "java", "go"):
                timings = analyze_latency(
                    client, language, args.runs if language == "python" else min(3, args.runs)
                )
                print(f"analyze, {LINES}-line {language} file: {median_p95(timings)}")
            print(corpus_accuracy(client, args.every))
            first, _ = chat_timings(client, args.runs)
            print(f"chat, provider none: first text {median_p95(first)}")
    with running(args.port, llm_provider="llamacpp", llm_max_tokens=str(args.llm_tokens)) as (base, token, _):
        with httpx.Client(base_url=base, headers={"Authorization": f"Token {token}"}, timeout=300) as client:
            chat_timings(client, 1)  # loads the model
            first, rates = chat_timings(client, args.runs)
            print(
                f"chat, provider llamacpp (Gemma 3 270M, 2 threads): first token {median_p95(first)}; "
                f"{statistics.median(rates):.1f} tokens/s (median)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
