"""A gentle check-in to a message in a group: the group sees only the model's reply (no line, no "I've
sent you a private message"), and the check-in line goes to the author's private chat with the bot.
When the private message cannot be delivered, the group gets the reply and the line together, as
before. Private chats are unchanged. Through the real python-telegram-bot client against the fake Bot
API (tests/adapters_telegram/fake_telegram.py), the real Dispatcher with a fake engine and a scorer
that puts the message in the check-in band (as tests/safety/test_checkin.py does)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

import adapters.telegram
from adapters.base import DM_NOTICE_TEXTS
from adapters.telegram import TelegramAdapter
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import Message, UserKey
from tests.adapters_telegram.fake_telegram import BLOCKED, CANT_INITIATE, FakeTelegram
from tests.adapters_telegram.harness import BotProcess, make_settings
from tests.fakes import ChosenScores, FakeEngine, inbox_emptied

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

MODEL = "That sounds like a really long week. What has been the hardest part?"
GREY = "honestly I just feel so tired of everything lately"
"""The crisis rules pass it; the scorer gives it 0.6: over the check-in threshold, under the crisis one."""
SCORES = {GREY: 0.6}
THRESHOLD = 0.71
CHECKIN = 0.5
GROUP = -1005555


def _settings(tmp_path: Path, fake: FakeTelegram, **telegram: Any) -> Settings:
    settings = make_settings(tmp_path, fake, **telegram)
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

        self.adapter = TelegramAdapter(self.settings, self.store)
        await self.adapter.start(handle)
        return self


def _in(fake: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.sent if int(m["chat_id"]) == chat_id]


def _threaded_under(sent: dict[str, Any]) -> int:
    params = sent["reply_parameters"]
    params = json.loads(params) if isinstance(params, str) else params
    return int(params["message_id"])


async def _inbox(settings: Settings) -> list[str]:
    async with ConversationStore(settings.memory.db_path) as store:
        return [m.message_id for m in await store.pending_incoming("telegram")]


async def _private(settings: Settings, user_id: int) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The prefs and history of the person's private conversation."""
    async with ConversationStore(settings.memory.db_path) as store:
        key = UserKey("telegram", str(user_id))
        return await store.get_prefs(key), [(t.role, t.content) for t in await store.history(key, 50)]


def _no_text_logged(caplog: pytest.LogCaptureFixture, line: str) -> None:
    """Kindred's own log lines (aiosqlite's DEBUG lines quote every SQL parameter; they stay at DEBUG)."""
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("adapters", "bot"))
    assert "tired of everything" not in logged and line not in logged and MODEL not in logged


