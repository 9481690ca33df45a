"""The per-user rate limit counts a thought typed in pieces once (bot/dispatcher.py, RateLimitStep).

The pieces go through the adapters' real ``ReplyPool`` (adapters/base.py), which answers a
conversation's messages in order and sets ``followed`` when another one arrives, and the Dispatcher
with a fake engine. The rate limit reads a fake clock, moved on by the test as the pieces are "typed";
the engine is slow in real time, so every piece arrives while the one before it is still unanswered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from adapters.base import ReplyPool
from bot.config import ChatSettings, Settings
from bot.dispatcher import RATE_LIMIT_TEXT, Dispatcher, RateLimitStep
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.store import ConversationStore
from bot.types import Message, Reply, UserKey
from tests.fakes import FakeEngine

KEY = UserKey("fake", "u1")
LIMIT = ChatSettings().rate_limit_per_minute  # the default, 12


class Chat:
    """A Dispatcher behind a ReplyPool, with the rate limit on a clock the test moves."""

    def __init__(self, settings: Settings, store: ConversationStore, *, engine_delay: float = 1.0) -> None:
        settings.chat.rate_limit_per_minute = LIMIT
        self.store = store
        self.engine = FakeEngine("That sounds like a lot. What happened?", delay=engine_delay)
        self.d = Dispatcher(settings, store, self.engine, load_personas())
        self.limit = next(s for s in self.d.steps if isinstance(s, RateLimitStep))
        self.now = 1000.0
        self.limit.clock = lambda: self.now
        self.sent: list[Reply] = []
        self.pool = ReplyPool(store, "fake", self.d.handle, self.send_for)
        self.n = 0

    def send_for(self, _message: Message):
        async def send(reply: Reply) -> None:
            self.sent.append(reply)

        return send

    async def type(self, texts: Iterable[str], gap_s: float) -> None:
        """Each text as its own message, ``gap_s`` seconds (on the rate limit's clock) after the last;
        they are submitted as fast as the pool takes them, as a platform would deliver them."""
        for text in texts:
            self.n += 1
            message = Message(key=KEY, text=text, message_id=f"m{self.n}")
            assert await self.store.enqueue_incoming(message)
            assert await self.pool.submit(message)
            await asyncio.sleep(0)  # let the pool start on it
            self.now += gap_s

    async def settle(self) -> None:
        for _ in range(2000):
            if self.pool.in_flight == 0:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the pool did not finish answering")

    def kinds(self) -> list[str]:
        return [r.kind for r in self.sent]


async def test_twenty_pieces_typed_in_three_seconds_are_not_rate_limited(
    settings: Settings, store: ConversationStore
) -> None:
    chat = Chat(settings, store)
    limited = METRICS.get("rate_limited_total", platform="fake")
    pieces = [f"piece {i} of what happened today" for i in range(1, 20)] + ["anyway that's it."]
    await chat.type(pieces, gap_s=3.0 / 20)
    await chat.settle()
    assert chat.kinds() == ["model"]  # one answer to the whole thought, no "faster than I can keep up"
    assert RATE_LIMIT_TEXT not in [r.text for r in chat.sent]
    assert METRICS.get("rate_limited_total", platform="fake") == limited
    assert chat.engine.last_user_text == "\n".join(pieces)  # the answer read every piece

    # After a pause the person goes on talking as usual.
    chat.engine.delay = 0
    chat.now += 30
    await chat.type(["sorry for the wall of messages"], gap_s=0)
    await chat.settle()
    assert chat.kinds() == ["model", "model"]


async def test_a_flood_of_two_hundred_tiny_messages_is_still_limited(
    settings: Settings, store: ConversationStore
) -> None:
    chat = Chat(settings, store)
    limited = METRICS.get("rate_limited_total", platform="fake")
    await chat.type(["a"] * 200, gap_s=0.01)
    await chat.settle()
    assert chat.kinds() == ["rate_limited"]  # one notice, then silence; nothing answered by the model
    # A burst counts once for at most BURST_PIECES pieces: 4 x 12 got through, the other 152 did not.
    passed = RateLimitStep.BURST_PIECES * LIMIT
    assert METRICS.get("rate_limited_total", platform="fake") == limited + 200 - passed


async def test_two_hundred_messages_too_far_apart_to_be_one_burst_are_still_limited(
    settings: Settings, store: ConversationStore
) -> None:
    """3.5 s apart (17 a minute): each is still unanswered when the next comes (the engine is slow),
    but too far from it to be a piece of the same burst, so each counts, as before."""
    chat = Chat(settings, store)
    limited = METRICS.get("rate_limited_total", platform="fake")
    await chat.type([f"message {i}" for i in range(200)], gap_s=RateLimitStep.BURST_GAP_S + 0.5)
    await chat.settle()
    assert chat.kinds().count("rate_limited") >= 1
    # 200 messages over 11.6 minutes at 17 a minute, 12 a minute let through: about 140 dropped.
    assert METRICS.get("rate_limited_total", platform="fake") - limited >= 200 - 12 * 12


async def test_messages_answered_one_by_one_each_count(settings: Settings, store: ConversationStore) -> None:
    """Quick messages that are not combined (each answered before the next comes) count one by one."""
    chat = Chat(settings, store, engine_delay=0)
    for i in range(LIMIT + 3):
        await chat.type([f"message {i}"], gap_s=0.5)
        await chat.settle()
    assert chat.kinds() == ["model"] * LIMIT + ["rate_limited"]


async def test_with_combining_off_every_piece_counts(settings: Settings, store: ConversationStore) -> None:
    settings.chat.combine_messages = False
    chat = Chat(settings, store, engine_delay=0.01)
    await chat.type([f"piece {i}" for i in range(20)], gap_s=0.15)
    await chat.settle()
    assert chat.kinds() == ["model"] * LIMIT + ["rate_limited"]


@pytest.mark.parametrize("pieces_before", [3, 200])
async def test_a_crisis_in_a_burst_still_gets_the_crisis_reply(
    settings: Settings, store: ConversationStore, pieces_before: int
) -> None:
    """Within a burst and past the limit alike: the crisis message gets the crisis reply."""
    chat = Chat(settings, store)
    await chat.type(["ugh"] * pieces_before + ["i took all my pills"], gap_s=0.05)
    await chat.settle()
    assert chat.kinds()[-1] == "crisis"
    assert "model" not in chat.kinds()
    # Split over the limit: "i want to" alone passes the rules, joined to "die" it does not.
    await chat.type(["i want to", "die"], gap_s=0.05)
    await chat.settle()
    assert chat.kinds()[-1] == "crisis"
