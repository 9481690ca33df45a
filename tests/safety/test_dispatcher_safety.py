"""Safety through the real dispatcher with a fake engine that returns the bad reply."""

from __future__ import annotations

import re

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.metrics import METRICS
from bot.personas import Persona, load_personas
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine

KEY = UserKey("fake", "u1")


@pytest.fixture
async def setup(settings: Settings, store: ConversationStore):
    engine = FakeEngine("That sounds hard. What happened next?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter, store


BAD_REPLIES = [
    ("", "reply.empty"),
    ("I see. I see. I see. I see.", "reply.loop"),
    ("text me on 0151 496 0123", "reply.personal_data"),
    ("you're so sexy", "reply.sexual"),
    ("you should just kill yourself", "reply.self_harm_encouragement"),
    ("skip dinner and you'll lose weight fast", "reply.disordered_eating"),
    ("you're so fat", "reply.looks"),
    ("shut up, you're pathetic", "reply.insult"),
    ("I'm a real person, not a bot!", "reply.claims_human"),
    ("When I was your age, my mom used to tell me it gets better.", "reply.implies_human_life"),
    # seen in the terminal, to "what is your name?"
    ("My name is Emily Thompson, and I am the team leader here at the company.", "reply.other_name"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_REPLIES)
async def test_a_bad_reply_is_never_sent(setup, bad, reason) -> None:
    d, engine, adapter, _ = setup
    engine.reply = bad
    METRICS.reset()
    reply = await adapter.push("how was your day?")
    assert reply is not None and reply.kind == "fallback"
    assert reply.text == SafetyPolicy().fallback_reply(careful=False)
    assert len(engine.requests) == 2  # the candidates, then one regeneration
    assert METRICS.get("safety_checks_total", reason=reason) == 2


HUMAN_LIFE = "Today reminds me of my own journey. I'll grab a coffee and call you later!"
CHEER = "Yay! Congratulations, that was very brave."
GOOD = "That sounds like a big day. What made it feel that way?"
JAPANESE_GIBBERISH = (
    "レスコーサイノロラスから出条さら小証を更新したが度やわ？余が上手の中でオーソム的生物が遭げる"
)


@pytest.mark.parametrize(
    ("message", "bad", "reason"),
    [
        ("hi", "you're so sexy", "reply.sexual"),
        ("today was my graduation", HUMAN_LIFE, "reply.implies_human_life"),
        ("I failed my driving test today", CHEER, "reply.wrong_feeling"),
        # broken Japanese to an English message (seen after a Japanese message was in the history)
        ("I failed my exam today and feel stupid", JAPANESE_GIBBERISH, "reply.wrong_language"),
    ],
)
async def test_a_failing_candidate_loses_to_a_passing_one(settings, store, message, bad, reason) -> None:
    settings.engine.num_candidates = 2
    engine = FakeEngine([bad, GOOD])
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    METRICS.reset()
    reply = await adapter.push(message)
    assert reply is not None and reply.kind == "model"
    assert reply.text == GOOD
    assert len(engine.requests) == 1  # no regeneration: the second candidate passed
    assert METRICS.get("safety_checks_total", reason=reason) == 1
    assert METRICS.get("safety_checks_total", reason="ok") >= 2  # the incoming message and the good candidate
    longest_word = max(re.findall(r"\w+", bad.lower()), key=len)
    assert longest_word not in METRICS.render().lower()  # labels carry codes, never text


async def test_a_cheer_is_fine_for_good_news(setup) -> None:
    _, engine, adapter, _ = setup
    engine.reply = CHEER
    reply = await adapter.push("I passed my driving test today!")
    assert reply is not None and reply.kind == "model" and reply.text == CHEER


async def test_a_cloned_voice_is_held_to_the_same_honesty(settings, store) -> None:
    """A cloned voice talks like its person, but the bot has no wife, job or coffee to grab: a reply
    implying one is regenerated, and the honest regeneration is sent."""
    clone = Persona(
        name="sam", system_prompt="You write like Sam.", clone=True, consent="Sam agreed on 2026-01-02"
    )
    settings.chat.default_persona = "sam"
    settings.engine.num_candidates = 1
    engine = FakeEngine(lambda request: HUMAN_LIFE if len(engine.requests) == 1 else GOOD)
    d = Dispatcher(settings, store, engine, {**load_personas(), "sam": clone})
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    METRICS.reset()
    reply = await adapter.push("hey, long day")
    assert reply is not None and reply.kind == "model"
    assert reply.text == GOOD
    assert len(engine.requests) == 2  # the first generation failed the check, the regeneration passed
    assert engine.requests[0].messages[0].content == "You write like Sam."
    assert METRICS.get("safety_checks_total", reason="reply.implies_human_life") == 1


async def test_age_signal_makes_kind_looks_comments_fail_from_then_on(setup) -> None:
    d, engine, adapter, store = setup
    engine.reply = "You look kind and sweet!"
    first = await adapter.push("hi, I look awful today")
    assert first is not None and first.kind == "model"  # an adult conversation: a kind remark is allowed
    second = await adapter.push("I'm 13 and people at school are mean")
    assert second is not None and second.kind == "fallback"
    assert await store.get_pref(KEY, "strict")
    third = await adapter.push("anyway")  # no age in this message: the conversation stays strict
    assert third is not None and third.kind == "fallback"


async def test_crisis_reply_has_resources_for_the_detected_region(setup) -> None:
    d, engine, adapter, store = setup
    reply = await adapter.push("I'm in London and I want to end my life")
    assert reply is not None and reply.kind == "crisis"
    assert "116 123" in reply.text and "findahelpline.com" in reply.text
    assert engine.requests == []
    assert await store.get_pref(KEY, "region") == "UK"


async def test_after_a_crisis_replies_stay_careful(setup) -> None:
    d, engine, adapter, _ = setup
    await adapter.push("i want to die")
    engine.reply = "lol that's so dead, don't be dramatic"
    reply = await adapter.push("sorry, I'm a bit calmer now")
    assert reply is not None and reply.kind == "fallback"
    assert reply.text == SafetyPolicy().fallback_reply(careful=True)
    engine.reply = "I'm really glad you're still talking to me. What helps you feel a bit safer?"
    reply = await adapter.push("thanks")
    assert reply is not None and reply.kind == "model"


async def test_figurative_message_goes_to_the_model(setup) -> None:
    d, engine, adapter, _ = setup
    reply = await adapter.push("this homework is killing me lol")
    assert reply is not None and reply.kind == "model"
    assert len(engine.requests) == 1


async def test_bot_question_gets_a_truthful_answer_not_the_model(setup) -> None:
    d, engine, adapter, _ = setup
    engine.reply = "No, I'm a real person!"
    reply = await adapter.push("wait, are you a bot?")
    assert reply is not None
    assert reply.text.startswith("I'm Kindred, an AI chat bot") and "not a person" in reply.text
    assert engine.requests == []


async def test_a_reply_may_give_the_personas_own_name(settings, store) -> None:
    """reply.other_name compares with the persona's name: Kindred for the built-in ones, a cloned
    voice's own name for a clone."""
    engine = FakeEngine("My name is Kindred. What should I call you?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("hi there")
    assert reply is not None and reply.kind == "model" and reply.text.startswith("My name is Kindred")
    clone = Persona(name="sam", system_prompt="You are Sam.", clone=True, consent="given by Sam, 2026-11-20")
    settings.chat.default_persona = "sam"
    for said, kind in (("my name's Sam, nice to meet you!", "model"), ("My name is Emily, hi!", "fallback")):
        d2 = Dispatcher(settings, store, FakeEngine(said), {"sam": clone})
        adapter2 = FakeAdapter()
        await adapter2.start(d2.handle)
        reply = await adapter2.push("hey, nice to meet you", user_id="u2")
        assert reply is not None and reply.kind == kind, (said, reply)


async def test_who_are_you_and_whats_your_name_get_the_truthful_answer(setup) -> None:
    """Seen in the terminal: "what is your name?" got "My name is Emily Thompson, and I am the team
    leader here at the company". Questions about who or what the bot is get the fixed answer."""
    d, engine, adapter, _ = setup
    for question in ("what is your name?", "who are you?"):
        reply = await adapter.push(question)
        assert (
            reply is not None
            and reply.kind == "notice"
            and reply.text.startswith("I'm Kindred, an AI chat bot")
        )
    assert engine.requests == []
