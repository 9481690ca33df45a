"""Right after the crisis reply, a message that only the classifier flags gets the model's careful
reply with the crisis line, not the same crisis reply a second time (bot/dispatcher.py,
``SafetyInStep.after_resources``).

Seen in the terminal: a 15-year-old wrote "sometimes i cut myself to feel better" and got the crisis
reply; then "no i'm safe right now, i just wanted to tell someone" (the classifier scores it 0.79, over
its threshold) got the whole crisis reply again, word for word. The crisis rules stay the floor: what
they flag always gets the crisis reply."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import ChosenScores, FakeAdapter, FakeEngine

KEY = UserKey("fake", "u1")
MODEL = "Thank you for telling me. I'm glad you're safe right now. What has today been like?"
RULES_CRISIS = "sometimes i cut myself to feel better"
SAFE_NOW = "no i'm safe right now, i just wanted to tell someone"  # the classifier alone flags it
PLAIN = "we had pizza for dinner"
THRESHOLD = 0.74


async def _setup(settings: Settings, store: ConversationStore):  # type: ignore[no-untyped-def]
    engine = FakeEngine(MODEL)
    scorer = ChosenScores({SAFE_NOW: 0.79, PLAIN: 0.02}, threshold=THRESHOLD)
    d = Dispatcher(settings, store, engine, load_personas(), crisis_classifier=scorer)
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


def test_the_rules_pass_the_message_the_classifier_flags() -> None:
    from bot.safety import SafetyPolicy

    policy = SafetyPolicy()
    assert policy.check_incoming(RULES_CRISIS).crisis
    assert not policy.check_incoming(SAFE_NOW).crisis


async def test_right_after_the_crisis_reply_a_classifier_only_message_gets_a_careful_reply_and_the_line(
    settings: Settings, store: ConversationStore
) -> None:
    d, engine, adapter = await _setup(settings, store)
    first = await adapter.push(RULES_CRISIS)
    assert first is not None and first.kind == "crisis"
    assert engine.requests == []
    second = await adapter.push(SAFE_NOW)
    assert second is not None and second.kind == "model"
    assert second.text == f"{MODEL}\n\n{d.safety.checkin_text(None, SAFE_NOW)}"
    assert second.text != first.text
    assert len(engine.requests) == 1  # the model answered (its reply checked in careful mode)
    assert second.extras["reason"] == "crisis.checkin"
    # as careful as right after a crisis reply
    assert await store.get_pref(KEY, "careful") == settings.safety.careful_turns
    assert [t.content for t in await store.history(KEY, 10)][-2:] == [SAFE_NOW, MODEL]


async def test_the_same_message_gets_the_crisis_reply_anywhere_else(
    settings: Settings, store: ConversationStore
) -> None:
    """Not after a crisis reply (a new conversation, or a model reply in between): the crisis reply."""
    _d, engine, adapter = await _setup(settings, store)
    fresh = await adapter.push(SAFE_NOW)
    assert fresh is not None and fresh.kind == "crisis"
    assert await adapter.push(PLAIN) is not None  # the model answers in between
    again = await adapter.push(SAFE_NOW)
    assert again is not None and again.kind == "crisis" and again.text == fresh.text
    assert len(engine.requests) == 1


async def test_what_the_rules_flag_always_gets_the_crisis_reply_again(
    settings: Settings, store: ConversationStore
) -> None:
    _d, engine, adapter = await _setup(settings, store)
    first = await adapter.push(RULES_CRISIS)
    second = await adapter.push("i want to kill myself")
    assert first is not None and second is not None
    assert first.kind == second.kind == "crisis"
    assert engine.requests == []


async def test_a_busy_engine_or_memory_off_falls_back_to_the_crisis_reply(
    settings: Settings, store: ConversationStore
) -> None:
    _d, engine, adapter = await _setup(settings, store)
    first = await adapter.push(RULES_CRISIS)
    engine.status = "busy"
    busy = await adapter.push(SAFE_NOW)
    assert first is not None and busy is not None
    assert busy.kind == "crisis" and busy.text == first.text  # not "I'm busy" to this message

    other = UserKey("fake", "u2")
    await store.set_pref(other, "remember", False)  # nothing stored: no way to tell what came last
    engine.status = "ok"
    adapter2 = FakeAdapter()
    await adapter2.start(_d.handle)
    assert (await adapter2.push(RULES_CRISIS, user_id="u2")).kind == "crisis"  # type: ignore[union-attr]
    assert (await adapter2.push(SAFE_NOW, user_id="u2")).kind == "crisis"  # type: ignore[union-attr]
