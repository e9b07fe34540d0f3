"""A local GGUF model through llama-cpp-python, generating in a worker thread.

The event loop never runs the model: a thread generates token by token into a queue the
stream reads; cancelling the stream sets a flag the thread checks between tokens, so a
client that goes away stops the generation within one token. One generation runs at a
time per process (llama.cpp contexts are not thread-safe); others wait their turn.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from bastion.agent.exceptions import ProviderError
from bastion.agent.llm.base import Message, ProviderEvent, TextDelta, ToolSpec, Usage
from bastion.agent.llm.model import bundled_model_path
from bastion.config import Settings

CONTEXT_TOKENS = 4096
_DONE = object()


class LlamaCppProvider:
    """Gemma (or any GGUF chat model) run in-process by llama.cpp."""

    name = "llamacpp"
    supports_tools = False  # the agent chooses tools itself and hands the results to the model

    def __init__(
        self, *, model_path: Path | None, threads: int, chat_format: str = "gemma", temperature: float = 0.2
    ) -> None:
        self.temperature = temperature
        self.model_path = model_path
        self.threads = threads
        self.chat_format = chat_format
        self.model = model_path.name if model_path else "gemma-3-270m-q4_k_m.gguf"
        self._llama: Any = None
        self._load_lock = threading.Lock()
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._generation = threading.Lock()  # across event loops too
        self.active_generations = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppProvider:
        """Build from ``BASTION_LLM_MODEL_PATH`` (default: the bundled model) and thread count."""
        return cls(
            model_path=settings.llm_model_path,
            threads=settings.llm_threads,
            temperature=settings.llm_temperature,
        )

    def _load(self) -> Any:
        with self._load_lock:
            if self._llama is None:
                try:
                    from llama_cpp import Llama
                except ImportError as error:
                    raise ProviderError("llama-cpp-python is not installed (run `make llm`)") from error
                path = self.model_path or bundled_model_path()
                if not path.is_file():
                    raise ProviderError(f"no model file at {path}")
                try:
                    self._llama = Llama(
                        model_path=str(path),
                        n_ctx=CONTEXT_TOKENS,
                        n_threads=self.threads,
                        chat_format=self.chat_format,
                        verbose=False,
                    )
                except ValueError as error:
                    raise ProviderError(f"the model file could not be loaded: {error}") from error
                self.model = path.name
        return self._llama

    async def stream(
        self, messages: list[Message], *, tools: list[ToolSpec], max_tokens: int
    ) -> AsyncGenerator[ProviderEvent, None]:
        """Generate in a thread; stop it when the consumer is cancelled."""
        turn = self._turns.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with turn:
            llama = await asyncio.to_thread(self._load)
            loop = asyncio.get_running_loop()
            queue: asyncio.Queue[Any] = asyncio.Queue()
            stop = threading.Event()
            prompt = [
                {"role": m.role if m.role != "tool" else "user", "content": m.content} for m in messages
            ]

            def generate() -> None:
                completion_tokens = 0
                try:
                    with self._generation:
                        chunks: Iterator[Any] = llama.create_chat_completion(
                            messages=prompt, max_tokens=max_tokens, stream=True, temperature=self.temperature
                        )
                        try:
                            for chunk in chunks:
                                if stop.is_set():
                                    break
                                text = chunk["choices"][0]["delta"].get("content")
                                if text:
                                    completion_tokens += 1
                                    loop.call_soon_threadsafe(queue.put_nowait, TextDelta(text))
                        finally:
                            close = getattr(chunks, "close", None)
                            if close is not None:
                                close()
                    prompt_text = "\n".join(m["content"] for m in prompt)
                    prompt_tokens = len(llama.tokenize(prompt_text.encode(), add_bos=True))
                    loop.call_soon_threadsafe(queue.put_nowait, Usage(prompt_tokens, completion_tokens))
                except Exception as error:  # noqa: BLE001 - reported to the consumer, not swallowed
                    loop.call_soon_threadsafe(
                        queue.put_nowait, ProviderError(f"the local model failed: {error}")
                    )
                finally:
                    loop.call_soon_threadsafe(queue.put_nowait, _DONE)

            worker = threading.Thread(target=generate, name="llamacpp-generation", daemon=True)
            self.active_generations += 1
            worker.start()
            try:
                while (item := await queue.get()) is not _DONE:
                    if isinstance(item, ProviderError):
                        raise item
                    yield item
            finally:
                stop.set()
                with anyio.CancelScope(shield=True):  # the thread stops within one token
                    await anyio.to_thread.run_sync(worker.join)
                self.active_generations -= 1
