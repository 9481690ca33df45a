"""The shared reply engine: one worker thread owns the model, callers ``await engine.generate(req)``.

Shape (like aiosqlite): ``generate`` puts a job on a bounded, thread-safe queue and awaits an asyncio
future; the worker thread runs the model and resolves that future with ``loop.call_soon_threadsafe``.
Nothing blocking ever runs on the event loop.

Backpressure: a full queue, or a job still waiting when its deadline (``request.timeout_s`` or
``engine.queue_timeout_s``) passes, gets ``Generation(status="busy")`` at once. A caller that is
cancelled marks its job abandoned; the worker drops it (and frees its batch slot) at the next step.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.config import EngineSettings, ModelSettings
from bot.types import Generation, GenerationRequest

log = logging.getLogger(__name__)

_QUEUED, _RUNNING, _DONE, _ABANDONED = "queued", "running", "done", "abandoned"


@dataclass(eq=False)
class Job:
    """One request on its way through the engine. State changes happen under ``lock``."""

    request: GenerationRequest
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Generation]
    enqueued_at: float = field(default_factory=time.monotonic)
    deadline: float = float("inf")
    started_at: float = 0.0
    state: str = _QUEUED
    lock: threading.Lock = field(default_factory=threading.Lock)

    def try_start(self) -> bool:
        """Worker side: queued -> running. False if the caller gave up (timeout or cancel)."""
        with self.lock:
            if self.state != _QUEUED:
                return False
            self.state = _RUNNING
            self.started_at = time.monotonic()
            return True

    def try_abandon(self, *, only_if_queued: bool) -> bool:
        """Caller side: give up on the job. Returns True if the worker will not answer it."""
        with self.lock:
            if self.state == _QUEUED or (self.state == _RUNNING and not only_if_queued):
                self.state = _ABANDONED
                return True
            return False

    @property
    def abandoned(self) -> bool:
        return self.state == _ABANDONED

    def resolve(self, result: Generation) -> None:
        """Worker side: hand the result to the caller's loop (thread-safe, at most once)."""
        with self.lock:
            if self.state == _DONE:
                return
            was_abandoned = self.state == _ABANDONED
            self.state = _DONE
        if was_abandoned:
            return

        def _set() -> None:
            if not self.future.done():
                self.future.set_result(result)

        try:
            self.loop.call_soon_threadsafe(_set)
        except RuntimeError:  # the caller's loop is closed; nobody is waiting any more
            pass


class EngineClosed(RuntimeError):
    pass


