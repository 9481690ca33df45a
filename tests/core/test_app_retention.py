"""``memory.retention_days`` while the bot runs: what passes it is deleted by a periodic sweep, not only
at the next start (a bot runs for months)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import bot.app
from bot.app import open_app
from bot.config import load_settings
from bot.store import FACTS_PREF
from bot.types import UserKey
from tests.fakes import FakeEngine

ANA = UserKey("fake", "ana")


async def test_a_running_bot_deletes_turns_and_facts_past_their_retention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bot.app, "RETENTION_SWEEP_S", 0.05)
    settings = load_settings(
        memory={"db_path": tmp_path / "k.db", "retention_days": 30},
        engine={"num_candidates": 1},
        safety={"classifier": False},
    )
    async with open_app(settings, engine=FakeEngine("ok")) as app:
        store = app.store
        # Written while the bot runs, as if the conversation had been left there 31 days ago.
        await store.add_turns(ANA, [("user", "my old secret"), ("assistant", "noted")])
        old = time.time() - 31 * 86400
        await store.db.execute("UPDATE turns SET created_at=?", (old,))
        await store.db.commit()
        await store.set_pref(ANA, FACTS_PREF, {"name": {"value": "Ana", "said": old}})
        deadline = time.monotonic() + 5
        while await store.history(ANA, 10) or await store.get_pref(ANA, FACTS_PREF):
            assert time.monotonic() < deadline, "the sweep never ran"
            await asyncio.sleep(0.02)
        await store.add_turns(ANA, [("user", "today's news")])
        await asyncio.sleep(0.2)  # several sweeps later, what is within retention stays
        assert [t.content for t in await store.history(ANA, 10)] == ["today's news"]


async def test_without_retention_nothing_is_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bot.app, "RETENTION_SWEEP_S", 0.02)
    settings = load_settings(memory={"db_path": tmp_path / "k.db"}, safety={"classifier": False})
    async with open_app(settings, engine=FakeEngine("ok")) as app:
        await app.store.add_turns(ANA, [("user", "kept")])
        await app.store.db.execute("UPDATE turns SET created_at=0")
        await app.store.db.commit()
        await asyncio.sleep(0.15)
        assert [t.content for t in await app.store.history(ANA, 10)] == ["kept"]
