"""Per-user memory on PostgreSQL (asyncpg), for several bot processes sharing one database.

Same API and semantics as ``bot.store.ConversationStore`` (history, preferences, inbox, handled
markers, cursors, forget/export), plus what several processes need so nothing is answered twice:

- ``enqueue_incoming`` is atomic across processes: the "already handled?" check and the insert are
  one statement, done while holding a per-item advisory lock, so of two processes that receive the
  same platform item exactly one gets ``True``;
- a process that got ``True`` keeps a *claim* on the item (a session-level advisory lock on a
  dedicated connection) until ``mark_handled``. ``pending_incoming`` only returns (and claims) items
  nobody else holds, so a process starting up and recovering the inbox never picks up a message
  another live process is answering right now. When a process dies its connection drops, PostgreSQL
  releases its claims at once, and the next ``pending_incoming`` anywhere picks the items up.

What is *not* guaranteed (same as SQLite): a process that sent a reply and died before
``mark_handled`` leaves the item in the inbox, and it is answered again on recovery (at-least-once
delivery, at-most-once per live claim). See docs/scaling.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import struct
import time
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.store import (
    FACTS_PREF,
    KINDRED_TABLES,
    SCHEMA_VERSION,
    Cursor,
    SchemaState,
    StoredTurn,
    StoreError,
    _chat,
    _item_hash,
    _owner,
    _owner_columns,
    export_with_twin,
    forget_namespaces,
    message_from_json,
    message_to_json,
)
from bot.types import Message, UserKey

log = logging.getLogger(__name__)

# One migration list per schema version; kept in step with bot.store (same tables, PostgreSQL types).
_MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE turns (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            platform TEXT NOT NULL, user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX turns_by_key ON turns (platform, user_id, chat_id, id)",
        "CREATE INDEX turns_by_time ON turns (created_at)",
        """CREATE TABLE prefs (
            platform TEXT NOT NULL, user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL, value TEXT NOT NULL, updated_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (platform, user_id, chat_id, name)
        )""",
        """CREATE TABLE inbox (
            platform TEXT NOT NULL, message_id TEXT NOT NULL,
            user_id TEXT NOT NULL, chat_id TEXT NOT NULL DEFAULT '',
            payload TEXT NOT NULL, received_at DOUBLE PRECISION NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            seq BIGINT GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (platform, message_id)
        )""",
        "CREATE TABLE handled (item_hash TEXT PRIMARY KEY, done_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at DOUBLE PRECISION NOT NULL)",
    ],
    2: [
        "ALTER TABLE cursors ADD COLUMN platform TEXT",
        "ALTER TABLE cursors ADD COLUMN user_id TEXT",
        "CREATE INDEX cursors_by_owner ON cursors (platform, user_id)",
    ],
}

_MIGRATION_LOCK = 0x4B696E64  # "Kind": serialises schema set-up when several processes start at once
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def redact_url(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable database URL>"
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _rowcount(status: str) -> int:
    """asyncpg returns the command tag ("DELETE 3", "INSERT 0 1"); the last word is the row count."""
    try:
        return int(status.rsplit(" ", 1)[-1])
    except (ValueError, IndexError):
        return 0


def _asyncpg() -> Any:
    """The asyncpg module, or a StoreError saying how to install it."""
    try:
        import asyncpg
    except ImportError:
        raise StoreError(
            "storage.url is a postgresql:// URL but asyncpg is not installed; pip install 'kindred[postgres]'"
        ) from None
    return asyncpg


class PostgresStore:
    """Async store on PostgreSQL; use as ``async with PostgresStore(url) as store``.

    ``schema`` puts the tables in their own PostgreSQL schema (created if missing), so several bots
    or test runs can share one database.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        pool_size: int = 10,
        connect_timeout_s: float = 10.0,
        password: str | None = None,
    ) -> None:
        if url.startswith("postgresql+asyncpg://"):
            url = "postgresql://" + url[len("postgresql+asyncpg://") :]
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(f"{redact_url(url)} is not a postgresql:// URL")
        if schema is not None and not _IDENT.match(schema):
            raise StoreError(
                f"schema name {schema!r} is invalid: use lowercase letters, digits and _ (max 63)"
            )
        self.url = url
        self.path = redact_url(url)  # what ConversationStore calls .path; safe to print
        self.schema = schema
        self.pool_size = pool_size
        self.connect_timeout_s = connect_timeout_s
        self._password = password
        self._pool: Any = None
        self._claims_conn: Any = None
        self._claims_lock = asyncio.Lock()
        self._claimed: set[int] = set()

    # lifecycle -------------------------------------------------------------------------------
    def _connect_kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"timeout": self.connect_timeout_s}
        if self._password is not None:
            kw["password"] = self._password
        if self.schema:
            kw["server_settings"] = {"search_path": self.schema}
        return kw

    async def open(self) -> PostgresStore:
        asyncpg = _asyncpg()
        try:
            if self.schema:
                conn = await asyncpg.connect(self.url, **{**self._connect_kwargs(), "server_settings": {}})
                try:
                    # IF NOT EXISTS still races between processes starting at once: serialise it.
                    async with conn.transaction():
                        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
                        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                finally:
                    await conn.close()
            self._pool = await asyncpg.create_pool(
                self.url, min_size=1, max_size=self.pool_size, **self._connect_kwargs()
            )
            self._claims_conn = await asyncpg.connect(self.url, **self._connect_kwargs())
            await self._migrate()
        except StoreError:
            await self.close()
            raise
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self.close()
            # The driver's message names host/port/user, never the password.
            raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        return self

    async def read_schema_state(self) -> SchemaState:
        """The database's schema version, from one connection in a read-only transaction, without
        opening the store (which creates the schema and migrates): for ``python -m bot doctor``.
        Raises StoreError when the database cannot be reached."""
        asyncpg = _asyncpg()
        try:
            conn = await asyncpg.connect(self.url, **self._connect_kwargs())
            try:
                async with conn.transaction(readonly=True):
                    present = await conn.fetch(
                        "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NOT NULL",
                        ["schema_version", *KINDRED_TABLES],
                    )
                    tables = {r["name"] for r in present}
                    version = 0
                    if "schema_version" in tables:
                        version = int(await conn.fetchval("SELECT version FROM schema_version") or 0)
            finally:
                await conn.close()
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"cannot reach the database {self.path}: {exc}") from None
        stray = tuple(t for t in KINDRED_TABLES if t in tables) if version == 0 else ()
        return SchemaState(version, stray)

    async def close(self) -> None:
        if self._claims_conn is not None:
            conn, self._claims_conn = self._claims_conn, None
            self._claimed.clear()
            try:
                await conn.close()  # releases every claim this process still holds
            except Exception:  # noqa: BLE001 - closing anyway
                conn.terminate()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except Exception:  # noqa: BLE001 - closing anyway
                pool.terminate()

    async def __aenter__(self) -> PostgresStore:
        return await self.open()

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def db(self) -> Any:
        """The connection pool (``asyncpg.Pool``)."""
        if self._pool is None:
            raise StoreError("the store is not open")
        return self._pool

    async def _migrate(self) -> None:
        async with self.db.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = await conn.fetchval("SELECT version FROM schema_version") or 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"the database {self.path} has schema version {current}, newer than this Kindred "
                    f"understands ({SCHEMA_VERSION}); upgrade Kindred or use another storage.url"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version]:
                    await conn.execute(statement)
                if current == 0 and version == 1:
                    await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", version)
                else:
                    await conn.execute("UPDATE schema_version SET version = $1", version)
                log.info("database migrated to schema version %d", version)

    async def schema_version(self) -> int:
        row = await self.db.fetchval("SELECT version FROM schema_version")
        return int(row) if row is not None else 0

    async def ping(self) -> bool:
        return bool(await self.db.fetchval("SELECT 1") == 1)

    # history ---------------------------------------------------------------------------------
    async def add_turns(self, key: UserKey, turns: list[tuple[str, str]], now: float | None = None) -> None:
        """Append (role, content) turns in one transaction."""
        ts = time.time() if now is None else now
        async with self.db.acquire() as conn, conn.transaction():
            await conn.executemany(
                "INSERT INTO turns (platform, user_id, chat_id, role, content, created_at) "
                "VALUES ($1,$2,$3,$4,$5,$6)",
                [(key.platform, key.user_id, _chat(key), role, content, ts) for role, content in turns],
            )

    async def history(self, key: UserKey, limit: int) -> list[StoredTurn]:
        """The most recent ``limit`` turns, oldest first."""
        if limit <= 0:
            return []
        rows = await self.db.fetch(
            "SELECT role, content, created_at FROM turns WHERE platform=$1 AND user_id=$2 AND chat_id=$3 "
            "ORDER BY id DESC LIMIT $4",
            key.platform,
            key.user_id,
            _chat(key),
            limit,
        )
        return [StoredTurn(r[0], r[1], r[2]) for r in reversed(rows)]

    async def reset(self, key: UserKey) -> int:
        """Forget the current conversation (history, and the facts recalled from it: bot/facts.py) but
        keep preferences. Returns turns deleted."""
        async with self.db.acquire() as conn, conn.transaction():
            status = await conn.execute(
                "DELETE FROM turns WHERE platform=$1 AND user_id=$2 AND chat_id=$3",
                key.platform,
                key.user_id,
                _chat(key),
            )
            await conn.execute(
                "DELETE FROM prefs WHERE platform=$1 AND user_id=$2 AND chat_id=$3 AND name=$4",
                key.platform,
                key.user_id,
                _chat(key),
                FACTS_PREF,
            )
        return _rowcount(status)

    async def forget(self, key: UserKey) -> int:
        """Delete everything stored about this user on this platform (and its dry-run namespace), in
        every chat: history, preferences, unanswered messages and cursors about them. Returns rows.

        The rows are gone for every query at once; PostgreSQL reclaims their space on disk at the
        next (auto)vacuum (see docs/scaling.md, Privacy)."""
        total = 0
        real, dry = forget_namespaces(key.platform)
        async with self.db.acquire() as conn, conn.transaction():
            for table in ("turns", "prefs", "inbox", "cursors"):
                status = await conn.execute(
                    f"DELETE FROM {table} WHERE platform IN ($1, $2) AND user_id=$3", real, dry, key.user_id
                )
                total += _rowcount(status)
        return total

    async def purge_older_than(self, days: float, now: float | None = None) -> int:
        """Delete turns older than ``days`` (memory.retention_days), and the recalled facts said before
        then (bot/facts.py). Returns the turns deleted."""
        from bot.facts import prune

        cutoff = (time.time() if now is None else now) - days * 86400
        async with self.db.acquire() as conn, conn.transaction():
            deleted = _rowcount(await conn.execute("DELETE FROM turns WHERE created_at < $1", cutoff))
            rows = await conn.fetch(
                "SELECT platform, user_id, chat_id, value FROM prefs WHERE name=$1 FOR UPDATE", FACTS_PREF
            )
            for row in rows:
                stored = json.loads(row["value"])
                kept = prune(stored, cutoff)
                if kept == stored:
                    continue
                where = (row["platform"], row["user_id"], row["chat_id"], FACTS_PREF)
                if kept:
                    await conn.execute(
                        "UPDATE prefs SET value=$1 WHERE platform=$2 AND user_id=$3 AND chat_id=$4 AND name=$5",
                        json.dumps(kept),
                        *where,
                    )
                else:
                    await conn.execute(
                        "DELETE FROM prefs WHERE platform=$1 AND user_id=$2 AND chat_id=$3 AND name=$4",
                        *where,
                    )
        return deleted

    # preferences -----------------------------------------------------------------------------
    async def get_pref(self, key: UserKey, name: str, default: Any = None) -> Any:
        value = await self.db.fetchval(
            "SELECT value FROM prefs WHERE platform=$1 AND user_id=$2 AND chat_id=$3 AND name=$4",
            key.platform,
            key.user_id,
            _chat(key),
            name,
        )
        return json.loads(value) if value is not None else default

    async def get_prefs(self, key: UserKey) -> dict[str, Any]:
        rows = await self.db.fetch(
            "SELECT name, value FROM prefs WHERE platform=$1 AND user_id=$2 AND chat_id=$3",
            key.platform,
            key.user_id,
            _chat(key),
        )
        return {r[0]: json.loads(r[1]) for r in rows}

    async def set_pref(self, key: UserKey, name: str, value: Any) -> None:
        if value is None:
            await self.db.execute(
                "DELETE FROM prefs WHERE platform=$1 AND user_id=$2 AND chat_id=$3 AND name=$4",
                key.platform,
                key.user_id,
                _chat(key),
                name,
            )
        else:
            await self.db.execute(
                "INSERT INTO prefs (platform, user_id, chat_id, name, value, updated_at) "
                "VALUES ($1,$2,$3,$4,$5,$6) "
                "ON CONFLICT (platform, user_id, chat_id, name) DO UPDATE SET value=excluded.value, "
                "updated_at=excluded.updated_at",
                key.platform,
                key.user_id,
                _chat(key),
                name,
                json.dumps(value),
                time.time(),
            )

    # export ----------------------------------------------------------------------------------
    async def export(self, key: UserKey) -> dict[str, Any]:
        """Everything stored about this user on this platform, as JSON-ready data (see export_with_twin)."""
        return await export_with_twin(self._export_one, key)

    async def _export_one(self, key: UserKey) -> dict[str, Any]:
        out: dict[str, Any] = {"platform": key.platform, "user_id": key.user_id, "chats": {}}
        async with self.db.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            for chat_id, role, content, created in await conn.fetch(
                "SELECT chat_id, role, content, created_at FROM turns WHERE platform=$1 AND user_id=$2 "
                "ORDER BY id",
                key.platform,
                key.user_id,
            ):
                chat = out["chats"].setdefault(chat_id or "direct", {"history": [], "preferences": {}})
                chat["history"].append({"role": role, "content": content, "time": created})
            for chat_id, name, value in await conn.fetch(
                "SELECT chat_id, name, value FROM prefs WHERE platform=$1 AND user_id=$2",
                key.platform,
                key.user_id,
            ):
                chat = out["chats"].setdefault(chat_id or "direct", {"history": [], "preferences": {}})
                chat["preferences"][name] = json.loads(value)
            out["unanswered_messages"] = [
                {"message_id": mid, "text": json.loads(p).get("text", ""), "received": ts}
                for mid, p, ts in await conn.fetch(
                    "SELECT message_id, payload, received_at FROM inbox WHERE platform=$1 AND user_id=$2 "
                    "ORDER BY seq",
                    key.platform,
                    key.user_id,
                )
            ]
            rows = await conn.fetch(
                "SELECT name, value FROM cursors WHERE platform=$1 AND user_id=$2 ORDER BY name",
                key.platform,
                key.user_id,
            )
        if rows:  # e.g. the Discord DM channel and the last message id the bot saw there
            out["delivery_state"] = {name: value for name, value in rows}
        return out

    # delivery: inbox + handled markers + claims ----------------------------------------------
    def _claim_key(self, platform: str, item_id: str) -> int:
        """A signed 64-bit advisory-lock key for one item (schema included: bots may share a DB)."""
        digest = hashlib.sha256(f"{self.schema or ''}\x00{platform}\x00{item_id}".encode()).digest()
        return int(struct.unpack(">q", digest[:8])[0])

    @property
    def _claims(self) -> Any:
        if self._claims_conn is None:
            raise StoreError("the store is not open")
        return self._claims_conn

    async def _check_claims_conn(self) -> None:
        """Caller holds ``_claims_lock``. Reconnect if the claims connection was lost (database
        restart, network cut): PostgreSQL released its locks then, so this process holds none."""
        if self._claims.is_closed():
            import asyncpg

            log.warning("the PostgreSQL claims connection was lost; reconnecting (its claims were released)")
            self._claimed.clear()
            self._claims_conn = None
            self._claims_conn = await asyncpg.connect(self.url, **self._connect_kwargs())

    async def _try_claim(self, claim: int) -> bool:
        """Caller holds ``_claims_lock``. Re-claiming an item this process holds is a no-op."""
        if claim in self._claimed:
            return True
        if await self._claims.fetchval("SELECT pg_try_advisory_lock($1)", claim):
            self._claimed.add(claim)
            return True
        return False

    async def _release(self, claim: int) -> None:
        if claim in self._claimed:
            self._claimed.discard(claim)
            await self._claims.execute("SELECT pg_advisory_unlock($1)", claim)

    async def enqueue_incoming(self, message: Message) -> bool:
        """Persist a message before it is answered. False if it was seen before (in inbox or handled),
        or if another process holds it right now. On True this process holds the claim."""
        if not message.message_id:
            raise ValueError("enqueue_incoming needs a message_id")
        platform, mid = message.key.platform, message.message_id
        claim = self._claim_key(platform, mid)
        async with self._claims_lock:
            await self._check_claims_conn()
            already_mine = claim in self._claimed
            if not await self._try_claim(claim):
                return False  # another live process is answering it
            # The claim is held, so no other process can be between its own check and insert, or
            # between deleting the inbox row and writing the handled marker (mark_handled holds it).
            status = await self._claims.execute(
                "INSERT INTO inbox (platform, message_id, user_id, chat_id, payload, received_at) "
                "SELECT $1,$2,$3,$4,$5,$6 WHERE NOT EXISTS (SELECT 1 FROM handled WHERE item_hash=$7) "
                "ON CONFLICT (platform, message_id) DO NOTHING",
                platform,
                mid,
                message.key.user_id,
                _chat(message.key),
                message_to_json(message),
                time.time(),
                _item_hash(platform, mid),
            )
            inserted = _rowcount(status) == 1
            if not inserted and not already_mine:
                await self._release(claim)
            return inserted

    async def pending_incoming(self, platform: str) -> list[Message]:
        """Messages recorded but not yet marked handled, that no other live process holds; this
        process claims the ones it returns (e.g. the process that took them died while answering)."""
        rows = await self.db.fetch(
            "SELECT message_id, payload FROM inbox WHERE platform=$1 ORDER BY received_at, seq", platform
        )
        out: list[Message] = []
        async with self._claims_lock:
            await self._check_claims_conn()
            for mid, payload in rows:
                claim = self._claim_key(platform, mid)
                if not await self._try_claim(claim):
                    continue
                # Handled by someone between our read and our claim? Then it is no longer pending.
                still = await self._claims.fetchval(
                    "SELECT 1 FROM inbox WHERE platform=$1 AND message_id=$2", platform, mid
                )
                if still:
                    out.append(message_from_json(payload))
                else:
                    await self._release(claim)
        return out

    async def recorded_at(self, platform: str, message_id: str) -> float | None:
        """When the message was put in the inbox (epoch seconds); None when it is not there."""
        value = await self.db.fetchval(
            "SELECT received_at FROM inbox WHERE platform=$1 AND message_id=$2", platform, message_id
        )
        return float(value) if value is not None else None

    async def note_attempt(self, platform: str, message_id: str, step: int = 1) -> int:
        """Count a delivery attempt (``step=-1`` takes one back, never below 0); returns the attempts so
        far (to give up on poison messages)."""
        value = await self.db.fetchval(
            "UPDATE inbox SET attempts = GREATEST(0, attempts + $3) WHERE platform=$1 AND message_id=$2 "
            "RETURNING attempts",
            platform,
            message_id,
            step,
        )
        return int(value) if value is not None else 0

    async def mark_handled(self, platform: str, item_id: str) -> None:
        """The item is answered (or deliberately ignored): drop it from the inbox, remember its hash,
        release this process's claim."""
        claim = self._claim_key(platform, item_id)
        async with self._claims_lock:
            await self._check_claims_conn()
            async with self._claims.transaction():
                await self._claims.execute(
                    "DELETE FROM inbox WHERE platform=$1 AND message_id=$2", platform, item_id
                )
                await self._claims.execute(
                    "INSERT INTO handled (item_hash, done_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    _item_hash(platform, item_id),
                    time.time(),
                )
            await self._release(claim)

    async def is_handled(self, platform: str, item_id: str) -> bool:
        return bool(
            await self.db.fetchval("SELECT 1 FROM handled WHERE item_hash=$1", _item_hash(platform, item_id))
        )

    # adapter cursors (telegram offset, discord last message id, ...) --------------------------
    async def get_cursor(self, name: str, default: str | None = None) -> str | None:
        value = await self.db.fetchval("SELECT value FROM cursors WHERE name=$1", name)
        return str(value) if value is not None else default

    async def set_cursor(self, name: str, value: str, owner: UserKey | None = None) -> None:
        """``owner``: the person this cursor is about, if any (``forget`` deletes it with them)."""
        await self.db.execute(
            "INSERT INTO cursors (name, value, updated_at, platform, user_id) VALUES ($1,$2,$3,$4,$5) "
            "ON CONFLICT (name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at, "
            "platform=excluded.platform, user_id=excluded.user_id",
            name,
            value,
            time.time(),
            *_owner_columns(owner),
        )

    async def delete_cursor(self, name: str) -> None:
        await self.db.execute("DELETE FROM cursors WHERE name=$1", name)

    async def cursors(self, prefix: str) -> list[Cursor]:
        """Every cursor whose name starts with ``prefix``, by name."""
        rows = await self.db.fetch(
            "SELECT name, value, platform, user_id FROM cursors WHERE substr(name, 1, $1) = $2 ORDER BY name",
            len(prefix),
            prefix,
        )
        return [Cursor(r[0], r[1], _owner(r[2], r[3])) for r in rows]
