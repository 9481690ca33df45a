"""A fake OpenAI-compatible server on 127.0.0.1 with scripted faults, for the remote-engine tests.

``server.script`` is a list of what the next requests get, one entry per request, then "ok" forever:

    "ok"            a normal chat.completion (SSE chunks when the request asks to stream)
    "429"           429 with ``Retry-After: server.retry_after``
    "500" / "503"   a server error
    "slow"          waits ``server.slow_s`` before answering normally
    "malformed"     200 with JSON that has no ``choices``
    "garbage"       200 with a body that is not JSON
    "401" / "404"   refused with an OpenAI-style error body
    "cut_stream"    a stream that stops without ``[DONE]`` or a finish reason

``server.always`` replaces the "ok" default (e.g. "500" for a dead upstream). Requests that carry
``top_k`` are refused with 400 when ``reject_extras`` is set, like plain OpenAI does.

Run it on its own (for a manual end-to-end try): ``python -m tests.remote.fake_openai --port 8000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

DEFAULT_REPLY = "That sounds really hard. What happened after that?"


class FakeOpenAI:
    def __init__(
        self, model: str = "kindred-test", reply: str | Callable[[dict[str, Any], int], str] = DEFAULT_REPLY
    ) -> None:
        self.model = model
        self.reply = reply
        self.script: list[str] = []
        self.always = "ok"
        self.retry_after = "0"
        self.slow_s = 1.0
        self.reject_extras = False
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.concurrent = 0
        self.max_concurrent = 0
        self.hold_s = 0.0
        """Every request waits this long before answering (to see concurrency)."""
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> int:
        return len(self.requests)

    async def start(self, port: int = 0) -> FakeOpenAI:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # noqa: SLF001
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": self.model, "object": "model"}]})

    def _text(self, body: dict[str, Any], i: int) -> str:
        return self.reply(body, i) if callable(self.reply) else self.reply

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        fault = self.script.pop(0) if self.script else self.always
        self.concurrent += 1
        self.max_concurrent = max(self.max_concurrent, self.concurrent)
        try:
            if self.hold_s:
                await asyncio.sleep(self.hold_s)
            if self.reject_extras and "top_k" in body:
                return _error(400, "Unrecognized request argument supplied: top_k", "invalid_request_error")
            if fault == "429":
                return web.json_response(
                    {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                    status=429,
                    headers={"Retry-After": self.retry_after},
                )
            if fault in ("500", "503"):
                return _error(int(fault), "upstream failed", "server_error")
            if fault == "401":
                return _error(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key")
            if fault == "404":
                return _error(404, f"The model `{body.get('model')}` does not exist.", "NotFoundError")
            if fault == "malformed":
                return web.json_response({"id": "x", "object": "chat.completion", "nope": True})
            if fault == "garbage":
                return web.Response(text="<html>proxy error</html>", content_type="text/html")
            if fault == "slow":
                await asyncio.sleep(self.slow_s)
            if body.get("stream"):
                return await self._stream(request, body, cut=fault == "cut_stream")
            n = int(body.get("n", 1))
            texts = [self._text(body, i) for i in range(n)]
            return web.json_response(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "model": body.get("model"),
                    "choices": [
                        {"index": i, "message": {"role": "assistant", "content": t}, "finish_reason": "stop"}
                        for i, t in enumerate(texts)
                    ],
                    "usage": {"prompt_tokens": 42, "completion_tokens": 11 * n, "total_tokens": 42 + 11 * n},
                }
            )
        finally:
            self.concurrent -= 1

    async def _stream(self, request: web.Request, body: dict[str, Any], *, cut: bool) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await resp.prepare(request)
        words = self._text(body, 0).split(" ")
        await resp.write(b": keep-alive\n\n")
        for i, w in enumerate(words):
            piece = w if i == 0 else " " + w
            chunk = {
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": piece}}],
            }
            await resp.write(f"data: {json.dumps(chunk)}\n\n".encode())
            if cut and i == 1:
                return resp
        final = {
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        await resp.write(f"data: {json.dumps(final)}\n\n".encode())
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp


def _error(status: int, message: str, type_: str, code: str | None = None) -> web.Response:
    return web.json_response({"error": {"message": message, "type": type_, "code": code}}, status=status)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="A fake OpenAI-compatible server for trying Kindred's openai backend."
    )
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument("--model", default="kindred-test", help="the served model name")
    args = parser.parse_args()

    async def run() -> None:
        server = await FakeOpenAI(args.model).start(args.port)
        print(
            f"fake OpenAI-compatible server at {server.url} serving {args.model!r}; Ctrl-C stops", flush=True
        )
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
