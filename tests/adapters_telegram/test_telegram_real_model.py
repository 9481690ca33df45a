"""End to end: a Telegram DM through the real python-telegram-bot client, the real Dispatcher and the
real embedded model (SmolLM2-135M-Instruct), against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from adapters.telegram import MAX_CHARS
from bot.app import create_engine
from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.adapters_telegram.harness import BotProcess, make_settings


@pytest.mark.slow
async def test_real_model_answers_a_telegram_dm(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.dispatcher")
    fake = await FakeTelegram().start()
    try:
        settings = make_settings(tmp_path, fake)
        settings.engine.max_new_tokens = 24
        settings.model.threads = 2
        engine = create_engine(settings)
        await engine.start()
        try:
            async with BotProcess(settings, engine):
                fake.push_private(31, "Hi! I just finished my first 5k run today.")
                t0 = time.monotonic()
                await fake.wait_for(lambda: len(fake.sent_to(31)) == 1, within_s=240)
                latency = time.monotonic() - t0
        finally:
            await engine.close()
    finally:
        await fake.close()
    reply = fake.sent_to(31)[0]
    outcomes = [r.kindred["outcome"] for r in caplog.records if hasattr(r, "kindred")]
    print(f"real model reply in {latency:.1f} s: {len(reply)} chars, outcome {outcomes}")
    assert outcomes == ["model"] or outcomes == ["fallback"]  # the model generated (and was checked)
    assert reply.strip() and len(reply) <= MAX_CHARS
    assert "Sorry, something went wrong" not in reply  # not the error fallback
    assert any(a.get("action") == "typing" for a in fake.actions)
