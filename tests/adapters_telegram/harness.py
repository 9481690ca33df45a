"""One bot process in a test: store + real Dispatcher + TelegramAdapter against the fake server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from adapters.telegram import TelegramAdapter
from bot.config import Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.protocols import Engine
from bot.store import ConversationStore
from bot.types import Generation, GenerationRequest
from tests.adapters_telegram.fake_telegram import TOKEN, FakeTelegram
from tests.fakes import FakeEngine


def make_settings(
    tmp_path: Path, fake: FakeTelegram, chat: dict[str, Any] | None = None, **telegram: Any
) -> Settings:
    section = {
        "enabled": True,
        "token": TOKEN,
        "base_url": fake.base_url,
        "base_file_url": fake.base_file_url,
        "poll_timeout_s": 1,
        "retry_base_s": 0.02,
        "stop_timeout_s": 5,
        **telegram,
    }
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0, **(chat or {})},
        telegram=section,
    )


class GatedEngine(FakeEngine):
    """A FakeEngine that holds every request until ``gate`` is set (to kill the bot mid-reply)."""

    def __init__(self, reply: Any = "I'm listening. Tell me more.") -> None:
        super().__init__(reply)
        self.gate = asyncio.Event()

    async def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        await self.gate.wait()
        self.requests.pop()  # FakeEngine.generate records it again
        return await super().generate(request)


class CancelCountingGate(GatedEngine):
    """A GatedEngine that counts the requests its callers cancelled while they waited."""

    def __init__(self, reply: Any = "I'm listening. Tell me more.") -> None:
        super().__init__(reply)
        self.cancelled = 0

    async def generate(self, request: GenerationRequest) -> Generation:
        try:
            return await super().generate(request)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


class BotProcess:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or FakeEngine()
        self.store = ConversationStore(settings.memory.db_path)
        self.adapter: TelegramAdapter | None = None

    async def start(self) -> BotProcess:
        await self.store.open()
        dispatcher = Dispatcher(self.settings, self.store, self.engine, load_personas())
        self.adapter = TelegramAdapter(self.settings, self.store)
        await self.adapter.start(dispatcher.handle)
        return self

    async def stop(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
        await self.store.close()

    async def kill(self) -> None:
        """What a crash leaves behind: nothing finished, nothing cleaned up beyond the sockets."""
        if self.adapter is not None:
            await self.adapter.abort()
        await self.store.close()

    async def __aenter__(self) -> BotProcess:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
