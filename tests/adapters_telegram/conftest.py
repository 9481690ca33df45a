from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters_telegram.fake_telegram import FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Telegram Bot API on 127.0.0.1 (the adapter is pointed at it through its settings)."""
    server = await FakeTelegram().start()
    yield server
    await server.close()
