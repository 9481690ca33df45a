"""A crisis reply to a message in a server channel goes to its author by DM; the channel sees only a
neutral line. When the DM cannot be delivered, the crisis reply goes in the channel as before. Through
the real discord.py client against the fake Discord (tests/adapters_discord/fake_discord.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import adapters.discord_adapter
from adapters.discord_adapter import DM_NOTICE, DM_NOTICE_TEXTS
from bot.config import Settings
from bot.safety import SafetyPolicy
from bot.safety.languages import CRISIS_TEXTS
from bot.store import ConversationStore
from tests.adapters_discord.fake_discord import (
    GUILD_CHANNEL_ID,
    GUILD_ID,
    OTHER_GUILD_CHANNEL_ID,
    OTHER_GUILD_ID,
    FakeDiscord,
)
from tests.adapters_discord.harness import BotProcess, make_settings
from tests.fakes import FakeEngine

CRISIS = "i'm going to kill myself tonight"
SPANISH_CRISIS = "no quiero seguir viviendo, estoy cansada de todo"

# allowed: the dispatcher answers (a Reply of kind "crisis"); stranger: a server not in
# allowed_guilds, where the adapter answers alone (adapters/base.py StrangerCrisis).
WHERE = {
    "allowed": (GUILD_ID, GUILD_CHANNEL_ID),
    "stranger": (OTHER_GUILD_ID, OTHER_GUILD_CHANNEL_ID),
}


def _settings(tmp_path: Path, **discord: Any) -> Settings:
    return make_settings(tmp_path, allowed_guilds=[GUILD_ID], **discord)


async def _inbox(settings: Settings) -> list[str]:
    async with ConversationStore(settings.memory.db_path) as store:
        return [m.message_id for m in await store.pending_incoming("discord")]


def _in(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.sent if m["channel_id"] == channel_id]


def _threaded_under(sent: dict[str, Any]) -> str:
    return str(sent["message_reference"]["message_id"])


@pytest.mark.parametrize("where", sorted(WHERE))
async def test_a_crisis_message_in_a_server_gets_the_crisis_reply_by_dm(
    tmp_path: Path, fake: FakeDiscord, where: str
) -> None:
    guild, channel = WHERE[where]
    settings = _settings(tmp_path)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    async with BotProcess(settings, engine):
        asked = await fake.user_guild_message(801, CRISIS, mention=True, guild_id=guild)
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    dm = fake.dm_channels[801]
    assert fake.dm_opened == [801]  # POST /users/@me/channels
    assert fake.sent_to(dm) == [crisis_reply]
    assert fake.sent_to(channel) == [DM_NOTICE]  # only the neutral line, in the channel
    [line] = _in(fake, channel)
    assert _threaded_under(line) == asked["id"]
    assert line["allowed_mentions"]["parse"] == []
    [private] = _in(fake, dm)
    assert "message_reference" not in private and private["allowed_mentions"]["parse"] == []
    # The DM went before the line that says so.
    assert [m["channel_id"] for m in fake.sent] == [dm, channel]
    assert engine.requests == []  # the model was never asked
    assert await _inbox(settings) == []


async def test_a_normal_mention_in_a_server_is_answered_there_as_before(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    settings = _settings(tmp_path)
    engine = FakeEngine("Hi everyone!")
    async with BotProcess(settings, engine):
        asked = await fake.user_guild_message(802, "what do you think?", mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    assert fake.sent_to(GUILD_CHANNEL_ID) == ["Hi everyone!"]
    assert _threaded_under(_in(fake, GUILD_CHANNEL_ID)[0]) == asked["id"]
    assert fake.dm_opened == [] and fake.dm_channels == {}  # nobody was sent a DM
    assert [r.messages[-1].content for r in engine.requests] == ["what do you think?"]


@pytest.mark.parametrize("where", sorted(WHERE))
async def test_dms_closed_the_crisis_reply_goes_in_the_channel(
    tmp_path: Path, fake: FakeDiscord, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    guild, channel = WHERE[where]
    settings = _settings(tmp_path)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    fake.close_dms(803)
    async with BotProcess(settings, engine):
        asked = await fake.user_guild_message(803, CRISIS, mention=True, guild_id=guild)
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
    dm = fake.dm_channels[803]
    assert f"POST /channels/{dm}/messages" in fake.rest_calls  # tried, refused with 403 / 50007
    assert fake.sent_to(dm) == []
    assert fake.sent_to(channel) == [crisis_reply]  # the crisis reply itself, not the line
    assert _threaded_under(_in(fake, channel)[0]) == asked["id"]
    assert engine.requests == []
    assert await _inbox(settings) == []
    logged = [r.getMessage() for r in caplog.records if r.name == "adapters.discord_adapter"]
    assert any("does not take DMs" in line for line in logged)
    assert not any("kill myself" in line for line in logged)


@pytest.mark.parametrize("failure", ["503", "dropped connection", "long rate limit"])
async def test_any_dm_failure_sends_the_crisis_reply_in_the_channel(
    tmp_path: Path, fake: FakeDiscord, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    dm = fake.dm_channel_for(804)
    path = f"/channels/{dm}/messages"
    if failure == "503":
        fake.fail_next("POST", path, 503)  # discord.py raises 503 at once (not one it retries)
    elif failure == "dropped connection":
        fake.fail_next("POST", path, 0)
    else:
        # discord.py would wait out the 429; the DM gets DM_ATTEMPT_S (here 0.3 s), then the channel.
        monkeypatch.setattr(adapters.discord_adapter, "DM_ATTEMPT_S", 0.3)
        fake.fail_next("POST", path, 429, retry_after=30)
    async with BotProcess(settings, engine):
        asked = await fake.user_guild_message(804, CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    assert not fake.faults[f"POST {path}"]  # the DM was tried and failed
    assert fake.sent_to(dm) == []
    assert fake.sent_to(GUILD_CHANNEL_ID) == [crisis_reply]
    assert _threaded_under(_in(fake, GUILD_CHANNEL_ID)[0]) == asked["id"]
    assert engine.requests == []
    assert await _inbox(settings) == []


async def test_a_dm_conversation_is_unchanged(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = _settings(tmp_path)
    engine = FakeEngine("I'm here with you.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    async with BotProcess(settings, engine):
        await fake.user_dm(805, CRISIS)
        dm = fake.dm_channels[805]
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 1)
        await fake.user_dm(805, "thank you for listening")
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 2)
    assert fake.sent_to(dm)[0] == crisis_reply  # in the DM itself, as before
    assert fake.sent_to(dm)[1].startswith("I'm here with you.")
    assert [m["channel_id"] for m in fake.sent] == [dm, dm]  # no line anywhere else
    assert all("message_reference" not in m for m in fake.sent)
    assert fake.dm_opened == []  # the DM channel it wrote in; none opened
    assert [r.messages[-1].content for r in engine.requests] == ["thank you for listening"]


@pytest.mark.parametrize("localize", [True, False])
async def test_the_line_in_the_channel_is_in_the_persons_language(
    tmp_path: Path, fake: FakeDiscord, localize: bool
) -> None:
    settings = _settings(tmp_path)
    settings.safety.localize_safety_texts = localize
    policy = SafetyPolicy(settings.safety)
    async with BotProcess(settings, FakeEngine("Hola.")):
        await fake.user_guild_message(806, SPANISH_CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GUILD_CHANNEL_ID)) == 1)
    assert fake.sent_to(fake.dm_channels[806]) == [policy.crisis_reply(None, SPANISH_CRISIS)]
    assert fake.sent_to(GUILD_CHANNEL_ID) == [DM_NOTICE_TEXTS["es"] if localize else DM_NOTICE]
    assert localize == policy.crisis_reply(None, SPANISH_CRISIS).startswith(CRISIS_TEXTS["es"].message)


async def test_when_only_the_line_fails_the_crisis_reply_is_not_sent_twice(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path, send_attempts=2, retry_pending_s=0.1)
    fake.fail_next("POST", f"/channels/{GUILD_CHANNEL_ID}/messages", 503, times=2)
    async with BotProcess(settings):
        await fake.user_guild_message(807, CRISIS, mention=True)
        await fake.wait_for(
            lambda: any("line saying so could not be posted" in r.getMessage() for r in caplog.records)
        )
        assert await _inbox(settings) == []  # handled: the retry sweep has nothing to send again
    assert fake.sent_to(fake.dm_channels[807]) == [SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)]
    assert fake.sent_to(GUILD_CHANNEL_ID) == []


def test_the_line_says_nothing_about_why_in_every_language() -> None:
    policy = SafetyPolicy()
    assert set(DM_NOTICE_TEXTS) == {"en", *CRISIS_TEXTS}
    assert DM_NOTICE_TEXTS["en"] == DM_NOTICE
    for lang, text in DM_NOTICE_TEXTS.items():
        assert text and text == text.strip() and len(text) < 80, lang
        assert lang == "en" or text != DM_NOTICE, lang
        check = policy.check_incoming(text, count=False)
        assert not check.crisis and not check.checkin, lang
    for word in ("crisis", "suicid", "help", "safe", "988", "hotline", "die", "kill", "hurt"):
        assert word not in DM_NOTICE.lower()


@pytest.mark.parametrize("where", sorted(WHERE))
async def test_after_a_crisis_reply_by_dm_the_dm_conversation_is_careful(
    tmp_path: Path, fake: FakeDiscord, where: str
) -> None:
    """The person will likely answer in the DM the crisis reply came in: that conversation is careful
    too (a joking reply is replaced), as the channel's is. For a stranger in another guild nothing is
    stored, so their DM is not marked."""
    from bot.types import UserKey

    guild, channel = WHERE[where]
    settings = _settings(tmp_path)
    engine = FakeEngine("haha that's so funny lol")  # fails the careful-mode check
    async with BotProcess(settings, engine):
        await fake.user_guild_message(806, CRISIS, mention=True, guild_id=guild)
        await fake.wait_for(lambda: len(fake.sent_to(channel)) == 1)
        dm = fake.dm_channels[806]
        await fake.user_dm(806, "thanks, i read it")
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 2)
    async with ConversationStore(settings.memory.db_path) as store:
        prefs = await store.get_prefs(UserKey("discord", "806"))
    answer = fake.sent_to(dm)[1]
    history = [(t.role, t.content) for t in engine.requests[0].messages]
    if where == "allowed":
        assert prefs.get("careful") == settings.safety.careful_turns - 1  # one careful reply went out
        assert "lol" not in answer and "haha" not in answer
        # the model saw the crisis exchange before the DM: it came along into the DM conversation
        assert ("user", CRISIS) in history
        assert any(role == "assistant" and text == fake.sent_to(dm)[0] for role, text in history)
    else:
        assert "careful" not in prefs
        assert answer.startswith("haha that's so funny lol")
        assert ("user", CRISIS) not in history  # nothing about strangers is stored


async def test_the_crisis_exchange_follows_into_the_private_conversation_unless_memory_is_off(
    tmp_path: Path,
) -> None:
    """adapters.base.follow_crisis_into_private, shared with Telegram: careful either way; the turns only
    where the person has not turned memory off."""
    from adapters.base import follow_crisis_into_private
    from bot.types import UserKey

    async with ConversationStore(tmp_path / "kindred.db") as store:
        on, off = UserKey("discord", "1"), UserKey("discord", "2")
        await store.set_pref(off, "remember", False)
        for key in (on, off):
            await follow_crisis_into_private(store, key, CRISIS, "the crisis reply", 20)
            assert (await store.get_prefs(key))["careful"] == 20
        assert [(t.role, t.content) for t in await store.history(on, 10)] == [
            ("user", CRISIS),
            ("assistant", "the crisis reply"),
        ]
        assert await store.history(off, 10) == []
