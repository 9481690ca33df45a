"""The Discord adapter through the real discord.py client against a fake REST API + gateway on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from pathlib import Path

import pytest

import adapters.base
from adapters.base import StrangerCrisis
from adapters.discord_adapter import DM_NOTICE, MAX_CHARS, DiscordAdapter
from bot.config import SafetySettings
from bot.protocols import AdapterStartError
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import UserKey
from tests.adapters_discord.fake_discord import (
    BOT_ID,
    GUILD_CHANNEL_ID,
    GUILD_ID,
    OTHER_GUILD_CHANNEL_ID,
    OTHER_GUILD_ID,
    TOKEN,
    FakeDiscord,
)
from tests.adapters_discord.harness import BotProcess, make_settings
from tests.adapters_telegram.harness import GatedEngine
from tests.fakes import FakeEngine


async def inbox(db: Path) -> list[str]:
    async with ConversationStore(db) as store:
        return [m.message_id for m in await store.pending_incoming("discord")]


async def test_dm_gets_a_reply_with_typing(tmp_path: Path, fake: FakeDiscord) -> None:
    engine = FakeEngine("I'm glad you wrote. How was your day?")
    async with BotProcess(make_settings(tmp_path), engine):
        await fake.user_dm(501, "hi kindred")
        channel = fake.dm_channels[501]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    assert fake.sent_to(channel) == ["I'm glad you wrote. How was your day?"]
    assert engine.last_user_text == "hi kindred"
    assert channel in fake.typing
    sent = fake.sent[0]
    assert "message_reference" not in sent  # a DM answer is not threaded
    assert sent["allowed_mentions"]["parse"] == []  # the model can never ping anyone
    assert await inbox(tmp_path / "kindred.db") == []


async def test_guild_only_when_mentioned_and_allowed(tmp_path: Path, fake: FakeDiscord) -> None:
    engine = FakeEngine("Hi everyone!")
    async with BotProcess(make_settings(tmp_path, allowed_guilds=[GUILD_ID]), engine):
        await fake.user_guild_message(601, "chatting, not with the bot")
        mentioned = await fake.user_guild_message(601, "what do you think?", mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
        await fake.user_guild_message(602, "hello there", mention=True, guild_id=OTHER_GUILD_ID)
        await fake.user_dm(603, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[603])) == 1)
    assert len(fake.sent_to(GUILD_CHANNEL_ID)) == 1
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == []  # guild not in allowed_guilds
    assert [r.messages[-1].content for r in engine.requests] == ["what do you think?", "sync point"]
    reply = next(m for m in fake.sent if m["channel_id"] == GUILD_CHANNEL_ID)
    assert str(reply["message_reference"]["message_id"]) == mentioned["id"]  # threaded under the question


async def test_long_reply_is_split_at_2000(tmp_path: Path, fake: FakeDiscord) -> None:
    # four paragraphs of ~1.3k characters (distinct words, so the reply checks see no loop)
    long_text = "\n\n".join(" ".join(f"p{p}w{i}" for i in range(200)) for p in range(4))
    async with BotProcess(make_settings(tmp_path), FakeEngine(long_text)):
        await fake.user_dm(502, "tell me everything")
        channel = fake.dm_channels[502]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) >= 4)
    parts = fake.sent_to(channel)
    assert len(parts) == 4
    assert all(len(p) <= MAX_CHARS for p in parts)
    assert [p.split()[0] for p in parts] == ["p0w0", "p1w0", "p2w0", "p3w0"]  # cut at paragraph breaks
    assert "\n\n".join(parts) == long_text


async def test_429_then_success(tmp_path: Path, fake: FakeDiscord) -> None:
    fake.fail_next("POST", "/messages", 429, retry_after=0.3)
    async with BotProcess(make_settings(tmp_path)):
        t0 = time.monotonic()
        await fake.user_dm(503, "hello")
        channel = fake.dm_channels[503]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        waited = time.monotonic() - t0
    assert sum(c.endswith(f"/channels/{channel}/messages") for c in fake.rest_calls) == 2
    assert waited >= 0.3


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_then_success(tmp_path: Path, fake: FakeDiscord, status: int) -> None:
    # 500 is retried by discord.py itself (after ~1 s); 503 is raised by it and retried by the adapter.
    fake.fail_next("POST", "/messages", status)
    async with BotProcess(make_settings(tmp_path)):
        await fake.user_dm(504, "hello")
        channel = fake.dm_channels[504]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    assert sum(c.endswith(f"/channels/{channel}/messages") for c in fake.rest_calls) == 2
    assert await inbox(tmp_path / "kindred.db") == []


async def test_failed_send_stays_in_the_inbox_and_is_retried(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path, send_attempts=2)
    fake.fail_next("POST", "/messages", 503, times=2)
    async with BotProcess(settings):
        data = await fake.user_dm(505, "hello")
        await fake.wait_for(
            lambda: sum(c.endswith("/messages") and c.startswith("POST") for c in fake.rest_calls) == 2
        )
    assert fake.sent == []
    assert await inbox(settings.memory.db_path) == [data["id"]]  # not marked handled
    async with BotProcess(settings):  # the next start answers it
        await fake.wait_for(lambda: len(fake.sent) == 1)
    assert await inbox(settings.memory.db_path) == []


async def test_gateway_drop_resumes_and_replays(tmp_path: Path, fake: FakeDiscord) -> None:
    async with BotProcess(make_settings(tmp_path)):
        await fake.close_gateway(4000)
        await fake.user_dm(506, "sent while the connection was down")  # held by the server
        channel = fake.dm_channels[506]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    assert fake.resume_count == 1 and fake.identify_count == 1


async def test_killed_mid_reply_is_answered_exactly_once_after_restart(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    settings = make_settings(tmp_path)
    engine = GatedEngine("Still here.")
    first = await BotProcess(settings, engine).start()
    data = await fake.user_dm(507, "hello before the crash")
    await fake.wait_for(lambda: len(engine.requests) == 1)
    await first.kill()
    assert fake.sent == []
    assert await inbox(settings.memory.db_path) == [data["id"]]

    engine.gate.set()
    async with BotProcess(settings, engine):
        channel = fake.dm_channels[507]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        await fake.wait_for(lambda: fake.history_reads >= 1)  # the history catch-up has run too
    assert fake.sent_to(channel) == ["Still here."]
    assert await inbox(settings.memory.db_path) == []


async def test_dms_sent_while_down_are_read_from_history_once(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path)
    engine = FakeEngine(lambda req: f"re: {req.messages[-1].content}")
    async with BotProcess(settings, engine):
        await fake.user_dm(508, "first, while online")
        channel = fake.dm_channels[508]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    # the bot is down: Discord keeps these only in the channel history
    await fake.user_dm(508, "second, while you were away", live=False)
    await fake.user_dm(508, "third, still away", live=False)
    async with BotProcess(settings, engine):
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 2)
    async with BotProcess(settings, engine):  # another restart finds nothing new
        reads = fake.history_reads
        await fake.wait_for(lambda: fake.history_reads > reads)
    # The two messages found after the restart are answered together, as a person would.
    assert fake.sent_to(channel) == [
        "re: first, while online",
        "re: second, while you were away\nthird, still away",
    ]
    assert fake.identify_count == 3


async def test_stop_finishes_the_reply_in_flight(tmp_path: Path, fake: FakeDiscord) -> None:
    engine = GatedEngine("All done.")
    bot = await BotProcess(make_settings(tmp_path), engine).start()
    await fake.user_dm(509, "think it over")
    await fake.wait_for(lambda: len(engine.requests) == 1)
    stopping = asyncio.create_task(bot.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()
    engine.gate.set()
    await asyncio.wait_for(stopping, 5)
    assert fake.sent_to(fake.dm_channels[509]) == ["All done."]


async def test_invalid_token_is_a_clear_start_error(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path, token="wrong.discord.token")
    async with ConversationStore(tmp_path / "x.db") as store:
        with pytest.raises(AdapterStartError) as err:
            await DiscordAdapter(settings, store).start(FakeEngine().generate)  # type: ignore[arg-type]
    assert "KINDRED_DISCORD__TOKEN" in str(err.value)
    assert "wrong.discord.token" not in str(err.value)


async def test_check_reports_the_bot(tmp_path: Path, fake: FakeDiscord) -> None:
    async with ConversationStore(":memory:") as store:
        assert (await DiscordAdapter(make_settings(tmp_path), store).check()).startswith(
            "logged in as kindred"
        )


async def test_failed_send_is_retried_while_connected(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path, send_attempts=2, retry_pending_s=0.2)
    fake.fail_next("POST", "/messages", 503, times=2)
    async with BotProcess(settings):
        await fake.user_dm(510, "hello")
        await fake.wait_for(lambda: len(fake.sent) == 1)  # the retry sweep, no restart
    assert sum(c.startswith("POST") and c.endswith("/messages") for c in fake.rest_calls) == 3
    assert await inbox(settings.memory.db_path) == []


async def test_logs_hold_no_token_or_text(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with BotProcess(make_settings(tmp_path)):
        await fake.user_dm(511, "my private worries")
        await fake.wait_for(lambda: len(fake.sent) == 1)
    # aiohttp's records are the fake server's; aiosqlite's DEBUG lines are the store's business.
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("aiohttp", "aiosqlite"))
    )
    assert "handled" in logged  # the capture works
    assert "private worries" not in logged
    assert TOKEN not in logged
    assert "voice will NOT be supported" not in logged


_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _naming(texts: list[str], needle: str) -> list[str]:
    """The texts that hold ``needle``; a number only as a whole number, since a short test id such as
    "701" turns up inside other snowflake ids by chance (this made CI fail twice)."""
    pattern = re.compile(rf"(?<!\d){re.escape(needle)}(?!\d)")
    return [t for t in texts if pattern.search(t)]


async def _texts_in_database(db: Path) -> list[str]:
    """Every text value in every table of the bot's database, except the "handled" markers: they
    are sha256 hex digests by design, and a short id like "520" turns up inside one by chance."""
    async with ConversationStore(db) as store:
        async with store.db.execute("SELECT name FROM sqlite_master WHERE type='table'") as cur:
            tables = [r[0] for r in await cur.fetchall()]
        out: list[str] = []
        for table in tables:
            async with store.db.execute(f"SELECT * FROM {table}") as cur:
                out += [v for row in await cur.fetchall() for v in row if isinstance(v, str)]
        return [v for v in out if not _SHA256_HEX.fullmatch(v)]


async def test_forget_removes_the_dm_cursor_and_nothing_from_before_is_answered_again(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    settings = make_settings(tmp_path, send_attempts=1, retry_pending_s=3600)
    db = settings.memory.db_path
    engine = FakeEngine(lambda req: f"re: {req.messages[-1].content}")
    bot = await BotProcess(settings, engine).start()
    try:
        await fake.user_dm(520, "first")
        channel = fake.dm_channels[520]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        # A message whose reply cannot be sent stays in the inbox ...
        fake.fail_next("POST", f"/channels/{channel}/messages", 503)
        unanswered = await fake.user_dm(520, "second, its reply fails")
        await fake.wait_for(lambda: not fake.faults[f"POST /channels/{channel}/messages"])
        await fake.wait_for(lambda: len(engine.requests) == 2)
        # ... until /forget deletes it with everything else about the person.
        forget = await fake.user_dm(520, "/forget")
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 2)
        assert fake.sent_to(channel)[1].startswith("Done. I've deleted everything")
        texts = await _texts_in_database(db)
        # No row names the person, their DM channel or one of their message ids (markers are hashes).
        for needle in (str(channel), "520", unanswered["id"], forget["id"]):
            assert not _naming(texts, needle), needle

        # A gateway reconnect that cannot resume reads the known DM channels back: only what is
        # newer than what the bot had seen, so nothing from before /forget comes again.
        reads = fake.history_reads
        fake._sessions.clear()
        await fake.close_gateway(4000)
        await fake.wait_for(lambda: fake.identify_count == 2 and fake.history_reads > reads)
    finally:
        await bot.stop()

    # A restart knows no DM channel of this person any more, so it reads none of their history:
    # the failed "second" (no longer in the inbox, never marked answered) is not answered now.
    async with BotProcess(settings, engine):
        await fake.wait_for(lambda: fake.identify_count == 3)
        await asyncio.sleep(0.3)  # time for a catch-up, had there been one
        assert fake.sent_to(channel) == ["re: first", fake.sent_to(channel)[1]]
        # Writing again works as for anyone new, and the channel is known again.
        await fake.user_dm(520, "hello again")
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 3)
    assert fake.sent_to(channel)[2] == "re: hello again"
    assert len(engine.requests) == 3  # "first", the failed "second", "hello again"
    async with ConversationStore(db) as store:
        [cursor] = await store.cursors("discord:dm:")
        assert cursor.owner == UserKey("discord", "520") and cursor.name == f"discord:dm:{channel}"


async def test_cursors_from_before_schema_2_get_their_owner_and_the_old_list_goes(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    settings = make_settings(tmp_path)
    db = settings.memory.db_path
    engine = FakeEngine(lambda req: f"re: {req.messages[-1].content}")
    seen = await fake.user_dm(530, "answered by an older Kindred", live=False)
    channel = fake.dm_channels[530]
    gone = fake.snowflake()  # a DM channel Discord no longer has
    async with ConversationStore(db) as store:  # what an older Kindred left: no owners, one list
        await store.mark_handled("discord", seen["id"])
        await store.set_cursor("discord:dm_channels", json.dumps([channel, gone]))
        await store.set_cursor(f"discord:dm:{channel}", seen["id"])
        await store.set_cursor(f"discord:dm:{gone}", "1")
    await fake.user_dm(530, "sent while the bot was being upgraded", live=False)
    async with BotProcess(settings, engine):
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        async with ConversationStore(db) as store:
            assert await store.get_cursor("discord:dm_channels") is None
            cursors = await store.cursors("discord:dm:")
            assert [(c.name, c.owner) for c in cursors] == [
                (f"discord:dm:{channel}", UserKey("discord", "530"))
            ]
        await fake.user_dm(530, "/forget")
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 2)
    assert fake.sent_to(channel)[0] == "re: sent while the bot was being upgraded"
    assert f"GET /channels/{channel}" in fake.rest_calls
    assert not _naming(await _texts_in_database(db), str(channel))


async def test_dms_typed_in_pieces_get_one_answer(tmp_path: Path, fake: FakeDiscord) -> None:
    """A second DM that arrives while the first is being answered: one answer, to both (bot/fragments.py)."""
    engine = GatedEngine("Oh no, that sounds stressful. What happened?")
    async with BotProcess(make_settings(tmp_path), engine):
        await fake.user_dm(511, "ugh my exam was today")
        await fake.wait_for(lambda: len(engine.requests) == 1)  # the model is writing an answer
        await fake.user_dm(511, "and I blanked on every question")
        await fake.wait_for(lambda: len(engine.requests) == 2)
        engine.gate.set()
        channel = fake.dm_channels[511]
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        await fake.user_dm(512, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[512])) == 1)
    assert fake.sent_to(channel) == ["Oh no, that sounds stressful. What happened?"]
    assert (
        engine.requests[-2].messages[-1].content == "ugh my exam was today\nand I blanked on every question"
    )
    assert await inbox(tmp_path / "kindred.db") == []


# --- servers not in allowed_guilds: only the crisis reply (by DM), only when addressed ---------------

CRISIS = "i'm going to kill myself tonight"


def _bot_messages(fake: FakeDiscord, channel_id: int) -> list[dict[str, object]]:
    """The bot's messages in a channel as Discord stores them (ids included), oldest first."""
    return [m for m in fake.history.get(channel_id, []) if m["author"]["id"] == str(BOT_ID)]


