"""The health and metrics HTTP server (``[server] enabled = true``): ``/healthz`` and ``/metrics``.

- ``GET /healthz``: 200 ``{"status": "ok", ...}`` only when the store answers ``ping()`` and the
  engine answers; otherwise 503 with what failed. The engine is asked through its optional
  ``async healthy() -> bool`` (the openai backend lists the server's models), else with a
  one-token generation. The engine's answer is cached for ``ENGINE_CHECK_TTL_S`` so frequent
  probes do not cost model time.
- ``GET /metrics``: ``bot.metrics.METRICS`` in Prometheus text format.

Bind it to 127.0.0.1 (the default) or a private network: it has no authentication, and it shows
counts only, never message text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from aiohttp import web

from bot.config import ServerSettings
from bot.metrics import METRICS
from bot.types import ChatTurn, GenerationRequest, SamplingParams

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 5.0
ENGINE_CHECK_TTL_S = 15.0
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class HealthServer:
    """``HealthServer(settings.server, app)``; ``app`` has ``.store`` and ``.engine``."""

    def __init__(self, settings: ServerSettings, app: Any, *, clock: Any = time.monotonic) -> None:
        self.settings = settings
        self.app = app
        self.clock = clock
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._engine_cache: tuple[float, bool, str] | None = None
        self._engine_lock = asyncio.Lock()
        self._started_at = time.time()

    async def start(self) -> None:
        web_app = web.Application()
        web_app.router.add_get("/healthz", self._healthz)
        web_app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise OSError(
                f"the health server cannot listen on {self.settings.host}:{self.settings.port} ({exc}); "
                "set [server] port to a free port, or enabled = false"
            ) from None
        sockets = site._server.sockets if site._server is not None else []  # type: ignore[union-attr]  # noqa: SLF001
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.port
        log.info("health server on http://%s:%s (/healthz, /metrics)", self.settings.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> HealthServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # checks --------------------------------------------------------------------------------------
    async def check_store(self) -> tuple[bool, str]:
        try:
            ok = await asyncio.wait_for(self.app.store.ping(), CHECK_TIMEOUT_S)
        except TimeoutError:
            return False, "timeout"
        except Exception as exc:  # noqa: BLE001 - a health check reports, it does not crash
            return False, type(exc).__name__
        return bool(ok), "ok" if ok else "no answer"

    async def check_engine(self) -> tuple[bool, str]:
        async with self._engine_lock:  # one probe at a time; the others read its answer
            now = self.clock()
            if self._engine_cache is not None and now - self._engine_cache[0] < ENGINE_CHECK_TTL_S:
                return self._engine_cache[1], self._engine_cache[2]
            ok, detail = await self._probe_engine()
            self._engine_cache = (now, ok, detail)
            return ok, detail

    async def _probe_engine(self) -> tuple[bool, str]:
        engine = self.app.engine
        # bot.app.BackgroundStartEngine: not healthy while the model is still loading.
        if getattr(engine, "ready", True) is False:
            return False, "loading"
        target = getattr(engine, "inner", engine)
        try:
            healthy = getattr(target, "healthy", None)
            if healthy is not None:
                ok = await asyncio.wait_for(healthy(), CHECK_TIMEOUT_S)
                return bool(ok), "ok" if ok else "unavailable"
            gen = await asyncio.wait_for(
                target.generate(
                    GenerationRequest(
                        messages=(ChatTurn("user", "Say OK."),),
                        sampling=SamplingParams(max_new_tokens=1, temperature=0),
                        timeout_s=CHECK_TIMEOUT_S,
                    )
                ),
                CHECK_TIMEOUT_S + 1,
            )
        except TimeoutError:
            return False, "timeout"
        except Exception as exc:  # noqa: BLE001
            return False, type(exc).__name__
        return gen.status == "ok", gen.status

    # handlers ------------------------------------------------------------------------------------
    async def _healthz(self, request: web.Request) -> web.Response:
        (store_ok, store_detail), (engine_ok, engine_detail) = await asyncio.gather(
            self.check_store(), self.check_engine()
        )
        ok = store_ok and engine_ok
        METRICS.set("healthy", 1 if ok else 0)
        body = {"status": "ok" if ok else "unhealthy", "store": store_detail, "engine": engine_detail}
        if not ok:
            log.warning("health check failed: store=%s engine=%s", store_detail, engine_detail)
        return web.Response(text=json.dumps(body), status=200 if ok else 503, content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        METRICS.set("uptime_seconds", round(time.time() - self._started_at, 1))
        return web.Response(body=METRICS.render().encode(), headers={"Content-Type": PROMETHEUS_CONTENT_TYPE})
