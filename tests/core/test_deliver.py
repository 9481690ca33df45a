"""adapters.base.deliver: which failures give a message up. A handling that crashes the process again
and again (a poison message) is dropped after MAX_ATTEMPTS; a reply that could not be sent is not a
crash and is tried again however long the platform is down, up to RETRY_FOR_S after it was sent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapters import base
from bot.store import ConversationStore
from bot.types import Message, Reply, UserKey

KEY = UserKey("fake", "u1")


class Down(Exception):
    pass


async def test_failed_sends_never_use_up_the_attempts(tmp_path: Path) -> None:
    sent: list[str] = []
    fails = {"left": base.MAX_ATTEMPTS + 3}

    async def answer(message: Message, typing: object = None, **kw: object) -> Reply:
        return Reply(message.key, "hello back")

    async def send(reply: Reply) -> None:
        if fails["left"]:
            fails["left"] -= 1
            raise Down("503")
        sent.append(reply.text)

    async with ConversationStore(tmp_path / "k.db") as store:
        message = Message(KEY, "hello", message_id="m1")
        assert await store.enqueue_incoming(message)
        for _ in range(base.MAX_ATTEMPTS + 3):  # each sweep: answered, then the send fails
            with pytest.raises(Down):
                await base.deliver(store, message, answer, send, already_recorded=True)
        await base.deliver(store, message, answer, send, already_recorded=True)
        assert sent == ["hello back"]
        assert await store.pending_incoming("fake") == []


async def test_a_message_that_keeps_crashing_is_given_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls = []

    async def crash(message: Message, typing: object = None, **kw: object) -> Reply:
        calls.append(message.message_id)
        raise MemoryError("the process would die here")

    async def send(reply: Reply) -> None:
        raise AssertionError("nothing to send")

    async with ConversationStore(tmp_path / "k.db") as store:
        message = Message(KEY, "poison", message_id="m2")
        assert await store.enqueue_incoming(message)
        for _ in range(base.MAX_ATTEMPTS):
            with pytest.raises(MemoryError):
                await base.deliver(store, message, crash, send, already_recorded=True)
        assert await base.deliver(store, message, crash, send, already_recorded=True) is None
        assert len(calls) == base.MAX_ATTEMPTS
        assert await store.pending_incoming("fake") == []
        assert "crashed its handling 3 times; giving up" in caplog.text


async def test_a_message_unanswered_three_days_after_it_was_recorded_is_given_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    answered: list[str] = []

    async def answer(message: Message, typing: object = None, **kw: object) -> Reply:
        answered.append(message.message_id)
        return Reply(message.key, "hi")

    async def send(reply: Reply) -> None:
        pass

    async with ConversationStore(tmp_path / "k.db") as store:
        stale = Message(KEY, "hello?", message_id="m3")
        assert await store.enqueue_incoming(stale)
        await store.db.execute(
            "UPDATE inbox SET received_at=? WHERE message_id='m3'", (time.time() - base.RETRY_FOR_S - 60,)
        )
        await store.db.commit()
        assert await base.deliver(store, stale, answer, send, already_recorded=True) is None
        assert "could not be answered for 72 hours" in caplog.text
        assert "hello?" not in caplog.text
        # Sent long ago but recorded just now (a DM read after a week offline): answered.
        old = Message(KEY, "are you there?", message_id="m4", sent_at=time.time() - 7 * 86400)
        assert await store.enqueue_incoming(old)
        assert await base.deliver(store, old, answer, send, already_recorded=True) is not None
        assert answered == ["m4"]
        assert await store.pending_incoming("fake") == []


async def test_a_reply_that_could_not_be_sent_is_resent_not_written_and_stored_again(settings, store) -> None:  # type: ignore[no-untyped-def]
    """Through the real Dispatcher: the first answer is generated and stored, its send fails; the sweep
    answers the message again and resends the stored reply: one generation, one exchange in the history
    (before, each sweep stored the message again with a new reply the person never saw)."""
    from bot.dispatcher import Dispatcher
    from bot.personas import load_personas
    from tests.fakes import FakeEngine

    replies = iter(["First reply, the one stored.", "A second reply nobody should see."])
    engine = FakeEngine(lambda request: next(replies))
    dispatcher = Dispatcher(settings, store, engine, load_personas())
    sent: list[str] = []
    down = {"left": 2}

    async def send(reply: Reply) -> None:
        if down["left"]:
            down["left"] -= 1
            raise Down("503")
        sent.append(reply.text)

    message = Message(KEY, "my cat is sick", message_id="m9")
    with pytest.raises(Down):
        await base.deliver(store, message, dispatcher.handle, send)
    for _ in range(2):  # two sweeps: the send fails once more, then works
        [pending] = await store.pending_incoming("fake")
        try:
            await base.deliver(store, pending, dispatcher.handle, send, already_recorded=True)
        except Down:
            pass
    assert sent == ["First reply, the one stored."]
    assert len(engine.requests) == 1
    turns = [(t.role, t.content) for t in await store.history(KEY, 10)]
    assert turns == [("user", "my cat is sick"), ("assistant", "First reply, the one stored.")]
    assert await store.pending_incoming("fake") == []


async def test_the_same_words_in_a_new_message_get_a_new_reply(settings, store) -> None:  # type: ignore[no-untyped-def]
    """Only a message's own stored exchange is resent: the same words in the next message (chat
    combining off, so both are answered) are answered anew and stored."""
    from bot.dispatcher import Dispatcher
    from bot.personas import load_personas
    from tests.fakes import FakeEngine

    s = settings.model_copy(update={"chat": settings.chat.model_copy(update={"combine_messages": False})})
    replies = iter(["Hi there!", "Hello again, nice to see you.", "unused"])
    engine = FakeEngine(lambda request: next(replies))
    dispatcher = Dispatcher(s, store, engine, load_personas())
    sent: list[str] = []

    async def send(reply: Reply) -> None:
        sent.append(reply.text)

    for mid in ("a1", "a2"):
        message = Message(KEY, "hi", message_id=mid)
        assert await store.enqueue_incoming(message)
        await base.deliver(store, message, dispatcher.handle, send, already_recorded=True)
    assert sent == ["Hi there!", "Hello again, nice to see you."]
    assert len(engine.requests) == 2
    assert len(await store.history(KEY, 10)) == 4
