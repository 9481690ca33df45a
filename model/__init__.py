"""Everything that touches torch/transformers: loading, prompts, the batched reply engine.

Importing this package is cheap; torch (and transformers, when a model needs it) load when an engine
starts.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.protocols import Engine


_IMPORT_LOCK = threading.Lock()


def import_torch_stack() -> None:
    """Import torch, one thread at a time (the engine and the crisis classifier start together).

    transformers is not imported here: a plain Llama model and the classifier's encoder run without
    it (model/llama_lite.py, model/bert_lite.py), and importing it costs ~2 s and ~150 MB at start.
    Code that does need it calls :func:`import_transformers` first.
    """
    with _IMPORT_LOCK:
        import torch  # noqa: F401


def import_transformers() -> None:
    """Import the transformers names the worker threads use, one thread at a time.

    transformers' lazy module is not safe when two threads first touch it at once (seen as "cannot
    import name 'DynamicCache' from 'transformers'" with the engine and the classifier loading together).
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
