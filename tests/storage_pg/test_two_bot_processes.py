"""Two real `python -m bot run --only telegram` processes on one PostgreSQL database, both receiving
every Telegram update: each message is answered exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import asyncpg
from aiohttp import web

from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.remote.fake_openai import DEFAULT_REPLY, FakeOpenAI
from tests.storage_pg.conftest import pg_url

ROOT = Path(__file__).resolve().parents[2]
TOKENS = ("111111:process-a", "222222:process-b")


class SharedFakeTelegram(FakeTelegram):
    """Hands every update to each poller (told apart by token) until that poller confirms it, the
    way two workers watching the same feed both see each new item."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.offsets: dict[str, int] = dict.fromkeys(TOKENS, 0)
        self.polls: dict[str, int] = dict.fromkeys(TOKENS, 0)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if token not in TOKENS:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._updates_for(token, params)})
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": await handler(params)})

    async def _updates_for(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls[token] += 1
        self.offsets[token] = max(self.offsets[token], int(params.get("offset") or 0))
        pending = [u for u in self.updates if u["update_id"] >= self.offsets[token]]
        if not pending:
            await asyncio.sleep(min(float(params.get("timeout") or 0), 0.2))
            pending = [u for u in self.updates if u["update_id"] >= self.offsets[token]]
        return pending


async def _until(predicate: Any, procs: list[Any], within_s: float = 90.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not predicate():
        for p in procs:
            if p.returncode is not None:
                raise AssertionError(f"a bot process exited early with {p.returncode}")
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {within_s} s")
        await asyncio.sleep(0.05)


async def test_two_processes_one_database_answer_each_message_once(tmp_path: Path, pg_schema: str) -> None:
    url = pg_url()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE SCHEMA "{pg_schema}"')
    finally:
        await conn.close()
    users = list(range(5001, 5009))
    async with FakeOpenAI() as model_server:
        tg = await SharedFakeTelegram().start()
        procs = []
        try:
            for i, token in enumerate(TOKENS):
                env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
                env.update(
                    KINDRED_STORAGE__URL=f"{url}?search_path={pg_schema}",
                    KINDRED_ENGINE__BACKEND="openai",
                    KINDRED_ENGINE__BASE_URL=model_server.url,
                    KINDRED_ENGINE__MODEL="kindred-test",
                    KINDRED_ENGINE__NUM_CANDIDATES="1",
                    KINDRED_TELEGRAM__TOKEN=token,
                    KINDRED_TELEGRAM__BASE_URL=tg.base_url,
                    KINDRED_TELEGRAM__BASE_FILE_URL=tg.base_file_url,
                    KINDRED_TELEGRAM__POLL_TIMEOUT_S="1",
                    KINDRED_MEMORY__DB_PATH=str(tmp_path / f"unused-{i}.db"),
                    NO_PROXY="127.0.0.1,localhost",
                    PYTHONPATH=str(ROOT),
                )
                procs.append(
                    await asyncio.create_subprocess_exec(
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
                )
            # Both processes polling before the messages arrive, so both receive every one of them.
            await _until(lambda: all(n > 0 for n in tg.polls.values()), procs)
            pushed = [tg.push_private(u, f"hello from {u}") for u in users]
            last = pushed[-1]["update_id"]
            await _until(lambda: all(o > last for o in tg.offsets.values()), procs)  # both took every update
            await _until(lambda: len(tg.sent) >= len(users), procs)
        finally:
            errs = []
            for p in procs:
                if p.returncode is None:
                    p.terminate()
                _out, err = await asyncio.wait_for(p.communicate(), 60)
                errs.append(err.decode())
            await tg.close()
    for u in users:
        assert tg.sent_to(u) == [DEFAULT_REPLY], (u, errs)
    assert len(tg.sent) == len(users)  # nobody was answered twice
    assert len(model_server.requests) == len(users)  # nor was the model asked twice
    async with asyncpg.create_pool(
        url, server_settings={"search_path": pg_schema}, min_size=1, max_size=1
    ) as pool:
        assert await pool.fetchval("SELECT count(*) FROM handled") == len(users)
        assert await pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert not any((tmp_path / f"unused-{i}.db").exists() for i in range(2))
