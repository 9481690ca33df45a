"""The real embedded model, end to end through the engine (slow: loads SmolLM2-135M)."""

from __future__ import annotations

import pytest

from bot.config import EngineSettings
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model.engine import ReplyEngine

pytestmark = pytest.mark.slow

SYSTEM = ChatTurn("system", "You are a warm, supportive friend. Respond to what the person said.")


def test_embedded_model_loads_with_chat_template(embedded_model):
    assert embedded_model.name == "SmolLM2-135M-Instruct"
    assert embedded_model.has_chat_template
    assert embedded_model.source in {"embedded", "embedded-cache"}
    assert "SmolLM2-135M-Instruct" in embedded_model.describe()


async def test_engine_replies_to_a_real_prompt(embedded_model):
    engine = ReplyEngine(engine_settings=EngineSettings(max_new_tokens=48), loaded=embedded_model)
    async with engine:
        req = GenerationRequest(
            messages=(SYSTEM, ChatTurn("user", "I failed my exam today and feel stupid")),
            sampling=SamplingParams(max_new_tokens=48, temperature=0.7),
            num_candidates=2,
            seed=7,
        )
        gen = await engine.generate(req)
    assert gen.status == "ok", gen.error
    assert len(gen.texts) == 2
    for text in gen.texts:
        words = text.split()
        assert len(words) >= 4, text
        # A real reply, not template debris.
        assert "<|im_" not in text and "assistant\n" not in text
    assert gen.new_tokens > 8
    assert gen.prompt_tokens > 20
    assert "SmolLM2" in engine.describe()
