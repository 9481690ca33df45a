"""`python -m bot doctor` looks at the database and changes nothing: a missing SQLite file is not
created, an existing one is not migrated (nor given -wal/-shm files), PostgreSQL gets no tables.
It says what start will do instead."""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from bot.cli import cmd_doctor
from bot.config import load_settings
from bot.store import _MIGRATIONS, SCHEMA_VERSION, ConversationStore
from tests.core.test_cli_commands import run_bot


def doctor(tmp_path: Path, db: Path | str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_bot(tmp_path, "doctor", "--skip-model", *extra, db=db)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def database_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if "database" in line)


def make_v1_database(path: Path) -> None:
    """A database as Kindred with schema version 1 left it (before cursors had owners)."""
    conn = sqlite3.connect(path)
    for statement in _MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO cursors (name, value, updated_at) VALUES ('telegram:offset', '7', 1.0)")
    conn.commit()
    conn.close()


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "state" / "kindred.db"
    out = doctor(tmp_path, db)
    assert out.returncode == 0, out.stdout + out.stderr
    line = database_line(out.stdout)
    assert line.startswith("  ok    database SQLite") and "does not exist yet: start will create it" in line
    assert f"(schema version {SCHEMA_VERSION})" in line and f"{data} is writable" in line
    assert list(data.iterdir()) == []  # neither the file nor its folder


def test_a_database_that_cannot_be_created_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    out = doctor(tmp_path, tmp_path / "afile" / "kindred.db")
    assert out.returncode == 1
    line = database_line(out.stdout)
    assert line.startswith("  FAIL  database") and "cannot be created" in line and "is not a folder" in line
    assert "fix: set memory.db_path" in out.stdout


async def test_the_fix_names_the_key_that_chose_the_file(tmp_path: Path) -> None:
    from bot.storage import check_store

    (tmp_path / "afile").write_text("not a folder")
    url = f"sqlite:///{tmp_path}/afile/kindred.db"
    found = await check_store(load_settings(storage={"url": url}))
    assert not found.ok and "cannot be created" in found.what and found.fix.startswith("set storage.url ")


def test_an_old_database_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "kindred.db"
    make_v1_database(db)
    before = snapshot(data)
    out = doctor(tmp_path, db)
    assert out.returncode == 0, out.stdout + out.stderr
    line = database_line(out.stdout)
    assert f"(schema version 1; start will migrate it to version {SCHEMA_VERSION})" in line
    assert snapshot(data) == before  # same bytes, same mtime, no -wal/-shm/-journal beside it
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version FROM schema_version").fetchone() == (1,)
    conn.close()


async def test_a_current_database_used_by_the_bot_is_read_without_side_files(tmp_path: Path) -> None:
    db = tmp_path / "kindred.db"
    async with ConversationStore(db):  # the bot's own journal mode (WAL) and schema
        pass
    before = snapshot(tmp_path)
    settings = load_settings(memory={"db_path": db})
    assert await cmd_doctor(argparse.Namespace(skip_model=True, offline=True), settings) == 0
    assert snapshot(tmp_path) == before
    # while the bot has it open (the -wal file exists), it is read through SQLite's locks
    writer = sqlite3.connect(db)
    writer.execute("INSERT INTO cursors (name, value, updated_at) VALUES ('x', 'y', 1.0)")
    writer.commit()
    assert f"{db.name}-wal" in names(tmp_path)
    assert await cmd_doctor(argparse.Namespace(skip_model=True, offline=True), settings) == 0
    writer.close()
    assert names(tmp_path) == ["kindred.db"]


@pytest.mark.parametrize(
    ("prepare", "says"),
    [
        ("newer", "schema version 99, newer than this Kindred understands"),
        ("stray", "has tables named like Kindred's (turns) but no schema version"),
        ("garbage", "cannot be read: file is not a database"),
    ],
)
def test_databases_start_could_not_use_are_findings(tmp_path: Path, prepare: str, says: str) -> None:
    db = tmp_path / "kindred.db"
    if prepare == "garbage":
        db.write_bytes(b"this is not SQLite" * 100)
    else:
        conn = sqlite3.connect(db)
        if prepare == "newer":
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (99)")
        else:
            conn.execute("CREATE TABLE turns (x TEXT)")
        conn.commit()
        conn.close()
    before = snapshot(tmp_path)
    out = doctor(tmp_path, db)
    assert out.returncode == 1
    line = database_line(out.stdout)
    assert line.startswith("  FAIL  database") and says in line, line
    assert snapshot(tmp_path) == before


# --- PostgreSQL ----------------------------------------------------------------------------------


async def test_postgresql_is_checked_without_creating_or_migrating_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncpg

    from bot.store_pg import PostgresStore
    from tests.storage_pg.conftest import pg_url

    base = pg_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    # The schema goes in the URL (asyncpg passes search_path on as a server setting), so the doctor
    # and the store look where the bot would.
    url = f"{base}?search_path={schema}"
    settings = load_settings(memory={"db_path": tmp_path / "unused.db"}, storage={"url": url})
    args = argparse.Namespace(skip_model=True, offline=True)
    admin = await asyncpg.connect(base)
    try:
        assert await cmd_doctor(args, settings) == 0
        line = database_line(capsys.readouterr().out)
        assert (
            "ok    database PostgreSQL" in line
            and "has no Kindred tables yet: start will create them" in line
        )
        exists = "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1"
        assert await admin.fetchval(exists, schema) == 0

        async with PostgresStore(base, schema=schema):  # what start does: tables at the current version
            pass
        await admin.execute(f'UPDATE "{schema}".schema_version SET version = 1')
        assert await cmd_doctor(args, settings) == 0
        line = database_line(capsys.readouterr().out)
        assert f"(schema version 1; start will migrate it to version {SCHEMA_VERSION})" in line
        assert await admin.fetchval(f'SELECT version FROM "{schema}".schema_version') == 1
    finally:
        await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await admin.close()
    assert not (tmp_path / "unused.db").exists()


async def test_an_unreachable_postgresql_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = load_settings(storage={"url": f"postgresql://kindred:pw@127.0.0.1:{port}/kindred"})
    assert await cmd_doctor(argparse.Namespace(skip_model=True, offline=True), settings) == 1
    out = capsys.readouterr().out
    line = database_line(out)
    assert line.startswith("  FAIL  database: cannot reach the database postgresql://kindred:***@127.0.0.1")
    assert "KINDRED_STORAGE__PASSWORD" in out and ":pw@" not in out
