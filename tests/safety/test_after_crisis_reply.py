"""Right after the crisis reply, a message that only the classifier flags gets the short careful line,
not the same crisis reply a second time (bot/dispatcher.py, ``SafetyInStep.after_resources``).

Seen in the terminal: a 15-year-old wrote "sometimes i cut myself to feel better" and got the crisis
reply; then "no i'm safe right now, i just wanted to tell someone" (the classifier scores it 0.79, over
its threshold) got the whole crisis reply again, word for word. Letting the model answer there instead
gave "I'm not responsible for your safety, and I won't stop you": so the answer is a fixed text. The
crisis rules stay the floor: what they flag always gets the crisis reply."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy, languages
from bot.safety.resources import FALLBACK_CAREFUL
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import ChosenScores, FakeAdapter, FakeEngine

KEY = UserKey("fake", "u1")
MODEL = "That sounds hard. What happened next?"
RULES_CRISIS = "sometimes i cut myself to feel better"
SAFE_NOW = "no i'm safe right now, i just wanted to tell someone"  # the classifier alone flags it
STILL = "i just wanted someone to know"  # the same, once more
SAFE_NOW_ES = "estoy bien ahora, solo quería que alguien lo supiera, gracias por escucharme"
PLAIN = "we had pizza for dinner"
THRESHOLD = 0.74


async def _setup(settings: Settings, store: ConversationStore):  # type: ignore[no-untyped-def]
    engine = FakeEngine(MODEL)
    scores = {SAFE_NOW: 0.79, STILL: 0.8, SAFE_NOW_ES: 0.8, PLAIN: 0.02}
    scorer = ChosenScores(scores, threshold=THRESHOLD)
    d = Dispatcher(settings, store, engine, load_personas(), crisis_classifier=scorer)
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


def test_the_rules_pass_the_messages_the_classifier_flags() -> None:
    policy = SafetyPolicy()
    assert policy.check_incoming(RULES_CRISIS).crisis
    for text in (SAFE_NOW, STILL, SAFE_NOW_ES):
        assert not policy.check_incoming(text).crisis, text


async def test_right_after_the_crisis_reply_a_classifier_only_message_gets_the_careful_line(
    settings: Settings, store: ConversationStore
) -> None:
    _d, engine, adapter = await _setup(settings, store)
    first = await adapter.push(RULES_CRISIS)
    assert first is not None and first.kind == "crisis"
    second = await adapter.push(SAFE_NOW)
    assert second is not None and second.kind == "crisis"  # privately from a group, like the crisis reply
    assert second.text == FALLBACK_CAREFUL != first.text
    assert second.extras["reason"] == "crisis.classifier.after_resources"
    third = await adapter.push(STILL)  # flagged once more: the short line again, not the wall
    assert third is not None and third.text == FALLBACK_CAREFUL
    assert engine.requests == []  # the model is not asked
    assert await store.get_pref(KEY, "careful") == settings.safety.careful_turns
    assert [t.content for t in await store.history(KEY, 10)] == [
        RULES_CRISIS,
        first.text,
        SAFE_NOW,
        FALLBACK_CAREFUL,
        STILL,
        FALLBACK_CAREFUL,
    ]


async def test_the_line_is_in_the_persons_language(settings: Settings, store: ConversationStore) -> None:
    _d, _engine, adapter = await _setup(settings, store)
    first = await adapter.push("quiero morirme, ya no aguanto más")
    assert first is not None and first.kind == "crisis"
    spanish = await adapter.push(SAFE_NOW_ES)
    assert spanish is not None and spanish.text == languages.FALLBACK_CAREFUL_TEXTS["es"]


async def test_a_crisis_reply_of_another_kind_is_sent(settings: Settings, store: ConversationStore) -> None:
    """After the reply to a disclosure of abuse, a classifier-only crisis gets the crisis reply: its
    lines are not the ones the person just saw."""
    d, _engine, adapter = await _setup(settings, store)
    abuse = await adapter.push("my stepdad hits me when he's drunk")
    assert abuse is not None and abuse.text == d.safety.abuse_reply("abuse.physical")
    crisis = await adapter.push(SAFE_NOW)
    assert crisis is not None and crisis.text == d.safety.crisis_reply(None, SAFE_NOW)


async def test_the_same_message_gets_the_crisis_reply_anywhere_else(
    settings: Settings, store: ConversationStore
) -> None:
    """Not after a crisis reply (a new conversation, or a model reply in between): the crisis reply."""
    _d, engine, adapter = await _setup(settings, store)
    fresh = await adapter.push(SAFE_NOW)
    assert fresh is not None and fresh.kind == "crisis" and fresh.text != FALLBACK_CAREFUL
    assert await adapter.push(PLAIN) is not None  # the model answers in between
    again = await adapter.push(SAFE_NOW)
    assert again is not None and again.kind == "crisis" and again.text == fresh.text
    assert len(engine.requests) == 1


async def test_what_the_rules_flag_always_gets_the_crisis_reply_again(
    settings: Settings, store: ConversationStore
) -> None:
    _d, engine, adapter = await _setup(settings, store)
    first = await adapter.push(RULES_CRISIS)
    assert await adapter.push(SAFE_NOW) is not None
    again = await adapter.push("i want to kill myself")
    assert first is not None and again is not None
    assert again.kind == "crisis" and again.text != FALLBACK_CAREFUL
    assert engine.requests == []


async def test_with_memory_off_the_crisis_reply_is_sent_again(
    settings: Settings, store: ConversationStore
) -> None:
    """Nothing is stored, so there is no telling what came last: the crisis reply, as before."""
    _d, _engine, adapter = await _setup(settings, store)
    await store.set_pref(KEY, "remember", False)
    first = await adapter.push(RULES_CRISIS)
    second = await adapter.push(SAFE_NOW)
    assert first is not None and second is not None
    assert second.kind == "crisis" and second.text != FALLBACK_CAREFUL
