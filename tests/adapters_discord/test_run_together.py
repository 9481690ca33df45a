"""`python -m bot run`'s ``cmd_run`` with Telegram and Discord together, against both fake servers:
both answer; SIGTERM finishes the reply in flight; a bad Telegram token leaves Discord running."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yarl

import bot.app
from adapters.discord_adapter import discord
from bot.cli import cmd_run
from bot.config import Settings, load_settings
from bot.types import Generation, GenerationRequest
from tests.adapters_discord.fake_discord import TOKEN as DISCORD_TOKEN
from tests.adapters_discord.fake_discord import FakeDiscord
from tests.adapters_telegram.fake_telegram import TOKEN as TELEGRAM_TOKEN
from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.fakes import FakeEngine


class HoldableEngine(FakeEngine):
    """Answers at once until ``hold()``; then requests wait for ``release``."""

    def __init__(self) -> None:
        super().__init__("Hello from Kindred.")
        self.release = asyncio.Event()
        self.release.set()
        self.waiting = 0

    async def generate(self, request: GenerationRequest) -> Generation:
        self.waiting += 1
        await self.release.wait()
        return await super().generate(request)


@pytest.fixture
async def servers(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[FakeTelegram, FakeDiscord]]:
    tg = await FakeTelegram().start()
    dc = await FakeDiscord().start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{dc.url}/api/v10")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(dc.ws_url))
    yield tg, dc
    await dc.close()
    await tg.close()


def settings_for(tmp_path: Path, tg: FakeTelegram, **telegram: Any) -> Settings:
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0},
        telegram={
            "enabled": True,
            "token": TELEGRAM_TOKEN,
            "base_url": tg.base_url,
            "base_file_url": tg.base_file_url,
            "poll_timeout_s": 1,
            **telegram,
        },
        discord={"enabled": True, "token": DISCORD_TOKEN},
    )


async def test_run_serves_both_and_sigterm_finishes_the_reply_in_flight(
    tmp_path: Path, servers: tuple[FakeTelegram, FakeDiscord], monkeypatch: pytest.MonkeyPatch
) -> None:
    tg, dc = servers
    engine = HoldableEngine()
    monkeypatch.setattr(bot.app, "create_engine", lambda settings: engine)
    run = asyncio.create_task(cmd_run(argparse.Namespace(only=None), settings_for(tmp_path, tg)))

    tg.push_private(41, "hello on telegram")
    await tg.wait_for(lambda: tg.sent_to(41) == ["Hello from Kindred."], within_s=20)
    await dc.wait_for(lambda: dc.connected, within_s=20)
    await dc.user_dm(42, "hello on discord")
    await dc.wait_for(lambda: dc.sent_to(dc.dm_channels[42]) == ["Hello from Kindred."])

    engine.release.clear()
    tg.push_private(43, "a slow one")
    await tg.wait_for(lambda: engine.waiting == 3)
    os.kill(os.getpid(), signal.SIGTERM)  # what systemd sends; cmd_run's handler starts the shutdown
    await asyncio.sleep(0.1)
    assert not run.done()  # waiting for the reply in flight
    engine.release.set()
    assert await asyncio.wait_for(run, 20) == 0
    assert tg.sent_to(43) == ["Hello from Kindred."]


async def test_a_bad_telegram_token_leaves_discord_running(
    tmp_path: Path,
    servers: tuple[FakeTelegram, FakeDiscord],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tg, dc = servers
    monkeypatch.setattr(bot.app, "create_engine", lambda settings: FakeEngine("Hi there."))
    settings = settings_for(tmp_path, tg, token="1:revoked-token")
    run = asyncio.create_task(cmd_run(argparse.Namespace(only=None), settings))
    await dc.wait_for(lambda: dc.connected, within_s=20)
    await dc.user_dm(44, "anyone home?")
    await dc.wait_for(lambda: dc.sent_to(dc.dm_channels[44]) == ["Hi there."])
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(run, 20) == 0
    err = capsys.readouterr().err
    assert "telegram:" in err and "KINDRED_TELEGRAM__TOKEN" in err
    assert "revoked-token" not in err
    assert "running discord" in err


async def test_doctor_verifies_both_tokens(
    tmp_path: Path, servers: tuple[FakeTelegram, FakeDiscord], capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import cmd_doctor

    tg, _dc = servers
    settings = settings_for(tmp_path, tg)
    code = await cmd_doctor(argparse.Namespace(skip_model=True, offline=False), settings)
    out = capsys.readouterr().out
    assert "ok    telegram: logged in as @kindred_test_bot" in out
    assert "ok    discord: logged in as kindred" in out
    assert code == 0, out


async def test_doctor_names_the_bad_token(
    tmp_path: Path, servers: tuple[FakeTelegram, FakeDiscord], capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import cmd_doctor

    tg, _dc = servers
    settings = settings_for(tmp_path, tg, token="1:revoked-token")
    code = await cmd_doctor(argparse.Namespace(skip_model=True, offline=False), settings)
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  telegram:" in out and "KINDRED_TELEGRAM__TOKEN" in out
    assert "revoked-token" not in out
