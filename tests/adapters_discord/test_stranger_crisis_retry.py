"""The crisis reply to a stranger (someone in a server outside allowed_guilds) is stored nowhere, so the
adapter itself keeps trying: in the background, in order per channel, beyond send_attempts for up to
STRANGER_CRISIS_RETRY_S, given up at once on a refusal, bounded at stop. Through the real discord.py
client against the fake Discord."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from adapters.discord_adapter import DM_NOTICE
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import UserKey
from tests.adapters_discord.fake_discord import (
    GUILD_ID,
    OTHER_GUILD_CHANNEL_ID,
    OTHER_GUILD_ID,
    FakeDiscord,
)
from tests.adapters_discord.harness import BotProcess, make_settings
from tests.fakes import FakeEngine

CRISIS = "i'm going to kill myself tonight"
CHANNEL_POSTS = f"/channels/{OTHER_GUILD_CHANNEL_ID}/messages"


def _posts_to(fake: FakeDiscord, channel_id: int) -> int:
    return fake.rest_calls.count(f"POST /channels/{channel_id}/messages")


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "adapters.discord_adapter"]


async def _nothing_stored_about(db: Path, *needles: str) -> None:
    async with ConversationStore(db) as store:
        assert await store.pending_incoming("discord") == []
        async with store.db.execute("SELECT name FROM sqlite_master WHERE type='table'") as cur:
            tables = [r[0] for r in await cur.fetchall()]
        for table in tables:
            async with store.db.execute(f"SELECT * FROM {table}") as cur:
                for row in await cur.fetchall():
                    for value in row:
                        if isinstance(value, str):
                            assert not any(n in value for n in needles), (table, value)


async def test_a_strangers_crisis_reply_outlasts_an_outage_longer_than_send_attempts(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A served person's reply that cannot be sent stays in the inbox for the retry sweep; a
    stranger's is in no inbox, so the adapter retries it beyond send_attempts instead of dropping it."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], send_attempts=2)
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    dm = fake.dm_channel_for(731)
    # Discord is failing: the DM (one try each round), then the channel (send_attempts each round).
    fake.fail_next("POST", f"/channels/{dm}/messages", 503, times=2)
    fake.fail_next("POST", CHANNEL_POSTS, 503, times=3)
    fake.fail_next("POST", CHANNEL_POSTS, 0, times=1)  # and a dropped connection
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        asked = await fake.user_guild_message(731, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent) == 2)
    # The third round's DM went through: the crisis reply privately, the neutral line in the channel.
    assert fake.sent_to(dm) == [crisis_reply]
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [DM_NOTICE]
    [line] = [m for m in fake.sent if m["channel_id"] == OTHER_GUILD_CHANNEL_ID]
    assert str(line["message_reference"]["message_id"]) == asked["id"]
    assert _posts_to(fake, dm) == 3
    assert _posts_to(fake, OTHER_GUILD_CHANNEL_ID) == 5  # 2 + 2 failed rounds, then the line
    logged = _logged(caplog)
    assert sum("sent the crisis reply" in line for line in logged) == 1
    assert any("could not be sent yet" in line for line in logged)
    assert not any("kill myself" in line for line in logged)
    await _nothing_stored_about(settings.memory.db_path, "731", asked["id"], "kill myself")


async def test_a_strangers_crisis_reply_goes_in_the_channel_when_dms_are_closed_and_discord_recovers(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """Closed DMs (403 / 50007) go to the channel as before; the channel failing for a while is retried,
    and the DM is not asked again once it was refused."""
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], send_attempts=2)
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    fake.close_dms(732)
    fake.fail_next("POST", CHANNEL_POSTS, 503, times=4)
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        await fake.user_guild_message(732, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 1)
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [crisis_reply]
    assert _posts_to(fake, fake.dm_channels[732]) == 1  # refused once; not asked again
    assert _posts_to(fake, OTHER_GUILD_CHANNEL_ID) == 5


async def test_a_refusal_in_the_channel_ends_it_at_once(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID])
    fake.close_dms(733)
    fake.fail_next("POST", CHANNEL_POSTS, 403, times=50)  # the bot may not write there
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        await fake.user_guild_message(733, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: _posts_to(fake, OTHER_GUILD_CHANNEL_ID) == 1)
        await fake.user_dm(739, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[739])) == 1)
        await asyncio.sleep(0.3)  # retries would come every 0.02-0.1 s here
    assert _posts_to(fake, OTHER_GUILD_CHANNEL_ID) == 1
    assert _posts_to(fake, fake.dm_channels[733]) == 1
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == []
    logged = _logged(caplog)
    assert any("cannot send to channel" in line for line in logged)
    assert not any("sent the crisis reply" in line for line in logged)


async def test_strangers_crisis_replies_keep_their_order_in_a_channel(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """Two strangers in one channel, DMs closed: the first one's reply, held up by Discord, still comes
    first, and the bot keeps answering everyone else meanwhile."""
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], send_attempts=2)
    policy = SafetyPolicy(settings.safety)
    english, spanish = CRISIS, "no quiero seguir viviendo, estoy cansada de todo"
    fake.close_dms(741)
    fake.close_dms(742)
    fake.fail_next("POST", CHANNEL_POSTS, 503, times=3)  # the first's first round and half its second
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        await fake.user_guild_message(741, english, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: _posts_to(fake, OTHER_GUILD_CHANNEL_ID) >= 1)
        await fake.user_guild_message(742, spanish, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.user_dm(749, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 2)
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [
        policy.crisis_reply(None, english),
        policy.crisis_reply(None, spanish),
    ]
    assert fake.sent_to(fake.dm_channels[749]) == ["Hi friend."]


async def test_stopping_does_not_wait_forever_for_a_strangers_crisis_reply(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], stop_timeout_s=0.5)
    fake.close_dms(734)
    fake.fail_next("POST", CHANNEL_POSTS, 503, times=10_000)  # down for good
    bot = await BotProcess(settings, FakeEngine("Hi friend.")).start()
    try:
        await fake.user_guild_message(734, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: _posts_to(fake, OTHER_GUILD_CHANNEL_ID) >= 6)  # past send_attempts
    finally:
        started = time.monotonic()
        await asyncio.wait_for(bot.stop(), 5)
    assert time.monotonic() - started < 3
    logged = _logged(caplog)
    assert any("gave up sending a crisis reply" in line or "still unsent" in line for line in logged)
    assert fake.sent == []
    calls = len(fake.rest_calls)
    await asyncio.sleep(0.3)
    assert len(fake.rest_calls) == calls  # nothing left running after stop


async def test_with_the_database_down_a_crisis_dm_still_gets_the_crisis_reply_at_once(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """The database cannot record messages (gone, or the disk full): an ordinary DM is not answered
    (it is read back at the next reconnect), but a crisis DM gets the crisis reply at once, once, in
    the language it was written in; nothing about it is logged."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path)
    policy = SafetyPolicy(settings.safety)
    bot = BotProcess(settings, FakeEngine("Hi friend."))
    async with bot:
        await fake.user_dm(741, "hello")
        dm = fake.dm_channels[741]
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 1)
        await bot.store.close()  # every call now raises StoreError, like a database server that went away
        outage = [await fake.user_dm(741, "nice weather today")]
        outage.append(await fake.user_dm(741, CRISIS))
        outage.append(await fake.user_dm(741, "quiero morirme"))
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 3)
        outage.append(await fake.user_dm(741, CRISIS))  # the same words again, a new message: its own reply
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 4)
        # a disclosure of abuse: its reply
        outage.append(await fake.user_dm(741, "my stepdad hits me when he's drunk"))
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 5)
        await asyncio.sleep(0.2)
        await bot.store.open()  # the database is back
        # A gateway reconnect that cannot resume reads the DM channel back: the messages of that time are
        # recorded and handled now (careful mode stored), but the crisis replies are not sent again.
        reads = fake.history_reads
        fake._sessions.clear()
        await fake.close_gateway(4000)
        await fake.wait_for(lambda: fake.identify_count == 2 and fake.history_reads > reads)
        # The history request is counted when it arrives, before its messages are recorded: wait until
        # every message of the outage is recorded and handled.
        for _ in range(200):
            handled = [await bot.store.is_handled("discord", str(m["id"])) for m in outage]
            if all(handled):
                break
            await asyncio.sleep(0.05)
        assert handled == [True] * len(outage)
        assert await bot.store.pending_incoming("discord") == []
        assert await bot.store.get_pref(UserKey("discord", "741"), "careful") == settings.safety.careful_turns
    sent = fake.sent_to(dm)
    assert sent[:5] == [
        "Hi friend.",
        policy.crisis_reply(None, CRISIS),
        policy.crisis_reply(None, "quiero morirme"),
        policy.crisis_reply(None, CRISIS),
        policy.abuse_reply("abuse.physical"),
    ]
    assert all(
        text == "Hi friend." for text in sent[5:]
    )  # at most the model's answer to "nice weather today"
    assert policy.crisis_reply(None, "quiero morirme") != policy.crisis_reply(None, CRISIS)  # Spanish
    logged = _logged(caplog)
    assert not any("kill myself" in line or "morirme" in line for line in logged)
    # Each message of the outage is one warning line, not discord.py's traceback of the store's error.
    assert sum("could not be recorded (StoreError" in line for line in logged) == len(outage)
    assert not [r for r in caplog.records if r.name == "discord.client" and r.levelno >= logging.ERROR]


async def test_a_read_back_while_the_database_is_down_waits_for_the_next_reconnect(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A gateway reconnect reads the DM channels back while the database still fails: the read-back stops
    at the first message it cannot record, with one warning, and the next reconnect once the database is
    back finds the message and answers it once."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path)
    bot = BotProcess(settings, FakeEngine("Hi friend."))
    async with bot:
        await fake.user_dm(742, "hello")
        dm = fake.dm_channels[742]
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 1)
        await fake.user_dm(742, "are you there?", live=False)  # only in the channel's history
        await bot.store.close()
        for round_ in (1, 2):
            if round_ == 2:
                await bot.store.open()
            reads = fake.history_reads
            fake._sessions.clear()
            await fake.close_gateway(4000)
            await fake.wait_for(
                lambda n=round_ + 1, r=reads: fake.identify_count == n and fake.history_reads > r
            )
            if round_ == 1:
                await fake.wait_for(
                    lambda: any("could not be recorded (StoreError" in line for line in _logged(caplog))
                )
                assert len(fake.sent_to(dm)) == 1
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 2)
        await asyncio.sleep(0.2)
        assert await bot.store.pending_incoming("discord") == []
    assert fake.sent_to(dm) == ["Hi friend.", "Hi friend."]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
