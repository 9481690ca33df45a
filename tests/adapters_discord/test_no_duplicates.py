"""A reply that reached Discord but whose answer was lost (the connection closed after the message was
posted) is not posted twice when it is sent again: every chunk carries a nonce that is the same on every
try, and discord.py asks Discord to enforce it. Through the real discord.py client against the fake
Discord, which dedupes enforced nonces as Discord does."""

from __future__ import annotations

from pathlib import Path

from adapters.discord_adapter import reply_nonce
from bot.store import ConversationStore
from tests.adapters_discord.fake_discord import GUILD_CHANNEL_ID, FakeDiscord
from tests.adapters_discord.harness import BotProcess, make_settings
from tests.fakes import FakeEngine

REPLY = "That sounds like a lot. What happened?"


async def _answered(settings, within: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import time

    deadline = time.monotonic() + within
    async with ConversationStore(settings.memory.db_path) as store:
        while await store.pending_incoming("discord"):
            assert time.monotonic() < deadline, "the message was never marked answered"
            await asyncio.sleep(0.05)


async def test_a_dm_reply_whose_answer_was_lost_is_posted_once(tmp_path: Path, fake: FakeDiscord) -> None:
    settings = make_settings(tmp_path)
    dm = fake.dm_channel_for(501)
    fake.lose_next_answers(1)
    async with BotProcess(settings, FakeEngine(REPLY)):
        await fake.user_dm(501, "rough day at work")
        await fake.wait_for(lambda: fake.rest_calls.count(f"POST /channels/{dm}/messages") == 2)
        await _answered(settings)
    assert fake.sent_to(dm) == [REPLY]  # posted once; the second POST got the first message back
    assert fake.rest_calls.count(f"POST /channels/{dm}/messages") == 2


async def test_a_reply_retried_at_the_next_sweep_is_not_posted_again(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """send_attempts = 1: the lost answer leaves the message in the inbox, and the sweep answers it
    again (the model writes the reply anew); the same nonce makes Discord hand back the first one."""
    settings = make_settings(tmp_path, send_attempts=1, retry_pending_s=0.2)
    fake.lose_next_answers(1)
    async with BotProcess(settings, FakeEngine(REPLY)) as bot:
        asked = await fake.user_guild_message(502, "my cat is sick", mention=True)
        await fake.wait_for(lambda: fake.rest_calls.count(f"POST /channels/{GUILD_CHANNEL_ID}/messages") >= 2)
        await _answered(settings)
        assert bot.adapter is not None
    assert fake.sent_to(GUILD_CHANNEL_ID) == [REPLY]
    [posted] = [m for m in fake.sent if m["channel_id"] == GUILD_CHANNEL_ID]
    assert str(posted["message_reference"]["message_id"]) == asked["id"]
    assert posted["nonce"] == reply_nonce(f"{asked['id']}:reply", 0) and posted["enforce_nonce"] is True


async def test_every_chunk_of_a_long_reply_is_posted_once(tmp_path: Path, fake: FakeDiscord) -> None:
    # > 2 chunks of 2000 characters, with no repeated phrase (the reply checks reject loops)
    long_reply = " ".join(" ".join(f"w{i}x{j}" for j in range(8)) + "." for i in range(100))
    settings = make_settings(tmp_path)
    dm = fake.dm_channel_for(503)
    async with BotProcess(settings, FakeEngine(long_reply)):
        fake.lose_next_answers(1)  # the first chunk's answer is lost
        await fake.user_dm(503, "tell me a long story")
        # the whole reply first: _answered alone returns at once if it looks before the DM is recorded
        await fake.wait_for(lambda: " ".join(fake.sent_to(dm)).split() == long_reply.split())
        await _answered(settings)
    chunks = fake.sent_to(dm)
    assert len(chunks) >= 3 and " ".join(chunks).split() == long_reply.split()
    nonces = [m["nonce"] for m in fake.sent if m["channel_id"] == dm]
    assert len(set(nonces)) == len(nonces)  # each chunk its own nonce


async def test_two_messages_with_the_same_reply_each_get_it(tmp_path: Path, fake: FakeDiscord) -> None:
    """The nonce names the message answered, not the text: the same reply to two messages is two posts."""
    settings = make_settings(tmp_path)
    dm = fake.dm_channel_for(504)
    async with BotProcess(settings, FakeEngine(REPLY)):
        await fake.user_dm(504, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 1)
        await fake.user_dm(504, "hello again")
        await fake.wait_for(lambda: len(fake.sent_to(dm)) == 2)
    assert fake.sent_to(dm) == [REPLY, REPLY]


def test_the_nonce_is_stable_short_and_distinct() -> None:
    assert reply_nonce("123:reply", 0) == reply_nonce("123:reply", 0)
    assert len(reply_nonce("123:reply", 0)) <= 25  # Discord's limit for a string nonce
    assert (
        len(
            {
                reply_nonce("123:reply", 0),
                reply_nonce("123:reply", 1),
                reply_nonce("124:reply", 0),
                reply_nonce("123:crisis", 0),
            }
        )
        == 4
    )
