"""Composition: settings → store, engine, personas, dispatcher. The only place that picks the engine
implementation, imported lazily so ``bot`` itself never imports torch."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import Persona, load_personas
from bot.protocols import Engine
from bot.store import ConversationStore
from bot.types import Generation, GenerationRequest

log = logging.getLogger(__name__)


def create_engine(settings: Settings) -> Engine:
    from model import create_engine as _create  # torch lives behind this import

    return _create(settings)


class BackgroundStartEngine:
    """Starts the wrapped engine in the background; ``generate`` waits until it is ready.

    Lets the terminal show its prompt while the model loads. A load error surfaces on the first
    ``generate`` (and from ``wait_ready``) instead of being swallowed.
    """

    def __init__(self, engine: Engine, after: Callable[[], Awaitable[None]] | None = None) -> None:
        """``after``: awaited (its errors ignored) before the engine starts loading (see _running)."""
        self.inner = engine
        self._after = after
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._start())

    async def _start(self) -> None:
        if self._after is not None:
            with contextlib.suppress(Exception):  # reported by whoever awaits it
                await self._after()
        await self.inner.start()

    async def wait_ready(self) -> None:
        await self.start()
        assert self._task is not None
        await asyncio.shield(self._task)

    @property
    def ready(self) -> bool:
        return self._task is not None and self._task.done() and self._task.exception() is None

    async def generate(self, request: GenerationRequest) -> Generation:
        try:
            await self.wait_ready()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported once by whoever awaits wait_ready()
            return Generation(status="error", error=f"the model did not load: {exc}")
        return await self.inner.generate(request)

    def describe(self) -> str:
        return self.inner.describe()

    async def close(self) -> None:
        # Let a load in progress finish: a loader thread killed at interpreter exit aborts the process.
        if self._task is not None:
            try:
                await asyncio.shield(self._task)
            except Exception:  # noqa: BLE001 - closing; the load error was reported elsewhere
                pass
        await self.inner.close()


@dataclass
class App:
    settings: Settings
    store: ConversationStore
    engine: Engine
    dispatcher: Dispatcher


@asynccontextmanager
async def open_app(
    settings: Settings, engine: Engine | None = None, *, background_start: bool = False
) -> AsyncIterator[App]:
    """Open the store, build and start the engine, build the dispatcher; close all on exit."""
    personas = load_personas(settings.chat.personas_dir)
    from bot.storage import open_store  # [storage] url: SQLite (default) or PostgreSQL

    async with open_store(settings) as store:
        sweeper: asyncio.Task[None] | None = None
        if settings.memory.retention_days:
            await _purge(store, settings.memory.retention_days)
            sweeper = asyncio.create_task(_retention_sweeps(store, settings.memory.retention_days))
        try:
            async with _running(settings, store, engine, background_start, personas) as app:
                yield app
        finally:
            if sweeper is not None:
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper


RETENTION_SWEEP_S = 3600.0
"""How often a running bot deletes what is older than ``memory.retention_days`` (also done at start):
a bot that runs for months must not keep a conversation past its retention until the next restart."""


async def _purge(store: ConversationStore, days: int) -> None:
    purged = await store.purge_older_than(days)
    if purged:
        log.info("retention: deleted %d turn(s) older than %d days", purged, days)


async def _retention_sweeps(store: ConversationStore, days: int) -> None:
    while True:
        await asyncio.sleep(RETENTION_SWEEP_S)
        try:
            await _purge(store, days)
        except Exception:  # noqa: BLE001 - e.g. the database is busy: the next sweep tries again
            log.exception("retention: the sweep failed; trying again in %.0f s", RETENTION_SWEEP_S)


@asynccontextmanager
async def _running(
    settings: Settings,
    store: ConversationStore,
    engine: Engine | None,
    background_start: bool,
    personas: dict[str, Persona],
) -> AsyncIterator[App]:
    """Build and start the crisis classifier, then the engine, build the dispatcher; close them on exit.

    The engine starts loading once the classifier is ready (or has failed), not alongside it. Loading
    both at once in two threads left the engine's passes ~1.8x slower for as long as the bot ran
    (measured 25 Nov 2026 on the 2-core machine: a 300-token prompt read in ~200 ms instead of
    ~111 ms; see docs/engine.md, "Sharing the process with the crisis classifier"), which costs every
    reply far more than the ~2 s the classifier takes to load first."""
    from bot.crisis import create_crisis_classifier  # the model side is imported lazily

    classifier = create_crisis_classifier(settings.safety)
    eng: Engine = engine if engine is not None else create_engine(settings)
    if background_start:
        eng = BackgroundStartEngine(eng, after=classifier.wait_ready if classifier is not None else None)
    dispatcher = Dispatcher(settings, store, eng, personas, crisis_classifier=classifier)
    if classifier is not None:
        await classifier.start()  # loads in its own thread
    try:
        if classifier is not None and not background_start:
            try:
                await classifier.wait_ready()
            except Exception as exc:  # noqa: BLE001 - rules still guard every message
                log.error("crisis classifier did not load (%s); crisis detection is rules only", exc)
        await eng.start()
        yield App(settings, store, eng, dispatcher)
    finally:
        await eng.close()
        if classifier is not None:
            await classifier.close()
