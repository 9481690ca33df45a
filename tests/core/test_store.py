"""The ConversationStore contract. Every storage backend must pass these."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bot.store import SCHEMA_VERSION, ConversationStore, Cursor, StoreError
from bot.types import Message, UserKey

ANA = UserKey("telegram", "111")
ANA_GROUP = UserKey("telegram", "111", "-500")
BEN = UserKey("telegram", "222")


async def test_history_is_per_user_and_ordered(store: ConversationStore) -> None:
    await store.add_turns(ANA, [("user", "hi"), ("assistant", "hello Ana")])
    await store.add_turns(BEN, [("user", "yo")])
    await store.add_turns(ANA, [("user", "second"), ("assistant", "ok")])
    hist = await store.history(ANA, 10)
    assert [(t.role, t.content) for t in hist] == [
        ("user", "hi"),
        ("assistant", "hello Ana"),
        ("user", "second"),
        ("assistant", "ok"),
    ]
    assert [t.content for t in await store.history(ANA, 2)] == ["second", "ok"]
    assert [t.content for t in await store.history(BEN, 10)] == ["yo"]
    assert await store.history(ANA_GROUP, 10) == []  # a group chat is a separate memory
    assert await store.history(ANA, 0) == []


async def test_memory_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    async with ConversationStore(path) as s:
        await s.add_turns(ANA, [("user", "remember me")])
        await s.set_pref(ANA, "persona", "journal")
    async with ConversationStore(path) as s:
        assert [t.content for t in await s.history(ANA, 5)] == ["remember me"]
        assert await s.get_pref(ANA, "persona") == "journal"
        assert await s.schema_version() == SCHEMA_VERSION


async def test_reset_keeps_preferences(store: ConversationStore) -> None:
    await store.add_turns(ANA, [("user", "a"), ("assistant", "b")])
    await store.set_pref(ANA, "persona", "journal")
    assert await store.reset(ANA) == 2
    assert await store.history(ANA, 10) == []
    assert await store.get_pref(ANA, "persona") == "journal"


async def test_prefs_roundtrip_and_delete(store: ConversationStore) -> None:
    assert await store.get_pref(ANA, "x", "default") == "default"
    await store.set_pref(ANA, "x", {"a": [1, 2]})
    assert await store.get_pref(ANA, "x") == {"a": [1, 2]}
    await store.set_pref(ANA, "x", 3)
    assert await store.get_prefs(ANA) == {"x": 3}
    await store.set_pref(ANA, "x", None)
    assert await store.get_prefs(ANA) == {}


async def test_forget_leaves_no_row_about_the_user(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    secret = "my-very-private-sentence-4242"
    async with ConversationStore(path) as s:
        await s.add_turns(ANA, [("user", secret), ("assistant", "ok")])
        await s.add_turns(ANA_GROUP, [("user", "group " + secret)])
        await s.set_pref(ANA, "persona", "journal")
        await s.enqueue_incoming(Message(ANA, secret + " pending", message_id="m9"))
        await s.add_turns(BEN, [("user", "ben stays")])
        await s.mark_handled("telegram", "m1")
        await s.forget(ANA)
        assert await s.export(ANA) == {
            "platform": "telegram",
            "user_id": "111",
            "chats": {},
            "unanswered_messages": [],
        }
        assert [t.content for t in await s.history(BEN, 5)] == ["ben stays"]
        assert await s.is_handled("telegram", "m1")  # replay protection outlives /forget
    # Inspect the database file itself: no row mentions the user id, and the text is gone.
    con = sqlite3.connect(path)
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for row in con.execute(f"SELECT * FROM {table}"):
            assert "111" not in map(str, row), (table, row)
    con.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("f.db"))  # noqa: ASYNC240 - a test reading its own temp files
    assert secret.encode() not in raw


async def test_export_has_everything(store: ConversationStore) -> None:
    await store.add_turns(ANA, [("user", "hi"), ("assistant", "hello")])
    await store.add_turns(ANA_GROUP, [("user", "in the group")])
    await store.set_pref(ANA, "persona", "journal")
    await store.enqueue_incoming(Message(ANA, "waiting", message_id="7"))
    data = await store.export(ANA)
    assert [t["content"] for t in data["chats"]["direct"]["history"]] == ["hi", "hello"]
    assert data["chats"]["direct"]["preferences"] == {"persona": "journal"}
    assert data["chats"]["-500"]["history"][0]["content"] == "in the group"
    assert data["unanswered_messages"][0]["text"] == "waiting"


async def test_inbox_at_least_once_and_never_twice(store: ConversationStore) -> None:
    m = Message(ANA, "hello", message_id="42", extras={"chat_id": 5})
    assert await store.enqueue_incoming(m) is True
    assert await store.enqueue_incoming(m) is False  # duplicate delivery
    pending = await store.pending_incoming("telegram")
    assert pending == [m] and pending[0].extras["chat_id"] == 5
    assert await store.note_attempt("telegram", "42") == 1
    await store.mark_handled("telegram", "42")
    assert await store.pending_incoming("telegram") == []
    assert await store.is_handled("telegram", "42")
    assert await store.enqueue_incoming(m) is False  # replayed after handling
    assert not await store.is_handled("discord", "42")  # ids are per platform


async def test_retention_purges_old_turns(store: ConversationStore) -> None:
    now = time.time()
    await store.add_turns(ANA, [("user", "old")], now=now - 40 * 86400)
    await store.add_turns(ANA, [("user", "new")], now=now)
    assert await store.purge_older_than(30, now=now) == 1
    assert [t.content for t in await store.history(ANA, 5)] == ["new"]


async def test_cursors(store: ConversationStore) -> None:
    assert await store.get_cursor("telegram.offset") is None
    await store.set_cursor("telegram.offset", "17")
    await store.set_cursor("telegram.offset", "18")
    assert await store.get_cursor("telegram.offset") == "18"
    await store.delete_cursor("telegram.offset")
    assert await store.get_cursor("telegram.offset") is None


async def test_cursors_by_prefix_with_their_owner(store: ConversationStore) -> None:
    dana = UserKey("discord", "4001")
    await store.set_cursor("discord:dm:77", "1000", owner=dana)
    await store.set_cursor("discord:dm:78", "2000")
    await store.set_cursor("discord:dm_channels", "[77]")  # another prefix ("_", not ":")
    await store.set_cursor("discord:dx", "x")
    assert await store.cursors("discord:dm:") == [
        Cursor("discord:dm:77", "1000", dana),
        Cursor("discord:dm:78", "2000", None),
    ]
    await store.set_cursor("discord:dm:78", "2001", owner=UserKey("discord", "4002"))
    assert (await store.cursors("discord:dm:78"))[0].owner == UserKey("discord", "4002")
    assert await store.cursors("discord:dm%") == []  # the prefix is literal, not a LIKE pattern


async def _all_text(store: Any) -> list[tuple[str, str]]:
    """(table, value) for every text value in every table, on SQLite or PostgreSQL."""
    out: list[tuple[str, str]] = []
    if isinstance(store, ConversationStore):
        async with store.db.execute("SELECT name FROM sqlite_master WHERE type='table'") as cur:
            tables = [r[0] for r in await cur.fetchall()]
        for table in tables:
            async with store.db.execute(f"SELECT * FROM {table}") as cur:
                out += [(table, v) for row in await cur.fetchall() for v in row if isinstance(v, str)]
    else:
        tables = await store.db.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        for (table,) in tables:
            for row in await store.db.fetch(f'SELECT * FROM "{table}"'):
                out += [(table, v) for v in row.values() if isinstance(v, str)]
    return out


async def test_forget_deletes_cursors_about_the_user_only(store: ConversationStore) -> None:
    dana, eli = UserKey("discord", "4001"), UserKey("discord", "4002")
    await store.set_cursor("discord:dm:7700001", "7799001", owner=dana)
    await store.set_cursor("discord:dm:7700002", "7799002", owner=eli)
    await store.set_cursor("telegram:offset:5", "18")  # about nobody
    await store.add_turns(dana, [("user", "hi")])
    assert (await store.export(dana))["delivery_state"] == {"discord:dm:7700001": "7799001"}
    assert await store.forget(dana) == 2
    texts = [v for _, v in await _all_text(store)]
    assert not any("7700001" in v or "7799001" in v or "4001" in v for v in texts), texts
    assert await store.get_cursor("discord:dm:7700002") == "7799002"
    assert await store.get_cursor("telegram:offset:5") == "18"
    assert "delivery_state" not in await store.export(dana)


async def test_forget_covers_the_dry_run_namespace(store: ConversationStore) -> None:
    # Reddit's dry run keeps the same people's conversations under "reddit-dry"; /forget in either
    # namespace must delete both.
    real, dry = UserKey("reddit", "SomeRedditor"), UserKey("reddit-dry", "SomeRedditor")
    other = UserKey("reddit-dry", "SomeoneElse")
    await store.add_turns(dry, [("user", "said during a dry run")])
    await store.enqueue_incoming(Message(dry, "waiting in the dry run", message_id="t1_dry"))
    await store.add_turns(real, [("user", "said for real")])
    await store.add_turns(other, [("user", "stays")])
    await store.forget(real)
    assert await store.history(dry, 10) == [] and await store.history(real, 10) == []
    assert await store.pending_incoming("reddit-dry") == []
    await store.add_turns(real, [("user", "again")])
    await store.forget(dry)
    assert await store.history(real, 10) == []
    assert [t.content for t in await store.history(other, 10)] == ["stays"]
    assert not any("SomeRedditor" in v for _, v in await _all_text(store))


async def test_export_shows_what_forget_would_delete_in_the_dry_run_namespace(
    store: ConversationStore,
) -> None:
    real, dry = UserKey("reddit", "SomeRedditor"), UserKey("reddit-dry", "SomeRedditor")
    await store.add_turns(real, [("user", "said for real")])
    assert "also_stored" not in await store.export(real)  # nothing in the twin namespace: no key
    await store.add_turns(dry, [("user", "said during a dry run")])
    await store.enqueue_incoming(Message(dry, "waiting in the dry run", message_id="t1_dry"))
    data = await store.export(real)
    assert [t["content"] for t in data["chats"]["direct"]["history"]] == ["said for real"]
    twin = data["also_stored"]["reddit-dry"]
    assert [t["content"] for t in twin["chats"]["direct"]["history"]] == ["said during a dry run"]
    assert [m["text"] for m in twin["unanswered_messages"]] == ["waiting in the dry run"]
    # and from the other side
    from_dry = await store.export(dry)
    assert [t["content"] for t in from_dry["also_stored"]["reddit"]["chats"]["direct"]["history"]] == [
        "said for real"
    ]
    assert await store.export(UserKey("telegram", "SomeRedditor")) == {
        "platform": "telegram",
        "user_id": "SomeRedditor",
        "chats": {},
        "unanswered_messages": [],
    }


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    async with ConversationStore(path):
        pass
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()

    def workers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name}

    before = workers()
    refused = ConversationStore(path)
    with pytest.raises(StoreError, match="schema version 99"):
        await refused.open()
    # The connection opened to read the version is closed: no aiosqlite thread is left behind to
    # fail with "Event loop is closed" once the loop is gone.
    assert refused._db is None
    for thread in workers() - before:
        await asyncio.to_thread(thread.join, 5)  # a stopped worker ends at once; a leaked one never
    assert not workers() - before


async def test_version_1_database_is_migrated_keeping_its_cursors(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    con.execute("CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL)")
    con.execute("INSERT INTO cursors VALUES ('discord:dm:5', '99', 0)")
    con.commit()
    con.close()
    async with ConversationStore(path) as s:
        assert await s.schema_version() == SCHEMA_VERSION == 2
        assert await s.cursors("discord:dm:") == [Cursor("discord:dm:5", "99", None)]


async def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        await ConversationStore(bad).open()


async def test_reset_clears_that_conversations_recalled_facts_only(store: Any) -> None:
    """bot/facts.py keeps a conversation's facts in its preferences; /reset (and /memory off) clear
    them with the history, and leave other preferences and other conversations alone."""
    from bot.store import FACTS_PREF

    await store.add_turns(ANA, [("user", "my name is Ana"), ("assistant", "hi Ana")])
    await store.set_pref(ANA, FACTS_PREF, {"name": {"value": "Ana", "said": 1.0}})
    await store.set_pref(ANA, "persona", "journal")
    await store.set_pref(ANA_GROUP, FACTS_PREF, {"name": {"value": "Ana", "said": 1.0}})
    assert await store.reset(ANA) == 2
    assert await store.get_pref(ANA, FACTS_PREF) is None
    assert await store.get_pref(ANA, "persona") == "journal"
    assert await store.get_pref(ANA_GROUP, FACTS_PREF) == {"name": {"value": "Ana", "said": 1.0}}


async def test_purge_drops_recalled_facts_said_before_the_cutoff(store: Any) -> None:
    from bot.store import FACTS_PREF

    now = time.time()
    old, new = now - 40 * 86400, now - 86400
    await store.set_pref(
        ANA, FACTS_PREF, {"name": {"value": "Ana", "said": old}, "home": {"value": "Leeds", "said": new}}
    )
    await store.set_pref(BEN, FACTS_PREF, {"name": {"value": "Ben", "said": old}})
    await store.set_pref(BEN, "persona", "journal")
    await store.purge_older_than(30, now)
    assert await store.get_pref(ANA, FACTS_PREF) == {"home": {"value": "Leeds", "said": new}}
    assert await store.get_pref(BEN, FACTS_PREF) is None
    assert await store.get_pref(BEN, "persona") == "journal"


async def test_an_attempt_can_be_taken_back_but_never_below_zero(store: Any) -> None:
    await store.enqueue_incoming(Message(ANA, "hi", message_id="a1"))
    assert await store.note_attempt("telegram", "a1") == 1
    assert await store.note_attempt("telegram", "a1", -1) == 0
    assert await store.note_attempt("telegram", "a1", -1) == 0
    assert await store.note_attempt("telegram", "a1") == 1


async def test_recorded_at_is_when_the_message_entered_the_inbox(store: Any) -> None:
    before = time.time()
    await store.enqueue_incoming(Message(ANA, "hi", message_id="r1", sent_at=before - 86400))
    at = await store.recorded_at("telegram", "r1")
    assert at is not None and before - 1 <= at <= time.time() + 1
    assert await store.recorded_at("telegram", "nope") is None
