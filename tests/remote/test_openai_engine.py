"""The openai backend against a fake OpenAI-compatible server on 127.0.0.1, one fault at a time."""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import EngineSettings
from bot.metrics import METRICS
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model.openai_engine import CircuitBreaker, OpenAIEngine, _fit_history
from tests.remote.fake_openai import DEFAULT_REPLY, FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
SECRET_WORDS = "my-private-words-1234"
API_KEY = "sk-test-do-not-log-0987"


def request(text: str = SECRET_WORDS, **kw: Any) -> GenerationRequest:
    kw.setdefault("sampling", SamplingParams(max_new_tokens=40, temperature=0.7, top_p=0.9, top_k=40))
    return GenerationRequest(messages=(ChatTurn("system", "Be kind."), ChatTurn("user", text)), **kw)


def engine_settings(server: FakeOpenAI | str, **kw: Any) -> EngineSettings:
    base = server if isinstance(server, str) else server.url
    kw.setdefault("max_retries", 2)
    return EngineSettings(backend="openai", base_url=base, model="kindred-test", **kw)


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_metrics() -> None:
    METRICS.reset()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_request_carries_every_sampling_option_and_the_bearer_token(server: FakeOpenAI) -> None:
    es = engine_settings(server, api_key=SecretStr(API_KEY))
    async with OpenAIEngine(es) as engine:
        gen = await engine.generate(request(stop=("\nUser:",), num_candidates=3, seed=7))
    assert gen.status == "ok"
    assert gen.texts == (DEFAULT_REPLY,) * 3
    assert gen.new_tokens == 33 and gen.prompt_tokens == 42
    assert gen.finish_reasons == ("stop",) * 3
    body = server.requests[0]
    assert body["model"] == "kindred-test"
    assert body["messages"] == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": SECRET_WORDS},
    ]
    assert (body["temperature"], body["top_p"], body["max_tokens"], body["n"]) == (0.7, 0.9, 40, 3)
    assert body["stop"] == ["\nUser:"] and body["seed"] == 7
    assert body["top_k"] == 40 and body["repetition_penalty"] == SamplingParams().repetition_penalty
    assert "stream" not in body
    assert server.headers[0]["Authorization"] == f"Bearer {API_KEY}"
    assert engine.describe() == "kindred-test via OpenAI-compatible server"
    assert API_KEY not in repr(es)


async def test_stop_strings_are_cut_locally_too(server: FakeOpenAI) -> None:
    server.reply = "Sure thing.\nUser: pretend I said more"
    async with OpenAIEngine(engine_settings(server)) as engine:
        gen = await engine.generate(request(stop=("\nUser:",)))
    assert gen.texts == ("Sure thing.",) and gen.finish_reasons == ("stop",)


async def test_429_is_retried_after_retry_after(server: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    server.script = ["429"]
    server.retry_after = "0.3"
    async with OpenAIEngine(engine_settings(server)) as engine:
        t0 = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="model.openai_engine"):
            gen = await engine.generate(request())
        elapsed = time.monotonic() - t0
    assert gen.status == "ok" and server.chat_requests == 2
    assert elapsed >= 0.3  # the server's Retry-After was honoured
    assert "HTTP 429" in caplog.text and "retrying" in caplog.text
    assert METRICS.get("engine_retries_total", reason="HTTP 429") == 1


async def test_500_then_ok_is_retried(server: FakeOpenAI) -> None:
    server.script = ["500", "503"]
    async with OpenAIEngine(engine_settings(server)) as engine:
        gen = await engine.generate(request())
    assert gen.status == "ok" and gen.text == DEFAULT_REPLY
    assert server.chat_requests == 3


