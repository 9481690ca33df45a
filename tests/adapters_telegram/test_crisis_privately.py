"""A crisis reply to a message in a group goes to its author in their private chat with the bot; the
group sees only a neutral line threaded under the message. When the private message cannot be
delivered, the crisis reply goes in the group as before. Through the real python-telegram-bot client
against the fake Bot API (tests/adapters_telegram/fake_telegram.py)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

import adapters.telegram
from adapters.base import DM_NOTICE, DM_NOTICE_TEXTS
from bot.config import Settings
from bot.safety import SafetyPolicy
from bot.safety.languages import CRISIS_TEXTS
from bot.store import ConversationStore
from bot.types import UserKey
from tests.adapters_telegram.fake_telegram import BLOCKED, CANT_INITIATE, FakeTelegram
from tests.adapters_telegram.harness import BotProcess, make_settings
from tests.fakes import FakeEngine

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CRISIS = "i'm going to kill myself tonight"
SPANISH_CRISIS = "no quiero seguir viviendo, estoy cansada de todo"
GROUP = -1001234
ALLOWED = 4100
"""With ``allowed_users = [ALLOWED]``, every other person is a stranger."""

# served: the dispatcher answers (a Reply of kind "crisis"); stranger: someone not in allowed_users,
# whom the adapter answers alone (adapters/base.py StrangerCrisis), nothing stored.
WHO = ["served", "stranger"]


def _settings(tmp_path: Path, fake: FakeTelegram, who: str = "served", **telegram: Any) -> Settings:
    if who == "stranger":
        telegram["allowed_users"] = [ALLOWED]
    return make_settings(tmp_path, fake, **telegram)


def _in(fake: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in fake.sent if int(m["chat_id"]) == chat_id]


def _threaded_under(sent: dict[str, Any]) -> int:
    params = sent["reply_parameters"]
    params = json.loads(params) if isinstance(params, str) else params
    return int(params["message_id"])


async def _inbox(settings: Settings) -> list[str]:
    async with ConversationStore(settings.memory.db_path) as store:
        return [m.message_id for m in await store.pending_incoming("telegram")]


async def _prefs(settings: Settings, user_id: int) -> dict[str, Any]:
    async with ConversationStore(settings.memory.db_path) as store:
        return await store.get_prefs(UserKey("telegram", str(user_id)))


async def _nothing_stored(settings: Settings, user_id: int) -> bool:
    async with ConversationStore(settings.memory.db_path) as store:
        keys = (UserKey("telegram", str(user_id)), UserKey("telegram", str(user_id), str(GROUP)))
        for key in keys:
            if await store.history(key, 50) or await store.get_prefs(key):
                return False
    return True


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("how", ["mention", "reply to the bot"])
async def test_a_crisis_message_in_a_group_gets_the_crisis_reply_privately(
    tmp_path: Path, fake: FakeTelegram, who: str, how: str
) -> None:
    settings = _settings(tmp_path, fake, who)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    async with BotProcess(settings, engine):
        asked = fake.push_group(
            GROUP, 501, CRISIS, mention=how == "mention", reply_to_bot=how == "reply to the bot"
        )
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.sent_to(501) == [crisis_reply]  # the private chat's id is the user's id
    assert fake.sent_to(GROUP) == [DM_NOTICE]  # only the neutral line, in the group
    [line] = _in(fake, GROUP)
    assert _threaded_under(line) == asked["message"]["message_id"]
    [private] = _in(fake, 501)
    assert "reply_parameters" not in private
    assert [int(m["chat_id"]) for m in fake.sent] == [501, GROUP]  # private first, then the line
    assert engine.requests == []  # the model was never asked
    assert await _inbox(settings) == []
    if who == "stranger":
        assert await _nothing_stored(settings, 501)


async def test_a_normal_mention_in_a_group_is_answered_there_as_before(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    settings = _settings(tmp_path, fake)
    engine = FakeEngine("Hi everyone!")
    async with BotProcess(settings, engine):
        asked = fake.push_group(GROUP, 502, "what do you think?", mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.sent_to(GROUP) == ["Hi everyone!"]
    assert _threaded_under(_in(fake, GROUP)[0]) == asked["message"]["message_id"]
    assert [int(m["chat_id"]) for m in fake.sent] == [GROUP]  # nothing private
    assert [r.messages[-1].content for r in engine.requests] == ["what do you think?"]
    assert "careful" not in await _prefs(settings, 502)


async def test_a_private_chat_is_unchanged(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = _settings(tmp_path, fake)
    engine = FakeEngine("I'm here with you.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    async with BotProcess(settings, engine):
        fake.push_private(503, CRISIS)
        await fake.wait_for(lambda: len(fake.sent_to(503)) == 1)
        fake.push_private(503, "thank you for listening")
        await fake.wait_for(lambda: len(fake.sent_to(503)) == 2)
    assert fake.sent_to(503)[0] == crisis_reply  # in the private chat itself, as before
    assert fake.sent_to(503)[1].startswith("I'm here with you.")
    assert [int(m["chat_id"]) for m in fake.sent] == [503, 503]  # no line anywhere else
    assert all("reply_parameters" not in m for m in fake.sent)
    assert [r.messages[-1].content for r in engine.requests] == ["thank you for listening"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("refusal", [CANT_INITIATE, BLOCKED])
async def test_no_private_chat_the_crisis_reply_goes_in_the_group(
    tmp_path: Path, fake: FakeTelegram, who: str, refusal: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path, fake, who)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    fake.refuse_private_chat(504, refusal)
    async with BotProcess(settings, engine):
        asked = fake.push_group(GROUP, 504, CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.refused == [504]  # tried once, refused with 403, not retried
    assert fake.sent_to(504) == []
    assert fake.sent_to(GROUP) == [crisis_reply]  # the crisis reply itself, not the line
    assert _threaded_under(_in(fake, GROUP)[0]) == asked["message"]["message_id"]
    assert engine.requests == []
    assert await _inbox(settings) == []
    assert "careful" not in await _prefs(settings, 504)  # nothing arrived in the private chat
    logged = [r.getMessage() for r in caplog.records if r.name == "adapters.telegram"]
    assert any("no private chat with the person" in line for line in logged)
    assert not any("kill myself" in line for line in logged)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    "failure", ["500", "502", "503", "429", "dropped connection", "timeout", "400 chat not found"]
)
async def test_any_private_failure_sends_the_crisis_reply_in_the_group(
    tmp_path: Path, fake: FakeTelegram, who: str, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path, fake, who)
    engine = FakeEngine("Hi there.")
    crisis_reply = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)
    if failure.isdigit() and failure != "429":
        fake.fail_next("sendMessage", int(failure), chat_id=505, description="Internal Server Error")
    elif failure == "429":
        # python-telegram-bot raises RetryAfter; the private try does not wait out the 30 s.
        fake.fail_next("sendMessage", 429, chat_id=505, retry_after=30, description="Too Many Requests")
    elif failure == "dropped connection":
        fake.fail_next("sendMessage", chat_id=505, drop=True)
    elif failure == "timeout":
        monkeypatch.setattr(adapters.telegram, "PRIVATE_ATTEMPT_S", 0.3)
        fake.fail_next("sendMessage", chat_id=505, delay_s=3.0)
    else:
        fake.fail_next("sendMessage", 400, chat_id=505, description="Bad Request: chat not found")
    async with BotProcess(settings, engine):
        started = time.monotonic()
        asked = fake.push_group(GROUP, 505, CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
        took = time.monotonic() - started
    assert not fake.faults["sendMessage"]  # the private message was tried and failed
    assert fake.sent_to(505) == []
    assert fake.sent_to(GROUP) == [crisis_reply]
    assert _threaded_under(_in(fake, GROUP)[0]) == asked["message"]["message_id"]
    assert took < 2.5  # no retries or waits before the group gets it
    assert engine.requests == []
    assert await _inbox(settings) == []
    assert "careful" not in await _prefs(settings, 505)


@pytest.mark.parametrize("who", WHO)
async def test_after_a_private_crisis_reply_the_private_conversation_is_careful(
    tmp_path: Path, fake: FakeTelegram, who: str
) -> None:
    """The person will likely answer in the private chat the crisis reply came in: that conversation
    is careful too (a joking reply is replaced), as the group's is. A stranger is not served in a
    private chat at all, and nothing is stored about them."""
    settings = _settings(tmp_path, fake, who, stranger_notice=False)
    engine = FakeEngine("haha that's so funny lol")  # fails the careful-mode check
    async with BotProcess(settings, engine):
        fake.push_group(GROUP, 506, CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
        fake.push_private(506, "thanks, i read it")
        if who == "served":
            await fake.wait_for(lambda: len(fake.sent_to(506)) == 2)
        else:
            fake.push_private(ALLOWED, "sync point")
            await fake.wait_for(lambda: len(fake.sent_to(ALLOWED)) == 1)
    prefs = await _prefs(settings, 506)
    if who == "served":
        answer = fake.sent_to(506)[1]
        assert "lol" not in answer and "haha" not in answer
        assert prefs.get("careful") == settings.safety.careful_turns - 1  # one careful reply went out
        # (careful mode asked again for another reply, then sent its safe fallback)
        assert {r.messages[-1].content for r in engine.requests} == {"thanks, i read it"}
        # the model saw the crisis exchange before the private message: it came along
        history = [(t.role, t.content) for t in engine.requests[0].messages]
        assert ("user", CRISIS) in history
        assert any(role == "assistant" and text == fake.sent_to(506)[0] for role, text in history)
    else:
        assert len(fake.sent_to(506)) == 1  # only the crisis reply; the private message is not served
        assert await _nothing_stored(settings, 506)
        assert [r.messages[-1].content for r in engine.requests] == ["sync point"]


@pytest.mark.parametrize("who", WHO)
async def test_when_only_the_line_fails_the_crisis_reply_is_not_sent_twice(
    tmp_path: Path, fake: FakeTelegram, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = _settings(tmp_path, fake, who, send_attempts=2, retry_pending_s=0.1)
    fake.fail_next("sendMessage", 503, chat_id=GROUP, times=2)
    async with BotProcess(settings):
        fake.push_group(GROUP, 507, CRISIS, mention=True)
        await fake.wait_for(
            lambda: any("line saying so could not be posted" in r.getMessage() for r in caplog.records)
        )
        polls = fake.get_updates_calls
        await fake.wait_for(lambda: fake.get_updates_calls >= polls + 2)  # retry sweeps have run
        assert await _inbox(settings) == []  # handled: the retry sweep has nothing to send again
    assert not fake.faults["sendMessage"]  # both tries of the line failed
    assert fake.sent_to(507) == [SafetyPolicy(settings.safety).crisis_reply(None, CRISIS)]
    assert fake.sent_to(GROUP) == []


@pytest.mark.parametrize("localize", [True, False])
async def test_the_line_in_the_group_is_in_the_persons_language(
    tmp_path: Path, fake: FakeTelegram, localize: bool
) -> None:
    settings = _settings(tmp_path, fake)
    settings.safety.localize_safety_texts = localize
    policy = SafetyPolicy(settings.safety)
    async with BotProcess(settings, FakeEngine("Hola.")):
        fake.push_group(GROUP, 508, SPANISH_CRISIS, mention=True)
        await fake.wait_for(lambda: len(fake.sent_to(GROUP)) == 1)
    assert fake.sent_to(508) == [policy.crisis_reply(None, SPANISH_CRISIS)]
    assert fake.sent_to(GROUP) == [DM_NOTICE_TEXTS["es"] if localize else DM_NOTICE]
    assert localize == policy.crisis_reply(None, SPANISH_CRISIS).startswith(CRISIS_TEXTS["es"].message)
