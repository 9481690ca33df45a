"""`python -m bot run`: an adapter that cannot start is reported once, naming the platform and the
fix, with logging set up as `main` sets it up (it used to be a log line and a print of the same)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.app
from bot.cli import cmd_run
from bot.config import load_settings
from bot.logs import setup_logging
from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.fakes import FakeEngine


@pytest.fixture
def root_handlers() -> Iterator[None]:
    """setup_logging replaces the root logger's handlers (pytest's among them): put them back."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    # The fake server runs in this process: its access log (which shows the URL with the token)
    # would land on the same stderr; the real bot has no such server.
    access = logging.getLogger("aiohttp.access")
    access_level = access.level
    access.setLevel(logging.WARNING)
    yield
    root.handlers[:] = saved
    root.setLevel(level)
    access.setLevel(access_level)


async def test_a_rejected_token_is_said_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    root_handlers: None,
) -> None:
    tg = await FakeTelegram().start()
    try:
        monkeypatch.setattr(bot.app, "create_engine", lambda settings: FakeEngine("Hi."))
        settings = load_settings(
            memory={"db_path": tmp_path / "k.db"},
            telegram={
                "enabled": True,
                "token": "1:revoked-token",
                "base_url": tg.base_url,
                "base_file_url": tg.base_file_url,
            },
        )
        setup_logging("INFO", json_lines=False)  # as `python -m bot run` does: log lines on stderr
        code = await cmd_run(argparse.Namespace(only=None), settings)
    finally:
        await tg.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("rejected the bot token") == 1, err
    assert (
        "kindred: telegram: did not start: Telegram rejected the bot token in KINDRED_TELEGRAM__TOKEN" in err
    )
    assert "revoked-token" not in err
    assert "no platform adapter could start" in err
