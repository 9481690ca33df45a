"""Picks the conversation store from ``[storage] url``: SQLite (one process) or PostgreSQL (many).

    ""                               SQLite at memory.db_path (the default)
    sqlite:///relative/path.db       SQLite, path relative to the working directory
    sqlite:////absolute/path.db      SQLite, absolute path
    sqlite:///:memory:               SQLite in memory (tests)
    postgresql://user@host:5432/db   PostgreSQL via asyncpg (postgres:// and postgresql+asyncpg:// too)

Both stores have the same API (``bot.store.ConversationStore``'s); open either with ``async with``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote

from bot.config import ConfigError, Settings
from bot.store import ConversationStore
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


def open_store(settings: Settings) -> ConversationStore:
    """The store the settings ask for, not yet opened: ``async with open_store(settings) as store``.

    Typed as ``ConversationStore`` because ``PostgresStore`` mirrors its API method for method."""
    if storage_kind(settings) == "sqlite":
        return ConversationStore(sqlite_path(settings.storage, settings.memory.db_path))
    password = settings.storage.password.get_secret_value() if settings.storage.password else None
    store = PostgresStore(
        settings.storage.url.strip(), pool_size=settings.storage.pool_size, password=password
    )
    return cast(ConversationStore, store)


def describe_store(settings: Settings) -> str:
    """Where the memory lives, safe to print (no password)."""
    if storage_kind(settings) == "sqlite":
        return f"SQLite {sqlite_path(settings.storage, settings.memory.db_path)}"
    return f"PostgreSQL {redact_url(settings.storage.url.strip())}"
