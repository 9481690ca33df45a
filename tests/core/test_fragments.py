"""Messages typed in pieces (bot/fragments.py) through the Dispatcher with a fake engine.

The adapters' part (ReplyPool sets ``followed`` when a second message arrives) runs against the real
SDKs in tests/adapters_telegram and tests/adapters_discord; here the event is set by hand.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.fragments import HeldPieces, looks_unfinished, merge_user_turns
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.store import ConversationStore
from bot.types import ChatTurn, Generation, GenerationRequest, Message, UserKey
from tests.fakes import FakeEngine

KEY = UserKey("fake", "u1")


@pytest.mark.parametrize(
    ("text", "unfinished"),
    [
        ("i want to", True),
        ("my boss yelled at me,", True),
        ("so basically...", True),
        ("and then -", True),
        ("Ich weiß nicht ob ich", True),
        ("quiero", True),
        ("die", False),
        ("hey", False),
        ("how are you?", False),
        ("tell me", False),
        ("whats going on", False),
        ("i think so", False),
        ("I love it 😊", False),
        ("I want to.", False),
        ("", False),
    ],
)
def test_looks_unfinished(text: str, unfinished: bool) -> None:
    assert looks_unfinished(text) is unfinished


def test_consecutive_user_turns_are_read_as_one_message() -> None:
    turns = [
        ChatTurn("system", "be kind"),
        ChatTurn("user", "hi"),
        ChatTurn("assistant", "hello!"),
        ChatTurn("user", "i failed"),
        ChatTurn("user", "my driving test"),
        ChatTurn("user", "again"),
    ]
    assert merge_user_turns(turns) == [
        ChatTurn("system", "be kind"),
        ChatTurn("user", "hi"),
        ChatTurn("assistant", "hello!"),
        ChatTurn("user", "i failed\nmy driving test\nagain"),
    ]


def test_held_pieces_expire_and_are_taken_once() -> None:
    now = [0.0]
    held = HeldPieces(window_s=60, clock=lambda: now[0])
    held.hold(KEY, "old")
    now[0] = 100.0
    held.hold(KEY, "recent")
    assert held.take(KEY) == ["recent"]  # "old" is past the window
    assert held.take(KEY) == []
    for i in range(20):
        held.hold(KEY, str(i))
    assert held.take(KEY) == [str(i) for i in range(20 - HeldPieces.MAX_PIECES, 20)]


class SlowEngine(FakeEngine):
    """Takes a while, and records whether its caller gave up on it."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply, delay=5.0)
        self.cancelled = 0
        self.asked = asyncio.Event()

    async def generate(self, request: GenerationRequest) -> Generation:
        self.asked.set()
        try:
            return await super().generate(request)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


def message(text: str, n: int) -> Message:
    return Message(key=KEY, text=text, message_id=str(n))


async def test_a_message_followed_while_generating_is_answered_with_the_next(
    settings: Settings, store: ConversationStore
) -> None:
    engine = SlowEngine("That sounds so unfair. Want to tell me more?")
    d = Dispatcher(settings, store, engine, load_personas())
    followed = asyncio.Event()
    before = METRICS.get("replies_total", platform="fake", kind="combined")
    first = asyncio.create_task(
        d.handle(message("my teacher said my essay was lazy", 1), None, followed=followed)
    )
    await asyncio.wait_for(engine.asked.wait(), 2)
    followed.set()  # the adapter saw a second message from the same person
    assert await asyncio.wait_for(first, 2) is None  # no answer to half the story ...
    assert engine.cancelled == 1  # ... and the engine stopped writing it at once
    assert METRICS.get("replies_total", platform="fake", kind="combined") == before + 1

    engine.delay = 0
    reply = await d.handle(message("in front of the whole class", 2), None, followed=asyncio.Event())
    assert reply is not None and reply.kind == "model"
    assert engine.last_user_text == "my teacher said my essay was lazy\nin front of the whole class"
    turns = [(t.role, t.content) for t in await store.history(KEY, 10)]
    assert turns == [
        ("user", "my teacher said my essay was lazy"),
        ("user", "in front of the whole class"),
        ("assistant", "That sounds so unfair. Want to tell me more?"),
    ]


async def test_pieces_of_someone_not_remembered_stay_in_ram_until_the_answer(
    settings: Settings, store: ConversationStore
) -> None:
    engine = FakeEngine("Oh no. Are you okay?")
    d = Dispatcher(settings, store, engine, load_personas())
    await store.set_pref(KEY, "remember", False)
    followed = asyncio.Event()
    followed.set()  # the second piece was already there: the model is not asked about the first
    assert await d.handle(message("i fell off my bike", 1), None, followed=followed) is None
    assert engine.requests == []
    assert await store.history(KEY, 10) == []  # nothing written for someone not remembered
    reply = await d.handle(message("and broke my wrist", 2), None, followed=asyncio.Event())
    assert reply is not None and reply.kind == "model"
    assert engine.last_user_text == "i fell off my bike\nand broke my wrist"
    assert len(d.held) == 0  # used once, then gone
    assert await store.history(KEY, 10) == []


async def test_a_crisis_reply_answers_the_held_pieces_too(
    settings: Settings, store: ConversationStore
) -> None:
    engine = FakeEngine("Okay.")
    d = Dispatcher(settings, store, engine, load_personas())
    await store.set_pref(KEY, "remember", False)
    followed = asyncio.Event()
    followed.set()
    assert await d.handle(message("i want to", 1), None, followed=followed) is None
    reply = await d.handle(message("die", 2), None, followed=asyncio.Event())
    assert reply is not None and reply.kind == "crisis"
    assert len(d.held) == 0  # not carried into the next, unrelated prompt
    await d.handle(message("thanks for listening", 3), None)
    assert engine.last_user_text == "thanks for listening"


async def test_forget_drops_held_pieces(settings: Settings, store: ConversationStore) -> None:
    engine = FakeEngine("Okay.")
    d = Dispatcher(settings, store, engine, load_personas())
    await store.set_pref(KEY, "remember", False)
    followed = asyncio.Event()
    followed.set()
    await d.handle(message("my address is 12 Elm Street", 1), None, followed=followed)
    assert len(d.held) == 1
    await d.handle(message("/forget", 2), None)
    assert len(d.held) == 0
    await d.handle(message("hi", 3), None)
    assert engine.last_user_text == "hi"


async def test_an_unfinished_message_waits_for_the_rest(settings: Settings, store: ConversationStore) -> None:
    settings.chat.combine_wait_s = 5.0
    engine = FakeEngine("Go on.")
    d = Dispatcher(settings, store, engine, load_personas())
    followed = asyncio.Event()
    first = asyncio.create_task(d.handle(message("i was thinking that maybe i", 1), None, followed=followed))
    await asyncio.sleep(0.2)
    assert not first.done() and engine.requests == []  # waiting for the rest, model not asked yet
    followed.set()
    assert await asyncio.wait_for(first, 1) is None
    # A finished-looking message does not wait.
    reply = await asyncio.wait_for(
        d.handle(message("should quit my job.", 2), None, followed=asyncio.Event()), 1
    )
    assert reply is not None
    assert engine.last_user_text == "i was thinking that maybe i\nshould quit my job."


async def test_turned_off_each_message_is_answered(settings: Settings, store: ConversationStore) -> None:
    settings.chat.combine_messages = False
    engine = FakeEngine("Okay.")
    d = Dispatcher(settings, store, engine, load_personas())
    followed = asyncio.Event()
    followed.set()
    reply = await d.handle(message("first", 1), None, followed=followed)
    assert reply is not None and engine.last_user_text == "first"