async def test_a_crisis_mention_in_a_guild_not_allowed_gets_only_the_crisis_reply_by_dm(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID])
    engine = FakeEngine("Hi friend.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    async with BotProcess(settings, engine) as bot:
        first = await fake.user_guild_message(701, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 1)
        [ours] = _bot_messages(fake, OTHER_GUILD_CHANNEL_ID)
        # Within 10 minutes, more crisis messages from the same person (a mention, a reply to the
        # crisis reply) get no second reply.
        await fake.user_guild_message(701, "i want to die", mention=True, guild_id=OTHER_GUILD_ID)
        await fake.user_guild_message(701, "i want to die", guild_id=OTHER_GUILD_ID, reply_to=ours)
        # Someone else who replies to the bot (no mention) is addressing it too: they get it.
        second = await fake.user_guild_message(702, CRISIS, guild_id=OTHER_GUILD_ID, reply_to=ours)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 2)
        await fake.user_dm(709, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[709])) == 1)
        assert len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 2
        # Ten minutes later the same person would get it again.
        assert bot.adapter is not None
        bot.adapter._stranger_crisis._sent[701] -= 601
        third = await fake.user_guild_message(701, "i want to die", mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 3)
    english = SafetyPolicy(settings.safety).crisis_reply(None)
    # The crisis replies went to each person by DM; the channel saw only the neutral line.
    assert fake.sent_to(fake.dm_channels[701]) == [crisis_reply, english]
    assert fake.sent_to(fake.dm_channels[702]) == [crisis_reply]
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [DM_NOTICE] * 3
    assert SafetyPolicy(settings.safety).resources_for(None) in crisis_reply  # the crisis lines
    replies = [m for m in fake.sent if m["channel_id"] == OTHER_GUILD_CHANNEL_ID]
    # the line is threaded under the message it answers, pinging nobody
    assert [r["message_reference"]["message_id"] for r in replies] == [
        int(first["id"]),
        int(second["id"]),
        int(third["id"]),
    ]
    assert all(r["allowed_mentions"]["parse"] == [] for r in fake.sent)
    # The model was never asked about them, and nothing about them was stored (no DM cursor either).
    assert [r.messages[-1].content for r in engine.requests] == ["sync point"]
    assert await inbox(settings.memory.db_path) == []
    texts = await _texts_in_database(settings.memory.db_path)
    for needle in ("701", "702", first["id"], second["id"], third["id"], "kill myself", "want to die"):
        assert not _naming(texts, needle), (needle, _naming(texts, needle))
    async with ConversationStore(settings.memory.db_path) as store:
        for user in ("701", "702"):
            key = UserKey("discord", user, str(OTHER_GUILD_CHANNEL_ID))
            assert await store.history(key, 50) == []
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith(("aiohttp", "aiosqlite"))]
    assert sum("sent the crisis reply" in line for line in logged) == 3
    assert not any("kill myself" in line or "want to die" in line for line in logged)


