"""A gentle check-in to a message in a server channel: the channel sees only the model's reply (no
line, no "I've sent you a private message"), and the check-in line goes to the author by DM. When the
DM cannot be delivered, the channel gets the reply and the line together, as before. DMs are
unchanged. Through the real discord.py client against the fake Discord
(tests/adapters_discord/fake_discord.py), the real Dispatcher with a fake engine and a scorer that puts
the message in the check-in band (as tests/safety/test_checkin.py does)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import adapters.discord_adapter
from adapters.base import DM_NOTICE_TEXTS
from adapters.discord_adapter import DiscordAdapter
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import Message, UserKey
from tests.adapters_discord.fake_discord import GUILD_CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.adapters_discord.harness import BotProcess, make_settings
from tests.fakes import ChosenScores, FakeEngine, inbox_emptied

MODEL = "That sounds like a really long week. What has been the hardest part?"
GREY = "honestly I just feel so tired of everything lately"
"""The crisis rules pass it; the scorer gives it 0.6: over the check-in threshold, under the crisis one."""
SCORES = {GREY: 0.6}
THRESHOLD = 0.71
CHECKIN = 0.5


def _settings(tmp_path: Path, **discord: Any) -> Settings:
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], **discord)
    settings.safety.checkin_threshold = CHECKIN
    return settings


def _line(settings: Settings) -> str:
    return SafetyPolicy(settings.safety).checkin_text(None, GREY)


class CheckinBot(BotProcess):
    """The harness's bot process with a crisis scorer, recording the Messages the dispatcher sees."""

    def __init__(self, settings: Settings, engine: FakeEngine) -> None:
        super().__init__(settings, engine)
        self.seen: list[Message] = []

    async def start(self) -> CheckinBot:
        await self.store.open()
        scorer = ChosenScores(SCORES, threshold=THRESHOLD)
        dispatcher = Dispatcher(
            self.settings, self.store, self.engine, load_personas(), crisis_classifier=scorer
        )

        async def handle(message: Message, typing: Any = None, /, **kw: Any) -> Any:
            self.seen.append(message)
            return await dispatcher.handle(message, typing, **kw)

        self.adapter = DiscordAdapter(self.settings, self.store)
        self.adapter.client_options = {"guild_ready_timeout": 0.1}
        try:
            await self.adapter.start(handle)
        except BaseException:
            await self.store.close()
            raise
        return self


def _in(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.sent if m["channel_id"] == channel_id]


async def _inbox(settings: Settings) -> list[str]:
    async with ConversationStore(settings.memory.db_path) as store:
        return [m.message_id for m in await store.pending_incoming("discord")]


async def _dm_conversation(settings: Settings, user_id: int) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    async with ConversationStore(settings.memory.db_path) as store:
        key = UserKey("discord", str(user_id))
        return await store.get_prefs(key), [(t.role, t.content) for t in await store.history(key, 50)]


