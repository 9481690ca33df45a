"""The Telegram adapter through the real python-telegram-bot client against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from adapters.telegram import MAX_CHARS, STRANGER_TEXT, TelegramAdapter, offset_cursor
from bot.commands import HELP
from bot.protocols import AdapterStartError
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import UserKey
from tests.adapters_telegram.fake_telegram import BOT_ID, BOT_USERNAME, TOKEN, FakeTelegram
from tests.adapters_telegram.harness import BotProcess, CancelCountingGate, GatedEngine, make_settings
from tests.fakes import FakeEngine

# PTB's own RetryAfter constructor warns about its int-vs-timedelta migration; the adapter reads both.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def inbox(db: Path) -> list[str]:
    async with ConversationStore(db) as store:
        return [m.message_id for m in await store.pending_incoming("telegram")]


async def test_private_message_gets_a_reply_with_typing(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake)
    engine = FakeEngine("That sounds like a big day. How do you feel?")
    async with BotProcess(settings, engine):
        fake.push_private(42, "I had my exam today")
        await fake.wait_for(lambda: len(fake.sent_to(42)) == 1)
        # the offset is confirmed to the server on the next poll
        await fake.wait_for(lambda: fake.confirmed_offset > 0)
    assert fake.sent_to(42) == ["That sounds like a big day. How do you feel?"]
    assert engine.last_user_text == "I had my exam today"
    assert {"chat_id": "42", "action": "typing"}.items() <= fake.actions[0].items()
    assert "reply_parameters" not in fake.sent[0]  # no threading in a private chat
    assert await inbox(settings.memory.db_path) == []


async def test_start_command_reaches_the_core(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = FakeEngine()
    async with BotProcess(make_settings(tmp_path, fake), engine):
        fake.push_private(5, "/start")
        await fake.wait_for(lambda: len(fake.sent_to(5)) == 1)
    assert "I'm Kindred" in fake.sent_to(5)[0] and "bot, not a person" in fake.sent_to(5)[0]
    assert engine.requests == []  # a command never reaches the model


async def test_group_only_when_mentioned_or_replied_to(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = FakeEngine("Hello group!")
    async with BotProcess(make_settings(tmp_path, fake), engine):
        fake.push_group(-100, 7, "just chatting among ourselves")
        mentioned = fake.push_group(-100, 7, "how are you?", mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(-100)) == 1)
        fake.push_group(-100, 8, "and what about me", reply_to_bot=True)
        await fake.wait_for(lambda: len(fake.sent_to(-100)) == 2)
        fake.push_group(-100, 8, "ignored again")
        fake.push_private(9, "sync point")  # processed after the line above
        await fake.wait_for(lambda: len(fake.sent_to(9)) == 1)
    assert len(fake.sent_to(-100)) == 2
    texts = [r.messages[-1].content for r in engine.requests]
    assert texts == ["how are you?", "and what about me", "sync point"]  # the @mention is stripped
    first = next(m for m in fake.sent if m["chat_id"] == "-100")
    assert str(mentioned["message"]["message_id"]) in first["reply_parameters"]  # threaded under it
    async with ConversationStore(tmp_path / "kindred.db") as store:
        # nothing of the chatter not meant for the bot was stored
        assert not await store.is_handled(
            "telegram", f"u{mentioned['update_id'] - 1}:{mentioned['message']['message_id'] - 1}"
        )


async def test_long_reply_is_split_at_4096(tmp_path: Path, fake: FakeTelegram) -> None:
    long_text = " ".join(f"word{i}" for i in range(2000))  # 16,889 characters
    async with BotProcess(make_settings(tmp_path, fake), FakeEngine(long_text)):
        fake.push_private(11, "tell me a long story")
        await fake.wait_for(lambda: len(fake.sent_to(11)) >= 5)
    # stop() waited for the reply in flight, so every chunk has arrived
    parts = fake.sent_to(11)
    assert len(parts) == 5
    assert all(len(p) <= MAX_CHARS for p in parts)
    assert " ".join(parts) == long_text  # split at spaces, nothing lost


async def test_429_is_waited_out_then_sent(tmp_path: Path, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", 429, description="Too Many Requests: retry after 1", retry_after=1)
    async with BotProcess(make_settings(tmp_path, fake)):
        fake.push_private(12, "hello")
        t0 = time.monotonic()
        await fake.wait_for(lambda: len(fake.sent_to(12)) == 1)
        waited = time.monotonic() - t0
    assert fake.calls.count("sendMessage") == 2
    assert waited >= 0.9  # retry_after was honoured


async def test_500_then_success(tmp_path: Path, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", 500, description="Internal Server Error", times=2)
    async with BotProcess(make_settings(tmp_path, fake)):
        fake.push_private(13, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(13)) == 1)
    assert fake.calls.count("sendMessage") == 3
    assert await inbox(tmp_path / "kindred.db") == []


async def test_send_failing_every_time_leaves_the_message_for_later(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = make_settings(tmp_path, fake, send_attempts=2)
    fake.fail_next("sendMessage", 502, times=2)
    async with BotProcess(settings):
        pushed = fake.push_private(14, "hello")
        await fake.wait_for(lambda: fake.calls.count("sendMessage") == 2)
        await fake.wait_for(lambda: fake.get_updates_calls >= 3)
    assert fake.sent_to(14) == []
    assert await inbox(settings.memory.db_path) == [
        f"u{pushed['update_id']}:{pushed['message']['message_id']}"
    ]
    # the next start answers it
    async with BotProcess(settings):
        await fake.wait_for(lambda: len(fake.sent_to(14)) == 1)
    assert await inbox(settings.memory.db_path) == []


async def test_dropped_connection_and_502_on_polling_recover(tmp_path: Path, fake: FakeTelegram) -> None:
    fake.fail_next("getUpdates", drop=True)
    fake.fail_next("getUpdates", 502, description="Bad Gateway")
    fake.push_private(15, "are you there?")
    async with BotProcess(make_settings(tmp_path, fake)):
        await fake.wait_for(lambda: len(fake.sent_to(15)) == 1)
    assert fake.get_updates_calls >= 1 and not fake.faults["getUpdates"]


async def test_killed_mid_reply_is_answered_exactly_once_after_restart(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = make_settings(tmp_path, fake)
    engine = GatedEngine("Welcome back.")
    first = await BotProcess(settings, engine).start()
    pushed = fake.push_private(16, "hello before the crash")
    await fake.wait_for(lambda: len(engine.requests) == 1)  # received, recorded, the model is busy
    await first.kill()
    assert fake.sent_to(16) == []
    assert await inbox(settings.memory.db_path) == [
        f"u{pushed['update_id']}:{pushed['message']['message_id']}"
    ]

    engine.gate.set()
    async with BotProcess(settings, engine):
        await fake.wait_for(lambda: len(fake.sent_to(16)) == 1)
        polls = fake.get_updates_calls
        await fake.wait_for(lambda: fake.get_updates_calls >= polls + 2)  # keeps polling, nothing more
    assert fake.sent_to(16) == ["Welcome back."]
    assert await inbox(settings.memory.db_path) == []


async def test_an_update_delivered_twice_is_answered_once(tmp_path: Path, fake: FakeTelegram) -> None:
    async with BotProcess(make_settings(tmp_path, fake)):
        update = fake.push_private(17, "only once please")
        await fake.wait_for(lambda: len(fake.sent_to(17)) == 1)
        fake.replay(update)
        fake.push_private(18, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(18)) == 1)
    assert len(fake.sent_to(17)) == 1


async def test_stop_finishes_the_reply_in_flight(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = GatedEngine("Done thinking.")
    bot = await BotProcess(make_settings(tmp_path, fake), engine).start()
    fake.push_private(19, "think about this")
    await fake.wait_for(lambda: len(engine.requests) == 1)
    stopping = asyncio.create_task(bot.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waiting for the reply
    engine.gate.set()
    await asyncio.wait_for(stopping, 5)
    assert fake.sent_to(19) == ["Done thinking."]
    assert await inbox(tmp_path / "kindred.db") == []


async def test_allowlist_gives_strangers_one_notice(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = FakeEngine("Hi friend.")
    async with BotProcess(make_settings(tmp_path, fake, allowed_users=[21]), engine):
        fake.push_private(22, "let me in")
        fake.push_private(22, "please?")
        fake.push_private(21, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
    assert fake.sent_to(22) == [STRANGER_TEXT]
    assert [r.messages[-1].content for r in engine.requests] == ["hello"]


async def test_a_stranger_in_crisis_gets_the_crisis_reply_not_the_private_bot_notice(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = make_settings(tmp_path, fake, allowed_users=[21])
    engine = FakeEngine("Hi friend.")
    async with BotProcess(settings, engine):
        fake.push_private(23, "i'm going to kill myself tonight")
        # then the usual notice, so they know not to wait for more answers here
        fake.push_private(23, "nobody cares")
        fake.push_private(23, "i want to die")  # a second crisis message within 10 minutes: no repeat
        # a long message is read from its end (the rules run on the event loop; strangers are not limited)
        fake.push_private(24, "so much happened today. " * 150 + "i'm going to kill myself tonight")
        fake.push_private(21, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
    assert fake.sent_to(23) == [SafetyPolicy(settings.safety).crisis_reply(None), STRANGER_TEXT]
    assert fake.sent_to(24) == [SafetyPolicy(settings.safety).crisis_reply(None)]
    assert [r.messages[-1].content for r in engine.requests] == ["sync point"]
    assert await stored_turns(settings.memory.db_path, 23) == []  # nothing stored about a stranger


STRANGER_CRISIS = "i'm going to kill myself tonight"


async def test_a_strangers_crisis_reply_waiting_out_a_429_does_not_hold_up_anyone(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """Nothing is stored about a stranger, so their crisis reply is sent by the adapter itself: in the
    background, so Telegram asking it to wait does not stop the bot from reading everyone else."""
    settings = make_settings(tmp_path, fake, allowed_users=[21], stranger_notice=False)
    crisis = SafetyPolicy(settings.safety).crisis_reply(None)
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        fake.fail_next("sendMessage", 429, retry_after=2, chat_id=25)
        fake.push_private(25, STRANGER_CRISIS)
        await fake.wait_for(lambda: "sendMessage" in fake.calls)  # the 429 has been answered
        fake.push_private(21, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
        assert fake.sent_to(25) == []  # still waiting out the 429, while 21 was answered
        await fake.wait_for(lambda: len(fake.sent_to(25)) == 1)
    assert fake.sent_to(25) == [crisis]
    assert [int(m["chat_id"]) for m in fake.sent] == [21, 25]


async def test_a_strangers_crisis_reply_outlasts_an_outage_longer_than_send_attempts(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """A reply to someone the bot serves that cannot be sent stays in the inbox for a later sweep; a
    stranger's is in no inbox, so it is retried for longer (STRANGER_CRISIS_RETRY_S), not dropped."""
    settings = make_settings(tmp_path, fake, allowed_users=[21], stranger_notice=False, send_attempts=2)
    crisis = SafetyPolicy(settings.safety).crisis_reply(None)
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        fake.fail_next("sendMessage", 500, times=3, chat_id=26)
        fake.fail_next("sendMessage", 502, drop=True, times=2, chat_id=26)
        fake.push_private(26, STRANGER_CRISIS)
        await fake.wait_for(lambda: len(fake.sent_to(26)) == 1)
    assert fake.sent_to(26) == [crisis]
    assert fake.calls.count("sendMessage") == 6  # five failures (2 send attempts each round), then sent
    assert await stored_turns(settings.memory.db_path, 26) == []