async def test_a_guild_not_allowed_gets_nothing_else(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID])
    engine = FakeEngine("Hi friend.")
    async with BotProcess(settings, engine):
        # Crisis wording not addressed to the bot: strangers' conversation, the bot keeps out of it.
        await fake.user_guild_message(711, CRISIS, guild_id=OTHER_GUILD_ID)
        # Addressed to the bot, but no crisis: ignored as before.
        await fake.user_guild_message(712, "hello there, how are you?", mention=True, guild_id=OTHER_GUILD_ID)
        await fake.user_dm(719, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[719])) == 1)
        # The same crisis message addressed to the bot is answered (so the two above were not by chance).
        await fake.user_guild_message(711, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 1)
    assert fake.sent_to(fake.dm_channels[711]) == [SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)]
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [DM_NOTICE]
    assert [m["channel_id"] for m in fake.sent] == [
        fake.dm_channels[719],
        fake.dm_channels[711],
        OTHER_GUILD_CHANNEL_ID,
    ]
    assert fake.dm_opened == [711]
    assert OTHER_GUILD_CHANNEL_ID not in fake.typing
    assert [r.messages[-1].content for r in engine.requests] == ["sync point"]
    texts = await _texts_in_database(settings.memory.db_path)
    assert not _naming(texts, "711") and not _naming(texts, "712")


