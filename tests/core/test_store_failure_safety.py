"""When the database fails, a person in crisis still gets the crisis lines, not "something went wrong".

The failures are real ones: SQLite's own "database or disk is full" (the database capped with
``PRAGMA max_page_count``) and a store whose connection is gone (a PostgreSQL server that went away
gives the same StoreError on every call)."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.dispatcher import ERROR_TEXT, Dispatcher
from bot.personas import load_personas
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine

CRISIS = "i took all my pills and i want to die"


async def _dispatcher(
    settings: Settings, store: ConversationStore
) -> tuple[Dispatcher, FakeEngine, FakeAdapter]:
    engine = FakeEngine("That sounds hard. Do you want to tell me more?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


async def _fill_the_disk(store: ConversationStore) -> None:
    """Cap the database at the pages it has: SQLite then answers every write that needs a new page
    with its real error, "database or disk is full"."""
    db = store._db
    assert db is not None
    await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    async with db.execute("PRAGMA page_count") as cur:
        (pages,) = await cur.fetchone()
    await db.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_still_gives_the_crisis_reply(
    settings: Settings, store: ConversationStore, caplog: pytest.LogCaptureFixture
) -> None:
    d, engine, adapter = await _dispatcher(settings, store)
    await adapter.push("hi, my name is Sam")  # something stored before the disk filled up
    await _fill_the_disk(store)
    long_crisis = CRISIS + ". " + "i have been thinking about it all week, " * 120  # needs new pages
    with caplog.at_level(logging.WARNING):
        reply = await adapter.push(long_crisis)
    assert reply is not None and reply.kind == "crisis", reply
    assert reply.text == d.safety.crisis_reply(None, long_crisis) != ERROR_TEXT
    assert len(engine.requests) == 1  # the model was not asked about the crisis message
    assert "disk is full" in caplog.text  # the failure is logged ...
    assert "thinking about it all week" not in caplog.text  # ... without the message
    # What was stored before is still there.
    hist = await store.history(UserKey("fake", "u1"), 10)
    assert [t.content for t in hist][:1] == ["hi, my name is Sam"]


async def test_a_lost_database_still_gives_the_crisis_reply(
    settings: Settings, store: ConversationStore
) -> None:
    d, engine, adapter = await _dispatcher(settings, store)
    await store.close()  # every call now raises StoreError, as with a database server that went away
    reply = await adapter.push(CRISIS)
    assert reply is not None and reply.kind == "crisis", reply
    assert reply.text == d.safety.crisis_reply(None, CRISIS) != ERROR_TEXT
    assert engine.requests == []
    # The region comes from the message when the person's settings cannot be read.
    london = "I'm in London and i took all my pills"
    reply = await adapter.push(london, user_id="u2")
    assert reply is not None and reply.text == d.safety.crisis_reply("UK", london) != d.safety.crisis_reply(
        None, london
    )
    # A split crisis ("i want to" + "die") is still recognised from what is kept in memory.
    first = await adapter.push("i want to")
    assert first is not None and first.kind == "error"  # an ordinary message: the apology, as before
    second = await adapter.push("die")
    assert second is not None and second.kind == "crisis", second


async def test_an_ordinary_message_with_a_lost_database_gets_the_apology(
    settings: Settings, store: ConversationStore
) -> None:
    d, engine, adapter = await _dispatcher(settings, store)
    await store.close()
    reply = await adapter.push("what a nice day")
    assert reply is not None and reply.kind == "error" and reply.text == ERROR_TEXT
