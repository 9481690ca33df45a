"""A reply sent while the store went away is not sent again (adapters/base.py, ReplyPool).

The database can fail between sending a reply and marking its message handled (the server dropped,
the disk filled). The message is then still "pending" in the store, and the next sweep would answer it
again: the person would get the same reply twice. Telegram has no idempotency key to stop that, so the
pool remembers such messages and only marks them once the store works again.
"""

from __future__ import annotations

import asyncio

import pytest

from adapters.base import ReplyPool
from bot.store import ConversationStore, StoreError
from bot.types import Message, Reply, UserKey

KEY = UserKey("fake", "u1")


class Flaky:
    """Make ``store.mark_handled`` fail while ``down`` is set, like a database that went away."""

    def __init__(self, store: ConversationStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.down = False
        self.failed = 0
        real = store.mark_handled

        async def mark_handled(platform: str, item_id: str) -> None:
            if self.down:
                self.failed += 1
                raise StoreError("the store is not open")
            await real(platform, item_id)

        monkeypatch.setattr(store, "mark_handled", mark_handled)


class Pool:
    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self.sent: list[str] = []
        self.answered: list[str] = []
        self.pool = ReplyPool(store, "fake", self.on_message, self.send_for)

    async def on_message(self, message: Message, typing=None, **_kw) -> Reply:  # type: ignore[no-untyped-def]
        self.answered.append(message.text)
        return Reply(message.key, f"reply to {message.text}", "model", message.message_id)

    def send_for(self, _message: Message):  # type: ignore[no-untyped-def]
        async def send(reply: Reply) -> None:
            self.sent.append(reply.text)

        return send

    async def put(self, message_id: str, text: str) -> None:
        message = Message(key=KEY, text=text, message_id=message_id)
        assert await self.store.enqueue_incoming(message)
        assert await self.pool.submit(message)

    async def settle(self) -> None:
        for _ in range(500):
            if self.pool.in_flight == 0:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the pool did not finish")


async def test_a_reply_sent_while_the_store_went_away_is_marked_later_and_never_sent_twice(
    store: ConversationStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = Flaky(store, monkeypatch)
    p = Pool(store)
    flaky.down = True
    await p.put("m1", "hello")
    await p.settle()
    assert p.sent == ["reply to hello"]
    assert flaky.failed == 1
    assert [m.message_id for m in await store.pending_incoming("fake")] == ["m1"]  # not marked yet
    assert "answered, but the store could not mark it handled" in caplog.text

    with pytest.raises(StoreError):  # the store is still down: the sweep fails, as reading the inbox would
        await p.pool.retry_pending()
    assert flaky.failed == 2  # it tried to mark it, and answered nothing again
    await p.settle()
    assert p.sent == ["reply to hello"] and p.answered == ["hello"]

    flaky.down = False  # the database is back
    assert await p.pool.retry_pending() == 0
    await p.settle()
    assert p.sent == ["reply to hello"] and p.answered == ["hello"]
    assert await store.pending_incoming("fake") == []
    assert await store.is_handled("fake", "m1")


async def test_the_next_answered_message_marks_the_earlier_one_without_waiting_for_a_sweep(
    store: ConversationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = Flaky(store, monkeypatch)
    p = Pool(store)
    flaky.down = True
    await p.put("m1", "hello")
    await p.settle()
    flaky.down = False
    await p.put("m2", "how are you")
    await p.settle()
    assert p.sent == ["reply to hello", "reply to how are you"]
    assert await store.pending_incoming("fake") == []


async def test_a_message_whose_answer_failed_before_sending_is_still_answered_again(
    store: ConversationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard is only for replies that went out: a failed send stays pending and is retried."""
    p = Pool(store)
    fails = [True]

    def send_for(_message: Message):  # type: ignore[no-untyped-def]
        async def send(reply: Reply) -> None:
            if fails and fails.pop():
                raise ConnectionError("platform down")
            p.sent.append(reply.text)

        return send

    p.pool.send_for = send_for
    await p.put("m1", "hello")
    await p.settle()
    assert p.sent == []
    assert await p.pool.retry_pending() == 1
    await p.settle()
    assert p.sent == ["reply to hello"]
    assert await store.pending_incoming("fake") == []