async def test_a_check_in_in_a_group_goes_privately_and_the_group_sees_only_the_reply(
    tmp_path: Path, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="adapters")
    caplog.set_level(logging.DEBUG, logger="bot")
    settings = _settings(tmp_path, fake)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    async with CheckinBot(settings, engine) as bot:
        asked = fake.push_group(GROUP, 601, GREY, mention=True)
        asked["message"]["from"]["language_code"] = "pt-BR"  # the person's Telegram app language
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.sent_to(601) == [line]  # the line alone, in the private chat (its id is the user's id)
    assert "reply_parameters" not in _in(fake, 601)[0]
    assert fake.sent_to(GROUP) == [MODEL]  # the model's reply only: no line, no notice
    assert not any(text in DM_NOTICE_TEXTS.values() for text in fake.sent_to(GROUP))
    assert _threaded_under(_in(fake, GROUP)[0]) == asked["message"]["message_id"]
    assert [int(m["chat_id"]) for m in fake.sent] == [601, GROUP]  # the line once, before the reply
    assert [r.messages[-1].content for r in engine.requests] == [GREY]
    assert await _inbox(settings) == []
    # The Message the dispatcher saw carries the app's language, lowercased.
    [seen] = bot.seen
    assert seen.is_group and seen.text == GREY
    assert seen.extras["platform_language"] == "pt-br"
    # The person may answer the line privately: that conversation is careful and knows what came before.
    prefs, history = await _private(settings, 601)
    assert prefs["careful"] == settings.safety.checkin_careful_turns
    assert history == [("user", GREY), ("assistant", line)]
    _no_text_logged(caplog, line)
    assert any("checkin.private" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("refusal", [CANT_INITIATE, BLOCKED])
async def test_no_private_chat_the_group_gets_the_reply_and_the_line(
    tmp_path: Path, fake: FakeTelegram, refusal: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path, fake)
    line = _line(settings)
    fake.refuse_private_chat(602, refusal)
    async with CheckinBot(settings, FakeEngine(MODEL)):
        asked = fake.push_group(GROUP, 602, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.refused == [602]  # tried once, refused with 403
    assert fake.sent_to(602) == []
    assert fake.sent_to(GROUP) == [f"{MODEL}\n\n{line}"]  # as before this change: safety before privacy
    assert _threaded_under(_in(fake, GROUP)[0]) == asked["message"]["message_id"]
    assert await _inbox(settings) == []
    prefs, history = await _private(settings, 602)
    assert "careful" not in prefs and history == []  # nothing arrived in the private chat
    logged = [r.getMessage() for r in caplog.records if r.name == "adapters.telegram"]
    assert any("no private chat with the person" in m and "check-in line" in m for m in logged)
    assert any("checkin.in_group" in r.getMessage() for r in caplog.records if r.name == "adapters.base")
    _no_text_logged(caplog, line)


@pytest.mark.parametrize("failure", ["503", "timeout"])
async def test_any_private_failure_sends_the_reply_and_the_line_in_the_group(
    tmp_path: Path, fake: FakeTelegram, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path, fake)
    line = _line(settings)
    if failure == "timeout":
        monkeypatch.setattr(adapters.telegram, "PRIVATE_ATTEMPT_S", 0.3)
        fake.fail_next("sendMessage", chat_id=603, delay_s=3.0)
    else:
        fake.fail_next("sendMessage", 503, chat_id=603, description="Service Unavailable")
    async with CheckinBot(settings, FakeEngine(MODEL)):
        fake.push_group(GROUP, 603, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert not fake.faults["sendMessage"]  # the private message was tried (once) and failed
    assert fake.sent_to(603) == []
    assert fake.sent_to(GROUP) == [f"{MODEL}\n\n{line}"]
    assert await _inbox(settings) == []


async def test_a_private_chat_is_unchanged(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = _settings(tmp_path, fake)
    line = _line(settings)
    async with CheckinBot(settings, FakeEngine(MODEL)) as bot:
        fake.push_private(604, GREY)
        await fake.wait_for(lambda: len(fake.sent_to(604)) == 1)
    assert fake.sent_to(604) == [f"{MODEL}\n\n{line}"]  # reply and line together, one message
    assert [int(m["chat_id"]) for m in fake.sent] == [604]
    assert "platform_language" not in bot.seen[0].extras  # the fake's users have no language_code


async def test_a_retried_group_reply_does_not_send_the_line_twice(tmp_path: Path, fake: FakeTelegram) -> None:
    """The line arrived privately, then the group could not be reached: the message stays in the inbox
    and is answered again (the dispatcher leaves the line out: the conversation is careful), in the
    group only."""
    settings = _settings(tmp_path, fake, send_attempts=2, retry_pending_s=0.1)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    fake.fail_next("sendMessage", 503, chat_id=GROUP, times=2)
    async with CheckinBot(settings, engine):
        fake.push_group(GROUP, 605, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
        assert await inbox_emptied(settings.memory.db_path, "telegram") == []
    assert not fake.faults["sendMessage"]  # both tries of the first group reply failed
    assert len(engine.requests) == 1  # answered again by the retry sweep, with the reply stored for it
    assert fake.sent_to(605) == [line]  # once
    assert fake.sent_to(GROUP) == [MODEL]


async def test_a_line_that_reached_nobody_is_sent_with_the_retried_reply(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """No private chat, and the group could not be reached either: the retried reply, made without a
    line (the conversation is careful by then), still carries it."""
    settings = _settings(tmp_path, fake, send_attempts=2, retry_pending_s=0.1)
    line = _line(settings)
    engine = FakeEngine(MODEL)
    fake.refuse_private_chat(606)
    fake.fail_next("sendMessage", 503, chat_id=GROUP, times=2)
    async with CheckinBot(settings, engine):
        fake.push_group(GROUP, 606, GREY, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
        assert await inbox_emptied(settings.memory.db_path, "telegram") == []
    assert len(engine.requests) == 1  # the retry resends the reply stored for the message
    assert fake.refused == [606, 606]  # the private chat was tried again with the retry
    assert fake.sent_to(GROUP) == [f"{MODEL}\n\n{line}"]  # the line once, not lost
