"""The ConversationStore contract. Every storage backend must pass these."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.store import SCHEMA_VERSION, ConversationStore, StoreError
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
        ("user", "hi"), ("assistant", "hello Ana"), ("user", "second"), ("assistant", "ok"),
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
            "platform": "telegram", "user_id": "111", "chats": {}, "unanswered_messages": [],
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


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    async with ConversationStore(path):
        pass
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema version 99"):
        await ConversationStore(path).open()


async def test_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        await ConversationStore(bad).open()