async def test_a_strangers_crisis_reply_is_not_retried_after_a_refusal(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, fake, allowed_users=[21], stranger_notice=False)
    async with BotProcess(settings, FakeEngine("Hi friend.")):
        fake.refuse_private_chat(28, "Forbidden: bot was blocked by the user")
        fake.push_private(28, STRANGER_CRISIS)
        await fake.wait_for(lambda: fake.refused == [28])
        fake.push_private(21, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
        await asyncio.sleep(0.3)  # retries would come every 0.02-0.1 s here
    assert fake.refused == [28]
    assert "could not send a crisis reply that is not recorded" in caplog.text
    assert STRANGER_CRISIS not in caplog.text


async def test_stopping_does_not_wait_forever_for_a_strangers_reply(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, fake, allowed_users=[21], stranger_notice=False, stop_timeout_s=0.5)
    bot = await BotProcess(settings, FakeEngine("Hi friend.")).start()
    fake.fail_next("sendMessage", 500, times=10_000, chat_id=27)  # Telegram down for this chat
    fake.push_private(27, STRANGER_CRISIS)
    await fake.wait_for(lambda: fake.calls.count("sendMessage") >= 3)
    started = time.monotonic()
    await asyncio.wait_for(bot.stop(), 5)
    assert time.monotonic() - started < 3
    # the retrying ends with the stop (or is cancelled at stop_timeout_s), and the log says it was lost
    assert "gave up sending the crisis reply" in caplog.text or "still unsent" in caplog.text
    assert fake.sent_to(27) == []


async def test_invalid_token_is_a_clear_start_error(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake, token="999:wrong-token")
    async with ConversationStore(tmp_path / "x.db") as store:
        adapter = TelegramAdapter(settings, store)
        with pytest.raises(AdapterStartError) as err:
            await adapter.start(FakeEngine().generate)  # type: ignore[arg-type]
    assert "KINDRED_TELEGRAM__TOKEN" in str(err.value)
    assert "wrong-token" not in str(err.value)


async def test_missing_token_is_a_clear_start_error(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake, token=None)
    async with ConversationStore(tmp_path / "x.db") as store:
        with pytest.raises(AdapterStartError, match="KINDRED_TELEGRAM__TOKEN"):
            await TelegramAdapter(settings, store).start(FakeEngine().generate)  # type: ignore[arg-type]


async def test_check_reports_the_bot_name(tmp_path: Path, fake: FakeTelegram) -> None:
    async with ConversationStore(":memory:") as store:
        assert (
            await TelegramAdapter(make_settings(tmp_path, fake), store).check()
            == f"logged in as @{BOT_USERNAME}"
        )


async def test_offset_is_saved_and_logs_hold_no_token_or_text(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings):
        update = fake.push_private(23, "my secret diary entry")
        await fake.wait_for(lambda: len(fake.sent_to(23)) == 1)
    async with ConversationStore(settings.memory.db_path) as store:
        assert await store.get_cursor(offset_cursor(BOT_ID)) == str(update["update_id"] + 1)
    # aiohttp's records are the fake server's own access log; aiosqlite's DEBUG lines echo SQL
    # parameters and are the store's business (bot/logs.py quiets noisy libraries).
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("aiohttp", "aiosqlite"))
    )
    assert "telegram: polling as" in logged  # the capture works
    assert TOKEN not in logged
    assert "secret diary" not in logged


