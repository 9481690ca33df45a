"""The contracts between the core and what plugs into it: adapters, engines, the store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from bot.types import Generation, GenerationRequest, Message, Reply

TypingCallback = Callable[[], Awaitable[None]]
"""Shows "typing…" once on the platform; the dispatcher calls it every few seconds while waiting."""


class OnMessage(Protocol):
    """What an adapter calls for each incoming message; returns the reply to send (or None).

    ``followed``: adapters that answer one conversation's messages in order (``adapters.base.ReplyPool``)
    pass an event that they set when the same person sends another message before this one is answered.
    The core then answers the messages together, once, instead of each fragment of a thought typed as
    several messages ("i want to", "die"); see docs/architecture.md, "Messages typed in pieces".
    """

    def __call__(
        self,
        message: Message,
        typing: TypingCallback | None = None,
        /,
        *,
        followed: asyncio.Event | None = None,
    ) -> Awaitable[Reply | None]: ...


@runtime_checkable
class Adapter(Protocol):
    """A platform connection. All SDK code lives in the adapter's module."""

    name: str

    async def start(self, on_message: OnMessage) -> None:
        """Connect and start delivering messages to ``on_message``. Returns once running."""

    async def send(self, reply: Reply) -> None:
        """Deliver one reply (split as the platform needs)."""

    async def stop(self) -> None:
        """Stop taking messages, finish replies in flight, disconnect."""


@runtime_checkable
class Engine(Protocol):
    """Turns requests into text. ``generate`` never blocks the event loop."""

    async def generate(self, request: GenerationRequest) -> Generation: ...

    def describe(self) -> str:
        """A short human description for /about, e.g. "SmolLM2-135M-Instruct (bfloat16, CPU)"."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class AdapterStartError(Exception):
    """An adapter cannot start (e.g. an invalid or revoked token). The message names the credential
    and how to fix it; the other adapters keep running."""
