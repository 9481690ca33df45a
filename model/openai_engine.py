"""An engine that asks an OpenAI-compatible server (vLLM, TGI, llama.cpp's server, Ollama) for replies.

``[engine] backend = "openai"``. The same ``GenerationRequest`` the local engine takes becomes one
``POST {base_url}/chat/completions``: messages, temperature, top_p, max_tokens, n candidates, stop,
seed, plus ``top_k`` / ``repetition_penalty`` (vLLM's extra sampling parameters; dropped for the rest
of the run if the server refuses them).

A remote server fails in ways a local model does not, so this engine:
- bounds requests in flight (``max_concurrency``); a request that cannot get a slot within its
  queue timeout is answered "busy";
- retries connection errors, timeouts, 429 (honouring ``Retry-After``) and 5xx with exponential
  backoff and full jitter, within one overall deadline;
- opens a circuit breaker after ``circuit_breaker_failures`` failed calls in a row: for
  ``circuit_breaker_cooldown_s`` every request is answered "busy" at once, without calling the
  server; then one trial request decides whether it closes again;
- turns a malformed answer or a refused request (400/401/404) into status "error" with a log line
  naming the problem. Logs never carry message text or the API key.

No torch here: importing this module is cheap.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.config import EngineSettings
from bot.metrics import METRICS
from bot.store_pg import redact_url
from bot.types import ChatTurn, Generation, GenerationRequest

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4.0
"""Without the server's tokenizer, the history budget is kept with this rough estimate."""
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
HEALTH_TIMEOUT_S = 5.0
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}
_EXTRA_SAMPLING = ("top_k", "repetition_penalty")