async def test_persistent_500_becomes_busy_with_a_clear_log_line_and_no_text(
    server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    server.always = "500"
    async with OpenAIEngine(engine_settings(server, api_key=SecretStr(API_KEY))) as engine:
        with caplog.at_level(logging.DEBUG):
            gen = await engine.generate(request())
    assert gen.status == "busy"
    assert server.chat_requests == 3  # one try + max_retries
    assert "giving up after HTTP 500" in caplog.text
    assert SECRET_WORDS not in caplog.text and API_KEY not in caplog.text


async def test_timeout_becomes_busy(server: FakeOpenAI) -> None:
    server.always = "slow"
    server.slow_s = 2.0
    es = engine_settings(server, request_timeout_s=0.3, max_retries=0)
    async with OpenAIEngine(es) as engine:
        t0 = time.monotonic()
        gen = await engine.generate(request(timeout_s=0.3))
    assert gen.status == "busy" and "timeout" in gen.error
    assert time.monotonic() - t0 < 1.5


async def test_connection_refused_becomes_busy(caplog: pytest.LogCaptureFixture) -> None:
    es = engine_settings(f"http://127.0.0.1:{closed_port()}/v1", max_retries=1)
    async with OpenAIEngine(es) as engine:
        with caplog.at_level(logging.WARNING):
            gen = await engine.generate(request())
        assert not await engine.healthy()
    assert gen.status == "busy" and "connection error" in gen.error
    assert "connection error" in caplog.text


@pytest.mark.parametrize("fault", ["malformed", "garbage"])
async def test_malformed_response_is_an_error_not_retried(
    server: FakeOpenAI, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.script = [fault]
    async with OpenAIEngine(engine_settings(server)) as engine:
        with caplog.at_level(logging.ERROR):
            gen = await engine.generate(request())
    assert gen.status == "error" and "malformed response" in gen.error
    assert server.chat_requests == 1
    assert "malformed response" in caplog.text and SECRET_WORDS not in caplog.text


async def test_wrong_api_key_is_an_error_naming_the_setting(
    server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    server.script = ["401"]
    async with OpenAIEngine(engine_settings(server, api_key=SecretStr(API_KEY))) as engine:
        with caplog.at_level(logging.ERROR):
            gen = await engine.generate(request())
    assert gen.status == "error" and "KINDRED_ENGINE__API_KEY" in gen.error
    assert "invalid_api_key" in caplog.text and API_KEY not in caplog.text


async def test_unknown_model_is_an_error_naming_the_setting(server: FakeOpenAI) -> None:
    server.script = ["404"]
    async with OpenAIEngine(engine_settings(server)) as engine:
        gen = await engine.generate(request())
    assert gen.status == "error" and "engine.model" in gen.error


async def test_circuit_breaker_stops_calling_a_dead_server_then_recovers(server: FakeOpenAI) -> None:
    clock = ManualClock()
    server.always = "500"
    es = engine_settings(server, max_retries=0, circuit_breaker_failures=2, circuit_breaker_cooldown_s=30)
    async with OpenAIEngine(es, clock=clock) as engine:
        assert (await engine.generate(request())).status == "busy"
        assert (await engine.generate(request())).status == "busy"
        assert server.chat_requests == 2 and engine.breaker.state == "open"
        for _ in range(5):  # open: answered busy at once, the server is not called
            gen = await engine.generate(request())
            assert gen.status == "busy" and "circuit breaker" in gen.error
        assert server.chat_requests == 2
        assert not await engine.healthy()
        assert METRICS.get("engine_circuit_open") == 1
        clock.now += 31  # half-open: one trial call; it fails, so the breaker opens again
        assert (await engine.generate(request())).status == "busy"
        assert server.chat_requests == 3 and engine.breaker.state == "open"
        clock.now += 31
        server.always = "ok"
        assert (await engine.generate(request())).status == "ok"
        assert engine.breaker.state == "closed" and METRICS.get("engine_circuit_open") == 0


def test_half_open_lets_one_trial_through() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(1, 10, clock)
    breaker.failure()
    assert not breaker.allow()
    clock.now += 11
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.abandon()
    assert breaker.allow()


async def test_concurrency_is_bounded_and_overflow_waits(server: FakeOpenAI) -> None:
    server.hold_s = 0.2
    async with OpenAIEngine(engine_settings(server, max_concurrency=2)) as engine:
        gens = await asyncio.gather(*(engine.generate(request()) for _ in range(6)))
    assert all(g.status == "ok" for g in gens)
    assert server.max_concurrent == 2
    assert max(g.queued_s for g in gens) >= 0.3  # the last ones waited for a slot


async def test_no_slot_within_the_queue_timeout_is_busy(server: FakeOpenAI) -> None:
    server.hold_s = 1.0
    async with OpenAIEngine(engine_settings(server, max_concurrency=1)) as engine:
        first = asyncio.ensure_future(engine.generate(request()))
        await asyncio.sleep(0.05)
        second = await engine.generate(request(timeout_s=0.1))
        assert second.status == "busy" and "no free slot" in second.error
        assert (await first).status == "ok"


async def test_servers_that_refuse_extra_sampling_options_get_plain_requests(server: FakeOpenAI) -> None:
    server.reject_extras = True
    async with OpenAIEngine(engine_settings(server)) as engine:
        assert (await engine.generate(request())).status == "ok"
        assert (await engine.generate(request())).status == "ok"
    assert "top_k" in server.requests[0] and "top_k" not in server.requests[1]
    assert "top_k" not in server.requests[2] and server.chat_requests == 3


async def test_streaming(server: FakeOpenAI) -> None:
    async with OpenAIEngine(engine_settings(server, stream=True)) as engine:
        gen = await engine.generate(request())
        assert gen.status == "ok" and gen.text == DEFAULT_REPLY
        assert server.requests[-1]["stream"] is True
        assert gen.new_tokens == len(DEFAULT_REPLY.split())  # one chunk per word
        # Several candidates are asked for without streaming.
        gen = await engine.generate(request(num_candidates=2))
        assert "stream" not in server.requests[-1] and len(gen.texts) == 2
        server.script = ["cut_stream"]
        server.always = "500"
        es_retries = engine.settings.max_retries
        gen = await engine.generate(request())
        assert gen.status == "busy" and server.chat_requests == 3 + es_retries


def _long_history(n: int = 20) -> list[ChatTurn]:
    turns = []
    for i in range(n):
        turns += [
            ChatTurn("user", f"question {i} " + "x" * 100),
            ChatTurn("assistant", f"answer {i} " + "y" * 100),
        ]
    return turns


async def test_history_is_trimmed_to_the_budget_oldest_first() -> None:
    turns = [ChatTurn("system", "persona"), *_long_history(), ChatTurn("user", "the last one")]
    kept = _fit_history(tuple(turns), budget_tokens=200)
    assert kept[0].content == "persona" and kept[-1].content == "the last one"
    assert 2 < len(kept) < 10
    assert kept[1].content.startswith(("question 1", "answer 1"))  # the newest history survived


async def test_persona_examples_outlive_the_history_and_go_last_one_first() -> None:
    examples = [
        ChatTurn("user", "example question " + "e" * 60, pinned=True),
        ChatTurn("assistant", "example answer " + "f" * 60, pinned=True),
        ChatTurn("user", "second example " + "g" * 60, pinned=True),
        ChatTurn("assistant", "second answer " + "h" * 60, pinned=True),
    ]
    turns = [ChatTurn("system", "persona"), *examples, *_long_history(), ChatTurn("user", "the last one")]
    kept = _fit_history(tuple(turns), budget_tokens=200)
    assert kept[1:5] == examples and kept[-1].content == "the last one"
    assert any(t.content.startswith("answer 19") for t in kept)  # some history still fits next to them
    tight = _fit_history(tuple(turns), budget_tokens=70)
    assert [t for t in tight if t.pinned] == examples[:2]  # no history left; the last example went
    assert tight[0].content == "persona" and tight[-1].content == "the last one"


async def test_healthy_asks_the_model_list(server: FakeOpenAI) -> None:
    async with OpenAIEngine(engine_settings(server)) as engine:
        assert await engine.healthy()
    assert server.chat_requests == 0  # no generation spent on health checks


def test_bad_settings_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="engine.model"):
        OpenAIEngine(EngineSettings(backend="openai", model=""))
    with pytest.raises(ValueError, match="not an http"):
        OpenAIEngine(EngineSettings(backend="openai", model="m", base_url="127.0.0.1:8000"))


def test_the_openai_engine_never_imports_torch() -> None:
    code = (
        "import sys; from bot.config import load_settings; from model import create_engine; "
        "s = load_settings(engine={'backend': 'openai', 'model': 'm'}); e = create_engine(s); "
        "print(type(e).__name__, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["OpenAIEngine", "False"]
