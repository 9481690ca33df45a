from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import yarl

from adapters.discord_adapter import discord  # (imports discord quietly)
from tests.adapters_discord.fake_discord import FakeDiscord


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """The fake Discord on 127.0.0.1, with discord.py pointed at it."""
    server = await FakeDiscord().start()
    # discord.py has no per-client base URL: point both halves at the fake server.
    monkeypatch.setattr(discord.http.Route, "BASE", f"{server.url}/api/v10")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.ws_url))
    yield server
    await server.close()
