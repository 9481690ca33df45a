"""The ConversationStore contract on PostgreSQL, plus what several processes on one database need."""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import textwrap
import time
from pathlib import Path

import asyncpg
import pytest

from bot.store import SCHEMA_VERSION, StoreError
from bot.store_pg import PostgresStore, redact_url
from bot.types import Message, UserKey
from tests.core import test_store as contract
from tests.storage_pg.conftest import pg_url

ANA = UserKey("telegram", "111")
ANA_GROUP = UserKey("telegram", "111", "-500")
BEN = UserKey("telegram", "222")
ROOT = str(Path(__file__).resolve().parents[2])

# Every contract test that only needs a `store` runs here again, on the PostgreSQL `store` fixture
# from this folder's conftest. The SQLite-file-specific ones have PostgreSQL versions below.
_CONTRACT = [
    name
    for name, fn in vars(contract).items()
    if name.startswith("test_") and callable(fn) and list(inspect.signature(fn).parameters) == ["store"]
]
for _name in _CONTRACT:
    globals()[_name] = getattr(contract, _name)


def test_the_contract_tests_are_really_rerun() -> None:
    assert len(_CONTRACT) >= 7, _CONTRACT
    assert "test_inbox_at_least_once_and_never_twice" in _CONTRACT


async def test_memory_survives_reopen(pg_schema: str) -> None:
    async with PostgresStore(pg_url(), schema=pg_schema) as s:
        await s.add_turns(ANA, [("user", "remember me")])
        await s.set_pref(ANA, "persona", "journal")
    async with PostgresStore(pg_url(), schema=pg_schema) as s:
        assert [t.content for t in await s.history(ANA, 5)] == ["remember me"]
        assert await s.get_pref(ANA, "persona") == "journal"
        assert await s.schema_version() == SCHEMA_VERSION
        assert await s.ping()


async def test_forget_leaves_no_row_about_the_user(store: PostgresStore, pg_schema: str) -> None:
    secret = "my-very-private-sentence-4242"
    await store.add_turns(ANA, [("user", secret), ("assistant", "ok")])
    await store.add_turns(ANA_GROUP, [("user", "group " + secret)])
    await store.set_pref(ANA, "persona", "journal")
    await store.enqueue_incoming(Message(ANA, secret + " pending", message_id="m9"))
    await store.add_turns(BEN, [("user", "ben stays")])
    await store.mark_handled("telegram", "m1")
    assert await store.forget(ANA) == 5
    assert await store.export(ANA) == {
        "platform": "telegram",
        "user_id": "111",
        "chats": {},
        "unanswered_messages": [],
    }
    assert [t.content for t in await store.history(BEN, 5)] == ["ben stays"]
    assert await store.is_handled("telegram", "m1")
    # Every row of every table in the schema, as text: nothing mentions the user or the secret.
    conn = await asyncpg.connect(pg_url(), server_settings={"search_path": pg_schema})
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema=$1", pg_schema
        )
        assert {"turns", "prefs", "inbox", "handled", "cursors"} <= {t[0] for t in tables}
        for (table,) in tables:
            for row in await conn.fetch(f'SELECT * FROM "{table}"'):
                # Text columns only: a timestamp may contain the digits 111 by chance.
                texts = [v for v in row.values() if isinstance(v, str)]
                assert not any("111" in v or secret in v for v in texts), (table, texts)
    finally:
        await conn.close()


async def test_newer_schema_is_refused(pg_schema: str) -> None:
    async with PostgresStore(pg_url(), schema=pg_schema) as s:
        await s.db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match="schema version 99"):
        await PostgresStore(pg_url(), schema=pg_schema).open()


async def test_unreachable_database_is_a_clear_error_without_the_password() -> None:
    pg_url()  # same skip/fail rule as the rest of the folder
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://kindred:hunter2-secret@127.0.0.1:{port}/kindred"
    with pytest.raises(StoreError, match="cannot open the database") as err:
        await PostgresStore(url, connect_timeout_s=5).open()
    assert "hunter2-secret" not in str(err.value)
    assert "***" in str(err.value)
    assert redact_url(url) == f"postgresql://kindred:***@127.0.0.1:{port}/kindred"


async def test_bad_schema_name_is_refused() -> None:
    with pytest.raises(StoreError, match="schema name"):
        PostgresStore("postgresql://x@127.0.0.1/db", schema="x; DROP TABLE turns")
    with pytest.raises(StoreError, match="not a postgresql:// URL"):
        PostgresStore("mysql://u:pw@host/db")


# --- several processes, one database -----------------------------------------------------------


