from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters_reddit.fake_reddit import FakeReddit


@pytest.fixture
async def fake() -> AsyncIterator[FakeReddit]:
    server = FakeReddit()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