async def test_failed_send_is_retried_while_online(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, send_attempts=2, retry_pending_s=0.2, fake=fake)
    fake.fail_next("sendMessage", 503, times=2)  # the first delivery gives up after two tries
    async with BotProcess(settings):
        fake.push_private(24, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(24)) == 1)  # the retry sweep, no restart
    assert fake.calls.count("sendMessage") == 3
    assert await inbox(settings.memory.db_path) == []


async def test_an_outage_longer_than_three_sweeps_loses_no_reply(tmp_path: Path, fake: FakeTelegram) -> None:
    """Failed sends are not crashes: a reply that cannot be sent is tried at every sweep until Telegram
    is back, however many sweeps that takes (before, the fourth failed round gave the message up)."""
    settings = make_settings(tmp_path, send_attempts=2, retry_pending_s=0.05, fake=fake)
    fake.fail_next("sendMessage", 503, times=12, chat_id=41)  # six rounds of two tries each
    engine = FakeEngine("I'm glad you wrote.")
    async with BotProcess(settings, engine):
        fake.push_private(41, "are you there?")
        await fake.wait_for(lambda: len(fake.sent_to(41)) == 1)
    assert fake.sent_to(41) == ["I'm glad you wrote."]
    assert fake.calls.count("sendMessage") == 13
    assert await inbox(settings.memory.db_path) == []