async def test_two_stores_racing_on_the_same_messages_accept_each_exactly_once(pg_schema: str) -> None:
    """Two stores = two independent sessions, as two processes would have."""
    async with (
        PostgresStore(pg_url(), schema=pg_schema) as a,
        PostgresStore(pg_url(), schema=pg_schema) as b,
    ):
        msgs = [Message(ANA, f"hi {i}", message_id=str(i)) for i in range(60)]
        results = await asyncio.gather(*(s.enqueue_incoming(m) for m in msgs for s in (a, b)))
        pairs = list(zip(results[0::2], results[1::2], strict=True))
        assert all(x != y for x, y in pairs), pairs  # exactly one of the two took each message
        # Neither sees the other's claimed messages as pending while the other is alive.
        taken_by_a = {m.message_id for m, (x, _) in zip(msgs, pairs, strict=True) if x}
        assert {m.message_id for m in await a.pending_incoming("telegram")} == taken_by_a
        assert {m.message_id for m in await b.pending_incoming("telegram")} == {
            m.message_id for m in msgs
        } - taken_by_a


async def test_a_dead_process_leaves_its_messages_to_the_others(pg_schema: str) -> None:
    m = Message(ANA, "help me", message_id="77")
    b = await PostgresStore(pg_url(), schema=pg_schema).open()
    try:
        a = await PostgresStore(pg_url(), schema=pg_schema).open()
        assert await a.enqueue_incoming(m) is True
        assert await b.enqueue_incoming(m) is False  # a holds it
        assert await b.pending_incoming("telegram") == []  # a is answering it right now
        a._claims_conn.terminate()  # a crashes mid-answer: its connection drops  # noqa: SLF001
        a._claims_conn = None  # noqa: SLF001
        await a.close()
        pending = await b.pending_incoming("telegram")
        assert pending == [m]  # b recovers it
        assert await b.note_attempt("telegram", "77") == 1
        await b.mark_handled("telegram", "77")
        assert await b.pending_incoming("telegram") == []
        async with PostgresStore(pg_url(), schema=pg_schema) as c:
            assert await c.enqueue_incoming(m) is False  # replays are never answered again
            assert await c.is_handled("telegram", "77")
    finally:
        await b.close()


_WORKER = textwrap.dedent(
    """
    import asyncio, json, sys
    from bot.store_pg import PostgresStore
    from bot.types import Message, UserKey

    async def main(url, schema, n):
        async with PostgresStore(url, schema=schema) as s:
            mine = []
            for i in range(n):
                if await s.enqueue_incoming(Message(UserKey("reddit", "u"), "x", message_id=str(i))):
                    mine.append(i)
                    await s.mark_handled("reddit", str(i))
            print(json.dumps(mine))

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    """
)


async def test_separate_os_processes_never_both_take_a_message(pg_schema: str) -> None:
    async with PostgresStore(pg_url(), schema=pg_schema):
        pass  # create the schema once, so the workers race on messages, not on migrations
    n = 150
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _WORKER,
            pg_url(),
            pg_schema,
            str(n),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        for _ in range(3)
    ]
    outs = [await p.communicate() for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
    taken = [json.loads(out) for out, _err in outs]
    every = sorted(i for t in taken for i in t)
    assert every == list(range(n))  # each message taken exactly once across the three processes


async def test_concurrent_start_up_migrates_once(pg_schema: str) -> None:
    stores = [PostgresStore(pg_url(), schema=pg_schema) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        assert [await s.schema_version() for s in stores] == [SCHEMA_VERSION] * 4
        assert await stores[0].db.fetchval("SELECT count(*) FROM schema_version") == 1
    finally:
        for s in stores:
            await s.close()


async def test_a_lost_claims_connection_is_reopened(store: PostgresStore) -> None:
    m = Message(BEN, "still there?", message_id="lost-1")
    assert await store.enqueue_incoming(m)
    pid = store._claims_conn.get_server_pid()  # noqa: SLF001
    assert await store.db.fetchval("SELECT pg_terminate_backend($1)", pid)
    for _ in range(100):  # the client notices the closed socket on its next read
        if store._claims_conn.is_closed():  # noqa: SLF001
            break
        await asyncio.sleep(0.02)
    assert store._claims_conn.is_closed()  # noqa: SLF001
    # Its claim went with the connection: the message is pending again, for this process too.
    assert await store.pending_incoming("telegram") == [m]
    await store.mark_handled("telegram", "lost-1")
    assert await store.enqueue_incoming(m) is False


async def test_inbox_order_and_attempts(store: PostgresStore) -> None:
    t0 = time.time()
    for i in range(3):
        assert await store.enqueue_incoming(Message(BEN, f"m{i}", message_id=f"x{i}", sent_at=t0))
    assert [m.text for m in await store.pending_incoming("telegram")] == ["m0", "m1", "m2"]
    assert await store.note_attempt("telegram", "x1") == 1
    assert await store.note_attempt("telegram", "x1") == 2
    assert await store.note_attempt("telegram", "nope") == 0
