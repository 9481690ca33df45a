"""One bot process in a test: store + real Dispatcher + RedditAdapter (real asyncpraw) against FakeReddit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.reddit import RedditAdapter
from bot.config import Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.protocols import Engine, OnMessage
from bot.store import ConversationStore
from tests.adapters_reddit.fake_reddit import FakeReddit
from tests.fakes import FakeEngine

SUB = "toastme"


def make_settings(tmp_path: Path, fake: FakeReddit, **reddit: Any) -> Settings:
    section = {
        "enabled": True,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "username": fake.username,
        "password": fake.password,
        "subreddits": [SUB],
        "oauth_url": fake.url,
        "reddit_url": fake.url,
        "short_url": fake.url,
        "poll_interval_s": 0.05,
        "retry_base_s": 0.05,
        "stop_timeout_s": 5,
        "replies_per_hour": 50,
        **reddit,
    }
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0},
        reddit=section,
    )


class BotProcess:
    def __init__(
        self,
        settings: Settings,
        fake: FakeReddit,
        engine: Engine | None = None,
        on_message: OnMessage | None = None,
        clock: Callable[[], float] = time.time,
        crisis_classifier: Any = None,
    ) -> None:
        self.settings = settings
        self.crisis_classifier = crisis_classifier
        self.clock = clock
        self.fake = fake
        self.engine = engine or FakeEngine()
        self.on_message = on_message
        self.store = ConversationStore(settings.memory.db_path)
        self.adapter: RedditAdapter | None = None

    async def start(self) -> BotProcess:
        await self.store.open()
        dispatcher = Dispatcher(
            self.settings, self.store, self.engine, load_personas(), crisis_classifier=self.crisis_classifier
        )
        self.adapter = RedditAdapter(self.settings, self.store, clock=self.clock)
        self.adapter.set_crisis_check(dispatcher.is_crisis)  # what `python -m bot run` does
        await self.adapter.start(self.on_message or dispatcher.handle)
        return self

    async def stop(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
        await self.store.close()

    async def kill(self) -> None:
        """What a crash leaves behind: nothing finished, nothing marked read or handled."""
        if self.adapter is not None:
            await self.adapter.abort()
        await self.store.close()

    async def __aenter__(self) -> BotProcess:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def rounds(self, n: int = 2) -> None:
        """Wait until the adapter has read the inbox ``n`` more times (the end of each round), so at
        least ``n - 1`` whole rounds ran after now."""
        start = self.fake.count("GET", "/message/unread")
        await wait_until(
            lambda: self.fake.count("GET", "/message/unread") >= start + n, what=f"{n} more rounds"
        )


async def wait_until(cond: Callable[[], bool], within: float = 15.0, what: str = "condition") -> None:
    """Poll ``cond`` every 20 ms; fail after ``within`` seconds (never a fixed sleep)."""
    deadline = time.monotonic() + within
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.02)
