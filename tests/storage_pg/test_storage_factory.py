"""``[storage] url`` picks the store; the app runs on PostgreSQL as on SQLite."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from bot.app import open_app
from bot.config import ConfigError, load_settings
from bot.storage import describe_store, open_store, storage_kind
from bot.store import ConversationStore
from bot.store_pg import PostgresStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine
from tests.storage_pg.conftest import pg_url


def settings_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **storage: object):
    monkeypatch.chdir(tmp_path)
    return load_settings(
        memory={"db_path": tmp_path / "default.db"},
        storage=storage,
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0},
    )


def test_empty_url_is_sqlite_at_memory_db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_with(tmp_path, monkeypatch)
    store = open_store(s)
    assert isinstance(store, ConversationStore) and store.path == tmp_path / "default.db"
    assert storage_kind(s) == "sqlite" and describe_store(s) == f"SQLite {tmp_path / 'default.db'}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///rel/k.db", Path("rel/k.db")),
        ("sqlite:////abs/k.db", Path("/abs/k.db")),
        ("sqlite:///:memory:", ":memory:"),
    ],
)
def test_sqlite_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, expected: object) -> None:
    store = open_store(settings_with(tmp_path, monkeypatch, url=url))
    assert isinstance(store, ConversationStore) and store.path == expected


@pytest.mark.parametrize("url", ["mysql://u:pw@h/db", "sqlite://k.db", "sqlite:///", "redis://x"])
def test_unsupported_urls_are_clear_errors_without_passwords(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    with pytest.raises(ConfigError, match="storage.url") as err:
        open_store(settings_with(tmp_path, monkeypatch, url=url))
    assert "pw" not in str(err.value)


def test_postgres_url_and_secret_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINDRED_STORAGE__PASSWORD", "s3cret-pw")
    s = settings_with(tmp_path, monkeypatch, url="postgresql://kindred@db:5432/kindred")
    store = open_store(s)
    assert isinstance(store, PostgresStore)
    assert store._password == "s3cret-pw"  # noqa: SLF001 - handed to asyncpg, not put in the URL
    assert "s3cret" not in repr(s) and "s3cret" not in describe_store(s)
    s2 = settings_with(tmp_path, monkeypatch, url="postgresql://kindred:inline-pw@db/kindred")
    assert describe_store(s2) == "PostgreSQL postgresql://kindred:***@db/kindred"


def test_storage_password_is_refused_in_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.toml").write_text('[storage]\npassword = "nope"\n')
    with pytest.raises(ConfigError, match="KINDRED_STORAGE__PASSWORD"):
        load_settings()


async def test_the_app_runs_on_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_schema: str
) -> None:
    url = pg_url()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE SCHEMA "{pg_schema}"')
    finally:
        await conn.close()
    # Extra URL parameters go to PostgreSQL as session settings: here, the schema to use.
    s = settings_with(tmp_path, monkeypatch, url=f"{url}?search_path={pg_schema}")
    engine = FakeEngine("That sounds like a long week. What made it hard?")
    async with open_app(s, engine=engine) as app:
        assert isinstance(app.store, PostgresStore)
        adapter = FakeAdapter(user_id="pg-user")
        await adapter.start(app.dispatcher.handle)
        reply = await adapter.push("long week")
        assert reply is not None and reply.kind == "model"
    async with PostgresStore(url, schema=pg_schema) as store:
        hist = await store.history(UserKey("fake", "pg-user"), 10)
        assert [t.content for t in hist] == ["long week", "That sounds like a long week. What made it hard?"]
    assert not (tmp_path / "default.db").exists()  # nothing went to SQLite