def _kindred_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Kindred's own log lines (aiosqlite's DEBUG lines quote every SQL parameter; they stay at DEBUG)."""
    return [r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("adapters", "bot")]


async def test_a_check_in_in_a_server_goes_by_dm_and_the_channel_sees_only_the_reply(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="adapters")
    caplog.set_level(logging.DEBUG, logger="bot")
    settings = _settings(tmp_path)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    async with CheckinBot(settings, engine) as bot:
        asked = await fake.user_guild_message(701, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    dm = fake.dm_channels[701]
    assert fake.dm_opened == [701]
    assert fake.sent_to(dm) == [line]  # the line alone, by DM
    [private] = _in(fake, dm)
    assert "message_reference" not in private and private["allowed_mentions"]["parse"] == []
    assert fake.sent_to(GUILD_CHANNEL_ID) == [MODEL]  # the model's reply only: no line, no notice
    assert not any(text in DM_NOTICE_TEXTS.values() for text in fake.sent_to(GUILD_CHANNEL_ID))
    [public] = _in(fake, GUILD_CHANNEL_ID)
    assert str(public["message_reference"]["message_id"]) == asked["id"]
    assert [m["channel_id"] for m in fake.sent] == [dm, GUILD_CHANNEL_ID]  # the line once, first
    assert [m.text for m in bot.seen] == [GREY] and bot.seen[0].is_group
    assert [r.messages[-1].content for r in engine.requests] == [GREY]
    assert await _inbox(settings) == []
    # The person may answer the line by DM: that conversation is careful and knows what came before.
    prefs, history = await _dm_conversation(settings, 701)
    assert prefs["careful"] == settings.safety.checkin_careful_turns
    assert history == [("user", GREY), ("assistant", line)]
    logged = "\n".join(_kindred_log(caplog))
    assert "checkin.private" in logged
    assert "tired of everything" not in logged and line not in logged and MODEL not in logged


async def test_dms_closed_the_channel_gets_the_reply_and_the_line(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path)
    line = _line(settings)
    fake.close_dms(702)
    async with CheckinBot(settings, FakeEngine(MODEL)):
        asked = await fake.user_guild_message(702, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    dm = fake.dm_channels[702]
    assert fake.rest_calls.count(f"POST /channels/{dm}/messages") == 1  # tried once: 403 / 50007
    assert fake.sent_to(dm) == []
    assert fake.sent_to(GUILD_CHANNEL_ID) == [f"{MODEL}\n\n{line}"]  # as before: safety before privacy
    assert str(_in(fake, GUILD_CHANNEL_ID)[0]["message_reference"]["message_id"]) == asked["id"]
    assert await _inbox(settings) == []
    prefs, history = await _dm_conversation(settings, 702)
    assert "careful" not in prefs and history == []  # nothing arrived by DM
    logged = _kindred_log(caplog)
    assert any("does not take DMs" in m and "check-in line" in m for m in logged)
    assert any("checkin.in_group" in m for m in logged)
    assert not any("tired of everything" in m or line in m for m in logged)


@pytest.mark.parametrize("failure", ["503", "long rate limit"])
async def test_any_dm_failure_sends_the_reply_and_the_line_in_the_channel(
    tmp_path: Path, fake: FakeDiscord, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    line = _line(settings)
    dm = fake.dm_channel_for(703)
    path = f"/channels/{dm}/messages"
    if failure == "503":
        fake.fail_next("POST", path, 503)
    else:
        # discord.py would wait out the 429; the DM gets DM_ATTEMPT_S (here 0.3 s), then the channel.
        monkeypatch.setattr(adapters.discord_adapter, "DM_ATTEMPT_S", 0.3)
        fake.fail_next("POST", path, 429, retry_after=30)
    async with CheckinBot(settings, FakeEngine(MODEL)):
        await fake.user_guild_message(703, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    assert not fake.faults[f"POST {path}"]  # the DM was tried and failed
    assert fake.sent_to(dm) == []
    assert fake.sent_to(GUILD_CHANNEL_ID) == [f"{MODEL}\n\n{line}"]
    assert await _inbox(settings) == []


async def test_a_dm_conversation_is_unchanged(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = _settings(tmp_path)
    line = _line(settings)
    async with CheckinBot(settings, FakeEngine(MODEL)):
        await fake.user_dm(704, GREY)
        dm = fake.dm_channels[704]
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 1)
    assert fake.sent_to(dm) == [f"{MODEL}\n\n{line}"]  # reply and line together, one message
    assert [m["channel_id"] for m in fake.sent] == [dm]
    assert fake.dm_opened == []


async def test_a_retried_channel_reply_does_not_send_the_line_twice(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """The line arrived by DM, then the channel could not be reached: the message stays in the inbox and
    is answered again (the dispatcher leaves the line out: the conversation is careful), in the channel
    only."""
    settings = _settings(tmp_path, send_attempts=2, retry_pending_s=0.1)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    fake.fail_next("POST", f"/channels/{GUILD_CHANNEL_ID}/messages", 503, times=2)
    async with CheckinBot(settings, engine):
        await fake.user_guild_message(705, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
        assert await inbox_emptied(settings.memory.db_path, "discord") == []
    assert not fake.faults[f"POST /channels/{GUILD_CHANNEL_ID}/messages"]
    assert len(engine.requests) == 1  # answered again by the retry sweep, with the reply stored for it
    assert fake.sent_to(fake.dm_channels[705]) == [line]  # once
    assert fake.sent_to(GUILD_CHANNEL_ID) == [MODEL]


async def test_a_line_that_reached_nobody_is_sent_with_the_retried_reply(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """DMs closed, and the channel could not be reached either: the retried reply, made without a line
    (the conversation is careful by then), still carries it."""
    settings = _settings(tmp_path, send_attempts=2, retry_pending_s=0.1)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    fake.close_dms(706)
    fake.fail_next("POST", f"/channels/{GUILD_CHANNEL_ID}/messages", 503, times=2)
    async with CheckinBot(settings, engine):
        await fake.user_guild_message(706, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
        assert await inbox_emptied(settings.memory.db_path, "discord") == []
    dm = fake.dm_channels[706]
    assert len(engine.requests) == 1  # the retry resends the reply stored for the message
    assert fake.rest_calls.count(f"POST /channels/{dm}/messages") == 2  # the DM was tried again
    assert fake.sent_to(GUILD_CHANNEL_ID) == [f"{MODEL}\n\n{line}"]  # the line once, not lost
