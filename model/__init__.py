"""Everything that touches torch/transformers: loading, prompts, the batched reply engine.

Importing this package is cheap; torch and transformers load when an engine starts.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.protocols import Engine


_IMPORT_LOCK = threading.Lock()


def import_torch_stack() -> None:
    """Import torch and the transformers names the worker threads use, one thread at a time.

    The engine and the crisis classifier load in their own threads at the same moment, and
    transformers' lazy module is not safe when two threads first touch it at once (seen as
    "cannot import name 'DynamicCache' from 'transformers'"). Every worker calls this first.
    """
    with _IMPORT_LOCK:
        import torch  # noqa: F401
        from transformers import (  # noqa: F401
            AutoModel,
            AutoModelForCausalLM,
            AutoTokenizer,
            DynamicCache,
        )


# transformers' from_pretrained is not safe in two threads at once: while it runs it replaces
# PreTrainedModel.tie_weights process-wide (so with the engine and the crisis classifier loading
# together, the engine's tied lm_head was sometimes left untied and uninitialised: load report
# "lm_head.weight | MISSING", then NaN logits), and it sets torch's default dtype process-wide. Every
# from_pretrained holds this lock.
HF_LOAD_LOCK = threading.RLock()


def create_engine(settings: Settings) -> Engine:
    """The engine the settings ask for (``engine.backend``); call ``await engine.start()`` next."""
    backend = settings.engine.backend
    if backend == "local":
        from model.engine import ReplyEngine

        return ReplyEngine(settings.model, settings.engine)
    if backend == "openai":
        # An OpenAI-compatible server (vLLM, TGI, llama.cpp server); lives in its own module.
        from model.openai_engine import OpenAIEngine  # aiohttp only, no torch

        return OpenAIEngine(settings.engine)
    raise ValueError(f'engine.backend = {backend!r} is not supported; use "local" or "openai"')