async def test_a_flood_gets_one_polite_notice(tmp_path: Path, fake: FakeTelegram) -> None:
    # One answer per message here: with combine_messages on, the first two would be answered together
    # with the third, which is the one over the limit (see test_messages_typed_in_pieces_*).
    settings = make_settings(tmp_path, fake, chat={"rate_limit_per_minute": 2, "combine_messages": False})
    engine = FakeEngine("Okay.")
    async with BotProcess(settings, engine):
        for i in range(6):
            fake.push_private(25, f"message {i}")
        fake.push_private(26, "sync point")  # another user is not limited
        await fake.wait_for(lambda: len(fake.sent_to(26)) == 1)
        await fake.wait_for(lambda: len(fake.sent_to(25)) == 3)
    replies = fake.sent_to(25)  # stop() waited for all six
    assert len(replies) == 3
    assert replies[:2] == ["Okay.", "Okay."]
    assert "faster than I can keep up" in replies[2]  # one notice, then silence
    assert len(engine.requests) == 3
    assert await inbox(settings.memory.db_path) == []  # the silent ones are handled, not pending


async def test_a_failing_start_is_a_start_error_not_a_crash(tmp_path: Path, fake: FakeTelegram) -> None:
    fake.fail_next("deleteWebhook", 500, times=10)
    async with ConversationStore(tmp_path / "x.db") as store:
        adapter = TelegramAdapter(make_settings(tmp_path, fake, send_attempts=2), store)
        with pytest.raises(AdapterStartError, match="refused to start polling"):
            await adapter.start(FakeEngine().generate)  # type: ignore[arg-type]
    assert fake.calls.count("deleteWebhook") == 2


