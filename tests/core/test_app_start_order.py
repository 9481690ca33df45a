"""The engine starts loading only once the crisis classifier is ready (bot/app.py, ``_running``).

Loading both at once in two threads left the engine's passes ~1.8x slower for as long as the bot ran
(a 300-token prompt read in ~200 ms instead of ~111 ms on the project's 2-core machine), so the
order is part of what the app does, in the terminal (background start) and for the platforms."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import bot.crisis
from bot.app import open_app
from bot.config import load_settings
from tests.fakes import FakeEngine


class OrderedClassifier:
    def __init__(self, events: list[str], fail: bool = False) -> None:
        self.events = events
        self.fail = fail
        self.loaded = asyncio.Event()
        self.threshold = 0.74

    async def start(self) -> None:
        self.events.append("classifier.start")

    async def wait_ready(self) -> None:
        await self.loaded.wait()
        if self.fail:
            raise RuntimeError("the embedding package is broken")

    async def score(self, text: str) -> float:
        return 0.0

    async def close(self) -> None:
        self.events.append("classifier.close")


class OrderedEngine(FakeEngine):
    def __init__(self, events: list[str]) -> None:
        super().__init__("ok")
        self.events = events

    async def start(self) -> None:
        self.events.append("engine.start")
        await super().start()


@pytest.mark.parametrize("background", [False, True])
@pytest.mark.parametrize("fail", [False, True])
async def test_the_engine_starts_after_the_classifier_is_ready_or_has_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, background: bool, fail: bool
) -> None:
    events: list[str] = []
    classifier = OrderedClassifier(events, fail=fail)
    monkeypatch.setattr(bot.crisis, "create_crisis_classifier", lambda settings: classifier)
    settings = load_settings(memory={"db_path": tmp_path / "k.db"})

    async def release_later() -> None:
        await asyncio.sleep(0.2)
        events.append("classifier.ready")
        classifier.loaded.set()

    releaser = asyncio.create_task(release_later())
    async with open_app(settings, engine=OrderedEngine(events), background_start=background) as app:
        reply = await app.engine.generate(_request())  # in the background mode this waits for the start
        assert reply.status == "ok"
    await releaser
    assert events[:3] == ["classifier.start", "classifier.ready", "engine.start"]
    assert events[-1] == "classifier.close"


def _request():  # type: ignore[no-untyped-def]
    from bot.types import ChatTurn, GenerationRequest, SamplingParams

    return GenerationRequest(messages=(ChatTurn("user", "hi"),), sampling=SamplingParams())
