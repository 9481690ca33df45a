"""Kindred answering through the openai backend, end to end: the real dispatcher in-process, and
``python -m bot chat`` / ``python -m bot run`` as subprocesses, both answered by the fake server."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import open_app
from bot.config import Settings, load_settings
from bot.dispatcher import BUSY_TEXT, ERROR_TEXT
from bot.logs import JsonLineFormatter
from bot.metrics import METRICS
from tests.adapters_telegram.fake_telegram import TOKEN as TG_TOKEN
from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.fakes import FakeAdapter
from tests.remote.fake_openai import DEFAULT_REPLY, FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = "my-secret-sentence-5150"


def remote_settings(tmp_path: Path, server: FakeOpenAI, **over: Any) -> Settings:
    engine = {
        "backend": "openai",
        "base_url": server.url,
        "model": "kindred-test",
        "num_candidates": 2,
        "max_retries": 1,
        "circuit_breaker_failures": 50,
    }
    engine.update(over.pop("engine", {}))
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine=engine,
        chat={"rate_limit_per_minute": 0},
        **over,
    )


async def test_dispatcher_answers_through_the_remote_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with FakeOpenAI() as server:
        settings = remote_settings(tmp_path, server)
        async with open_app(settings) as app:
            assert app.engine.describe() == "kindred-test via OpenAI-compatible server"
            adapter = FakeAdapter()
            await adapter.start(app.dispatcher.handle)
            reply = await adapter.push("I failed my driving test today")
            assert reply is not None and reply.kind == "model" and reply.text == DEFAULT_REPLY
            # The exchange is remembered and sent as history next time.
            await adapter.push("and I have to wait a month")
            sent = [m["content"] for m in server.requests[-1]["messages"]]
            assert "I failed my driving test today" in sent and DEFAULT_REPLY in sent
            assert server.requests[-1]["n"] == 2
            server.always = "500"  # the model server breaks: a friendly busy reply, not a crash
            reply = await adapter.push("are you there?")
            assert reply is not None and reply.kind == "busy" and reply.text == BUSY_TEXT
            server.always = "malformed"
            reply = await adapter.push("hello?")
            assert reply is not None and reply.kind == "error" and reply.text == ERROR_TEXT


async def test_json_log_line_per_message_has_ids_and_never_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for log_text in (False, True):
        METRICS.reset()
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonLineFormatter())
        root = logging.getLogger()
        root.addHandler(handler)
        old_level = root.level
        root.setLevel(logging.INFO)
        try:
            async with FakeOpenAI() as server:
                settings = remote_settings(
                    tmp_path, server, logging={"json_lines": True, "log_message_text": log_text}
                )
                async with open_app(settings) as app:
                    adapter = FakeAdapter(user_id="u-77")
                    await adapter.start(app.dispatcher.handle)
                    await adapter.push(PRIVATE)
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        lines = [json.loads(x) for x in stream.getvalue().splitlines()]  # every line is JSON
        handled = [x for x in lines if x.get("logger") == "bot.dispatcher" and "outcome" in x]
        assert len(handled) == 1, lines
        line = handled[0]
        assert line["platform"] == "fake" and line["message_id"] == "1"
        assert line["outcome"] == "model" and isinstance(line["latency_s"], float)
        assert line["new_tokens"] == 22  # usage.completion_tokens from the server, 2 candidates
        assert line["level"] == "INFO" and line["time"].endswith("Z")
        if log_text:
            assert line["text"] == PRIVATE
        else:
            assert PRIVATE not in stream.getvalue()  # no line, from any logger, carries the text


def _env(tmp_path: Path, server: FakeOpenAI, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env.update(
        KINDRED_ENGINE__BACKEND="openai",
        KINDRED_ENGINE__BASE_URL=server.url,
        KINDRED_ENGINE__MODEL="kindred-test",
        KINDRED_ENGINE__API_KEY="sk-e2e-secret",
        KINDRED_ENGINE__NUM_CANDIDATES="1",
        KINDRED_MEMORY__DB_PATH=str(tmp_path / "e2e.db"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        NO_PROXY="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


async def test_python_m_bot_chat_is_answered_by_the_remote_server(tmp_path: Path) -> None:
    async with FakeOpenAI() as server:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "chat",
            "--user",
            "e2e",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=str(tmp_path),
            env=_env(tmp_path, server),
        )
        out, err = await asyncio.wait_for(proc.communicate(b"I could not sleep last night\n"), 120)
    assert proc.returncode == 0, err.decode()
    assert DEFAULT_REPLY in out.decode()
    assert len(server.requests) == 1
    assert server.requests[0]["messages"][-1] == {"role": "user", "content": "I could not sleep last night"}
    assert server.headers[0]["Authorization"] == "Bearer sk-e2e-secret"
    assert "sk-e2e-secret" not in out.decode() + err.decode()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _start_run(tmp_path: Path, server: FakeOpenAI, tg: FakeTelegram, port: int, **extra: str):
    env = _env(
        tmp_path,
        server,
        KINDRED_SERVER__ENABLED="true",
        KINDRED_SERVER__PORT=str(port),
        KINDRED_TELEGRAM__TOKEN=TG_TOKEN,
        KINDRED_TELEGRAM__BASE_URL=tg.base_url,
        KINDRED_TELEGRAM__BASE_FILE_URL=tg.base_file_url,
        KINDRED_TELEGRAM__POLL_TIMEOUT_S="1",
        KINDRED_LOGGING__JSON_LINES="true",
        **extra,
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--only",
        "telegram",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=str(tmp_path),
        env=env,
    )


async def _get_when_up(http: aiohttp.ClientSession, url: str, proc: Any) -> tuple[int, str]:
    for _ in range(600):  # up to a minute for the process to start
        if proc.returncode is not None:
            raise AssertionError(f"the bot exited early with {proc.returncode}")
        try:
            async with http.get(url) as resp:
                return resp.status, await resp.text()
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def _until(predicate: Any, proc: Any, within_s: float = 60.0) -> None:
    """Poll in short steps until ``predicate()`` holds (the bot process must stay up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not predicate():
        if proc.returncode is not None:
            raise AssertionError(f"the bot exited early with {proc.returncode}")
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {within_s} s")
        await asyncio.sleep(0.05)


async def _stop(proc: Any) -> str:
    if proc.returncode is None:
        proc.terminate()
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    return err.decode()


async def test_python_m_bot_run_answers_telegram_through_the_remote_engine(tmp_path: Path) -> None:
    """`python -m bot run --only telegram` with backend = "openai": a Telegram message (fake Bot API
    server) is answered with the fake model server's text; /healthz and /metrics over HTTP."""
    port = _free_port()
    async with FakeOpenAI() as server:
        tg = await FakeTelegram().start()
        try:
            proc = await _start_run(tmp_path, server, tg, port)
            try:
                async with aiohttp.ClientSession() as http:
                    status, body = await _get_when_up(http, f"http://127.0.0.1:{port}/healthz", proc)
                    assert status == 200 and json.loads(body) == {
                        "status": "ok",
                        "store": "ok",
                        "engine": "ok",
                    }
                    tg.push_private(4242, "I could not sleep last night")
                    await _until(lambda: tg.sent_to(4242), proc)
                    async with http.get(f"http://127.0.0.1:{port}/metrics") as resp:
                        metrics = await resp.text()
            finally:
                err = await _stop(proc)
        finally:
            await tg.close()
    assert tg.sent_to(4242) == [DEFAULT_REPLY], err
    assert server.requests[-1]["messages"][-1]["content"] == "I could not sleep last night"
    assert 'kindred_messages_in_total{platform="telegram"} 1' in metrics
    assert 'kindred_replies_total{kind="model",platform="telegram"} 1' in metrics
    assert 'kindred_engine_requests_total{status="ok"}' in metrics
    assert "kindred_healthy 1" in metrics
    assert "sk-e2e-secret" not in err and "I could not sleep" not in err
    handled = [json.loads(x) for x in err.splitlines() if x.startswith("{") and '"outcome"' in x]
    assert handled and handled[0]["platform"] == "telegram" and handled[0]["outcome"] == "model"
