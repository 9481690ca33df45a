"""Per-user memory on SQLite (aiosqlite, WAL): history, preferences, the inbox of messages not yet
answered, and markers of platform items already answered.

Privacy rules the schema keeps:
- every row that holds text or ids about a person carries its ``UserKey`` columns, so ``forget`` can
  delete all of it. That includes adapter cursors about one person (a Discord DM channel's last
  message id): ``set_cursor(..., owner=key)``. Cursors with no owner hold nothing about anyone (a
  Telegram update offset, a subreddit's reply timestamps);
- "already answered" markers are a hash of (platform, item id) with nothing about the user, so a
  forgotten user is still never answered twice when a platform replays an old item. Item ids must
  therefore not be derivable from a user id (a Discord snowflake or a Reddit fullname is not);
- a platform's dry-run namespace ``<platform>-dry`` (Reddit's ``dry_run``) holds the same people's
  data, so ``forget`` on either namespace deletes both.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

from bot.types import Message, UserKey

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
FACTS_PREF = "facts"
"""The preferences entry holding a conversation's recalled facts (bot/facts.py ``PREF``)."""

_MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            platform TEXT NOT NULL, user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            created_at REAL NOT NULL
        )""",
        "CREATE INDEX turns_by_key ON turns (platform, user_id, chat_id, id)",
        "CREATE INDEX turns_by_time ON turns (created_at)",
        """CREATE TABLE prefs (
            platform TEXT NOT NULL, user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL, value TEXT NOT NULL, updated_at REAL NOT NULL,
            PRIMARY KEY (platform, user_id, chat_id, name)
        )""",
        """CREATE TABLE inbox (
            platform TEXT NOT NULL, message_id TEXT NOT NULL,
            user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            payload TEXT NOT NULL, received_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform, message_id)
        )""",
        "CREATE TABLE handled (item_hash TEXT PRIMARY KEY, done_at REAL NOT NULL)",
        "CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL)",
    ],
    # 2: a cursor about one person (a Discord DM channel) names its owner, so /forget deletes it.
    2: [
        "ALTER TABLE cursors ADD COLUMN platform TEXT",
        "ALTER TABLE cursors ADD COLUMN user_id TEXT",
        "CREATE INDEX cursors_by_owner ON cursors (platform, user_id)",
    ],
}

DRY_SUFFIX = "-dry"


class StoreError(Exception):
    """The database cannot be opened or is from a newer Kindred."""


KINDRED_TABLES = ("turns", "prefs", "inbox", "handled", "cursors")


@dataclass(frozen=True, slots=True)
class SchemaState:
    """What an existing database holds, read without changing it (``python -m bot doctor``)."""

    version: int
    """Its schema version; 0 when it has no ``schema_version`` table (new, or not Kindred's)."""
    stray_tables: tuple[str, ...] = ()
    """Kindred table names present without a schema version: start would fail creating them."""


def read_schema_state(path: Path) -> SchemaState:
    """The schema of the SQLite file ``path``, opened read-only (blocking: call it in a thread).

    ``mode=ro`` never writes the file; but on a database in WAL mode it creates the -wal and -shm
    files beside it when they are missing (and a reader cannot delete them again). They are missing
    when no process has the database open, so then the file is read as ``immutable`` (no locks, no
    side files): everything committed is in the file itself. With a -wal (in use) or a -journal (a
    write cut short, to be rolled back) beside it, it is read through SQLite's locks.
    Raises ``sqlite3.Error``.
    """
    from urllib.parse import quote

    in_use = any(os.path.exists(f"{path}-{side}") for side in ("wal", "journal"))
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("" if in_use else "&immutable=1")
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = 0
        if "schema_version" in tables:
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            version = int(row[0]) if row else 0
    finally:
        conn.close()
    stray = tuple(t for t in KINDRED_TABLES if t in tables) if version == 0 else ()
    return SchemaState(version, stray)


@dataclass(frozen=True, slots=True)
class StoredTurn:
    role: str
    content: str
    created_at: float


def _chat(key: UserKey) -> str:
    return key.chat_id or ""


def forget_namespaces(platform: str) -> tuple[str, str]:
    """The namespaces one person's data lives in on a platform: its own and its dry-run twin."""
    base = platform.removesuffix(DRY_SUFFIX)
    return base, base + DRY_SUFFIX


async def export_with_twin(
    export_one: Callable[[UserKey], Awaitable[dict[str, Any]]], key: UserKey
) -> dict[str, Any]:
    """``export_one(key)``, plus what the same person left in the platform's twin namespace (Reddit's
    dry run keeps its own) under ``also_stored``: /forget deletes that too. Shared by both stores."""
    out = await export_one(key)
    real, dry = forget_namespaces(key.platform)
    twin = UserKey(dry if key.platform == real else real, key.user_id, key.chat_id)
    other = await export_one(twin)
    if other["chats"] or other["unanswered_messages"] or other.get("delivery_state"):
        out["also_stored"] = {twin.platform: other}
    return out


@dataclass(frozen=True, slots=True)
class Cursor:
    name: str
    value: str
    owner: UserKey | None
    """The person the cursor is about (deleted with them by ``forget``), or None."""


def _item_hash(platform: str, item_id: str) -> str:
    return hashlib.sha256(f"{platform}\x00{item_id}".encode()).hexdigest()


def message_to_json(message: Message) -> str:
    data = {f.name: getattr(message, f.name) for f in fields(message)}
    data["key"] = {f.name: getattr(message.key, f.name) for f in fields(message.key)}
    data["extras"] = dict(message.extras)
    return json.dumps(data, ensure_ascii=False, default=str)


def message_from_json(payload: str) -> Message:
    data = json.loads(payload)
    data["key"] = UserKey(**data["key"])
    return Message(**data)


class ConversationStore:
    """Async store; use as ``async with ConversationStore(path) as store``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._db: aiosqlite.Connection | None = None

    # lifecycle -------------------------------------------------------------------------------
    async def open(self) -> ConversationStore:
        if isinstance(self.path, Path):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for the database {self.path}: {exc}") from None
        try:
            self._db = await aiosqlite.connect(str(self.path))
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA synchronous=NORMAL")
            await self._db.execute("PRAGMA busy_timeout=5000")
            # Deleted rows are overwritten, so /forget leaves no text in free pages of the file.
            await self._db.execute("PRAGMA secure_delete=ON")
            await self._migrate()
        except aiosqlite.DatabaseError as exc:
            await self.close()
            raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        except BaseException:
            # e.g. a newer schema: the connection (and its worker thread) must not outlive the error.
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> ConversationStore:
        return await self.open()

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the store is not open")
        return self._db

    async def _migrate(self) -> None:
        db = self.db
        await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        async with db.execute("SELECT version FROM schema_version") as cur:
            row = await cur.fetchone()
        current = row[0] if row else 0
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path} has schema version {current}, newer than this Kindred "
                f"understands ({SCHEMA_VERSION}); upgrade Kindred or use another memory.db_path"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[version]:
                await db.execute(statement)
            if current == 0 and version == 1:
                await db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            else:
                await db.execute("UPDATE schema_version SET version = ?", (version,))
            log.info("database migrated to schema version %d", version)
        await db.commit()

    async def schema_version(self) -> int:
        async with self.db.execute("SELECT version FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def ping(self) -> bool:
        async with self.db.execute("SELECT 1") as cur:
            return (await cur.fetchone()) is not None

    # history ---------------------------------------------------------------------------------
    async def add_turns(self, key: UserKey, turns: list[tuple[str, str]], now: float | None = None) -> None:
        """Append (role, content) turns in one transaction."""
        ts = time.time() if now is None else now
        await self.db.executemany(
            "INSERT INTO turns (platform, user_id, chat_id, role, content, created_at) VALUES (?,?,?,?,?,?)",
            [(key.platform, key.user_id, _chat(key), role, content, ts) for role, content in turns],
        )
        await self.db.commit()

    async def history(self, key: UserKey, limit: int) -> list[StoredTurn]:
        """The most recent ``limit`` turns, oldest first."""
        if limit <= 0:
            return []
        async with self.db.execute(
            "SELECT role, content, created_at FROM turns WHERE platform=? AND user_id=? AND chat_id=? "
            "ORDER BY id DESC LIMIT ?",
            (key.platform, key.user_id, _chat(key), limit),
        ) as cur:
            rows = await cur.fetchall()
        return [StoredTurn(r[0], r[1], r[2]) for r in reversed(list(rows))]

    async def reset(self, key: UserKey) -> int:
        """Forget the current conversation (history, and the facts recalled from it: bot/facts.py) but
        keep preferences. Returns turns deleted."""
        cur = await self.db.execute(
            "DELETE FROM turns WHERE platform=? AND user_id=? AND chat_id=?",
            (key.platform, key.user_id, _chat(key)),
        )
        await self.db.execute(
            "DELETE FROM prefs WHERE platform=? AND user_id=? AND chat_id=? AND name=?",
            (key.platform, key.user_id, _chat(key), FACTS_PREF),
        )
        await self.db.commit()
        return cur.rowcount

    async def forget(self, key: UserKey) -> int:
        """Delete everything stored about this user on this platform (and its dry-run namespace), in
        every chat: history, preferences, unanswered messages and cursors about them. Returns rows."""
        total = 0
        real, dry = forget_namespaces(key.platform)
        for table in ("turns", "prefs", "inbox", "cursors"):
            cur = await self.db.execute(
                f"DELETE FROM {table} WHERE platform IN (?, ?) AND user_id=?", (real, dry, key.user_id)
            )
            total += cur.rowcount
        await self.db.commit()
        # Shrink the WAL so the deleted text does not linger in it either.
        await self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return total

    async def purge_older_than(self, days: float, now: float | None = None) -> int:
        """Delete turns older than ``days`` (memory.retention_days), and the recalled facts said before
        then (bot/facts.py). Returns the turns deleted."""
        from bot.facts import prune

        cutoff = (time.time() if now is None else now) - days * 86400
        cur = await self.db.execute("DELETE FROM turns WHERE created_at < ?", (cutoff,))
        async with self.db.execute(
            "SELECT platform, user_id, chat_id, value FROM prefs WHERE name=?", (FACTS_PREF,)
        ) as rows:
            for platform, user_id, chat_id, value in await rows.fetchall():
                stored = json.loads(value)
                kept = prune(stored, cutoff)
                if kept == stored:
                    continue
                where = (platform, user_id, chat_id, FACTS_PREF)
                if kept:
                    await self.db.execute(
                        "UPDATE prefs SET value=? WHERE platform=? AND user_id=? AND chat_id=? AND name=?",
                        (json.dumps(kept), *where),
                    )
                else:
                    await self.db.execute(
                        "DELETE FROM prefs WHERE platform=? AND user_id=? AND chat_id=? AND name=?", where
                    )
        await self.db.commit()
        return cur.rowcount

    # preferences -----------------------------------------------------------------------------
    async def get_pref(self, key: UserKey, name: str, default: Any = None) -> Any:
        async with self.db.execute(
            "SELECT value FROM prefs WHERE platform=? AND user_id=? AND chat_id=? AND name=?",
            (key.platform, key.user_id, _chat(key), name),
        ) as cur:
            row = await cur.fetchone()
        return json.loads(row[0]) if row else default

    async def get_prefs(self, key: UserKey) -> dict[str, Any]:
        async with self.db.execute(
            "SELECT name, value FROM prefs WHERE platform=? AND user_id=? AND chat_id=?",
            (key.platform, key.user_id, _chat(key)),
        ) as cur:
            rows = await cur.fetchall()
        return {r[0]: json.loads(r[1]) for r in rows}

    async def set_pref(self, key: UserKey, name: str, value: Any) -> None:
        if value is None:
            await self.db.execute(
                "DELETE FROM prefs WHERE platform=? AND user_id=? AND chat_id=? AND name=?",
                (key.platform, key.user_id, _chat(key), name),
            )
        else:
            await self.db.execute(
                "INSERT INTO prefs (platform, user_id, chat_id, name, value, updated_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT (platform, user_id, chat_id, name) DO UPDATE SET value=excluded.value, "
                "updated_at=excluded.updated_at",
                (key.platform, key.user_id, _chat(key), name, json.dumps(value), time.time()),
            )
        await self.db.commit()

    # export ----------------------------------------------------------------------------------
    async def export(self, key: UserKey) -> dict[str, Any]:
        """Everything stored about this user on this platform, as JSON-ready data (see export_with_twin)."""
        return await export_with_twin(self._export_one, key)

    async def _export_one(self, key: UserKey) -> dict[str, Any]:
        out: dict[str, Any] = {"platform": key.platform, "user_id": key.user_id, "chats": {}}
        async with self.db.execute(
            "SELECT chat_id, role, content, created_at FROM turns WHERE platform=? AND user_id=? ORDER BY id",
            (key.platform, key.user_id),
        ) as cur:
            for chat_id, role, content, created in await cur.fetchall():
                chat = out["chats"].setdefault(chat_id or "direct", {"history": [], "preferences": {}})
                chat["history"].append({"role": role, "content": content, "time": created})
        async with self.db.execute(
            "SELECT chat_id, name, value FROM prefs WHERE platform=? AND user_id=?",
            (key.platform, key.user_id),
        ) as cur:
            for chat_id, name, value in await cur.fetchall():
                chat = out["chats"].setdefault(chat_id or "direct", {"history": [], "preferences": {}})
                chat["preferences"][name] = json.loads(value)
        async with self.db.execute(
            "SELECT message_id, payload, received_at FROM inbox WHERE platform=? AND user_id=?",
            (key.platform, key.user_id),
        ) as cur:
            out["unanswered_messages"] = [
                {"message_id": mid, "text": json.loads(p).get("text", ""), "received": ts}
                for mid, p, ts in await cur.fetchall()
            ]
        async with self.db.execute(
            "SELECT name, value FROM cursors WHERE platform=? AND user_id=? ORDER BY name",
            (key.platform, key.user_id),
        ) as cur:
            rows = await cur.fetchall()
        if rows:  # e.g. the Discord DM channel and the last message id the bot saw there
            out["delivery_state"] = {name: value for name, value in rows}
        return out

    # delivery: inbox + handled markers -------------------------------------------------------
    async def enqueue_incoming(self, message: Message) -> bool:
        """Persist a message before it is answered. False if it was seen before (in inbox or handled)."""
        if not message.message_id:
            raise ValueError("enqueue_incoming needs a message_id")
        if await self.is_handled(message.key.platform, message.message_id):
            return False
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO inbox (platform, message_id, user_id, chat_id, payload, received_at) "
            "VALUES (?,?,?,?,?,?)",
            (
                message.key.platform,
                message.message_id,
                message.key.user_id,
                _chat(message.key),
                message_to_json(message),
                time.time(),
            ),
        )
        await self.db.commit()
        return cur.rowcount == 1

    async def pending_incoming(self, platform: str) -> list[Message]:
        """Messages recorded but not yet marked handled (e.g. the process died while answering)."""
        async with self.db.execute(
            "SELECT payload FROM inbox WHERE platform=? ORDER BY received_at, rowid", (platform,)
        ) as cur:
            rows = await cur.fetchall()
        return [message_from_json(r[0]) for r in rows]

    async def recorded_at(self, platform: str, message_id: str) -> float | None:
        """When the message was put in the inbox (epoch seconds); None when it is not there."""
        async with self.db.execute(
            "SELECT received_at FROM inbox WHERE platform=? AND message_id=?", (platform, message_id)
        ) as cur:
            row = await cur.fetchone()
        return float(row[0]) if row else None

    async def note_attempt(self, platform: str, message_id: str, step: int = 1) -> int:
        """Count a delivery attempt (``step=-1`` takes one back, never below 0); returns the attempts so
        far (to give up on poison messages)."""
        await self.db.execute(
            "UPDATE inbox SET attempts = MAX(0, attempts + ?) WHERE platform=? AND message_id=?",
            (step, platform, message_id),
        )
        await self.db.commit()
        async with self.db.execute(
            "SELECT attempts FROM inbox WHERE platform=? AND message_id=?", (platform, message_id)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def mark_handled(self, platform: str, item_id: str) -> None:
        """The item is answered (or deliberately ignored): drop it from the inbox, remember its hash."""
        await self.db.execute("DELETE FROM inbox WHERE platform=? AND message_id=?", (platform, item_id))
        await self.db.execute(
            "INSERT OR IGNORE INTO handled (item_hash, done_at) VALUES (?, ?)",
            (_item_hash(platform, item_id), time.time()),
        )
        await self.db.commit()

    async def is_handled(self, platform: str, item_id: str) -> bool:
        async with self.db.execute(
            "SELECT 1 FROM handled WHERE item_hash=?", (_item_hash(platform, item_id),)
        ) as cur:
            return (await cur.fetchone()) is not None

    # adapter cursors (telegram offset, discord last message id, ...) --------------------------
    async def get_cursor(self, name: str, default: str | None = None) -> str | None:
        async with self.db.execute("SELECT value FROM cursors WHERE name=?", (name,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else default

    async def set_cursor(self, name: str, value: str, owner: UserKey | None = None) -> None:
        """``owner``: the person this cursor is about, if any (``forget`` deletes it with them)."""
        await self.db.execute(
            "INSERT INTO cursors (name, value, updated_at, platform, user_id) VALUES (?,?,?,?,?) "
            "ON CONFLICT (name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at, "
            "platform=excluded.platform, user_id=excluded.user_id",
            (name, value, time.time(), *_owner_columns(owner)),
        )
        await self.db.commit()

    async def delete_cursor(self, name: str) -> None:
        await self.db.execute("DELETE FROM cursors WHERE name=?", (name,))
        await self.db.commit()

    async def cursors(self, prefix: str) -> list[Cursor]:
        """Every cursor whose name starts with ``prefix``, by name."""
        async with self.db.execute(
            "SELECT name, value, platform, user_id FROM cursors WHERE substr(name, 1, ?) = ? ORDER BY name",
            (len(prefix), prefix),
        ) as cur:
            rows = await cur.fetchall()
        return [Cursor(r[0], r[1], _owner(r[2], r[3])) for r in rows]


def _owner_columns(owner: UserKey | None) -> tuple[str | None, str | None]:
    return (owner.platform, owner.user_id) if owner is not None else (None, None)


def _owner(platform: str | None, user_id: str | None) -> UserKey | None:
    return UserKey(platform, user_id) if platform is not None and user_id is not None else None
