"""Picks the conversation store from ``[storage] url``: SQLite (one process) or PostgreSQL (many).

    ""                               SQLite at memory.db_path (the default)
    sqlite:///relative/path.db       SQLite, path relative to the working directory
    sqlite:////absolute/path.db      SQLite, absolute path
    sqlite:///:memory:               SQLite in memory (tests)
    postgresql://user@host:5432/db   PostgreSQL via asyncpg (postgres:// and postgresql+asyncpg:// too)

Both stores have the same API (``bot.store.ConversationStore``'s); open either with ``async with``.
``check_store`` looks at the database without opening it as a store (``python -m bot doctor``).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote

from bot.config import ConfigError, Settings
from bot.store import SCHEMA_VERSION, ConversationStore, SchemaState, StoreError, read_schema_state
from bot.store_pg import PostgresStore, redact_url

if TYPE_CHECKING:
    from bot.config import StorageSettings

_PG_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://")


def storage_kind(settings: Settings) -> str:
    """ "sqlite" or "postgresql"; raises ConfigError for any other URL."""
    url = settings.storage.url.strip()
    if not url or url.startswith("sqlite://"):
        return "sqlite"
    if url.startswith(_PG_SCHEMES):
        return "postgresql"
    raise ConfigError(
        f'storage.url = {redact_url(url)!r} is not supported; use "" (SQLite at memory.db_path), '
        '"sqlite:///path.db" or "postgresql://user@host:5432/dbname"'
    )


def sqlite_path(storage: StorageSettings, default: Path) -> Path | str:
    url = storage.url.strip()
    if not url:
        return default
    if not url.startswith("sqlite:///"):
        raise ConfigError(
            f"storage.url = {url!r}: a SQLite URL has three slashes then the path, e.g. "
            '"sqlite:///kindred.db" (relative) or "sqlite:////var/lib/kindred/kindred.db" (absolute)'
        )
    rest = unquote(url[len("sqlite:///") :].split("?", 1)[0])
    if not rest:
        raise ConfigError(f"storage.url = {url!r} names no database file")
    return ":memory:" if rest == ":memory:" else Path(rest)


def _postgres_store(settings: Settings) -> PostgresStore:
    password = settings.storage.password.get_secret_value() if settings.storage.password else None
    return PostgresStore(
        settings.storage.url.strip(), pool_size=settings.storage.pool_size, password=password
    )


def open_store(settings: Settings) -> ConversationStore:
    """The store the settings ask for, not yet opened: ``async with open_store(settings) as store``.

    Typed as ``ConversationStore`` because ``PostgresStore`` mirrors its API method for method."""
    if storage_kind(settings) == "sqlite":
        return ConversationStore(sqlite_path(settings.storage, settings.memory.db_path))
    return cast(ConversationStore, _postgres_store(settings))


def describe_store(settings: Settings) -> str:
    """Where the memory lives, safe to print (no password)."""
    if storage_kind(settings) == "sqlite":
        return f"SQLite {sqlite_path(settings.storage, settings.memory.db_path)}"
    return f"PostgreSQL {redact_url(settings.storage.url.strip())}"


@dataclass(frozen=True, slots=True)
class StoreCheck:
    """One line of ``python -m bot doctor`` about the database."""

    ok: bool
    what: str
    fix: str = ""


STORE_FIX = "set memory.db_path (or [storage] url) to a writable, reachable database"


async def check_store(settings: Settings) -> StoreCheck:
    """Is the database there and usable, and what will start do to it? Changes nothing: a missing
    SQLite file is not created, an existing one is opened read-only, PostgreSQL is read in a
    read-only transaction, and nothing is migrated (``open_store`` does all of that at start)."""
    where = describe_store(settings)
    if storage_kind(settings) == "sqlite":
        path = sqlite_path(settings.storage, settings.memory.db_path)
        if not isinstance(path, Path):
            return StoreCheck(True, f"database {where}: in memory, nothing is kept between runs")
        key = "storage.url" if settings.storage.url.strip() else "memory.db_path"
        return await asyncio.to_thread(_check_sqlite_file, path, where, key)
    try:
        state = await _postgres_store(settings).read_schema_state()
    except StoreError as exc:
        return StoreCheck(
            False,
            f"database: {exc}",
            "check storage.url and that PostgreSQL runs and lets this user in (password in "
            "KINDRED_STORAGE__PASSWORD)",
        )
    return _judge(f"database {where}", state, "storage.url")


def _check_sqlite_file(path: Path, where: str, key: str) -> StoreCheck:
    if path.is_dir():
        return StoreCheck(False, f"database {where} is a folder", f"set {key} to a file, e.g. kindred.db")
    if not path.exists():
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            return StoreCheck(
                False,
                f"database {where} cannot be created: {folder} is not a folder",
                f"set {key} to a path in a folder the bot may write to",
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            return StoreCheck(
                False,
                f"database {where} cannot be created: the folder {folder} is not writable",
                f"let the bot's user write to {folder}, or set {key} elsewhere",
            )
        also = "" if folder == path.parent else f", and the folder {path.parent}"
        return StoreCheck(
            True,
            f"database {where} does not exist yet: start will create it (schema version "
            f"{SCHEMA_VERSION}){also}; {folder} is writable",
        )
    try:
        state = read_schema_state(path)
    except sqlite3.Error as exc:
        return StoreCheck(
            False,
            f"database {where} cannot be read: {exc}",
            f"point {key} at a Kindred database or a new file",
        )
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        return StoreCheck(
            False,
            f"database {where} (schema version {state.version}) is read-only for this user: the bot writes "
            "to it, and its -wal and -shm files beside it",
            f"let the bot's user write to {path} and its folder, or set {key} elsewhere",
        )
    return _judge(f"database {where}", state, key)


def _judge(where: str, state: SchemaState, key: str) -> StoreCheck:
    if state.version > SCHEMA_VERSION:
        return StoreCheck(
            False,
            f"{where} has schema version {state.version}, newer than this Kindred understands ({SCHEMA_VERSION})",
            f"upgrade Kindred, or set {key} to another database",
        )
    if state.stray_tables:
        return StoreCheck(
            False,
            f"{where} has tables named like Kindred's ({', '.join(state.stray_tables)}) but no schema "
            "version: it is not a Kindred database, and start would fail creating them",
            f"set {key} to a new database",
        )
    if state.version == 0:
        return StoreCheck(
            True,
            f"{where} has no Kindred tables yet: start will create them (schema version {SCHEMA_VERSION})",
        )
    if state.version < SCHEMA_VERSION:
        return StoreCheck(
            True,
            f"{where} (schema version {state.version}; start will migrate it to version {SCHEMA_VERSION})",
        )
    return StoreCheck(True, f"{where} (schema version {state.version})")
