"""One bot process in a test: store + real Dispatcher + DiscordAdapter against the fake Discord."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.discord_adapter import DiscordAdapter
from bot.config import Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.protocols import Engine
from bot.store import ConversationStore
from tests.adapters_discord.fake_discord import TOKEN
from tests.fakes import FakeEngine


def make_settings(tmp_path: Path, **discord: Any) -> Settings:
    section = {
        "enabled": True,
        "token": TOKEN,
        "retry_base_s": 0.02,
        "stop_timeout_s": 5,
        "ready_timeout_s": 10,
        **discord,
    }
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0},
        discord=section,
    )


class BotProcess:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or FakeEngine()
        self.store = ConversationStore(settings.memory.db_path)
        self.adapter: DiscordAdapter | None = None

    async def start(self) -> BotProcess:
        await self.store.open()
        dispatcher = Dispatcher(self.settings, self.store, self.engine, load_personas())
        self.adapter = DiscordAdapter(self.settings, self.store)
        self.adapter.client_options = {"guild_ready_timeout": 0.1}
        try:
            await self.adapter.start(dispatcher.handle)
        except BaseException:
            await self.store.close()
            raise
        return self

    async def stop(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
        await self.store.close()

    async def kill(self) -> None:
        """What a crash leaves behind: nothing finished, nothing marked."""
        if self.adapter is not None:
            await self.adapter.abort()
        await self.store.close()

    async def __aenter__(self) -> BotProcess:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
