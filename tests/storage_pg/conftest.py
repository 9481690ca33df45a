"""A real PostgreSQL for the storage tests: ``KINDRED_TEST_PG_URL`` (CI starts one with
tests/storage_pg/pg_cluster.sh). Each test gets its own schema, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store_pg import PostgresStore

PG_URL_ENV = "KINDRED_TEST_PG_URL"


def _from_initial_environment(name: str) -> str:
    """The top-level tests/conftest.py deletes every KINDRED_* variable so a developer's settings
    cannot leak into tests, which also removes KINDRED_TEST_PG_URL. The process's initial
    environment (Linux: /proc/self/environ) still has it."""
    try:
        raw = Path("/proc/self/environ").read_bytes()
    except OSError:
        return ""
    for entry in raw.split(b"\0"):
        key, _, value = entry.partition(b"=")
        if key.decode(errors="replace") == name:
            return value.decode()
    return ""


def pg_url() -> str:
    url = os.environ.get(PG_URL_ENV, "") or _from_initial_environment(PG_URL_ENV)
    if url:
        return url
    reason = (
        f"{PG_URL_ENV} is not set: start a throwaway PostgreSQL with "
        '`eval "$(tests/storage_pg/pg_cluster.sh start)"` (needs apt-get install postgresql)'
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"the PostgreSQL tests must run in CI but {reason}")
    pytest.skip(reason)


@pytest.fixture
async def pg_schema() -> AsyncIterator[str]:
    import asyncpg

    url = pg_url()
    name = "t_" + uuid.uuid4().hex[:12]
    yield name
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        await conn.close()


@pytest.fixture
async def store(pg_schema: str) -> AsyncIterator[PostgresStore]:
    """Overrides the SQLite ``store`` fixture, so the core contract tests run on PostgreSQL."""
    async with PostgresStore(pg_url(), schema=pg_schema) as s:
        yield s
