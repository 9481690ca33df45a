from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# Tests never reach the internet; local fake servers must not go through a proxy.
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
for _name in list(os.environ):
    if _name.startswith("KINDRED_") and not _name.startswith("KINDRED_TEST_"):
        del os.environ[_name]

from bot.config import Settings, load_settings  # noqa: E402
from bot.store import ConversationStore  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with the database in a temp folder and no config file from the working directory."""
    monkeypatch.chdir(tmp_path)
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db"},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0},
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[ConversationStore]:
    async with ConversationStore(tmp_path / "store.db") as s:
        yield s