async def test_after_forget_nothing_in_the_database_leads_back_to_the_person(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """The "answered" markers are built from the update id (the bot's own sequence), not from the
    chat id, which in a private chat is the person's id: after /forget no row can be matched to them."""
    import hashlib
    import sqlite3

    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings, FakeEngine("I'm listening.")):
        for text in ("hello", "it has been a long week", "/forget"):
            fake.push_private(42424, text)
        # "hello" and "it has been a long week" arrive together and get one answer; then /forget's
        await fake.wait_for(lambda: len(fake.sent_to(42424)) == 2)
        await fake.wait_for(lambda: fake.confirmed_offset > 0)
    db = sqlite3.connect(settings.memory.db_path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values = [v for t in tables for row in db.execute(f"SELECT * FROM {t}") for v in row]  # noqa: S608
        # the markers are sha256 hex digests by design; a short number can turn up inside one by chance
        dump = "\n".join(str(v) for v in values if not (isinstance(v, str) and len(v) == 64 and v.isalnum()))
        markers = {r[0] for r in db.execute("SELECT item_hash FROM handled")}
    finally:
        db.close()
    assert markers, "the answered messages should be remembered as handled"
    assert "42424" not in dump
    # Rebuild every marker someone holding the file could guess from the person's id: none matches.
    guesses = {hashlib.sha256(f"telegram\x0042424:{mid}".encode()).hexdigest() for mid in range(0, 5000)}
    assert not markers & guesses


# --- messages typed in pieces (bot/fragments.py) ------------------------------------------------------


async def stored_turns(db: Path, user_id: int) -> list[tuple[str, str]]:
    async with ConversationStore(db) as store:
        return [(t.role, t.content) for t in await store.history(UserKey("telegram", str(user_id)), 50)]


async def test_messages_typed_in_pieces_get_one_answer(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake)
    engine = CancelCountingGate("That sounds awful. What did he say?")
    async with BotProcess(settings, engine):
        fake.push_private(31, "my boss yelled at me today")
        await fake.wait_for(lambda: len(engine.requests) == 1)  # the model is writing an answer
        fake.push_private(31, "in front of everyone")
        await fake.wait_for(lambda: len(engine.requests) == 2)  # ... which is dropped: a second piece
        engine.gate.set()
        await fake.wait_for(lambda: len(fake.sent_to(31)) == 1)
        polls = fake.get_updates_calls
        await fake.wait_for(lambda: fake.get_updates_calls >= polls + 2)  # nothing more is sent
    assert fake.sent_to(31) == ["That sounds awful. What did he say?"]
    assert engine.cancelled == 1  # the first answer was stopped in the engine, not only left unsent
    assert engine.requests[-1].messages[-1].content == "my boss yelled at me today\nin front of everyone"
    assert await stored_turns(settings.memory.db_path, 31) == [
        ("user", "my boss yelled at me today"),
        ("user", "in front of everyone"),
        ("assistant", "That sounds awful. What did he say?"),
    ]
    assert await inbox(settings.memory.db_path) == []  # both pieces are marked answered


async def test_a_crisis_typed_in_pieces_gets_only_the_crisis_reply(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = make_settings(tmp_path, fake)
    engine = FakeEngine("What a wonderful choice!")
    async with BotProcess(settings, engine):
        fake.push_private(32, "i want to")  # looks unfinished: the bot waits a moment for the rest
        fake.push_private(32, "die")
        await fake.wait_for(lambda: len(fake.sent_to(32)) == 1)
        polls = fake.get_updates_calls
        await fake.wait_for(lambda: fake.get_updates_calls >= polls + 2)
    assert fake.sent_to(32) == [SafetyPolicy(settings.safety).crisis_reply(None)]
    assert engine.requests == []  # the model was never asked about either piece
    assert [role for role, _ in await stored_turns(settings.memory.db_path, 32)] == [
        "user",
        "user",
        "assistant",
    ]
    assert await inbox(settings.memory.db_path) == []


async def test_an_unfinished_message_alone_is_answered_after_a_short_wait(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = make_settings(tmp_path, fake, chat={"combine_wait_s": 0.4})
    engine = FakeEngine("Go on, I'm listening.")
    async with BotProcess(settings, engine):
        started = time.monotonic()
        fake.push_private(33, "so today i went to")
        await fake.wait_for(lambda: len(fake.sent_to(33)) == 1)
        waited = time.monotonic() - started
    assert fake.sent_to(33) == ["Go on, I'm listening."]
    assert waited >= 0.4
    assert engine.last_user_text == "so today i went to"


async def test_a_command_after_a_message_does_not_swallow_it(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = GatedEngine("Hello! How's your evening going?")
    async with BotProcess(make_settings(tmp_path, fake), engine):
        fake.push_private(34, "hello there")
        await fake.wait_for(lambda: len(engine.requests) == 1)
        fake.push_private(34, "/help")
        await asyncio.sleep(0.2)  # the command is received and waits its turn
        engine.gate.set()
        await fake.wait_for(lambda: len(fake.sent_to(34)) == 2)
    assert fake.sent_to(34) == ["Hello! How's your evening going?", HELP]


async def test_combining_can_be_turned_off(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake, chat={"combine_messages": False})
    engine = GatedEngine("Okay.")
    async with BotProcess(settings, engine):
        fake.push_private(35, "first piece")
        await fake.wait_for(lambda: len(engine.requests) == 1)
        fake.push_private(35, "second piece")
        await asyncio.sleep(0.2)
        engine.gate.set()
        await fake.wait_for(lambda: len(fake.sent_to(35)) == 2)
    assert [r.messages[-1].content for r in engine.requests] == ["first piece", "second piece"]


async def test_a_reply_sent_just_before_the_database_went_away_is_not_sent_again(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram has no idempotency key: a message still pending in the store would be answered again
    at the next sweep. The database goes away after the reply went out and before the bot marked the
    message handled; the bot keeps polling, and when the database is back it marks the message handled
    without sending the person the same reply a second time."""
    settings = make_settings(tmp_path, fake, retry_pending_s=0.05)
    bot = BotProcess(settings, FakeEngine("I'm listening. Tell me more."))
    async with bot:

        async def database_goes_away(_params: dict) -> None:  # type: ignore[type-arg]
            fake.after_send = None
            await bot.store.close()

        fake.after_send = database_goes_away
        with caplog.at_level(logging.INFO):
            fake.push_private(21, "hello")
            await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
            polls = fake.calls.count("getUpdates")
            await fake.wait_for(lambda: fake.calls.count("getUpdates") >= polls + 2)  # sweeps, failing
        assert "answered, but the store could not mark it handled" in caplog.text
        await bot.store.open()  # the database is back
        polls = fake.calls.count("getUpdates")
        await fake.wait_for(lambda: fake.calls.count("getUpdates") >= polls + 2)  # a sweep with it back
        assert await bot.store.pending_incoming("telegram") == []
        assert fake.sent_to(21) == ["I'm listening. Tell me more."]  # not sent a second time
        fake.push_private(21, "thanks")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 2)
    assert fake.sent_to(21) == ["I'm listening. Tell me more."] * 2  # one per message, none twice


async def test_with_the_database_down_a_crisis_message_still_gets_the_crisis_reply_at_once(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """The database cannot record messages (gone, or the disk full): nothing is answered until it can,
    and Telegram keeps the updates, except that a crisis message gets the crisis reply at once, once,
    even behind an ordinary message in the same batch. When the database is back, every message is
    recorded and handled (careful mode stored); nothing is lost, and the crisis reply is not sent twice."""
    settings = make_settings(tmp_path, fake)
    crisis = SafetyPolicy(settings.safety).crisis_reply(None)
    bot = BotProcess(settings, FakeEngine("I'm listening. Tell me more."))
    async with bot:
        fake.push_private(21, "hello")
        await fake.wait_for(lambda: len(fake.sent_to(21)) == 1)
        await bot.store.close()  # every call now raises StoreError, like a database server that went away
        with caplog.at_level(logging.INFO):
            fake.push_private(21, "nice weather today")
            fake.push_private(21, "i'm going to kill myself tonight")
            fake.push_private(22, "i want to die")
            await fake.wait_for(lambda: len(fake.sent_to(21)) == 2 and len(fake.sent_to(22)) == 1)
            polls = fake.calls.count("getUpdates")
            await fake.wait_for(lambda: fake.calls.count("getUpdates") >= polls + 2)  # retried, failing
        assert fake.sent_to(21) == ["I'm listening. Tell me more.", crisis]  # once, whatever the retries
        assert fake.sent_to(22) == [crisis]
        assert "could not record a batch" in caplog.text
        assert "kill myself" not in caplog.text and "want to die" not in caplog.text
        await bot.store.open()  # the database is back
        await fake.wait_for(lambda: fake.calls.count("getUpdates") >= polls + 4)
        for _ in range(200):
            if await bot.store.pending_incoming("telegram") == []:
                break
            await asyncio.sleep(0.05)
        assert await bot.store.pending_incoming("telegram") == []  # every message recorded and handled
        assert await bot.store.get_pref(UserKey("telegram", "22"), "careful") == settings.safety.careful_turns
    # Recorded and handled as usual (careful mode stored), but the crisis reply is not sent a second time
    # (the message before it, sent just before by the same person, is answered with it, as pieces typed
    # in a row are), and nothing else.
    assert fake.sent_to(21) == ["I'm listening. Tell me more.", crisis]
    assert fake.sent_to(22) == [crisis]
    said = [text for role, text in await stored_turns(settings.memory.db_path, 21) if role == "user"]
    assert said == ["hello", "nice weather today", "i'm going to kill myself tonight"]  # nothing lost
