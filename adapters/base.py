"""What every adapter shares: at-least-once delivery with at-most-once replies, and reply splitting.

The flow for one incoming platform item:
1. ``store.enqueue_incoming(message)`` persists it (False if seen before: skip it);
2. only then does the adapter confirm it to the platform (Telegram offset, Reddit mark-read, ...);
3. the dispatcher answers, the adapter sends the reply;
4. ``store.mark_handled`` drops it from the inbox and remembers its hash.
A crash between 1 and 4 leaves the message in the inbox; ``recover`` answers it after restart.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from bot.protocols import OnMessage, TypingCallback
from bot.store import ConversationStore
from bot.types import Message, Reply

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""A message whose handling crashed this many times is dropped (and logged), not retried forever."""

Send = Callable[[Reply], Awaitable[None]]
TypingFor = Callable[[Message], "TypingCallback | None"]


async def deliver(
    store: ConversationStore,
    message: Message,
    on_message: OnMessage,
    send: Send,
    typing: TypingCallback | None = None,
    *,
    already_recorded: bool = False,
) -> Reply | None:
    """Record, answer, send, mark handled. Returns the reply sent (None if skipped or ignored)."""
    platform = message.key.platform
    if not already_recorded and not await store.enqueue_incoming(message):
        log.debug("%s message %s was seen before; not answering again", platform, message.message_id)
        return None
    attempts = await store.note_attempt(platform, message.message_id)
    if attempts > MAX_ATTEMPTS:
        log.error("%s message %s failed %d times; giving up on it", platform, message.message_id, attempts - 1)
        await store.mark_handled(platform, message.message_id)
        return None
    reply = await on_message(message, typing)
    if reply is not None:
        await send(reply)
    await store.mark_handled(platform, message.message_id)
    return reply


async def recover(
    store: ConversationStore, platform: str, on_message: OnMessage, send: Send, typing_for: TypingFor | None = None
) -> int:
    """Answer messages recorded before a crash or shutdown. Returns how many were answered."""
    pending = await store.pending_incoming(platform)
    for message in pending:
        typing = typing_for(message) if typing_for else None
        await deliver(store, message, on_message, send, typing, already_recorded=True)
    if pending:
        log.info("%s: answered %d message(s) left from before the restart", platform, len(pending))
    return len(pending)


def split_text(text: str, limit: int) -> list[str]:
    """Split a long reply into chunks of at most ``limit`` characters, at paragraph, line, sentence or
    word boundaries where possible (never inside a word unless a single word is longer than limit)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = 0
        for sep in ("\n\n", "\n", ". ", "! ", "? ", " "):
            idx = window.rfind(sep)
            if idx > limit // 3:
                cut = idx + len(sep)  # the separator ends this piece (then stripped)
                break
        if cut == 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def backoff_delay(attempt: int, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential backoff with full jitter (attempt starts at 0)."""
    return random.uniform(0, min(cap, base * (2**attempt)))


async def sleep_backoff(attempt: int, base: float = 1.0, cap: float = 60.0) -> None:
    await asyncio.sleep(backoff_delay(attempt, base, cap))