class _Transient(Exception):
    """A failure worth retrying; ``reason`` is a short code for logs and metrics."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Fatal(Exception):
    """A failure retrying cannot fix (bad request, wrong key, malformed answer)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class CircuitBreaker:
    """closed → (N failures in a row) → open for ``cooldown_s`` → half-open: one trial call."""

    def __init__(self, failures: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "open" if self.clock() - self.opened_at < self.cooldown_s else "half-open"

    def allow(self) -> bool:
        """May a call go out now? In half-open, only one trial call at a time."""
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def abandon(self) -> None:
        """A call ended without a verdict (cancelled); let the next one be the trial."""
        self._trial_running = False

    def success(self) -> None:
        if self.opened_at is not None:
            log.info("openai engine: the server answers again; circuit breaker closed")
        self.failures = 0
        self.opened_at = None
        self._trial_running = False
        METRICS.set("engine_circuit_open", 0)

    def failure(self) -> None:
        self.failures += 1
        was_trial = self._trial_running
        self._trial_running = False
        if was_trial or (self.opened_at is None and self.failures >= self.threshold):
            self.opened_at = self.clock()
            METRICS.set("engine_circuit_open", 1)
            METRICS.inc("engine_circuit_opened_total")
            log.error(
                "openai engine: %d failed call(s) in a row; not calling the server for %.0f s "
                "(users get the busy reply meanwhile)",
                self.failures,
                self.cooldown_s,
            )


def _retry_after_s(value: str | None) -> float | None:
    """``Retry-After`` is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _fit_history(messages: tuple[ChatTurn, ...], budget_tokens: int) -> list[ChatTurn]:
    """Drop the oldest non-system turns until the estimate fits; the last (user) turn always stays."""
    turns = list(messages)

    def size(ts: list[ChatTurn]) -> float:
        return sum(len(t.content) + 8 for t in ts) / CHARS_PER_TOKEN

    while size(turns) > budget_tokens:
        # history first; the persona's pinned examples only when no history is left, last one first
        droppable = [i for i, t in enumerate(turns[:-1]) if t.role != "system" and not t.pinned]
        if not droppable:
            droppable = [i for i, t in enumerate(turns[:-1]) if t.pinned][-1:]
        if not droppable:
            break
        del turns[droppable[0]]
    return turns


def _cut_at_stop(text: str, stop: tuple[str, ...]) -> tuple[str, bool]:
    cut = len(text)
    for s in stop:
        i = text.find(s) if s else -1
        if i != -1:
            cut = min(cut, i)
    return text[:cut], cut < len(text)


class OpenAIEngine:
    """Engine protocol over HTTP. ``settings`` is ``[engine]`` (a whole ``Settings`` works too)."""

    def __init__(
        self,
        settings: EngineSettings | Any,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        es: EngineSettings = getattr(settings, "engine", settings)
        if not es.model:
            raise ValueError('engine.model must name the served model when engine.backend = "openai"')
        parts = urlsplit(es.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"engine.base_url = {redact_url(es.base_url)!r} is not an http(s) URL; "
                'e.g. "http://127.0.0.1:8000/v1"'
            )
        self.settings = es
        self.base_url = es.base_url.rstrip("/")
        self.model = es.model
        self.clock = clock
        self.breaker = CircuitBreaker(es.circuit_breaker_failures, es.circuit_breaker_cooldown_s, clock)
        self._api_key = es.api_key.get_secret_value() if es.api_key is not None else None
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(es.max_concurrency)
        self._waiting = 0
        self._in_flight = 0
        self._send_extras = True
        self._where = redact_url(self.base_url)

    # lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._session is None:
            headers = {"Accept": "application/json"}
            if self._api_key:
                headers["Authorization"] = f"Bearer {self._api_key}"
            # Timeouts are per call (below); the connector's limit matches max_concurrency.
            connector = aiohttp.TCPConnector(limit=self.settings.max_concurrency)
            self._session = aiohttp.ClientSession(headers=headers, connector=connector)
            log.info("openai engine: model %s at %s", self.model, self._where)

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def __aenter__(self) -> OpenAIEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def describe(self) -> str:
        return f"{self.model} via OpenAI-compatible server"

    async def healthy(self) -> bool:
        """True when the server lists its models (``GET /models``) within a few seconds and the
        circuit breaker is not open. Generates nothing. Used by the health server's /healthz."""
        if self.breaker.state == "open":
            return False
        try:
            async with self._http.get(
                f"{self.base_url}/models", timeout=aiohttp.ClientTimeout(total=HEALTH_TIMEOUT_S)
            ) as resp:
                return resp.status == 200
        except (TimeoutError, aiohttp.ClientError, OSError, RuntimeError):
            return False

    @property
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("OpenAIEngine.start() was not called")
        return self._session

    def _publish_gauges(self) -> None:
        METRICS.set("engine_queue_depth", self._waiting)
        METRICS.set("engine_in_flight", self._in_flight)

    # generation --------------------------------------------------------------------------------
    async def generate(self, request: GenerationRequest) -> Generation:
        t0 = self.clock()
        if self.breaker.state == "open":
            METRICS.inc("engine_requests_total", status="circuit_open")
            return Generation(status="busy", error="the model server is failing; circuit breaker open")
        queue_timeout = request.timeout_s if request.timeout_s is not None else self.settings.queue_timeout_s
        deadline = t0 + max(queue_timeout, self.settings.request_timeout_s)
        self._waiting += 1
        self._publish_gauges()
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=queue_timeout)
        except TimeoutError:
            METRICS.inc("engine_requests_total", status="queue_timeout")
            return Generation(
                status="busy", error=f"no free slot to the model server within {queue_timeout:g} s"
            )
        finally:
            self._waiting -= 1
            self._publish_gauges()
        queued_s = self.clock() - t0
        self._in_flight += 1
        self._publish_gauges()
        try:
            gen = await self._generate_with_retries(request, deadline)
        finally:
            self._in_flight -= 1
            self._publish_gauges()
            self._slots.release()
        latency = self.clock() - t0
        METRICS.inc("engine_requests_total", status=gen.status)
        METRICS.observe("engine_latency_seconds", latency)
        if gen.status == "ok":
            METRICS.inc("engine_tokens_total", gen.new_tokens)
            if latency > 0 and gen.new_tokens:
                METRICS.set("engine_tokens_per_second", gen.new_tokens / max(latency - queued_s, 1e-6))
        return Generation(
            texts=gen.texts,
            status=gen.status,
            error=gen.error,
            prompt_tokens=gen.prompt_tokens,
            new_tokens=gen.new_tokens,
            queued_s=queued_s,
            latency_s=latency,
            finish_reasons=gen.finish_reasons,
        )

    async def _generate_with_retries(self, request: GenerationRequest, deadline: float) -> Generation:
        attempts = self.settings.max_retries + 1
        last_reason = ""
        for attempt in range(attempts):
            remaining = deadline - self.clock()
            if remaining <= 0:
                break
            if not self.breaker.allow():
                return Generation(status="busy", error="the model server is failing; circuit breaker open")
            try:
                gen = await self._call(request, min(self.settings.request_timeout_s, remaining))
            except asyncio.CancelledError:
                self.breaker.abandon()
                raise
            except _Transient as exc:
                self.breaker.failure()
                last_reason = exc.reason
                METRICS.inc("engine_errors_total", reason=exc.reason)
                if attempt + 1 >= attempts:
                    break
                delay = random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))
                if exc.retry_after is not None:
                    delay = max(delay, exc.retry_after)
                if self.clock() + delay >= deadline:
                    log.warning(
                        "openai engine: %s from %s; no time left to retry (attempt %d/%d)",
                        exc.reason,
                        self._where,
                        attempt + 1,
                        attempts,
                    )
                    break
                log.warning(
                    "openai engine: %s from %s (attempt %d/%d); retrying in %.1f s",
                    exc.reason,
                    self._where,
                    attempt + 1,
                    attempts,
                    delay,
                )
                METRICS.inc("engine_retries_total", reason=exc.reason)
                await asyncio.sleep(delay)
                continue
            except _Fatal as exc:
                # The server answered, so it is up: this does not count towards the breaker.
                self.breaker.success()
                METRICS.inc("engine_errors_total", reason=exc.reason)
                log.error("openai engine: %s from %s: %s", exc.reason, self._where, exc.detail)
                return Generation(status="error", error=f"{exc.reason}: {exc.detail}")
            self.breaker.success()
            return gen
        log.error(
            "openai engine: giving up after %s from %s; answering busy", last_reason or "timeout", self._where
        )
        return Generation(status="busy", error=f"model server unavailable ({last_reason or 'timeout'})")

    def _payload(self, request: GenerationRequest, stream: bool) -> dict[str, Any]:
        s = request.sampling
        messages = _fit_history(request.messages, request.history_budget)
        payload: dict[str, Any] = {
            # With this backend a persona's `model` names a model the server serves (e.g. a vLLM LoRA).
            "model": request.model or self.model,
            "messages": [{"role": t.role, "content": t.content} for t in messages],
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_tokens": s.max_new_tokens,
            "n": request.num_candidates,
        }
        if request.stop:
            payload["stop"] = list(request.stop)
        if request.seed is not None:
            payload["seed"] = request.seed
        if self._send_extras:
            if s.top_k:
                payload["top_k"] = s.top_k
            if s.repetition_penalty != 1.0:
                payload["repetition_penalty"] = s.repetition_penalty
        if stream:
            payload["stream"] = True
        return payload

    async def _call(self, request: GenerationRequest, timeout_s: float) -> Generation:
        stream = self.settings.stream and request.num_candidates == 1
        payload = self._payload(request, stream)
        url = f"{self.base_url}/chat/completions"
        try:
            async with self._http.post(
                url, json=payload, timeout=aiohttp.ClientTimeout(total=timeout_s)
            ) as resp:
                if resp.status != 200:
                    await self._raise_for_status(resp, payload)
                ctype = resp.headers.get("Content-Type", "")
                if stream and ctype.startswith("text/event-stream"):
                    return await self._read_stream(resp, request)
                try:
                    data = await resp.json(content_type=None)
                except (json.JSONDecodeError, aiohttp.ContentTypeError, UnicodeDecodeError):
                    raise _Fatal("malformed response", "the body is not JSON") from None
        except _RetryWithoutExtras:
            return await self._call(request, timeout_s)
        except TimeoutError:
            raise _Transient(f"timeout after {timeout_s:.0f} s") from None
        except aiohttp.ClientResponseError as exc:
            raise _Transient(f"HTTP error {exc.status}") from None
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, OSError) as exc:
            raise _Transient(f"connection error ({type(exc).__name__})") from None
        return self._parse(data, request)

    async def _raise_for_status(self, resp: aiohttp.ClientResponse, payload: dict[str, Any]) -> None:
        status = resp.status
        body = (await resp.text(errors="replace"))[:2000]
        if status in _RETRY_STATUS:
            retry_after = _retry_after_s(resp.headers.get("Retry-After")) if status in (429, 503) else None
            raise _Transient(f"HTTP {status}", retry_after)
        if (
            status in (400, 422)
            and self._send_extras
            and any(k in body for k in _EXTRA_SAMPLING if k in payload)
        ):
            # Plain OpenAI refuses vLLM's extra sampling parameters; go on without them.
            self._send_extras = False
            log.warning("openai engine: the server refuses top_k/repetition_penalty; sending without them")
            raise _RetryWithoutExtras()
        reason = _error_code(body)
        hint = {
            401: "check KINDRED_ENGINE__API_KEY",
            403: "check KINDRED_ENGINE__API_KEY",
            404: f"check engine.base_url (it ends in /v1) and that engine.model = {self.model!r} is served",
        }.get(status, "the server refused the request")
        # Only the error's type/code: some servers quote the request (the user's words) in the message.
        raise _Fatal(f"HTTP {status}", hint + (f" (error {reason})" if reason else ""))

    def _parse(self, data: Any, request: GenerationRequest) -> Generation:
        if not isinstance(data, dict):
            raise _Fatal("malformed response", "the JSON is not an object")
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices:
            raise _Fatal("malformed response", "no 'choices' list")
        texts: list[str] = []
        reasons: list[str] = []
        for i, choice in enumerate(
            sorted(choices, key=lambda c: c.get("index", 0) if isinstance(c, dict) else 0)
        ):
            message = choice.get("message") if isinstance(choice, dict) else None
            content = message.get("content") if isinstance(message, dict) else None
            if not isinstance(content, str):
                raise _Fatal("malformed response", f"choice {i} has no message.content string")
            text, cut = _cut_at_stop(content, request.stop)
            texts.append(text.strip())
            finish = choice.get("finish_reason")
            reasons.append("stop" if cut or finish != "length" else "length")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        new_tokens = usage.get("completion_tokens")
        if not isinstance(new_tokens, int):
            new_tokens = int(sum(len(t) for t in texts) / CHARS_PER_TOKEN)
        prompt_tokens = usage.get("prompt_tokens") if isinstance(usage.get("prompt_tokens"), int) else 0
        METRICS.set("engine_batch_size", len(texts))
        return Generation(
            texts=tuple(texts[: request.num_candidates]),
            prompt_tokens=prompt_tokens,
            new_tokens=new_tokens,
            finish_reasons=tuple(reasons[: request.num_candidates]),
        )

    async def _read_stream(self, resp: aiohttp.ClientResponse, request: GenerationRequest) -> Generation:
        """Server-sent events: ``data: {chunk}`` lines, then ``data: [DONE]``."""
        parts: list[str] = []
        finish: str | None = None
        chunks = 0
        usage: dict[str, Any] = {}
        done = False
        buffer = b""
        async for raw in resp.content:
            buffer += raw
            if not buffer.endswith(b"\n"):
                continue
            line, buffer = buffer.decode("utf-8", errors="replace").strip(), b""
            if not line.startswith("data:"):
                continue  # comments (": keep-alive"), event names, blank separators
            body = line[5:].strip()
            if body == "[DONE]":
                done = True
                break
            try:
                chunk = json.loads(body)
                choice = chunk["choices"][0] if chunk.get("choices") else None
            except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
                raise _Fatal("malformed response", "a stream chunk is not a chat.completion.chunk") from None
            if isinstance(chunk.get("usage"), dict):
                usage = chunk["usage"]
            if choice is None:
                continue
            delta = choice.get("delta") or {}
            piece = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(piece, str) and piece:
                parts.append(piece)
                chunks += 1
            if choice.get("finish_reason"):
                finish = choice["finish_reason"]
        if not done and finish is None:
            raise _Transient("stream ended early")
        text, cut = _cut_at_stop("".join(parts), request.stop)
        new_tokens = (
            usage.get("completion_tokens") if isinstance(usage.get("completion_tokens"), int) else chunks
        )
        METRICS.set("engine_batch_size", 1)
        return Generation(
            texts=(text.strip(),),
            prompt_tokens=usage.get("prompt_tokens", 0) if isinstance(usage.get("prompt_tokens"), int) else 0,
            new_tokens=new_tokens,
            finish_reasons=("stop" if cut or finish != "length" else "length",),
        )


class _RetryWithoutExtras(Exception):
    """Resend the same request without the extra sampling parameters (once per engine)."""


def _error_code(body: str) -> str:
    """``error.type`` / ``error.code`` of an OpenAI-style error body; never its message text."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return ""
    err = data.get("error") if isinstance(data, dict) else None
    if not isinstance(err, dict):
        return ""
    found = [str(err[k]) for k in ("type", "code") if isinstance(err.get(k), str | int) and err.get(k) != ""]
    return "/".join(found)[:80]