class ReplyEngine:
    """The local transformers engine. Implements ``bot.protocols.Engine``.

    ``loaded`` lets tests hand in a ready model (e.g. a tiny random one); otherwise ``start()``
    loads ``model_settings`` in the worker thread.
    """

    def __init__(
        self,
        model_settings: ModelSettings | None = None,
        engine_settings: EngineSettings | None = None,
        *,
        loaded: Any = None,
    ) -> None:
        self.model_settings = model_settings or ModelSettings()
        self.settings = engine_settings or EngineSettings()
        self._loaded = loaded
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=self.settings.queue_size)
        self._thread: threading.Thread | None = None
        self._ready: asyncio.Future[None] | None = None
        self._closing = threading.Event()
        self._description = "local model (not loaded yet)"
        self._decoder: Any = None
        self.first_token_hook: Any = None
        """Optional ``(request, seconds) -> None`` called in the worker thread when a request's first
        token is sampled (time to first token, for benchmarks). Set before ``start()``."""
        self.ready_s = 0.0
        self.stats: dict[str, float] = {"steps": 0, "tokens": 0, "requests": 0}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Load the model in the worker thread; returns when it is ready (raises if loading failed)."""
        if self._thread is not None:
            if self._ready is not None:
                await asyncio.shield(self._ready)
            return
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self._closing.clear()
        self._thread = threading.Thread(
            target=self._worker_main, args=(loop,), name="kindred-engine", daemon=True
        )
        t0 = time.monotonic()
        self._thread.start()
        try:
            await asyncio.shield(self._ready)
        except BaseException:
            await asyncio.to_thread(self._thread.join, 5)
            self._thread = None
            raise
        self.ready_s = time.monotonic() - t0

    async def close(self) -> None:
        """Stop the worker. Jobs still queued get "busy"; the running batch is finished first."""
        thread = self._thread
        if thread is None:
            return
        self._closing.set()
        try:
            self._queue.put_nowait(None)  # wake the worker if it is idle
        except queue.Full:
            pass
        await asyncio.to_thread(thread.join)
        self._thread = None
        # Anything left in the queue will never run.
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.resolve(Generation(status="busy", error="the engine is shutting down"))

    async def __aenter__(self) -> ReplyEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def describe(self) -> str:
        return self._description

    async def healthy(self) -> bool:
        """True while the worker thread is alive and serving (used by /healthz)."""
        t = self._thread
        return t is not None and t.is_alive() and not self._closing.is_set() and self._decoder is not None

    def queued(self) -> int:
        """Requests waiting in the queue (not yet taken by the worker)."""
        return self._queue.qsize()

    def active_sequences(self) -> int:
        """Sequences in the running batch (one per candidate)."""
        d = self._decoder
        return len(d.active) if d is not None else 0

    # ------------------------------------------------------------------ the caller's side

    async def generate(self, request: GenerationRequest) -> Generation:
        if self._thread is None or self._closing.is_set():
            raise EngineClosed("the engine is not running; use `async with engine:` or await engine.start()")
        loop = asyncio.get_running_loop()
        wait_limit = request.timeout_s if request.timeout_s is not None else self.settings.queue_timeout_s
        job = Job(request=request, loop=loop, future=loop.create_future())
        job.deadline = job.enqueued_at + wait_limit
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            log.warning("engine queue full (%d waiting); answering busy", self._queue.qsize())
            return Generation(status="busy", error="the engine queue is full")
        try:
            try:
                # Only the wait in the queue is limited; once running, the job finishes.
                return await asyncio.wait_for(asyncio.shield(job.future), timeout=wait_limit)
            except TimeoutError:
                if job.try_abandon(only_if_queued=True):
                    return Generation(
                        status="busy",
                        error=f"waited {wait_limit:.1f} s in the queue",
                        queued_s=time.monotonic() - job.enqueued_at,
                    )
                return await job.future
        except asyncio.CancelledError:
            job.try_abandon(only_if_queued=False)  # the worker frees its slot at the next step
            raise

    # ------------------------------------------------------------------ the worker thread

    def _worker_main(self, loop: asyncio.AbstractEventLoop) -> None:
        def ready(exc: BaseException | None) -> None:
            def _set() -> None:
                assert self._ready is not None
                if self._ready.done():
                    return
                if exc is None:
                    self._ready.set_result(None)
                else:
                    self._ready.set_exception(exc)

            loop.call_soon_threadsafe(_set)

        try:
            from model import import_torch_stack

            import_torch_stack()
            from model.engine_worker import BatchDecoder
            from model.loader import configure_threads, load_model

            if getattr(getattr(self._loaded, "model", None), "_kindred_released", False):
                self._loaded = None  # an earlier start freed weights of it (a restarted engine): load again
            own = self._loaded is None
            if own:
                # Without transformers when the fast path will run it (model/llama_lite.py).
                self._loaded = load_model(self.model_settings, lite=self.settings.fast_decode)
            else:
                configure_threads(self.model_settings.threads)
            decoder = BatchDecoder(self._loaded, self.settings, self.stats, own_model=own)
            fast = decoder.fast
            extras = []
            if fast is not None and fast.weights != "none":
                extras.append(f"{fast.weights} weights for small steps")
            if fast is not None and fast.int8_matmuls:
                extras.append("int8 matmuls for big passes")
            self._description = self._loaded.describe(", ".join(extras))
            decoder.first_token_hook = self.first_token_hook
            self._decoder = decoder
        except BaseException as exc:  # loading errors go to the caller of start()
            log.error("engine failed to start: %s", exc)
            ready(exc)
            return
        ready(None)
        try:
            decoder.serve(self._queue, self._closing)
        except BaseException:  # the worker must never die silently with callers waiting
            log.exception("engine worker crashed")
            decoder.fail_all("the engine worker crashed")
            raise
        finally:
            self._decoder = None