async def test_a_crisis_reply_refused_by_the_channel_is_dropped_and_a_503_is_retried(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A 403 in the channel (the bot may not write there) is given up and not logged as sent; a 503
    that outlasts send_attempts is tried again (test_stranger_crisis_retry.py has the rest)."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID], send_attempts=2)
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    fake.close_dms(721)  # so the crisis replies go in the channel
    fake.close_dms(722)
    fake.fail_next("POST", f"/channels/{OTHER_GUILD_CHANNEL_ID}/messages", 403)  # no permission there
    fake.fail_next("POST", f"/channels/{OTHER_GUILD_CHANNEL_ID}/messages", 503, times=2)
    async with BotProcess(settings):
        await fake.user_guild_message(721, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(
            lambda: len(fake.faults[f"POST /channels/{OTHER_GUILD_CHANNEL_ID}/messages"]) == 2
        )
        await fake.user_guild_message(722, CRISIS, mention=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 1)
        await fake.user_dm(729, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[729])) == 1)
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [crisis_reply]  # 722's, after the 503s
    assert fake.dm_opened == [721, 722]  # the DMs were tried first
    logged = [r.getMessage() for r in caplog.records if r.name == "adapters.discord_adapter"]
    assert sum("does not take DMs" in line for line in logged) == 2  # once each: a refusal is not retried
    assert sum("sent the crisis reply" in line for line in logged) == 1
    assert any("cannot send to channel" in line for line in logged)  # the 403
    assert any("could not be sent yet (503)" in line for line in logged)


