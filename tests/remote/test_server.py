"""/healthz and /metrics over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.app import BackgroundStartEngine
from bot.config import EngineSettings, ServerSettings, Settings
from bot.dispatcher import Dispatcher
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.server import HealthServer
from bot.store import ConversationStore
from model.openai_engine import OpenAIEngine
from tests.fakes import FakeAdapter, FakeEngine
from tests.remote.fake_openai import FakeOpenAI


@dataclass
class StubApp:
    store: Any
    engine: Any


class Ticking:
    """A clock that jumps past the engine-check cache on every read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1000.0
        return self.now


@pytest.fixture(autouse=True)
def _fresh_metrics() -> None:
    METRICS.reset()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def get(http: aiohttp.ClientSession, server: HealthServer, path: str) -> tuple[int, Any, str]:
    async with http.get(f"http://127.0.0.1:{server.port}{path}") as resp:
        text = await resp.text()
        return resp.status, resp.headers.get("Content-Type", ""), text


def serve(app: Any, **kw: Any) -> HealthServer:
    return HealthServer(ServerSettings(enabled=True, host="127.0.0.1", port=0), app, **kw)


async def test_healthz_is_ok_when_store_and_engine_answer(
    store: ConversationStore, http: aiohttp.ClientSession
) -> None:
    engine = FakeEngine("OK")
    async with serve(StubApp(store, engine), clock=Ticking()) as server:
        status, ctype, body = await get(http, server, "/healthz")
        assert status == 200 and ctype.startswith("application/json")
        assert '"status": "ok"' in body
        assert engine.requests and engine.requests[-1].sampling.max_new_tokens == 1  # a tiny probe
        engine.status = "busy"
        status, _, body = await get(http, server, "/healthz")
        assert status == 503 and '"engine": "busy"' in body


async def test_engine_probe_is_cached(store: ConversationStore, http: aiohttp.ClientSession) -> None:
    engine = FakeEngine("OK")
    async with serve(StubApp(store, engine)) as server:
        for _ in range(5):
            assert (await get(http, server, "/healthz"))[0] == 200
    assert len(engine.requests) == 1  # probes within ENGINE_CHECK_TTL_S reuse the answer


async def test_healthz_fails_when_the_store_does_not_answer(tmp_path, http: aiohttp.ClientSession) -> None:
    store = await ConversationStore(tmp_path / "x.db").open()
    await store.close()  # ping() now raises
    async with serve(StubApp(store, FakeEngine("OK"))) as server:
        status, _, body = await get(http, server, "/healthz")
    assert status == 503 and '"store": "StoreError"' in body and '"engine": "ok"' in body


async def test_healthz_uses_the_openai_engines_health_check(
    store: ConversationStore, http: aiohttp.ClientSession
) -> None:
    fake = await FakeOpenAI().start()
    engine = OpenAIEngine(EngineSettings(backend="openai", base_url=fake.url, model="kindred-test"))
    await engine.start()
    try:
        async with serve(StubApp(store, engine), clock=Ticking()) as server:
            assert (await get(http, server, "/healthz"))[0] == 200
            assert fake.chat_requests == 0  # asked GET /models, generated nothing
            await fake.stop()  # the model server goes away
            status, _, body = await get(http, server, "/healthz")
            assert status == 503 and '"engine": "unavailable"' in body
    finally:
        await engine.close()
        await fake.stop()


async def test_healthz_says_loading_while_the_model_loads(
    store: ConversationStore, http: aiohttp.ClientSession
) -> None:
    gate = asyncio.Event()

    class SlowStart(FakeEngine):
        async def start(self) -> None:
            await gate.wait()

    engine = BackgroundStartEngine(SlowStart("OK"))
    await engine.start()
    async with serve(StubApp(store, engine), clock=Ticking()) as server:
        status, _, body = await get(http, server, "/healthz")
        assert status == 503 and '"engine": "loading"' in body
        gate.set()
        await engine.wait_ready()
        assert (await get(http, server, "/healthz"))[0] == 200
    await engine.close()


async def test_metrics_show_traffic_latency_and_engine_gauges(
    settings: Settings, store: ConversationStore, http: aiohttp.ClientSession
) -> None:
    engine = FakeEngine("That sounds like a lot. How are you holding up?")
    dispatcher = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(dispatcher.handle)
    await adapter.push("I had a rough day")
    await adapter.push("/help")
    # What the local engine publishes (names documented in docs/scaling.md).
    METRICS.set("engine_queue_depth", 3)
    METRICS.set("engine_batch_size", 4)
    METRICS.set("engine_tokens_per_second", 12.5)
    METRICS.inc("errors_total", where="telegram")
    async with serve(StubApp(store, engine)) as server:
        status, ctype, text = await get(http, server, "/metrics")
    assert status == 200 and ctype.startswith("text/plain") and "version=0.0.4" in ctype
    assert 'kindred_messages_in_total{platform="fake"} 2' in text
    assert 'kindred_replies_total{kind="model",platform="fake"} 1' in text
    assert 'kindred_replies_total{kind="command",platform="fake"} 1' in text
    assert 'kindred_reply_latency_seconds_bucket{platform="fake",le="+Inf"} 2' in text
    assert "kindred_engine_queue_depth 3" in text and "kindred_engine_batch_size 4" in text
    assert "kindred_engine_tokens_per_second 12.5" in text
    assert 'kindred_errors_total{where="telegram"} 1' in text
    assert "# TYPE kindred_reply_latency_seconds histogram" in text
    assert "rough day" not in text


async def test_a_busy_port_is_a_clear_error(store: ConversationStore) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = HealthServer(
            ServerSettings(enabled=True, host="127.0.0.1", port=port), StubApp(store, FakeEngine())
        )
        with pytest.raises(OSError, match=r"\[server\] port"):
            await server.start()
