"""Test doubles for the core: a scripted engine and an in-memory adapter (push a message, pop the reply)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.protocols import OnMessage
from bot.types import Generation, GenerationRequest, Message, Reply, UserKey


class FakeEngine:
    """Answers with scripted texts. ``reply`` may be a string, a list of candidate strings, or a
    function of the request returning either. ``status`` forces "busy"/"error"."""

    def __init__(self, reply: Any = "That sounds hard. What happened next?", *, delay: float = 0.0) -> None:
        self.reply = reply
        self.delay = delay
        self.status = "ok"
        self.requests: list[GenerationRequest] = []
        self.started = False
        self.closed = False

    async def start(self) -> None:
        self.started = True

    async def close(self) -> None:
        self.closed = True

    def describe(self) -> str:
        return "FakeModel (test)"

    async def generate(self, request: GenerationRequest) -> Generation:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != "ok":
            return Generation(status=self.status, error="forced by test")  # type: ignore[arg-type]
        out = self.reply(request) if callable(self.reply) else self.reply
        texts = [out] if isinstance(out, str) else list(out)
        while len(texts) < request.num_candidates:
            texts.append(texts[-1])
        return Generation(texts=tuple(texts[: request.num_candidates]), new_tokens=10)

    @property
    def last_user_text(self) -> str:
        return self.requests[-1].messages[-1].content


class FakeAdapter:
    """errbot-style test backend: ``await push("hi")`` then ``pop()`` the reply text."""

    name = "fake"

    def __init__(self, user_id: str = "u1", chat_id: str | None = None) -> None:
        self.user_id = user_id
        self.chat_id = chat_id
        self.sent: list[Reply] = []
        self.on_message: OnMessage | None = None
        self._n = 0

    async def start(self, on_message: OnMessage) -> None:
        self.on_message = on_message

    async def send(self, reply: Reply) -> None:
        self.sent.append(reply)

    async def stop(self) -> None:
        self.on_message = None

    async def push(self, text: str, *, user_id: str | None = None, **kw: Any) -> Reply | None:
        assert self.on_message is not None, "start() the adapter first"
        self._n += 1
        msg = Message(
            key=UserKey("fake", user_id or self.user_id, self.chat_id),
            text=text,
            message_id=str(self._n),
            **kw,
        )
        reply = await self.on_message(msg, None)
        if reply is not None:
            await self.send(reply)
        return reply

    def pop(self) -> str:
        return self.sent.pop(0).text


def constant(text: str) -> Callable[[GenerationRequest], str]:
    return lambda _req: text


class ChosenScores:
    """A crisis scorer that returns the score chosen for each text (``default`` otherwise)."""

    def __init__(self, scores: dict[str, float], *, default: float = 0.0, threshold: float = 0.71) -> None:
        self.scores = scores
        self.default = default
        self.threshold = threshold
        self.asked: list[str] = []

    async def score(self, text: str) -> float:
        self.asked.append(text)
        return self.scores.get(text, self.default)


async def inbox_emptied(db_path: Any, platform: str, timeout_s: float = 5.0) -> list[str]:
    """The ids of ``platform``'s inbox once it is empty, or what is left after ``timeout_s``. A fake
    platform records a message when it is sent, a moment before the adapter marks it handled, so a test
    reads the inbox until then."""
    from bot.store import ConversationStore

    async def read() -> list[str]:
        async with ConversationStore(db_path) as store:
            return [m.message_id for m in await store.pending_incoming(platform)]

    left = await read()
    for _ in range(int(timeout_s / 0.05)):
        if not left:
            break
        await asyncio.sleep(0.05)
        left = await read()
    return left