def test_the_memory_of_who_was_sent_the_crisis_reply_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapters.base, "STRANGER_CRISIS_PEOPLE", 3)
    strangers = StrangerCrisis(SafetySettings())
    for person in range(5):
        crisis, reply = strangers.reply_for(person, CRISIS)
        assert crisis and reply is not None
    assert list(strangers._sent) == [2, 3, 4]  # the oldest went first
    assert strangers.reply_for(4, CRISIS) == (True, None)  # still within its 10 minutes
    assert strangers.reply_for(5, "what a lovely day") == (False, None)
    long = "so much happened today. " * 150 + CRISIS  # read from its end
    assert strangers.reply_for(6, long)[1] is not None


async def test_mentioning_the_bots_role_is_mentioning_the_bot(tmp_path: Path, fake: FakeDiscord) -> None:
    """Typing "@Kindred" in a server, Discord offers both the bot and its managed role; people pick
    either. The role's mention is answered as the bot's, and removed before the text reaches the model;
    in a server not allowed it addresses the bot too (the crisis reply)."""
    settings = make_settings(tmp_path, allowed_guilds=[GUILD_ID])
    engine = FakeEngine("Hi there!")
    async with BotProcess(settings, engine):
        asked = await fake.user_guild_message(751, "are you awake?", mention_role=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
        await fake.user_guild_message(752, CRISIS, mention_role=True, guild_id=OTHER_GUILD_ID)
        await fake.wait_for(lambda: len(fake.sent_to(OTHER_GUILD_CHANNEL_ID)) == 1)
    assert fake.sent_to(GUILD_CHANNEL_ID) == ["Hi there!"]
    [reply] = [m for m in fake.sent if m["channel_id"] == GUILD_CHANNEL_ID]
    assert str(reply["message_reference"]["message_id"]) == asked["id"]
    assert [r.messages[-1].content for r in engine.requests] == ["are you awake?"]
    assert fake.sent_to(fake.dm_channels[752]) == [SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)]
    assert fake.sent_to(OTHER_GUILD_CHANNEL_ID) == [DM_NOTICE]


async def test_another_role_mention_is_not_for_the_bot(tmp_path: Path, fake: FakeDiscord) -> None:
    engine = FakeEngine("Hi there!")
    async with BotProcess(make_settings(tmp_path, allowed_guilds=[GUILD_ID]), engine):
        await fake.user_guild_message(753, f"<@&{GUILD_ID + 77}> meeting at five")
        await fake.user_dm(759, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(fake.dm_channels[759])) == 1)
    assert fake.sent_to(GUILD_CHANNEL_ID) == []
    assert [r.messages[-1].content for r in engine.requests] == ["sync point"]
